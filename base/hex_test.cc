#include "base/hex.h"

#include <gtest/gtest.h>

namespace zkrv::base {
namespace {

TEST(Hex, EncodesLowerCaseTwoDigitsPerByte) {
  const std::vector<uint8_t> bytes = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(to_hex(bytes), "000fa5ff");
  EXPECT_EQ(to_hex({}), "");
}

TEST(Hex, DecodesEitherCaseAndRoundTrips) {
  EXPECT_EQ(from_hex("000FA5ff"), (std::vector<uint8_t>{0x00, 0x0f, 0xa5, 0xff}));
  EXPECT_EQ(from_hex(""), std::vector<uint8_t>{});
  std::vector<uint8_t> all(256);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(from_hex(to_hex(all)), all);
}

TEST(Hex, RefusesOddLength) {
  HexError error;
  EXPECT_FALSE(from_hex("abc", &error));
  EXPECT_TRUE(error.odd_length);
}

TEST(Hex, NamesTheFirstBadDigit) {
  HexError error;
  EXPECT_FALSE(from_hex("00g1", &error));
  EXPECT_FALSE(error.odd_length);
  EXPECT_EQ(error.position, 2u);
  EXPECT_EQ(error.character, 'g');
  EXPECT_FALSE(from_hex("0x", &error));
  EXPECT_EQ(error.position, 1u);
  EXPECT_EQ(error.character, 'x');
  EXPECT_FALSE(from_hex("zz"));  // no error out-parameter is fine too
}

}  // namespace
}  // namespace zkrv::base
