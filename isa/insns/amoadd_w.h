// amoadd.w: atomic read-modify-write; rd gets the old value (rs2 is read before rd is written)
const uint32_t addr = RS1;
const uint32_t old = AMO_LOAD(addr);
AMO_STORE(addr, old + RS2);
WRITE_RD(old);
