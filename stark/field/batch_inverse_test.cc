#include "stark/field/batch_inverse.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "stark/field/extension_field.h"
#include "stark/field/koalabear.h"

namespace zkrv::stark {
namespace {

TEST(batch_inverse, MatchesIndividualInverses) {
  std::mt19937_64 rng(11);
  for (size_t n : {1u, 2u, 3u, 17u, 1000u}) {
    std::vector<KoalaBear> values(n);
    for (auto& v : values)
      v = KoalaBear::from_u32(static_cast<uint32_t>(rng() % (KoalaBear::kModulus - 1)) + 1);
    std::vector<KoalaBear> inverses = values;
    batch_inverse(std::span<KoalaBear>(inverses));
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(inverses[i], values[i].inverse()) << n << ":" << i;
  }
}

TEST(batch_inverse, ExtensionField) {
  std::mt19937_64 rng(12);
  std::vector<KoalaBear4> values(50);
  for (auto& v : values) {
    KoalaBear4::Coefficients c;
    for (auto& x : c) x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
    v = KoalaBear4(c);
  }
  std::vector<KoalaBear4> inverses = values;
  batch_inverse(std::span<KoalaBear4>(inverses));
  for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(values[i] * inverses[i], KoalaBear4::one());
}

TEST(batch_inverse, ZeroIsRejectedWithItsIndexAndInputUnchanged) {
  std::vector<KoalaBear> values = {KoalaBear::from_u32(5), KoalaBear::from_u32(6), KoalaBear::zero(),
                                   KoalaBear::from_u32(7)};
  std::vector<KoalaBear> copy = values;
  try {
    batch_inverse(std::span<KoalaBear>(values));
    FAIL() << "expected std::domain_error";
  } catch (const std::domain_error& e) {
    EXPECT_NE(std::string(e.what()).find("element 2"), std::string::npos) << e.what();
  }
  EXPECT_EQ(values, copy);
}

TEST(batch_inverse, EmptyIsANoOp) {
  std::vector<KoalaBear> values;
  batch_inverse(std::span<KoalaBear>(values));
  EXPECT_TRUE(values.empty());
}

}  // namespace
}  // namespace zkrv::stark
