// lr.w: load and reserve the address (single hart)
const uint32_t addr = RS1;
const uint32_t value = AMO_LOAD(addr);
RESERVE(addr);
WRITE_RD(value);
