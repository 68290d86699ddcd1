// illegal: anything outside guest ABI v1
ILLEGAL_INSTRUCTION();
