#include "stark/field/koalabear.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace zkrv::stark {
namespace {

using U128 = unsigned __int128;
constexpr uint64_t kP = KoalaBear::kModulus;

uint64_t reference_pow(uint64_t base, uint64_t exponent) {
  U128 result = 1, b = base % kP;
  while (exponent) {
    if (exponent & 1) result = result * b % kP;
    b = b * b % kP;
    exponent >>= 1;
  }
  return static_cast<uint64_t>(result);
}

std::vector<uint32_t> test_values() {
  std::vector<uint32_t> values = {0,           1,           2,
                                  3,           kP - 2,      kP - 1,
                                  kP,          kP + 1,      (1u << 31) - 1,
                                  1u << 31,    (1u << 24),  (1u << 24) + 1,
                                  0xffffffffu, 0xfffffffeu, 0x80000001u};
  std::mt19937_64 rng(1234);
  for (int i = 0; i < 2000; ++i) values.push_back(static_cast<uint32_t>(rng()));
  return values;
}

TEST(KoalaBear, Constants) {
  EXPECT_EQ(KoalaBear::kModulus, (1u << 31) - (1u << 24) + 1);
  EXPECT_EQ(KoalaBear::one().to_u32(), 1u);
  EXPECT_EQ(KoalaBear::zero().to_u32(), 0u);
  EXPECT_EQ((kP - 1) % (uint64_t{1} << KoalaBear::kTwoAdicity), 0u);
  EXPECT_NE(((kP - 1) >> KoalaBear::kTwoAdicity) % 2, 0u);
}

TEST(KoalaBear, FromU32ReducesModP) {
  for (uint32_t v : test_values()) {
    EXPECT_EQ(KoalaBear::from_u32(v).to_u32(), v % kP) << v;
  }
  EXPECT_EQ(KoalaBear::from_u64(0xffffffffffffffffull).to_u32(), 0xffffffffffffffffull % kP);
}

TEST(KoalaBear, FromCanonicalRejectsNonCanonical) {
  EXPECT_EQ(KoalaBear::from_canonical(0)->to_u32(), 0u);
  EXPECT_EQ(KoalaBear::from_canonical(kP - 1)->to_u32(), kP - 1);
  EXPECT_FALSE(KoalaBear::from_canonical(kP).has_value());
  EXPECT_FALSE(KoalaBear::from_canonical(kP + 5).has_value());
  EXPECT_FALSE(KoalaBear::from_canonical(0xffffffffu).has_value());
}

TEST(KoalaBear, ArithmeticMatches128BitReference) {
  std::vector<uint32_t> values = test_values();
  std::mt19937_64 rng(99);
  for (size_t i = 0; i < values.size(); ++i) {
    for (int k = 0; k < 8; ++k) {
      uint32_t x = values[i];
      uint32_t y = k < 4 ? values[(i * 7 + k) % 15] : values[rng() % values.size()];
      KoalaBear a = KoalaBear::from_u32(x), b = KoalaBear::from_u32(y);
      uint64_t xr = x % kP, yr = y % kP;
      ASSERT_EQ((a + b).to_u32(), (xr + yr) % kP) << x << " + " << y;
      ASSERT_EQ((a - b).to_u32(), (xr + kP - yr) % kP) << x << " - " << y;
      ASSERT_EQ((a * b).to_u32(), static_cast<uint64_t>(U128{xr} * yr % kP)) << x << " * " << y;
      ASSERT_EQ((-a).to_u32(), (kP - xr) % kP) << x;
    }
  }
}

TEST(KoalaBear, PowMatchesReference) {
  std::mt19937_64 rng(7);
  for (uint32_t v : test_values()) {
    uint64_t e = rng() >> (rng() % 64);
    ASSERT_EQ(KoalaBear::from_u32(v).pow(e).to_u32(), reference_pow(v, e)) << v << "^" << e;
  }
  EXPECT_EQ(KoalaBear::zero().pow(0), KoalaBear::one());
}

TEST(KoalaBear, InverseOfEveryTestValue) {
  for (uint32_t v : test_values()) {
    if (v % kP == 0) continue;
    KoalaBear a = KoalaBear::from_u32(v);
    KoalaBear inv = a.inverse();
    ASSERT_EQ(a * inv, KoalaBear::one()) << v;
    ASSERT_EQ(inv.to_u32(), reference_pow(v, kP - 2)) << v;
  }
}

TEST(KoalaBear, InverseOfZeroThrows) {
  EXPECT_THROW(KoalaBear::zero().inverse(), std::domain_error);
  EXPECT_THROW(KoalaBear::from_u32(kP).inverse(), std::domain_error);
}

TEST(KoalaBear, GeneratorHasFullOrder) {
  KoalaBear g = KoalaBear::from_u32(KoalaBear::kGenerator);
  EXPECT_EQ(g.pow(kP - 1), KoalaBear::one());
  for (uint64_t prime : {2u, 127u}) EXPECT_NE(g.pow((kP - 1) / prime), KoalaBear::one()) << prime;
}

TEST(KoalaBear, TwoAdicGeneratorsHaveExactOrder) {
  for (int k = 0; k <= KoalaBear::kTwoAdicity; ++k) {
    KoalaBear w = KoalaBear::two_adic_generator(k);
    EXPECT_EQ(w.pow(uint64_t{1} << k), KoalaBear::one()) << k;
    if (k > 0) {
      EXPECT_NE(w.pow(uint64_t{1} << (k - 1)), KoalaBear::one()) << k;
      EXPECT_EQ(w.square(), KoalaBear::two_adic_generator(k - 1)) << k;
    }
  }
  EXPECT_EQ(KoalaBear::two_adic_generator(1).to_u32(), kP - 1);
  EXPECT_THROW(KoalaBear::two_adic_generator(25), std::out_of_range);
  EXPECT_THROW(KoalaBear::two_adic_generator(-1), std::out_of_range);
}

TEST(KoalaBear, SumOfProductsMatchesSeparateProducts) {
  // Largest raw Montgomery values maximise the unreduced sum.
  const KoalaBear max_raw = KoalaBear::from_montgomery(KoalaBear::kModulus - 1);
  KoalaBear a[4] = {max_raw, max_raw, max_raw, max_raw};
  KoalaBear b[4] = {max_raw, max_raw, max_raw, max_raw};
  EXPECT_EQ(KoalaBear::sum_of_products(a, b), a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3]);
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 1000; ++trial) {
    KoalaBear x[3], y[3];
    for (int i = 0; i < 3; ++i) {
      x[i] = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
      y[i] = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
    }
    ASSERT_EQ(KoalaBear::sum_of_products(x, y), x[0] * y[0] + x[1] * y[1] + x[2] * y[2]);
  }
}

TEST(KoalaBear, ConstexprEvaluation) {
  constexpr KoalaBear kA = KoalaBear::from_u32(5) * KoalaBear::from_u32(7) + KoalaBear::one();
  static_assert(kA.to_u32() == 36);
  EXPECT_EQ(kA.to_u32(), 36u);
}

}  // namespace
}  // namespace zkrv::stark
