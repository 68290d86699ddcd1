#include "precompiles/keccak_f1600/keccak_f1600.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>
#include <string>
#include <vector>

#include "precompiles/package/digest.h"
#include "precompiles/testdata/test_memory.h"

extern "C" int zkrv_precompile_eval(zkrv_precompile_call* call);

namespace zkrv::precompiles {
namespace {

// A sponge over the permutation: SHA3 (domain bits 0x06), SHAKE (0x1f) or original Keccak (0x01).
std::vector<uint8_t> sponge(const std::vector<uint8_t>& message, size_t rate, uint8_t domain, size_t output_size) {
  KeccakState state{};
  std::vector<uint8_t> padded = message;
  padded.push_back(domain);
  while (padded.size() % rate) padded.push_back(0);
  padded.back() |= 0x80;
  for (size_t block = 0; block < padded.size(); block += rate) {
    for (size_t i = 0; i < rate; ++i) state[i / 8] ^= uint64_t{padded[block + i]} << (8 * (i % 8));
    keccak_f1600(state);
  }
  std::vector<uint8_t> out;
  while (true) {
    for (size_t i = 0; i < rate && out.size() < output_size; ++i) out.push_back(static_cast<uint8_t>(state[i / 8] >> (8 * (i % 8))));
    if (out.size() == output_size) return out;
    keccak_f1600(state);
  }
}

std::vector<uint8_t> openssl_digest(const EVP_MD* md, const std::vector<uint8_t>& message, size_t output_size) {
  std::vector<uint8_t> out(output_size);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EXPECT_EQ(EVP_DigestInit_ex(ctx, md, nullptr), 1);
  EXPECT_EQ(EVP_DigestUpdate(ctx, message.data(), message.size()), 1);
  if (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) {
    EXPECT_EQ(EVP_DigestFinalXOF(ctx, out.data(), out.size()), 1);
  } else {
    unsigned int size = 0;
    EXPECT_EQ(EVP_DigestFinal_ex(ctx, out.data(), &size), 1);
    EXPECT_EQ(size, output_size);
  }
  EVP_MD_CTX_free(ctx);
  return out;
}

std::vector<uint8_t> random_message(size_t size, uint32_t seed) {
  std::mt19937 random(seed);
  std::vector<uint8_t> message(size);
  for (auto& b : message) b = static_cast<uint8_t>(random());
  return message;
}

TEST(KeccakF1600, Sha3AndShakeMatchOpenSsl) {
  // Lengths around the rate boundaries (136 for SHA3-256, 168 for SHAKE128) and several blocks.
  for (size_t size : {0, 1, 3, 135, 136, 137, 167, 168, 169, 271, 272, 1000, 4096}) {
    const auto message = random_message(size, static_cast<uint32_t>(size));
    EXPECT_EQ(sponge(message, 136, 0x06, 32), openssl_digest(EVP_sha3_256(), message, 32)) << size;
    EXPECT_EQ(sponge(message, 72, 0x06, 64), openssl_digest(EVP_sha3_512(), message, 64)) << size;
    EXPECT_EQ(sponge(message, 168, 0x1f, 400), openssl_digest(EVP_shake128(), message, 400)) << size;
  }
}

TEST(KeccakF1600, Keccak256KnownAnswers) {
  // Ethereum's Keccak-256 (OpenSSL 3.0 has no Keccak-256; these are the widely published values).
  EXPECT_EQ(to_hex(sponge({}, 136, 0x01, 32)), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(to_hex(sponge({'a', 'b', 'c'}, 136, 0x01, 32)),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST(KeccakF1600, PrecompilePermutesGuestStateInPlace) {
  testing::TestMemory memory(0x2000, 0x400);
  KeccakState expected;
  for (int i = 0; i < 25; ++i) {
    expected[i] = 0x0123456789abcdefull * static_cast<uint64_t>(i + 1);
    for (int b = 0; b < 8; ++b) memory.at(0x2100 + 8 * i + b)[0] = static_cast<uint8_t>(expected[i] >> (8 * b));
  }
  keccak_f1600(expected);
  zkrv_precompile_call call;
  ASSERT_EQ(memory.eval(zkrv_precompile_eval, 0x2100, 0xdead, &call), ZKRV_PRECOMPILE_OK) << call.error;
  EXPECT_EQ(call.rd, 0u);
  for (int i = 0; i < 25; ++i) {
    uint64_t lane = 0;
    for (int b = 0; b < 8; ++b) lane |= uint64_t{memory.at(0x2100 + 8 * i + b)[0]} << (8 * b);
    EXPECT_EQ(lane, expected[i]) << "lane " << i;
  }
  EXPECT_EQ(memory.reads, 1);
  EXPECT_EQ(memory.writes, 1);
}

TEST(KeccakF1600, PrecompileStateOutsideMemoryIsBadMemory) {
  testing::TestMemory memory(0x2000, 0x400);
  zkrv_precompile_call call;
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x2400 - 199, 0, &call), ZKRV_PRECOMPILE_BAD_MEMORY);
  EXPECT_STREQ(call.error, "read of 200 bytes at guest address 0x00002339 refused by the VM");
}

}  // namespace
}  // namespace zkrv::precompiles
