// div: division by zero gives -1; INT32_MIN / -1 overflows to INT32_MIN (no trap in RISC-V)
const int32_t a = static_cast<int32_t>(RS1), b = static_cast<int32_t>(RS2);
if (b == 0) {
  WRITE_RD(0xffffffffu);
} else if (a == INT32_MIN && b == -1) {
  WRITE_RD(0x80000000u);
} else {
  WRITE_RD(static_cast<uint32_t>(a / b));
}
