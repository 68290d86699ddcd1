// rin: static precompile: word of the public input tape at byte offset rs1 + imm
WRITE_RD(TAPE_READ_PUBLIC(RS1 + IMM_U));
