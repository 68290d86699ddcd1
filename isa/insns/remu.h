// remu: remainder by zero gives the dividend
WRITE_RD(RS2 == 0 ? RS1 : RS1 % RS2);
