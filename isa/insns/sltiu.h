// sltiu: the immediate is sign-extended, then compared unsigned
WRITE_RD(RS1 < IMM_U ? 1u : 0u);
