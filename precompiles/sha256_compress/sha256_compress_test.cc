#include "precompiles/sha256_compress/sha256_compress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <random>
#include <string>
#include <vector>

#include "precompiles/testdata/test_memory.h"

extern "C" int zkrv_precompile_eval(zkrv_precompile_call* call);

namespace zkrv::precompiles {
namespace {

std::vector<uint8_t> sha256_padded(const std::vector<uint8_t>& message) {
  std::vector<uint8_t> padded = message;
  padded.push_back(0x80);
  while (padded.size() % 64 != 56) padded.push_back(0);
  const uint64_t bits = uint64_t{message.size()} * 8;
  for (int i = 7; i >= 0; --i) padded.push_back(static_cast<uint8_t>(bits >> (8 * i)));
  return padded;
}

std::array<uint8_t, 32> digest_of(const Sha256State& state) {
  std::array<uint8_t, 32> digest;
  for (int i = 0; i < 8; ++i) {
    for (int b = 0; b < 4; ++b) digest[4 * i + b] = static_cast<uint8_t>(state[i] >> (24 - 8 * b));
  }
  return digest;
}

std::array<uint8_t, 32> sha256_by_compression(const std::vector<uint8_t>& message) {
  Sha256State state = kSha256InitialState;
  const std::vector<uint8_t> padded = sha256_padded(message);
  for (size_t offset = 0; offset < padded.size(); offset += 64) {
    std::array<uint8_t, 64> block;
    std::copy_n(padded.begin() + static_cast<std::ptrdiff_t>(offset), 64, block.begin());
    sha256_compress(state, block);
  }
  return digest_of(state);
}

TEST(Sha256Compress, FullHashesMatchOpenSsl) {
  std::mt19937 random(7);
  for (size_t size : {0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 1000, 65536}) {
    std::vector<uint8_t> message(size);
    for (auto& b : message) b = static_cast<uint8_t>(random());
    std::array<uint8_t, 32> expected;
    SHA256(message.data(), message.size(), expected.data());
    EXPECT_EQ(sha256_by_compression(message), expected) << size;
  }
}

TEST(Sha256Compress, PrecompileUpdatesGuestStateInPlace) {
  testing::TestMemory memory(0x8000, 0x200);
  const uint32_t state_address = 0x8010, block_address = 0x8101;  // the block need not be aligned
  Sha256State expected = kSha256InitialState;
  for (int i = 0; i < 8; ++i) {
    for (int b = 0; b < 4; ++b) memory.at(state_address + 4 * i + b)[0] = static_cast<uint8_t>(expected[i] >> (8 * b));
  }
  std::array<uint8_t, 64> block;
  for (int i = 0; i < 64; ++i) block[i] = memory.at(block_address + i)[0] = static_cast<uint8_t>(i * 7 + 1);
  sha256_compress(expected, block);
  zkrv_precompile_call call;
  ASSERT_EQ(memory.eval(zkrv_precompile_eval, state_address, block_address, &call), ZKRV_PRECOMPILE_OK) << call.error;
  EXPECT_EQ(call.rd, 0u);
  for (int i = 0; i < 8; ++i) {
    uint32_t word = 0;
    for (int b = 0; b < 4; ++b) word |= uint32_t{memory.at(state_address + 4 * i + b)[0]} << (8 * b);
    EXPECT_EQ(word, expected[i]) << "word " << i;
  }
  for (int i = 0; i < 64; ++i) EXPECT_EQ(memory.at(block_address + i)[0], block[i]);  // the block is read only
}

TEST(Sha256Compress, PrecompileBlockOutsideMemoryIsBadMemory) {
  testing::TestMemory memory(0x8000, 0x200);
  zkrv_precompile_call call;
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x8000, 0x81c1, &call), ZKRV_PRECOMPILE_BAD_MEMORY);
  EXPECT_STREQ(call.error, "read of 64 bytes at guest address 0x000081c1 refused by the VM");
  EXPECT_EQ(memory.writes, 0);  // nothing is written when an operand is bad
}

// Overlapping buffers fault before any access, naming both (the circuit could not prove them);
// buffers that touch without sharing a byte are fine.
TEST(Sha256Compress, PrecompileOverlappingBuffersFault) {
  testing::TestMemory memory(0x8000, 0x200);
  for (const auto& [state, block] : std::vector<std::pair<uint32_t, uint32_t>>{
           {0x8000, 0x8000}, {0x8000, 0x801f}, {0x8040, 0x8001}, {0x803f, 0x8000}, {0xfffffff0, 0x0}}) {
    zkrv_precompile_call call;
    EXPECT_EQ(memory.eval(zkrv_precompile_eval, state, block, &call), ZKRV_PRECOMPILE_FAULT) << state << " " << block;
    EXPECT_THAT(call.error, ::testing::HasSubstr("and the block (64 bytes at"));
    EXPECT_THAT(call.error, ::testing::HasSubstr(") overlap"));
  }
  zkrv_precompile_call call;
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x8000, 0x8000 - 64, &call), ZKRV_PRECOMPILE_BAD_MEMORY);  // below memory
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x8000, 0x8020, &call), ZKRV_PRECOMPILE_OK) << call.error;
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x8040, 0x8000, &call), ZKRV_PRECOMPILE_OK) << call.error;
  EXPECT_EQ(memory.writes, 2);
}

}  // namespace
}  // namespace zkrv::precompiles
