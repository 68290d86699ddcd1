// A big-integer loop: `units` rounds of x = x * y + c over 256-bit integers (mod 2^256) in 32-bit
// limbs, schoolbook with MUL/MULHU and carries, as in any bignum or field arithmetic library.
#include "prove_common.h"

enum { kLimbs = 8 };

static void mul_add(uint32_t out[kLimbs], const uint32_t a[kLimbs], const uint32_t b[kLimbs], uint32_t c) {
  uint32_t acc[kLimbs] = {c};
  for (int i = 0; i < kLimbs; ++i) {
    uint32_t carry = 0;
    for (int j = 0; i + j < kLimbs; ++j) {
      const uint64_t t = (uint64_t)a[i] * b[j] + acc[i + j] + carry;
      acc[i + j] = (uint32_t)t;
      carry = (uint32_t)(t >> 32);
    }
  }
  for (int i = 0; i < kLimbs; ++i) out[i] = acc[i];
}

int main(void) {
  uint32_t x[kLimbs] = {1, 2, 3, 4, 5, 6, 7, 8};
  const uint32_t y[kLimbs] = {0x9e3779b9, 0x7f4a7c15, 0xf39cc060, 0x5cedc834,
                              0x1082276b, 0xf3a27251, 0xf86c6a11, 0xd0c18e95};
  const uint32_t units = prove_units();
  for (uint32_t n = 0; n < units; ++n) mul_add(x, x, y, n);
  uint64_t checksum = 0;
  for (int i = 0; i < kLimbs; ++i) checksum = prove_mix(checksum, x[i]);
  return prove_finish(checksum);
}
