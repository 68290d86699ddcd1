// Batched BLAKE2s kernels: lane i of every vector belongs to message i of a group of 8 (AVX2) or 16
// (AVX-512) equal-length messages, so one compression advances all of them. Message words are
// gathered straight from the strided input; only the final partial block is first copied into a
// zero-padded scratch area. A short last group reuses message 0 in its unused lanes and discards
// their results. The functions carry target attributes instead of per-file -m flags, so the rest of
// the program never contains AVX instructions unless the compiler was told so globally; they are
// only called after __builtin_cpu_supports said yes.
// GCC 12 reports the deliberately undefined pass-through operand inside _mm512_ror_epi32 and
// _mm512_i32gather_epi32 (_mm512_undefined_epi32) as maybe-uninitialized: a false positive.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "stark/hash/blake2s.h"
#include "stark/hash/blake2s_internal.h"

namespace zkrv::stark::internal {
namespace {

// Gather offsets are signed 32-bit, so the span of one group must fit.
bool group_fits_gather(const Blake2sBatchJob& job, size_t lanes) {
  const size_t max_offset = (lanes - 1) * job.stride + std::max<size_t>(job.message_len, kBlake2sBlockBytes);
  return job.stride <= std::numeric_limits<int32_t>::max() / lanes &&
         max_offset < static_cast<size_t>(std::numeric_limits<int32_t>::max());
}

size_t block_count(size_t message_len) {
  return message_len == 0 ? 1 : (message_len + kBlake2sBlockBytes - 1) / kBlake2sBlockBytes;
}

// Copies each live lane's final partial block into scratch (lane-major, 64 bytes per lane).
void fill_tail_scratch(const Blake2sBatchJob& job, size_t first, size_t live, size_t offset,
                       size_t tail_bytes, uint8_t* scratch, size_t lanes) {
  std::memset(scratch, 0, lanes * kBlake2sBlockBytes);
  if (tail_bytes == 0) return;
  for (size_t lane = 0; lane < live; ++lane) {
    std::memcpy(scratch + lane * kBlake2sBlockBytes, job.data + (first + lane) * job.stride + offset, tail_bytes);
  }
}

void store_lanes(const uint32_t* words, size_t lanes, size_t first, size_t live, Digest* out) {
  for (size_t lane = 0; lane < live; ++lane) {
    uint32_t digest_words[8];
    for (size_t j = 0; j < 8; ++j) digest_words[j] = words[j * lanes + lane];
    std::memcpy(out[first + lane].data(), digest_words, kDigestBytes);
  }
}

// ---------------------------------------------------------------- AVX-512, 16 lanes
#define ZKRV_AVX512 __attribute__((target("avx512f"), always_inline)) inline

ZKRV_AVX512 void g512(__m512i& a, __m512i& b, __m512i& c, __m512i& d, __m512i x, __m512i y) {
  a = _mm512_add_epi32(_mm512_add_epi32(a, b), x);
  d = _mm512_ror_epi32(_mm512_xor_si512(d, a), 16);
  c = _mm512_add_epi32(c, d);
  b = _mm512_ror_epi32(_mm512_xor_si512(b, c), 12);
  a = _mm512_add_epi32(_mm512_add_epi32(a, b), y);
  d = _mm512_ror_epi32(_mm512_xor_si512(d, a), 8);
  c = _mm512_add_epi32(c, d);
  b = _mm512_ror_epi32(_mm512_xor_si512(b, c), 7);
}

ZKRV_AVX512 void compress512(__m512i h[8], const __m512i m[16], uint64_t counter, bool last) {
  __m512i v[16];
  for (int i = 0; i < 8; ++i) {
    v[i] = h[i];
    v[i + 8] = _mm512_set1_epi32(static_cast<int>(kBlake2sIv[i]));
  }
  v[12] = _mm512_set1_epi32(static_cast<int>(kBlake2sIv[4] ^ static_cast<uint32_t>(counter)));
  v[13] = _mm512_set1_epi32(static_cast<int>(kBlake2sIv[5] ^ static_cast<uint32_t>(counter >> 32)));
  if (last) v[14] = _mm512_set1_epi32(static_cast<int>(~kBlake2sIv[6]));
#pragma GCC unroll 10
  for (int r = 0; r < 10; ++r) {
    const uint8_t* s = kBlake2sSigma[r];
    g512(v[0], v[4], v[8], v[12], m[s[0]], m[s[1]]);
    g512(v[1], v[5], v[9], v[13], m[s[2]], m[s[3]]);
    g512(v[2], v[6], v[10], v[14], m[s[4]], m[s[5]]);
    g512(v[3], v[7], v[11], v[15], m[s[6]], m[s[7]]);
    g512(v[0], v[5], v[10], v[15], m[s[8]], m[s[9]]);
    g512(v[1], v[6], v[11], v[12], m[s[10]], m[s[11]]);
    g512(v[2], v[7], v[8], v[13], m[s[12]], m[s[13]]);
    g512(v[3], v[4], v[9], v[14], m[s[14]], m[s[15]]);
  }
  for (int i = 0; i < 8; ++i) h[i] = _mm512_xor_si512(h[i], _mm512_xor_si512(v[i], v[i + 8]));
}

ZKRV_AVX512 void gather_block512(const uint8_t* base, __m512i offsets, __m512i m[16]) {
  for (int w = 0; w < 16; ++w) {
    m[w] = _mm512_i32gather_epi32(_mm512_add_epi32(offsets, _mm512_set1_epi32(4 * w)), base, 1);
  }
}

#undef ZKRV_AVX512

// ---------------------------------------------------------------- AVX2, 8 lanes
#define ZKRV_AVX2 __attribute__((target("avx2"), always_inline)) inline

ZKRV_AVX2 __m256i rotr256_16(__m256i x) {
  const __m256i shuffle = _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
                                           2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
  return _mm256_shuffle_epi8(x, shuffle);
}
ZKRV_AVX2 __m256i rotr256_8(__m256i x) {
  const __m256i shuffle = _mm256_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12,
                                           1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
  return _mm256_shuffle_epi8(x, shuffle);
}
template <int kBits>
ZKRV_AVX2 __m256i rotr256(__m256i x) {
  return _mm256_or_si256(_mm256_srli_epi32(x, kBits), _mm256_slli_epi32(x, 32 - kBits));
}

ZKRV_AVX2 void g256(__m256i& a, __m256i& b, __m256i& c, __m256i& d, __m256i x, __m256i y) {
  a = _mm256_add_epi32(_mm256_add_epi32(a, b), x);
  d = rotr256_16(_mm256_xor_si256(d, a));
  c = _mm256_add_epi32(c, d);
  b = rotr256<12>(_mm256_xor_si256(b, c));
  a = _mm256_add_epi32(_mm256_add_epi32(a, b), y);
  d = rotr256_8(_mm256_xor_si256(d, a));
  c = _mm256_add_epi32(c, d);
  b = rotr256<7>(_mm256_xor_si256(b, c));
}

ZKRV_AVX2 void compress256(__m256i h[8], const __m256i m[16], uint64_t counter, bool last) {
  __m256i v[16];
  for (int i = 0; i < 8; ++i) {
    v[i] = h[i];
    v[i + 8] = _mm256_set1_epi32(static_cast<int>(kBlake2sIv[i]));
  }
  v[12] = _mm256_set1_epi32(static_cast<int>(kBlake2sIv[4] ^ static_cast<uint32_t>(counter)));
  v[13] = _mm256_set1_epi32(static_cast<int>(kBlake2sIv[5] ^ static_cast<uint32_t>(counter >> 32)));
  if (last) v[14] = _mm256_set1_epi32(static_cast<int>(~kBlake2sIv[6]));
#pragma GCC unroll 10
  for (int r = 0; r < 10; ++r) {
    const uint8_t* s = kBlake2sSigma[r];
    g256(v[0], v[4], v[8], v[12], m[s[0]], m[s[1]]);
    g256(v[1], v[5], v[9], v[13], m[s[2]], m[s[3]]);
    g256(v[2], v[6], v[10], v[14], m[s[4]], m[s[5]]);
    g256(v[3], v[7], v[11], v[15], m[s[6]], m[s[7]]);
    g256(v[0], v[5], v[10], v[15], m[s[8]], m[s[9]]);
    g256(v[1], v[6], v[11], v[12], m[s[10]], m[s[11]]);
    g256(v[2], v[7], v[8], v[13], m[s[12]], m[s[13]]);
    g256(v[3], v[4], v[9], v[14], m[s[14]], m[s[15]]);
  }
  for (int i = 0; i < 8; ++i) h[i] = _mm256_xor_si256(h[i], _mm256_xor_si256(v[i], v[i + 8]));
}

ZKRV_AVX2 void gather_block256(const uint8_t* base, __m256i offsets, __m256i m[16]) {
  for (int w = 0; w < 16; ++w) {
    m[w] = _mm256_i32gather_epi32(reinterpret_cast<const int*>(base),
                                  _mm256_add_epi32(offsets, _mm256_set1_epi32(4 * w)), 1);
  }
}

#undef ZKRV_AVX2

}  // namespace

__attribute__((target("avx512f"))) void blake2s_batch_avx512(const Blake2sBatchJob& job) {
  constexpr size_t kLanes = 16;
  if (!group_fits_gather(job, kLanes)) return blake2s_batch_scalar(job);
  const size_t blocks = block_count(job.message_len);
  alignas(64) uint8_t scratch[kLanes * kBlake2sBlockBytes];
  alignas(64) uint32_t words[8 * kLanes];
  for (size_t first = 0; first < job.count; first += kLanes) {
    const size_t live = std::min(kLanes, job.count - first);
    alignas(64) int32_t lane_offsets[kLanes];
    for (size_t lane = 0; lane < kLanes; ++lane) {
      lane_offsets[lane] = lane < live ? static_cast<int32_t>(lane * job.stride) : 0;
    }
    const __m512i offsets = _mm512_load_si512(lane_offsets);
    const __m512i scratch_offsets = _mm512_mullo_epi32(
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
        _mm512_set1_epi32(kBlake2sBlockBytes));
    __m512i h[8];
    for (int i = 0; i < 8; ++i) h[i] = _mm512_set1_epi32(static_cast<int>(job.initial_state[i]));
    const uint8_t* group = job.data + first * job.stride;
    for (size_t b = 0; b < blocks; ++b) {
      const size_t offset = b * kBlake2sBlockBytes;
      const size_t block_bytes = std::min(kBlake2sBlockBytes, job.message_len - offset);
      __m512i m[16];
      if (block_bytes == kBlake2sBlockBytes) {
        gather_block512(group + offset, offsets, m);
      } else {
        fill_tail_scratch(job, first, live, offset, block_bytes, scratch, kLanes);
        gather_block512(scratch, scratch_offsets, m);
      }
      compress512(h, m, job.counter_offset + offset + block_bytes, b + 1 == blocks);
    }
    for (int i = 0; i < 8; ++i) _mm512_store_si512(words + i * kLanes, h[i]);
    store_lanes(words, kLanes, first, live, job.out);
  }
}

__attribute__((target("avx2"))) void blake2s_batch_avx2(const Blake2sBatchJob& job) {
  constexpr size_t kLanes = 8;
  if (!group_fits_gather(job, kLanes)) return blake2s_batch_scalar(job);
  const size_t blocks = block_count(job.message_len);
  alignas(32) uint8_t scratch[kLanes * kBlake2sBlockBytes];
  alignas(32) uint32_t words[8 * kLanes];
  for (size_t first = 0; first < job.count; first += kLanes) {
    const size_t live = std::min(kLanes, job.count - first);
    alignas(32) int32_t lane_offsets[kLanes];
    for (size_t lane = 0; lane < kLanes; ++lane) {
      lane_offsets[lane] = lane < live ? static_cast<int32_t>(lane * job.stride) : 0;
    }
    const __m256i offsets = _mm256_load_si256(reinterpret_cast<const __m256i*>(lane_offsets));
    const __m256i scratch_offsets = _mm256_setr_epi32(0, 64, 128, 192, 256, 320, 384, 448);
    __m256i h[8];
    for (int i = 0; i < 8; ++i) h[i] = _mm256_set1_epi32(static_cast<int>(job.initial_state[i]));
    const uint8_t* group = job.data + first * job.stride;
    for (size_t b = 0; b < blocks; ++b) {
      const size_t offset = b * kBlake2sBlockBytes;
      const size_t block_bytes = std::min(kBlake2sBlockBytes, job.message_len - offset);
      __m256i m[16];
      if (block_bytes == kBlake2sBlockBytes) {
        gather_block256(group + offset, offsets, m);
      } else {
        fill_tail_scratch(job, first, live, offset, block_bytes, scratch, kLanes);
        gather_block256(scratch, scratch_offsets, m);
      }
      compress256(h, m, job.counter_offset + offset + block_bytes, b + 1 == blocks);
    }
    for (int i = 0; i < 8; ++i) _mm256_store_si256(reinterpret_cast<__m256i*>(words + i * kLanes), h[i]);
    store_lanes(words, kLanes, first, live, job.out);
  }
}

}  // namespace zkrv::stark::internal
