#include "stark/hash/blake2s.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>
#include <string>

#include "base/hex.h"
#include "stark/hash/blake2s_internal.h"

namespace zkrv::stark {

using internal::kBlake2sIv;
using internal::kBlake2sSigma;

static_assert(std::endian::native == std::endian::little,
              "stark/hash reads message words in place and assumes a little-endian host");

std::string to_hex(const Digest& digest) { return base::to_hex(digest); }

Blake2sParams Blake2sParams::personalized(std::string_view tag) {
  if (tag.size() > kBlake2sPersonalBytes) {
    throw std::invalid_argument("BLAKE2s personalization '" + std::string(tag) + "' is longer than 8 bytes");
  }
  Blake2sParams params;
  std::copy(tag.begin(), tag.end(), params.personal.begin());
  return params;
}

std::array<uint32_t, 8> blake2s_initial_state(const Blake2sParams& params) {
  if (params.key.size() > kBlake2sMaxKeyBytes) {
    throw std::invalid_argument("BLAKE2s key of " + std::to_string(params.key.size()) +
                                " bytes is longer than 32 bytes");
  }
  if (params.digest_bytes == 0 || params.digest_bytes > kDigestBytes) {
    throw std::invalid_argument("BLAKE2s digest length " + std::to_string(params.digest_bytes) +
                                " is outside 1..32 bytes");
  }
  std::array<uint32_t, 8> h = kBlake2sIv;
  // Parameter block word 0: digest length, key length, fanout 1, depth 1. Words 1..5 (leaf length,
  // node offset, node depth, inner length, salt) stay zero; words 6..7 are the personalization.
  h[0] ^= 0x01010000u | (static_cast<uint32_t>(params.key.size()) << 8) | params.digest_bytes;
  uint32_t personal[2];
  std::memcpy(personal, params.personal.data(), sizeof(personal));
  h[6] ^= personal[0];
  h[7] ^= personal[1];
  return h;
}

namespace {

inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

inline void mix(uint32_t v[16], int a, int b, int c, int d, uint32_t x, uint32_t y) {
  v[a] = v[a] + v[b] + x;
  v[d] = rotr(v[d] ^ v[a], 16);
  v[c] = v[c] + v[d];
  v[b] = rotr(v[b] ^ v[c], 12);
  v[a] = v[a] + v[b] + y;
  v[d] = rotr(v[d] ^ v[a], 8);
  v[c] = v[c] + v[d];
  v[b] = rotr(v[b] ^ v[c], 7);
}

void store_digest(const std::array<uint32_t, 8>& h, Digest* out) {
  std::memcpy(out->data(), h.data(), kDigestBytes);
}

}  // namespace

void blake2s_compress(std::array<uint32_t, 8>& h, const uint8_t block[kBlake2sBlockBytes],
                      uint64_t bytes_so_far, bool last) {
  uint32_t m[16];
  std::memcpy(m, block, sizeof(m));
  uint32_t v[16];
  for (int i = 0; i < 8; ++i) {
    v[i] = h[i];
    v[i + 8] = kBlake2sIv[i];
  }
  v[12] ^= static_cast<uint32_t>(bytes_so_far);
  v[13] ^= static_cast<uint32_t>(bytes_so_far >> 32);
  if (last) v[14] = ~v[14];
  for (const auto& s : kBlake2sSigma) {
    mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
    mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
    mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
    mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
    mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
    mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
    mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
    mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (int i = 0; i < 8; ++i) h[i] ^= v[i] ^ v[i + 8];
}

Blake2s::Blake2s(const Blake2sParams& params) : h_(blake2s_initial_state(params)) {
  if (!params.key.empty()) {
    // The key is padded to a full block and hashed as the first block (RFC 7693 §3.3).
    std::copy(params.key.begin(), params.key.end(), buffer_.begin());
    buffered_ = kBlake2sBlockBytes;
  }
}

void Blake2s::update(std::span<const uint8_t> data) {
  if (finished_) throw std::logic_error("Blake2s::update after finish");
  while (!data.empty()) {
    // Keep the last block buffered: it must be compressed with the finalization flag.
    if (buffered_ == kBlake2sBlockBytes) {
      counter_ += kBlake2sBlockBytes;
      blake2s_compress(h_, buffer_.data(), counter_, false);
      buffered_ = 0;
    }
    size_t take = std::min(data.size(), kBlake2sBlockBytes - buffered_);
    std::memcpy(buffer_.data() + buffered_, data.data(), take);
    buffered_ += take;
    data = data.subspan(take);
  }
}

Digest Blake2s::finish() {
  if (finished_) throw std::logic_error("Blake2s::finish called twice");
  finished_ = true;
  counter_ += buffered_;
  std::fill(buffer_.begin() + buffered_, buffer_.end(), 0);
  blake2s_compress(h_, buffer_.data(), counter_, true);
  Digest digest;
  store_digest(h_, &digest);
  return digest;
}

Digest Blake2s::hash(std::span<const uint8_t> data, const Blake2sParams& params) {
  Blake2s hasher(params);
  hasher.update(data);
  return hasher.finish();
}

namespace internal {

void blake2s_batch_scalar(const Blake2sBatchJob& job) {
  const size_t blocks = job.message_len == 0 ? 1 : (job.message_len + kBlake2sBlockBytes - 1) / kBlake2sBlockBytes;
  for (size_t i = 0; i < job.count; ++i) {
    const uint8_t* message = job.data + i * job.stride;
    std::array<uint32_t, 8> h = job.initial_state;
    for (size_t b = 0; b < blocks; ++b) {
      const size_t offset = b * kBlake2sBlockBytes;
      const size_t block_bytes = std::min(kBlake2sBlockBytes, job.message_len - offset);
      const bool last = b + 1 == blocks;
      if (block_bytes == kBlake2sBlockBytes) {
        blake2s_compress(h, message + offset, job.counter_offset + offset + block_bytes, last);
      } else {
        uint8_t padded[kBlake2sBlockBytes] = {};
        if (block_bytes > 0) std::memcpy(padded, message + offset, block_bytes);
        blake2s_compress(h, padded, job.counter_offset + offset + block_bytes, last);
      }
    }
    store_digest(h, &job.out[i]);
  }
}

}  // namespace internal

const char* backend_name(Blake2sBackend backend) {
  switch (backend) {
    case Blake2sBackend::kScalar: return "scalar";
    case Blake2sBackend::kAvx2: return "avx2";
    case Blake2sBackend::kAvx512: return "avx512";
  }
  return "unknown";
}

size_t backend_lanes(Blake2sBackend backend) {
  switch (backend) {
    case Blake2sBackend::kScalar: return 1;
    case Blake2sBackend::kAvx2: return 8;
    case Blake2sBackend::kAvx512: return 16;
  }
  return 1;
}

bool backend_available(Blake2sBackend backend) {
  switch (backend) {
    case Blake2sBackend::kScalar: return true;
    case Blake2sBackend::kAvx2: return __builtin_cpu_supports("avx2");
    case Blake2sBackend::kAvx512: return __builtin_cpu_supports("avx512f");
  }
  return false;
}

Blake2sBackend best_backend() {
  static const Blake2sBackend kBest = [] {
    if (backend_available(Blake2sBackend::kAvx512)) return Blake2sBackend::kAvx512;
    if (backend_available(Blake2sBackend::kAvx2)) return Blake2sBackend::kAvx2;
    return Blake2sBackend::kScalar;
  }();
  return kBest;
}

void blake2s_batch(const uint8_t* data, size_t message_len, size_t stride, size_t count,
                   Digest* out, const Blake2sParams& params, Blake2sBackend backend) {
  if (!backend_available(backend)) {
    throw std::invalid_argument(std::string("BLAKE2s backend ") + backend_name(backend) +
                                " is not supported by this CPU");
  }
  if (count == 0) return;
  internal::Blake2sBatchJob job{blake2s_initial_state(params), 0, data, message_len, stride, count, out};
  if (!params.key.empty()) {
    if (message_len == 0) {
      // The key block is then the last block; rare enough to leave to the scalar path.
      for (size_t i = 0; i < count; ++i) out[i] = Blake2s::hash({}, params);
      return;
    }
    uint8_t key_block[kBlake2sBlockBytes] = {};
    std::memcpy(key_block, params.key.data(), params.key.size());
    blake2s_compress(job.initial_state, key_block, kBlake2sBlockBytes, false);
    job.counter_offset = kBlake2sBlockBytes;
  }
  switch (backend) {
    case Blake2sBackend::kScalar: internal::blake2s_batch_scalar(job); break;
    case Blake2sBackend::kAvx2: internal::blake2s_batch_avx2(job); break;
    case Blake2sBackend::kAvx512: internal::blake2s_batch_avx512(job); break;
  }
}

}  // namespace zkrv::stark
