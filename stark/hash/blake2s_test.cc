#include "stark/hash/blake2s.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace zkrv::stark {
namespace {

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> bytes(n);
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  return bytes;
}

Digest openssl_blake2s(std::span<const uint8_t> data) {
  Digest digest;
  unsigned int length = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_blake2s256(), nullptr), 1);
  EXPECT_EQ(length, kDigestBytes);
  return digest;
}

// Keyed (and optionally personalized) BLAKE2s through OpenSSL's BLAKE2SMAC.
Digest openssl_blake2s_mac(std::span<const uint8_t> key, std::span<const uint8_t> data,
                           std::span<const uint8_t> personal = {}) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "BLAKE2SMAC", nullptr);
  EXPECT_NE(mac, nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  OSSL_PARAM params[2] = {OSSL_PARAM_construct_end(), OSSL_PARAM_construct_end()};
  if (!personal.empty()) {
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_CUSTOM, const_cast<uint8_t*>(personal.data()),
                                                  personal.size());
  }
  EXPECT_EQ(EVP_MAC_init(ctx, key.data(), key.size(), params), 1);
  EXPECT_EQ(EVP_MAC_update(ctx, data.data(), data.size()), 1);
  Digest digest;
  size_t length = 0;
  EXPECT_EQ(EVP_MAC_final(ctx, digest.data(), &length, digest.size()), 1);
  EXPECT_EQ(length, kDigestBytes);
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  return digest;
}

std::span<const uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

TEST(Blake2s, Rfc7693AbcVector) {
  EXPECT_EQ(to_hex(Blake2s::hash(as_bytes("abc"))),
            "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
}

// RFC 7693 Appendix E: a hash over digests of every (digest length, input length), keyed and not.
void rfc_selftest_sequence(uint8_t* out, size_t len, uint32_t seed) {
  uint32_t a = 0xDEAD4BADu * seed;
  uint32_t b = 1;
  for (size_t i = 0; i < len; ++i) {
    uint32_t t = a + b;
    a = b;
    b = t;
    out[i] = static_cast<uint8_t>(t >> 24);
  }
}

TEST(Blake2s, Rfc7693SelfTestKeyedAndShortDigests) {
  const Digest expected = {0x6A, 0x41, 0x1F, 0x08, 0xCE, 0x25, 0xAD, 0xCD, 0xFB, 0x02, 0xAB,
                           0xA6, 0x41, 0x45, 0x1C, 0xEC, 0x53, 0xC5, 0x98, 0xB2, 0x4F, 0x4F,
                           0xC7, 0x87, 0xFB, 0xDC, 0x88, 0x79, 0x7F, 0x4C, 0x1D, 0xFE};
  Blake2s grand;
  uint8_t input[1024];
  uint8_t key[32];
  for (size_t digest_len : {16, 20, 28, 32}) {
    for (size_t input_len : {0, 3, 64, 65, 255, 1024}) {
      rfc_selftest_sequence(input, input_len, static_cast<uint32_t>(input_len));
      Blake2sParams plain;
      plain.digest_bytes = static_cast<uint8_t>(digest_len);
      Digest digest = Blake2s::hash({input, input_len}, plain);
      grand.update(std::span<const uint8_t>(digest.data(), digest_len));

      rfc_selftest_sequence(key, digest_len, static_cast<uint32_t>(digest_len));
      Blake2sParams keyed = plain;
      keyed.key = {key, digest_len};
      digest = Blake2s::hash({input, input_len}, keyed);
      grand.update(std::span<const uint8_t>(digest.data(), digest_len));
    }
  }
  EXPECT_EQ(to_hex(grand.finish()), to_hex(expected));
}

TEST(Blake2s, MatchesOpenSslForEveryLengthUpTo1000) {
  const std::vector<uint8_t> data = random_bytes(1000, 1);
  for (size_t len = 0; len <= 1000; ++len) {
    std::span<const uint8_t> message(data.data(), len);
    ASSERT_EQ(to_hex(Blake2s::hash(message)), to_hex(openssl_blake2s(message))) << "length " << len;
  }
}

TEST(Blake2s, IncrementalUpdatesInRandomPiecesMatchOneShot) {
  std::mt19937 rng(7);
  for (size_t len : {0, 1, 63, 64, 65, 127, 128, 129, 500, 1000}) {
    const std::vector<uint8_t> data = random_bytes(len, static_cast<uint32_t>(len) + 100);
    Blake2s hasher;
    size_t done = 0;
    while (done < len) {
      size_t piece = std::min<size_t>(len - done, rng() % 70);
      hasher.update(std::span<const uint8_t>(data.data() + done, piece));
      done += piece;
    }
    EXPECT_EQ(to_hex(hasher.finish()), to_hex(openssl_blake2s(data))) << "length " << len;
  }
}

TEST(Blake2s, KeyedMatchesOpenSslMac) {
  for (size_t key_len : {1, 16, 31, 32}) {
    const std::vector<uint8_t> key = random_bytes(key_len, static_cast<uint32_t>(key_len));
    for (size_t len : {0, 1, 63, 64, 65, 128, 200}) {
      const std::vector<uint8_t> data = random_bytes(len, static_cast<uint32_t>(len) + 9);
      Blake2sParams params;
      params.key = key;
      EXPECT_EQ(to_hex(Blake2s::hash(data, params)), to_hex(openssl_blake2s_mac(key, data)))
          << "key " << key_len << " length " << len;
    }
  }
}

TEST(Blake2s, PersonalizationMatchesOpenSslAndSeparatesDomains) {
  const std::vector<uint8_t> key = random_bytes(32, 3);
  const std::vector<uint8_t> data = random_bytes(100, 4);
  Blake2sParams params = Blake2sParams::personalized("zkrvleaf");
  params.key = key;
  EXPECT_EQ(to_hex(Blake2s::hash(data, params)), to_hex(openssl_blake2s_mac(key, data, as_bytes("zkrvleaf"))));

  const Digest leaf = Blake2s::hash(data, Blake2sParams::personalized("zkrvleaf"));
  const Digest node = Blake2s::hash(data, Blake2sParams::personalized("zkrvnode"));
  EXPECT_NE(leaf, node);
  EXPECT_NE(leaf, Blake2s::hash(data));
}

TEST(Blake2s, RejectsBadParametersAndMisuse) {
  EXPECT_THROW(Blake2sParams::personalized("ninechars"), std::invalid_argument);
  const std::vector<uint8_t> long_key(33, 1);
  Blake2sParams params;
  params.key = long_key;
  EXPECT_THROW(Blake2s{params}, std::invalid_argument);
  Blake2sParams zero_length;
  zero_length.digest_bytes = 0;
  EXPECT_THROW(Blake2s{zero_length}, std::invalid_argument);

  Blake2s hasher;
  hasher.finish();
  EXPECT_THROW(hasher.update(as_bytes("x")), std::logic_error);
  EXPECT_THROW(hasher.finish(), std::logic_error);
}

std::vector<Blake2sBackend> available_backends() {
  std::vector<Blake2sBackend> backends;
  for (auto b : {Blake2sBackend::kScalar, Blake2sBackend::kAvx2, Blake2sBackend::kAvx512}) {
    if (backend_available(b)) backends.push_back(b);
  }
  return backends;
}

void expect_batch_matches_scalar(Blake2sBackend backend, const std::vector<uint8_t>& data, size_t len,
                                 size_t stride, size_t count, const Blake2sParams& params) {
  std::vector<Digest> batch(count);
  blake2s_batch(data.data(), len, stride, count, batch.data(), params, backend);
  for (size_t i = 0; i < count; ++i) {
    ASSERT_EQ(to_hex(batch[i]), to_hex(Blake2s::hash({data.data() + i * stride, len}, params)))
        << backend_name(backend) << " length " << len << " stride " << stride << " count " << count
        << " message " << i;
  }
}

TEST(Blake2sBatch, EveryBackendMatchesScalarForLengths0To300) {
  const std::vector<uint8_t> data = random_bytes(40 * 301, 11);
  for (Blake2sBackend backend : available_backends()) {
    const size_t lanes = backend_lanes(backend);
    for (size_t len = 0; len <= 300; ++len) {
      // Full groups plus a short last group.
      expect_batch_matches_scalar(backend, data, len, len, 2 * lanes + 3, {});
    }
  }
}

TEST(Blake2sBatch, EveryBackendHandlesEveryGroupFillLevel) {
  const std::vector<uint8_t> data = random_bytes(100 * 40, 12);
  for (Blake2sBackend backend : available_backends()) {
    for (size_t count = 1; count <= 2 * backend_lanes(backend) + 1; ++count) {
      expect_batch_matches_scalar(backend, data, 64, 64, count, {});
      expect_batch_matches_scalar(backend, data, 100, 100, count, {});
    }
  }
}

TEST(Blake2sBatch, StridedOverlappingKeyedAndPersonalized) {
  const std::vector<uint8_t> data = random_bytes(300 * 40, 13);
  const std::vector<uint8_t> key = random_bytes(20, 14);
  Blake2sParams keyed;
  keyed.key = key;
  for (Blake2sBackend backend : available_backends()) {
    expect_batch_matches_scalar(backend, data, 64, 256, 37, {});  // rows of a wider matrix
    expect_batch_matches_scalar(backend, data, 100, 7, 37, {});   // overlapping messages
    expect_batch_matches_scalar(backend, data, 130, 131, 37, keyed);
    expect_batch_matches_scalar(backend, data, 0, 0, 5, keyed);   // key block is the last block
    expect_batch_matches_scalar(backend, data, 64, 64, 37, Blake2sParams::personalized("zkrvnode"));
  }
}

TEST(Blake2sBatch, ReportsUnavailableBackends) {
  EXPECT_TRUE(backend_available(Blake2sBackend::kScalar));
  EXPECT_TRUE(backend_available(best_backend()));
  for (auto b : {Blake2sBackend::kAvx2, Blake2sBackend::kAvx512}) {
    if (backend_available(b)) continue;
    Digest out;
    uint8_t byte = 0;
    EXPECT_THROW(blake2s_batch(&byte, 1, 1, 1, &out, {}, b), std::invalid_argument);
  }
}

}  // namespace
}  // namespace zkrv::stark
