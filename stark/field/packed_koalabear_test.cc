#include "stark/field/packed_koalabear.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <vector>

namespace zkrv::stark {
namespace {

constexpr uint32_t kP = KoalaBear::kModulus;

template <typename Packed>
class PackedKoalaBearTest : public ::testing::Test {};
#if defined(__AVX512F__)
using PackedTypes = ::testing::Types<PackedKoalaBearScalar, PackedKoalaBearAvx512>;
#else
using PackedTypes = ::testing::Types<PackedKoalaBearScalar>;
#endif
TYPED_TEST_SUITE(PackedKoalaBearTest, PackedTypes);

std::vector<KoalaBear> random_values(uint64_t seed, size_t count) {
  // Edge values first, then random ones.
  std::vector<KoalaBear> v;
  for (uint32_t x : {0u, 1u, 2u, kP - 1, kP - 2, (1u << 31) - 1 - (1u << 24), 1u << 24}) {
    v.push_back(KoalaBear::from_u32(x));
  }
  std::mt19937_64 rng(seed);
  while (v.size() < count) v.push_back(KoalaBear::from_u32(static_cast<uint32_t>(rng())));
  return v;
}

TYPED_TEST(PackedKoalaBearTest, LaneWiseArithmeticMatchesScalar) {
  using Packed = TypeParam;
  constexpr size_t kW = Packed::kWidth;
  std::vector<KoalaBear> a = random_values(1, 64 * kW), b = random_values(2, 64 * kW);
  std::reverse(b.begin(), b.begin() + 7);  // pair edge values with other edge values
  for (size_t block = 0; block < a.size(); block += kW) {
    Packed pa = Packed::load(&a[block]), pb = Packed::load(&b[block]);
    std::array<KoalaBear, kW> sum, diff, prod, neg, twiddled;
    (pa + pb).store(sum.data());
    (pa - pb).store(diff.data());
    (pa * pb).store(prod.data());
    (-pa).store(neg.data());
    Packed::multiply_by_broadcast(pa, Packed::broadcast(b[block])).store(twiddled.data());
    for (size_t i = 0; i < kW; ++i) {
      ASSERT_EQ(sum[i], a[block + i] + b[block + i]) << block + i;
      ASSERT_EQ(diff[i], a[block + i] - b[block + i]) << block + i;
      ASSERT_EQ(prod[i], a[block + i] * b[block + i]) << block + i;
      ASSERT_EQ(neg[i], -a[block + i]) << block + i;
      ASSERT_EQ(twiddled[i], a[block + i] * b[block]) << block + i;
      ASSERT_LT(prod[i].raw(), kP);
    }
  }
}

TYPED_TEST(PackedKoalaBearTest, PartialLoadAndStoreTouchOnlyTheirLanes) {
  using Packed = TypeParam;
  std::vector<KoalaBear> source = random_values(3, Packed::kWidth);
  for (size_t count = 0; count < Packed::kWidth; ++count) {
    Packed p = Packed::load_partial(source.data(), count);
    for (size_t i = 0; i < Packed::kWidth; ++i) {
      EXPECT_EQ(p.lane(i), i < count ? source[i] : KoalaBear::zero()) << count << "," << i;
    }
    std::vector<KoalaBear> destination(Packed::kWidth, KoalaBear::from_u32(77));
    p.store_partial(destination.data(), count);
    for (size_t i = 0; i < Packed::kWidth; ++i) {
      EXPECT_EQ(destination[i], i < count ? source[i] : KoalaBear::from_u32(77))
          << count << "," << i;
    }
  }
}

TEST(PackedKoalaBear, AliasIsAvx512WhenCompiledForIt) {
#if defined(__AVX512F__)
  EXPECT_TRUE(kPackedKoalaBearIsAvx512);
#else
  EXPECT_FALSE(kPackedKoalaBearIsAvx512);
#endif
}

}  // namespace
}  // namespace zkrv::stark
