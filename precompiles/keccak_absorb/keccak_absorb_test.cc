#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "precompiles/keccak_f1600/keccak_f1600.h"
#include "precompiles/testdata/test_memory.h"

extern "C" int zkrv_precompile_eval(zkrv_precompile_call* call);

namespace zkrv::precompiles {
namespace {

constexpr uint32_t kBase = 0x2000;

void put_lanes(testing::TestMemory& memory, uint32_t address, const uint64_t* lanes, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    for (int b = 0; b < 8; ++b) memory.at(address + 8 * static_cast<uint32_t>(i) + b)[0] = static_cast<uint8_t>(lanes[i] >> (8 * b));
  }
}

KeccakState get_state(testing::TestMemory& memory, uint32_t address) {
  KeccakState lanes{};
  for (size_t i = 0; i < lanes.size(); ++i) {
    for (int b = 0; b < 8; ++b) lanes[i] |= uint64_t{memory.at(address + 8 * static_cast<uint32_t>(i) + b)[0]} << (8 * b);
  }
  return lanes;
}

TEST(KeccakAbsorb, XorsTheBlockIntoTheRateThenPermutes) {
  testing::TestMemory memory(kBase, 0x400);
  std::mt19937_64 random(7);
  KeccakState state;
  for (auto& lane : state) lane = random();
  uint64_t block[17];
  for (auto& lane : block) lane = random();
  put_lanes(memory, 0x2100, state.data(), 25);
  put_lanes(memory, 0x2300, block, 17);
  KeccakState expected = state;
  for (size_t i = 0; i < 17; ++i) expected[i] ^= block[i];
  keccak_f1600(expected);
  zkrv_precompile_call call;
  ASSERT_EQ(memory.eval(zkrv_precompile_eval, 0x2100, 0x2300, &call), ZKRV_PRECOMPILE_OK) << call.error;
  EXPECT_EQ(call.rd, 0u);
  EXPECT_EQ(get_state(memory, 0x2100), expected);
  for (size_t i = 0; i < 17; ++i) EXPECT_EQ(get_state(memory, 0x2300)[i], block[i]) << "the block is left as it was";
  EXPECT_EQ(memory.reads, 2);
  EXPECT_EQ(memory.writes, 1);
}

TEST(KeccakAbsorb, Keccak256OfAbcThroughOneAbsorb) {
  // Ethereum's Keccak-256("abc"): one padded block (domain byte 0x01, final bit 0x80).
  testing::TestMemory memory(kBase, 0x400);
  uint8_t* block = memory.at(0x2300);
  std::memcpy(block, "abc", 3);
  block[3] = 0x01;
  block[135] |= 0x80;
  zkrv_precompile_call call;
  ASSERT_EQ(memory.eval(zkrv_precompile_eval, 0x2000, 0x2300, &call), ZKRV_PRECOMPILE_OK) << call.error;
  const std::vector<uint8_t> digest(memory.at(0x2000), memory.at(0x2000) + 32);
  const std::vector<uint8_t> expected = {0x4e, 0x03, 0x65, 0x7a, 0xea, 0x45, 0xa9, 0x4f, 0xc7, 0xd4, 0x7b,
                                         0xa8, 0x26, 0xc8, 0xd6, 0x67, 0xc0, 0xd1, 0xe6, 0xe3, 0x3a, 0x64,
                                         0xa0, 0x36, 0xec, 0x44, 0xf5, 0x8f, 0xa1, 0x2d, 0x6c, 0x45};
  EXPECT_EQ(digest, expected);
}

TEST(KeccakAbsorb, OverlappingBuffersFaultNamingBoth) {
  testing::TestMemory memory(kBase, 0x400);
  zkrv_precompile_call call;
  // The block's last byte on the state's first, the state's last byte on the block's first, and
  // the same address: each overlaps; touching buffers do not.
  for (const auto& [state, block] : {std::pair{0x2100u, 0x2100u - 135}, std::pair{0x2100u, 0x2100u + 199},
                                     std::pair{0x2100u, 0x2100u}, std::pair{0x2100u, 0x2140u}}) {
    EXPECT_EQ(memory.eval(zkrv_precompile_eval, state, block, &call), ZKRV_PRECOMPILE_FAULT) << std::hex << block;
    EXPECT_NE(std::string(call.error).find("overlap"), std::string::npos) << call.error;
  }
  EXPECT_EQ(memory.writes, 0);
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x2100, 0x2100 - 136, &call), ZKRV_PRECOMPILE_OK) << call.error;
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x2100, 0x2100 + 200, &call), ZKRV_PRECOMPILE_OK) << call.error;
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x2100, 0x2100, &call), ZKRV_PRECOMPILE_FAULT);
  EXPECT_STREQ(call.error,
               "zkrv.keccak_absorb: the state at 0x00002100 (200 bytes) and the block at 0x00002100 (136 bytes) overlap");
}

TEST(KeccakAbsorb, BlockOutsideMemoryIsBadMemory) {
  testing::TestMemory memory(kBase, 0x400);
  zkrv_precompile_call call;
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x2000, 0x2400 - 135, &call), ZKRV_PRECOMPILE_BAD_MEMORY);
  EXPECT_STREQ(call.error, "read of 136 bytes at guest address 0x00002379 refused by the VM");
  EXPECT_EQ(memory.writes, 0);
}

}  // namespace
}  // namespace zkrv::precompiles
