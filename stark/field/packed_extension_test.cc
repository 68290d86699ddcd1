#include "stark/field/packed_extension.h"

#include <gtest/gtest.h>

#include <random>

namespace zkrv::stark {
namespace {

KoalaBear4 RandomExt(std::mt19937_64& rng) {
  return KoalaBear4({KoalaBear::FromU64(rng()), KoalaBear::FromU64(rng()), KoalaBear::FromU64(rng()),
                     KoalaBear::FromU64(rng())});
}

PackedKoalaBear4 Pack(const std::array<KoalaBear4, 16>& values) {
  std::array<PackedKoalaBear, 4> coordinates;
  for (size_t d = 0; d < 4; ++d) {
    KoalaBear lanes[16];
    for (size_t i = 0; i < 16; ++i) lanes[i] = values[i][d];
    coordinates[d] = PackedKoalaBear::Load(lanes);
  }
  return PackedKoalaBear4(coordinates);
}

TEST(PackedKoalaBear4Test, AgreesWithScalarExtensionLaneByLane) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    std::array<KoalaBear4, 16> a, b;
    KoalaBear base[16];
    for (size_t i = 0; i < 16; ++i) {
      a[i] = RandomExt(rng);
      b[i] = RandomExt(rng);
      base[i] = KoalaBear::FromU64(rng());
    }
    const PackedKoalaBear4 pa = Pack(a), pb = Pack(b);
    const PackedKoalaBear packed_base = PackedKoalaBear::Load(base);
    const KoalaBear4 scalar = RandomExt(rng);
    for (size_t i = 0; i < 16; ++i) {
      EXPECT_EQ((pa * pb).lane(i), a[i] * b[i]);
      EXPECT_EQ((pa + pb).lane(i), a[i] + b[i]);
      EXPECT_EQ((pa - pb).lane(i), a[i] - b[i]);
      EXPECT_EQ((-pa).lane(i), -a[i]);
      EXPECT_EQ((pa * packed_base).lane(i), a[i] * base[i]);
      EXPECT_EQ((pa * PackedKoalaBear4::Broadcast(scalar)).lane(i), a[i] * scalar);
      EXPECT_EQ(PackedKoalaBear4(packed_base).lane(i), KoalaBear4(base[i]));
    }
  }
}

}  // namespace
}  // namespace zkrv::stark
