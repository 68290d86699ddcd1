// BLAKE2s-256 (RFC 7693): a scalar incremental hasher and a batched hasher for many messages of
// equal length (Merkle leaves and nodes), with 8-lane AVX2 and 16-lane AVX-512 kernels chosen at
// run time. Keys (up to 32 bytes) and the 8-byte personalization field of the parameter block are
// supported: the Merkle tree and the transcript use personalization for domain separation at no cost
// (it only changes the initial chaining value). Shorter digests (RFC 7693 allows 1..32 bytes) exist
// only for the RFC self-test: the result is then the first digest_bytes bytes of the Digest.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "stark/hash/digest.h"

namespace zkrv::stark {

inline constexpr size_t kBlake2sBlockBytes = 64;
inline constexpr size_t kBlake2sMaxKeyBytes = 32;
inline constexpr size_t kBlake2sPersonalBytes = 8;

// The parts of the RFC 7693 parameter block that we let callers choose.
struct Blake2sParams {
  std::span<const uint8_t> key;                       // 0..32 bytes; empty = unkeyed
  std::array<uint8_t, kBlake2sPersonalBytes> personal{};  // all zero = the standard hash
  uint8_t digest_bytes = kDigestBytes;                // 1..32; part of the parameter block

  // Personalization from a string of at most 8 characters (zero-padded). Throws
  // std::invalid_argument if longer.
  static Blake2sParams personalized(std::string_view tag);
};

// The eight 32-bit chaining words after the parameter block is folded into the IV.
std::array<uint32_t, 8> blake2s_initial_state(const Blake2sParams& params);

// The BLAKE2s compression function F on one 64-byte block (16 little-endian words).
// `bytes_so_far` is the counter t after this block; `last` sets the finalization flag.
void blake2s_compress(std::array<uint32_t, 8>& h, const uint8_t block[kBlake2sBlockBytes],
                      uint64_t bytes_so_far, bool last);

// Incremental BLAKE2s-256.
class Blake2s {
 public:
  explicit Blake2s(const Blake2sParams& params = {});

  void update(std::span<const uint8_t> data);
  void update(std::string_view text) {
    update(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  }
  // Finishes the hash. The object must not be updated afterwards (throws std::logic_error).
  Digest finish();

  static Digest hash(std::span<const uint8_t> data, const Blake2sParams& params = {});

 private:
  std::array<uint32_t, 8> h_;
  std::array<uint8_t, kBlake2sBlockBytes> buffer_{};
  size_t buffered_ = 0;
  uint64_t counter_ = 0;
  bool finished_ = false;
};

// Kernels for hashing many equal-length messages at once.
enum class Blake2sBackend { kScalar, kAvx2, kAvx512 };

const char* backend_name(Blake2sBackend backend);
size_t backend_lanes(Blake2sBackend backend);  // 1, 8, 16
bool backend_available(Blake2sBackend backend);  // asks the CPU (__builtin_cpu_supports)
Blake2sBackend best_backend();  // AVX-512 if available, else AVX2, else scalar

// out[i] = BLAKE2s-256(params, data[i * stride, i * stride + message_len)) for i < count.
// Messages may overlap (stride < message_len is allowed). Throws std::invalid_argument if the
// backend is not available on this CPU.
void blake2s_batch(const uint8_t* data, size_t message_len, size_t stride, size_t count,
                   Digest* out, const Blake2sParams& params = {},
                   Blake2sBackend backend = best_backend());

}  // namespace zkrv::stark
