// ori
WRITE_RD(RS1 | IMM_U);
