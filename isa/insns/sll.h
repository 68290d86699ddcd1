// sll: shift amounts are masked to 5 bits
WRITE_RD(RS1 << (RS2 & 31));
