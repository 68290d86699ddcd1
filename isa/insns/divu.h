// divu: division by zero gives all ones
WRITE_RD(RS2 == 0 ? 0xffffffffu : RS1 / RS2);
