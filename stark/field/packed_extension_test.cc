#include "stark/field/packed_extension.h"

#include <gtest/gtest.h>

#include <random>

namespace zkrv::stark {
namespace {

KoalaBear4 random_ext(std::mt19937_64& rng) {
  return KoalaBear4({KoalaBear::from_u64(rng()), KoalaBear::from_u64(rng()), KoalaBear::from_u64(rng()),
                     KoalaBear::from_u64(rng())});
}

PackedKoalaBear4 pack(const std::array<KoalaBear4, 16>& values) {
  std::array<PackedKoalaBear, 4> coordinates;
  for (size_t d = 0; d < 4; ++d) {
    KoalaBear lanes[16];
    for (size_t i = 0; i < 16; ++i) lanes[i] = values[i][d];
    coordinates[d] = PackedKoalaBear::load(lanes);
  }
  return PackedKoalaBear4(coordinates);
}

TEST(PackedKoalaBear4Test, AgreesWithScalarExtensionLaneByLane) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    std::array<KoalaBear4, 16> a, b;
    KoalaBear base[16];
    for (size_t i = 0; i < 16; ++i) {
      a[i] = random_ext(rng);
      b[i] = random_ext(rng);
      base[i] = KoalaBear::from_u64(rng());
    }
    const PackedKoalaBear4 pa = pack(a), pb = pack(b);
    const PackedKoalaBear packed_base = PackedKoalaBear::load(base);
    const KoalaBear4 scalar = random_ext(rng);
    for (size_t i = 0; i < 16; ++i) {
      EXPECT_EQ((pa * pb).lane(i), a[i] * b[i]);
      EXPECT_EQ((pa + pb).lane(i), a[i] + b[i]);
      EXPECT_EQ((pa - pb).lane(i), a[i] - b[i]);
      EXPECT_EQ((-pa).lane(i), -a[i]);
      EXPECT_EQ((pa * packed_base).lane(i), a[i] * base[i]);
      EXPECT_EQ((pa * PackedKoalaBear4::broadcast(scalar)).lane(i), a[i] * scalar);
      EXPECT_EQ(PackedKoalaBear4(packed_base).lane(i), KoalaBear4(base[i]));
    }
  }
}

}  // namespace
}  // namespace zkrv::stark
