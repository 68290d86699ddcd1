// sc.w: succeeds (rd = 0) only if this address is reserved; every sc.w clears the reservation
const uint32_t addr = RS1;
AMO_CHECK(addr);
if (RESERVED(addr)) {
  AMO_STORE(addr, RS2);
  CLEAR_RESERVATION();
  WRITE_RD(0u);
} else {
  CLEAR_RESERVATION();
  WRITE_RD(1u);
}
