#include "stark/fri/zk_random.h"

#include <sys/random.h>
#include <tbb/parallel_for.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "stark/hash/blake2s.h"

namespace zkrv::stark::fri {
namespace {

// Elements per independently generated chunk (what one parallel task produces).
constexpr size_t kChunk = 1024;
// Messages hashed per batch: 8 words each, enough for kChunk elements after rejection except
// with negligible probability (the loop below tops up if not).
constexpr size_t kBatch = kChunk / 8 + 16;
constexpr size_t kMessageBytes = 32;

void put_u64(uint8_t* out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
}

}  // namespace

ZkRandom ZkRandom::from_os() {
  std::array<uint8_t, 32> key{};
  size_t filled = 0;
  while (filled < key.size()) {
    const ssize_t got = getrandom(key.data() + filled, key.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("zero-knowledge randomness: getrandom failed: ") + std::strerror(errno));
    }
    filled += static_cast<size_t>(got);
  }
  return ZkRandom(key);
}

ZkRandom ZkRandom::from_test_seed(uint64_t seed) {
  uint8_t bytes[8];
  put_u64(bytes, seed);
  const Digest key = Blake2s::hash(bytes, Blake2sParams::personalized("zkrvtest"));
  std::array<uint8_t, 32> out{};
  std::memcpy(out.data(), key.data(), out.size());
  return ZkRandom(out);
}

void ZkRandom::fill(std::string_view label, uint64_t index, std::span<KoalaBear> out) const {
  Blake2sParams params = Blake2sParams::personalized("zkrvzk");
  params.key = key_;
  // Message: BLAKE2s(label)[0..16) | index | chunk (u32) | counter (u32), one per output block.
  const Digest label_digest = Blake2s::hash(std::span(reinterpret_cast<const uint8_t*>(label.data()), label.size()));
  const size_t chunks = (out.size() + kChunk - 1) / kChunk;
  tbb::parallel_for(size_t{0}, chunks, [&](size_t chunk) {
    const size_t begin = chunk * kChunk;
    const size_t count = std::min(kChunk, out.size() - begin);
    std::vector<uint8_t> messages(kBatch * kMessageBytes);
    std::vector<Digest> digests(kBatch);
    size_t produced = 0;
    uint32_t counter = 0;
    while (produced < count) {
      for (size_t m = 0; m < kBatch; ++m) {
        uint8_t* message = messages.data() + m * kMessageBytes;
        std::memcpy(message, label_digest.data(), 16);
        put_u64(message + 16, index);
        put_u64(message + 24, (uint64_t{counter++} << 32) | static_cast<uint32_t>(chunk));
      }
      blake2s_batch(messages.data(), kMessageBytes, kMessageBytes, kBatch, digests.data(), params);
      for (const Digest& digest : digests) {
        for (size_t w = 0; w < 8 && produced < count; ++w) {
          uint32_t word = 0;
          std::memcpy(&word, digest.data() + 4 * w, 4);
          word &= 0x7fffffffu;
          if (word < KoalaBear::kModulus) out[begin + produced++] = KoalaBear::from_u32(word);
        }
      }
    }
  });
}

}  // namespace zkrv::stark::fri
