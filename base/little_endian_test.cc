#include "base/little_endian.h"

#include <gtest/gtest.h>

#include <array>

namespace zkrv::base {
namespace {

TEST(LittleEndian, LoadsLowByteFirstAtAnyAlignment) {
  const std::array<uint8_t, 9> bytes = {0xee, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88};
  EXPECT_EQ(load_le16(bytes.data() + 1), 0x0201u);
  EXPECT_EQ(load_le32(bytes.data() + 1), 0x04030201u);
  EXPECT_EQ(load_le64(bytes.data() + 1), 0x8807060504030201ull);
  EXPECT_EQ(load_le<uint8_t>(bytes.data()), 0xeeu);
}

TEST(LittleEndian, StoreIsTheInverseOfLoad) {
  std::array<uint8_t, 8> bytes{};
  store_le<uint32_t>(bytes.data() + 1, 0xa1b2c3d4u);
  EXPECT_EQ(bytes[1], 0xd4);
  EXPECT_EQ(bytes[4], 0xa1);
  EXPECT_EQ(bytes[0], 0);
  EXPECT_EQ(bytes[5], 0);
  EXPECT_EQ(load_le32(bytes.data() + 1), 0xa1b2c3d4u);
  store_le<uint64_t>(bytes.data(), 0x0102030405060708ull);
  EXPECT_EQ(load_le64(bytes.data()), 0x0102030405060708ull);
}

}  // namespace
}  // namespace zkrv::base
