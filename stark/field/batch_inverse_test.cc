#include "stark/field/batch_inverse.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "stark/field/extension_field.h"
#include "stark/field/koalabear.h"

namespace zkrv::stark {
namespace {

TEST(BatchInverse, MatchesIndividualInverses) {
  std::mt19937_64 rng(11);
  for (size_t n : {1u, 2u, 3u, 17u, 1000u}) {
    std::vector<KoalaBear> values(n);
    for (auto& v : values)
      v = KoalaBear::FromU32(static_cast<uint32_t>(rng() % (KoalaBear::kModulus - 1)) + 1);
    std::vector<KoalaBear> inverses = values;
    BatchInverse(std::span<KoalaBear>(inverses));
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(inverses[i], values[i].Inverse()) << n << ":" << i;
  }
}

TEST(BatchInverse, ExtensionField) {
  std::mt19937_64 rng(12);
  std::vector<KoalaBear4> values(50);
  for (auto& v : values) {
    KoalaBear4::Coefficients c;
    for (auto& x : c) x = KoalaBear::FromU32(static_cast<uint32_t>(rng()));
    v = KoalaBear4(c);
  }
  std::vector<KoalaBear4> inverses = values;
  BatchInverse(std::span<KoalaBear4>(inverses));
  for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(values[i] * inverses[i], KoalaBear4::One());
}

TEST(BatchInverse, ZeroIsRejectedWithItsIndexAndInputUnchanged) {
  std::vector<KoalaBear> values = {KoalaBear::FromU32(5), KoalaBear::FromU32(6), KoalaBear::Zero(),
                                   KoalaBear::FromU32(7)};
  std::vector<KoalaBear> copy = values;
  try {
    BatchInverse(std::span<KoalaBear>(values));
    FAIL() << "expected std::domain_error";
  } catch (const std::domain_error& e) {
    EXPECT_NE(std::string(e.what()).find("element 2"), std::string::npos) << e.what();
  }
  EXPECT_EQ(values, copy);
}

TEST(BatchInverse, EmptyIsANoOp) {
  std::vector<KoalaBear> values;
  BatchInverse(std::span<KoalaBear>(values));
  EXPECT_TRUE(values.empty());
}

}  // namespace
}  // namespace zkrv::stark
