// hin: static precompile: word of the private input tape (hints) at byte offset rs1 + imm
WRITE_RD(TAPE_READ_PRIVATE(RS1 + IMM_U));
