// 64-bit integer arithmetic on a 32-bit machine: Miller-Rabin primality tests of 32-bit numbers
// (64-bit products reduced with 64-bit remainder) and Euclid's gcd on 64-bit pairs. RV32 has no
// 64-bit divide, so division runs in libgcc's __udivdi3/__umoddi3: shifts, compares and branches.
#include "bench_common.h"

enum { kCandidates = BENCH_SIZE(120000, 600), kGcdPairs = BENCH_SIZE(300000, 1500) };

static uint32_t mul_mod(uint32_t a, uint32_t b, uint32_t m) { return (uint32_t)((uint64_t)a * b % m); }

static uint32_t pow_mod(uint32_t base, uint32_t exponent, uint32_t m) {
  uint32_t result = 1;
  base %= m;
  for (; exponent; exponent >>= 1) {
    if (exponent & 1) result = mul_mod(result, base, m);
    base = mul_mod(base, base, m);
  }
  return result;
}

// Deterministic for n < 4,759,123,141 with the bases 2, 7 and 61.
static int is_prime(uint32_t n) {
  if (n < 2) return 0;
  static const uint32_t kBases[3] = {2, 7, 61};
  for (int i = 0; i < 3; ++i) {
    if (n == kBases[i]) return 1;
    if (n % kBases[i] == 0) return 0;
  }
  uint32_t odd = n - 1;
  int twos = 0;
  while ((odd & 1) == 0) {
    odd >>= 1;
    ++twos;
  }
  for (int i = 0; i < 3; ++i) {
    uint32_t x = pow_mod(kBases[i], odd, n);
    if (x == 1 || x == n - 1) continue;
    int witness = 1;
    for (int r = 1; r < twos && witness; ++r) {
      x = mul_mod(x, x, n);
      if (x == n - 1) witness = 0;
    }
    if (witness) return 0;
  }
  return 1;
}

static uint64_t gcd(uint64_t a, uint64_t b) {
  while (b) {
    const uint64_t r = a % b;
    a = b;
    b = r;
  }
  return a;
}

int main(void) {
  // Known answers: the largest 32-bit prime, a Carmichael number, and the 2-strong pseudoprime
  // 2047 = 23 * 89.
  if (!is_prime(4294967291u) || is_prime(561) || is_prime(2047) || gcd(1ull << 40, 3ull << 35) != 1ull << 35) {
    printf("u64_arith: known-answer test failed\n");
    return 1;
  }
  uint64_t seed = 5;
  uint64_t checksum = 0;
  uint32_t primes = 0;
  for (int i = 0; i < kCandidates; ++i) {
    const uint32_t n = bench_next32(&seed) | 1;
    if (is_prime(n)) {
      ++primes;
      checksum = bench_mix(checksum, n);
    }
  }
  uint64_t quotients = 0;
  for (int i = 0; i < kGcdPairs; ++i) {
    const uint64_t a = bench_next64(&seed);
    const uint64_t b = bench_next64(&seed) >> (i & 31);
    quotients += a / (b | 1);
    checksum = bench_mix(checksum, gcd(a, b));
  }
  checksum = bench_mix(checksum, quotients);
  checksum = bench_mix(checksum, primes);
  bench_print_checksum(checksum);
  return 0;
}
