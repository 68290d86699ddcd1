#include "stark/field/koalabear.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace zkrv::stark {
namespace {

using u128 = unsigned __int128;
constexpr uint64_t kP = KoalaBear::kModulus;

uint64_t ReferencePow(uint64_t base, uint64_t exponent) {
  u128 result = 1, b = base % kP;
  while (exponent) {
    if (exponent & 1) result = result * b % kP;
    b = b * b % kP;
    exponent >>= 1;
  }
  return static_cast<uint64_t>(result);
}

std::vector<uint32_t> TestValues() {
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
  EXPECT_EQ(KoalaBear::One().ToU32(), 1u);
  EXPECT_EQ(KoalaBear::Zero().ToU32(), 0u);
  EXPECT_EQ((kP - 1) % (uint64_t{1} << KoalaBear::kTwoAdicity), 0u);
  EXPECT_NE(((kP - 1) >> KoalaBear::kTwoAdicity) % 2, 0u);
}

TEST(KoalaBear, FromU32ReducesModP) {
  for (uint32_t v : TestValues()) {
    EXPECT_EQ(KoalaBear::FromU32(v).ToU32(), v % kP) << v;
  }
  EXPECT_EQ(KoalaBear::FromU64(0xffffffffffffffffull).ToU32(), 0xffffffffffffffffull % kP);
}

TEST(KoalaBear, FromCanonicalRejectsNonCanonical) {
  EXPECT_EQ(KoalaBear::FromCanonical(0)->ToU32(), 0u);
  EXPECT_EQ(KoalaBear::FromCanonical(kP - 1)->ToU32(), kP - 1);
  EXPECT_FALSE(KoalaBear::FromCanonical(kP).has_value());
  EXPECT_FALSE(KoalaBear::FromCanonical(kP + 5).has_value());
  EXPECT_FALSE(KoalaBear::FromCanonical(0xffffffffu).has_value());
}

TEST(KoalaBear, ArithmeticMatches128BitReference) {
  std::vector<uint32_t> values = TestValues();
  std::mt19937_64 rng(99);
  for (size_t i = 0; i < values.size(); ++i) {
    for (int k = 0; k < 8; ++k) {
      uint32_t x = values[i];
      uint32_t y = k < 4 ? values[(i * 7 + k) % 15] : values[rng() % values.size()];
      KoalaBear a = KoalaBear::FromU32(x), b = KoalaBear::FromU32(y);
      uint64_t xr = x % kP, yr = y % kP;
      ASSERT_EQ((a + b).ToU32(), (xr + yr) % kP) << x << " + " << y;
      ASSERT_EQ((a - b).ToU32(), (xr + kP - yr) % kP) << x << " - " << y;
      ASSERT_EQ((a * b).ToU32(), static_cast<uint64_t>(u128{xr} * yr % kP)) << x << " * " << y;
      ASSERT_EQ((-a).ToU32(), (kP - xr) % kP) << x;
    }
  }
}

TEST(KoalaBear, PowMatchesReference) {
  std::mt19937_64 rng(7);
  for (uint32_t v : TestValues()) {
    uint64_t e = rng() >> (rng() % 64);
    ASSERT_EQ(KoalaBear::FromU32(v).Pow(e).ToU32(), ReferencePow(v, e)) << v << "^" << e;
  }
  EXPECT_EQ(KoalaBear::Zero().Pow(0), KoalaBear::One());
}

TEST(KoalaBear, InverseOfEveryTestValue) {
  for (uint32_t v : TestValues()) {
    if (v % kP == 0) continue;
    KoalaBear a = KoalaBear::FromU32(v);
    KoalaBear inv = a.Inverse();
    ASSERT_EQ(a * inv, KoalaBear::One()) << v;
    ASSERT_EQ(inv.ToU32(), ReferencePow(v, kP - 2)) << v;
  }
}

TEST(KoalaBear, InverseOfZeroThrows) {
  EXPECT_THROW(KoalaBear::Zero().Inverse(), std::domain_error);
  EXPECT_THROW(KoalaBear::FromU32(kP).Inverse(), std::domain_error);
}

TEST(KoalaBear, GeneratorHasFullOrder) {
  KoalaBear g = KoalaBear::FromU32(KoalaBear::kGenerator);
  EXPECT_EQ(g.Pow(kP - 1), KoalaBear::One());
  for (uint64_t prime : {2u, 127u}) EXPECT_NE(g.Pow((kP - 1) / prime), KoalaBear::One()) << prime;
}

TEST(KoalaBear, TwoAdicGeneratorsHaveExactOrder) {
  for (int k = 0; k <= KoalaBear::kTwoAdicity; ++k) {
    KoalaBear w = KoalaBear::TwoAdicGenerator(k);
    EXPECT_EQ(w.Pow(uint64_t{1} << k), KoalaBear::One()) << k;
    if (k > 0) {
      EXPECT_NE(w.Pow(uint64_t{1} << (k - 1)), KoalaBear::One()) << k;
      EXPECT_EQ(w.Square(), KoalaBear::TwoAdicGenerator(k - 1)) << k;
    }
  }
  EXPECT_EQ(KoalaBear::TwoAdicGenerator(1).ToU32(), kP - 1);
  EXPECT_THROW(KoalaBear::TwoAdicGenerator(25), std::out_of_range);
  EXPECT_THROW(KoalaBear::TwoAdicGenerator(-1), std::out_of_range);
}

TEST(KoalaBear, SumOfProductsMatchesSeparateProducts) {
  // Largest raw Montgomery values maximise the unreduced sum.
  const KoalaBear max_raw = KoalaBear::FromMontgomery(KoalaBear::kModulus - 1);
  KoalaBear a[4] = {max_raw, max_raw, max_raw, max_raw};
  KoalaBear b[4] = {max_raw, max_raw, max_raw, max_raw};
  EXPECT_EQ(KoalaBear::SumOfProducts(a, b), a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3]);
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 1000; ++trial) {
    KoalaBear x[3], y[3];
    for (int i = 0; i < 3; ++i) {
      x[i] = KoalaBear::FromU32(static_cast<uint32_t>(rng()));
      y[i] = KoalaBear::FromU32(static_cast<uint32_t>(rng()));
    }
    ASSERT_EQ(KoalaBear::SumOfProducts(x, y), x[0] * y[0] + x[1] * y[1] + x[2] * y[2]);
  }
}

TEST(KoalaBear, ConstexprEvaluation) {
  constexpr KoalaBear a = KoalaBear::FromU32(5) * KoalaBear::FromU32(7) + KoalaBear::One();
  static_assert(a.ToU32() == 36);
  EXPECT_EQ(a.ToU32(), 36u);
}

}  // namespace
}  // namespace zkrv::stark
