// rem: remainder by zero gives the dividend; INT32_MIN % -1 gives 0
const int32_t a = static_cast<int32_t>(RS1), b = static_cast<int32_t>(RS2);
if (b == 0) {
  WRITE_RD(RS1);
} else if (a == INT32_MIN && b == -1) {
  WRITE_RD(0u);
} else {
  WRITE_RD(static_cast<uint32_t>(a % b));
}
