// Shared by blake2s.cc and the SIMD kernels; not part of the public API.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "stark/hash/digest.h"

namespace zkrv::stark::internal {

inline constexpr std::array<uint32_t, 8> kBlake2sIv = {
    0x6A09E667u, 0xBB67AE85u, 0x3C6EF372u, 0xA54FF53Au,
    0x510E527Fu, 0x9B05688Cu, 0x1F83D9ABu, 0x5BE0CD19u};

inline constexpr uint8_t kBlake2sSigma[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}};

// A batch job whose key block (if any) is already folded into `initial_state`: every message is
// hashed from `initial_state` with the byte counter starting at `counter_offset`.
// message_len must be > 0 or counter_offset == 0 (an empty keyed message is handled by the caller).
struct Blake2sBatchJob {
  std::array<uint32_t, 8> initial_state;
  uint64_t counter_offset;
  const uint8_t* data;
  size_t message_len;
  size_t stride;
  size_t count;
  Digest* out;
};

void blake2s_batch_scalar(const Blake2sBatchJob& job);
void blake2s_batch_avx2(const Blake2sBatchJob& job);
void blake2s_batch_avx512(const Blake2sBatchJob& job);

}  // namespace zkrv::stark::internal
