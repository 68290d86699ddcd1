// sub
WRITE_RD(RS1 - RS2);
