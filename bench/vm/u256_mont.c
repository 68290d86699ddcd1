// 256-bit modular arithmetic with eight 32-bit limbs: Montgomery multiplication (CIOS) and modular
// addition over the BN254 base field, the inner loop of elliptic-curve and pairing code. Mostly
// MUL/MULHU with carry chains (SLTU) on RV32.
#include <string.h>

#include "bench_common.h"

enum { kLimbs = 8, kIterations = BENCH_SIZE(1000000, 10000) };

typedef struct {
  uint32_t limb[kLimbs];  // least significant first
} U256;

// p = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47
static const U256 kModulus = {{0xd87cfd47, 0x3c208c16, 0x6871ca8d, 0x97816a91, 0x8181585d,
                               0xb85045b6, 0xe131a029, 0x30644e72}};
static uint32_t modulus_inverse;  // -p^-1 mod 2^32

static uint32_t negated_inverse(uint32_t p0) {
  uint32_t inverse = 1;  // right modulo 2; each Newton step doubles the correct low bits
  for (int i = 0; i < 5; ++i) inverse *= 2 - p0 * inverse;
  return (uint32_t)0 - inverse;
}

static int at_least_modulus(const uint32_t t[kLimbs], uint32_t high) {
  if (high) return 1;
  for (int i = kLimbs - 1; i >= 0; --i) {
    if (t[i] != kModulus.limb[i]) return t[i] > kModulus.limb[i];
  }
  return 1;
}

static void subtract_modulus(uint32_t t[kLimbs]) {
  uint32_t borrow = 0;
  for (int i = 0; i < kLimbs; ++i) {
    const uint64_t d = (uint64_t)t[i] - kModulus.limb[i] - borrow;
    t[i] = (uint32_t)d;
    borrow = (uint32_t)(d >> 63);
  }
}

static U256 add_mod(const U256* a, const U256* b) {
  U256 r;
  uint32_t carry = 0;
  for (int i = 0; i < kLimbs; ++i) {
    const uint64_t s = (uint64_t)a->limb[i] + b->limb[i] + carry;
    r.limb[i] = (uint32_t)s;
    carry = (uint32_t)(s >> 32);
  }
  if (at_least_modulus(r.limb, carry)) subtract_modulus(r.limb);
  return r;
}

static U256 mont_mul(const U256* a, const U256* b) {
  uint32_t t[kLimbs + 2] = {0};
  for (int i = 0; i < kLimbs; ++i) {
    uint64_t carry = 0;
    for (int j = 0; j < kLimbs; ++j) {
      const uint64_t s = (uint64_t)a->limb[j] * b->limb[i] + t[j] + carry;
      t[j] = (uint32_t)s;
      carry = s >> 32;
    }
    uint64_t s = (uint64_t)t[kLimbs] + carry;
    t[kLimbs] = (uint32_t)s;
    t[kLimbs + 1] = (uint32_t)(s >> 32);

    const uint32_t m = t[0] * modulus_inverse;
    carry = ((uint64_t)m * kModulus.limb[0] + t[0]) >> 32;
    for (int j = 1; j < kLimbs; ++j) {
      s = (uint64_t)m * kModulus.limb[j] + t[j] + carry;
      t[j - 1] = (uint32_t)s;
      carry = s >> 32;
    }
    s = (uint64_t)t[kLimbs] + carry;
    t[kLimbs - 1] = (uint32_t)s;
    t[kLimbs] = t[kLimbs + 1] + (uint32_t)(s >> 32);
  }
  if (at_least_modulus(t, t[kLimbs])) subtract_modulus(t);
  U256 r;
  memcpy(r.limb, t, sizeof(r.limb));
  return r;
}

static U256 small(uint32_t v) {
  U256 r = {{v}};
  return r;
}

// 2^bits mod p, by doubling: slow but independent of mont_mul, so it can check it.
static U256 power_of_two(int bits) {
  U256 r = small(1);
  for (int i = 0; i < bits; ++i) r = add_mod(&r, &r);
  return r;
}

int main(void) {
  modulus_inverse = negated_inverse(kModulus.limb[0]);
  const U256 r_squared = power_of_two(512);
  const U256 one = small(1);

  // Known answers: 3 * 5 = 15, and (p - 1)^2 = 1.
  const U256 three = small(3), five = small(5);
  U256 p_minus_one = kModulus;
  p_minus_one.limb[0] -= 1;
  U256 a = mont_mul(&three, &r_squared), b = mont_mul(&five, &r_squared);
  U256 product = mont_mul(&a, &b);
  product = mont_mul(&product, &one);
  a = mont_mul(&p_minus_one, &r_squared);
  U256 square = mont_mul(&a, &a);
  square = mont_mul(&square, &one);
  if (memcmp(&product, &(U256){{15}}, sizeof(U256)) != 0 || memcmp(&square, &one, sizeof(U256)) != 0) {
    printf("u256_mont: known-answer test failed\n");
    return 1;
  }

  uint64_t seed = 4;
  U256 x, y;
  for (int i = 0; i < kLimbs; ++i) {
    x.limb[i] = bench_next32(&seed);
    y.limb[i] = bench_next32(&seed);
  }
  x.limb[kLimbs - 1] &= 0x0fffffff;  // below p
  y.limb[kLimbs - 1] &= 0x0fffffff;
  for (int i = 0; i < kIterations; ++i) {
    x = mont_mul(&x, &y);
    y = add_mod(&y, &x);
  }
  x = mont_mul(&x, &one);
  uint64_t checksum = 0;
  for (int i = 0; i < kLimbs; ++i) checksum = bench_mix(checksum, x.limb[i] ^ (uint64_t)y.limb[i] << 32);
  bench_print_checksum(checksum);
  return 0;
}
