#include "stark/field/matrix.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "stark/field/koalabear.h"

namespace zkrv::stark {
namespace {

TEST(Matrix, RowMajorLayout) {
  Matrix<KoalaBear> m(3, 4);
  EXPECT_EQ(m.rows(), 3u);
  EXPECT_EQ(m.width(), 4u);
  m.at(1, 2) = KoalaBear::from_u32(9);
  EXPECT_EQ(m.values()[1 * 4 + 2], KoalaBear::from_u32(9));
  EXPECT_EQ(m.row(1)[2], KoalaBear::from_u32(9));
  EXPECT_EQ(m.row(1).size(), 4u);
  EXPECT_EQ(m.row(2).data(), m.data() + 8);
}

TEST(Matrix, FromValues) {
  std::vector<KoalaBear> values(12, KoalaBear::one());
  Matrix<KoalaBear> m(values, 6);
  EXPECT_EQ(m.rows(), 2u);
  EXPECT_EQ(m.at(1, 5), KoalaBear::one());
}

TEST(Matrix, RejectsBadShapes) {
  EXPECT_THROW(Matrix<KoalaBear>(4, 0), std::invalid_argument);
  try {
    Matrix<KoalaBear>(std::vector<KoalaBear>(10), 4);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("10 values"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace zkrv::stark

namespace zkrv::stark {
namespace {

TEST(Matrix, StorageIsAlignedForSimdAndHugePages) {
  Matrix<KoalaBear> small(3, 5);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(small.data()) % 64, 0u);
  Matrix<KoalaBear> large(1 << 20, 2);  // 8 MiB
  EXPECT_EQ(reinterpret_cast<uintptr_t>(large.data()) % (2u << 20), 0u);
  large.at((1 << 20) - 1, 1) = KoalaBear::one();
  Matrix<KoalaBear> copy = large;
  EXPECT_EQ(copy, large);
  EXPECT_EQ(copy.at(0, 0), KoalaBear::zero());
}

}  // namespace
}  // namespace zkrv::stark
