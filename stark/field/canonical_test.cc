#include "stark/field/canonical.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace zkrv::stark {
namespace {

TEST(Canonical, RoundTripsEveryLengthAndEdgeValue) {
  std::mt19937_64 rng(21);
  for (size_t n : {0u, 1u, 15u, 16u, 17u, 100u}) {
    std::vector<KoalaBear> elements(n);
    for (size_t i = 0; i < n; ++i) {
      uint32_t v = i % 3 == 0 ? KoalaBear::kModulus - 1 - static_cast<uint32_t>(i)
                              : static_cast<uint32_t>(rng() % KoalaBear::kModulus);
      elements[i] = KoalaBear::from_u32(v);
    }
    std::vector<uint32_t> words(n);
    to_canonical_words(elements, words);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(words[i], elements[i].to_u32()) << n << ":" << i;
    std::vector<KoalaBear> decoded(n);
    EXPECT_EQ(from_canonical_words(words, decoded), std::nullopt);
    EXPECT_EQ(decoded, elements);
  }
}

TEST(Canonical, DecodingNamesTheFirstNonCanonicalWord) {
  std::vector<uint32_t> words = {0, 1, KoalaBear::kModulus - 1, KoalaBear::kModulus, 0xffffffffu};
  std::vector<KoalaBear> decoded(words.size());
  EXPECT_EQ(from_canonical_words(words, decoded), std::optional<size_t>(3));
}

TEST(Canonical, SizeMismatchIsAnError) {
  std::vector<KoalaBear> elements(4);
  std::vector<uint32_t> words(5);
  EXPECT_THROW(to_canonical_words(elements, words), std::invalid_argument);
  EXPECT_THROW(from_canonical_words(words, elements), std::invalid_argument);
}

}  // namespace
}  // namespace zkrv::stark
