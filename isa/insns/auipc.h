// auipc: rd = pc + imm
WRITE_RD(PC + IMM_U);
