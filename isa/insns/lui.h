// lui: rd = imm (upper 20 bits already in place)
WRITE_RD(IMM_U);
