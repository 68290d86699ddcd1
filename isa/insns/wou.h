// wou: static precompile: rs2 to the public output tape at byte offset rs1 + imm
TAPE_WRITE(RS1 + IMM_U, RS2);
