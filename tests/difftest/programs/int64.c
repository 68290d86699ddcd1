// 64-bit arithmetic on a 32-bit machine: multiplication (mul/mulhu), division and remainder (libgcc's
// __udivdi3 and friends), shifts by every amount 0..63, comparisons, a 64x64->128 product from
// 32-bit halves, and count-leading/trailing-zeros helpers.
#include "rt.h"

static volatile uint64_t sink;

static uint64_t opaque(uint64_t v) {
  sink = v;
  return sink;
}

// 64x64 -> 128 bits from four 32x32 -> 64 products.
static void mul_128(uint64_t a, uint64_t b, uint64_t* hi, uint64_t* lo) {
  const uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
  const uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const uint64_t middle = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
  *lo = (middle << 32) | (uint32_t)p00;
  *hi = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
}

int main(void) {
  static const uint64_t kValues[] = {0,
                                     1,
                                     2,
                                     0xffffffffull,
                                     0x100000000ull,
                                     0x7fffffffffffffffull,
                                     0x8000000000000000ull,
                                     0xffffffffffffffffull,
                                     0x123456789abcdef0ull,
                                     0xfedcba9876543210ull,
                                     1000000007ull,
                                     0x00000000deadbeefull};
  const size_t count = sizeof kValues / sizeof kValues[0];
  uint64_t checksum = 0;
  for (size_t i = 0; i < count; ++i) {
    for (size_t j = 0; j < count; ++j) {
      const uint64_t a = opaque(kValues[i]), b = opaque(kValues[j]);
      const int64_t sa = (int64_t)a, sb = (int64_t)b;
      uint64_t hi, lo;
      mul_128(a, b, &hi, &lo);
      put_hex64(a * b);
      put_char(' ');
      put_hex64(hi);
      put_char(' ');
      put_hex64(lo);
      if (b != 0) {
        put_char(' ');
        put_hex64(a / b);
        put_char(' ');
        put_hex64(a % b);
      }
      if (b != 0 && !(sa == INT64_MIN && sb == -1)) {
        put_char(' ');
        put_hex64((uint64_t)(sa / sb));
        put_char(' ');
        put_hex64((uint64_t)(sa % sb));
      }
      put_char(' ');
      put_char((char)('0' + (sa < sb) + 2 * (a < b) + 4 * (a == b)));
      put_char('\n');
      checksum = checksum * 1000003 + (a * b) + hi;
    }
  }
  for (unsigned shift = 0; shift < 64; ++shift) {
    const uint64_t v = opaque(0x8123456789abcdefull);
    const unsigned s = (unsigned)opaque(shift);
    put_hex64(v << s);
    put_char(' ');
    put_hex64(v >> s);
    put_char(' ');
    put_hex64((uint64_t)((int64_t)v >> s));
    put_char(' ');
    put_dec((int64_t)v >> s);
    put_char('\n');
  }
  // Leading and trailing zeros through libgcc (rv32im has no Zbb).
  for (unsigned bit = 0; bit < 64; bit += 3) {
    const uint64_t v = opaque((1ull << bit) | (1ull << (bit / 2)));
    put_dec(__builtin_clzll(v));
    put_char(' ');
    put_dec(__builtin_ctzll(v));
    put_char(' ');
    put_dec(__builtin_popcountll(v * 0x0101010101010101ull));
    put_char('\n');
  }
  // A 64-bit recurrence: Fibonacci modulo a large prime.
  uint64_t f0 = 0, f1 = 1;
  for (int i = 0; i < 5000; ++i) {
    const uint64_t next = (f0 + f1) % 0xffffffffffffffc5ull;
    f0 = f1;
    f1 = next;
  }
  put_str("fib ");
  put_hex64(f1);
  put_str("\nchecksum ");
  put_hex64(checksum);
  put_char('\n');
  return 0;
}
