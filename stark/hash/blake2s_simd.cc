// Batched BLAKE2s kernels: lane i of every vector belongs to message i of a group of 8 (AVX2) or 16
// (AVX-512) equal-length messages, so one compression advances all of them. Each lane's 64-byte
// block is loaded with plain unaligned loads and the blocks are transposed in registers; hardware
// gathers took 1.6-1.8x the CPU time on 2^20 rows streamed from DRAM. Only the final partial block
// is first copied into a zero-padded scratch area. A short last group repeats the group's first
// message in its unused lanes and discards their results. The functions carry target attributes
// instead of per-file -m flags, so the rest of the program contains no AVX instructions unless the
// compiler was told so globally; they are only called after __builtin_cpu_supports said yes.
// GCC 12 reports the deliberately undefined pass-through operand inside _mm512_ror_epi32
// (_mm512_undefined_epi32) as maybe-uninitialized: a false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "stark/hash/blake2s.h"
#include "stark/hash/blake2s_internal.h"

namespace zkrv::stark::internal {
namespace {

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

// Leaf messages are usually matrix rows streamed from DRAM; sixteen interleaved streams defeat the
// hardware prefetcher, so fetch the group `distance` groups ahead explicitly.
void prefetch_group(const Blake2sBatchJob& job, size_t first, size_t lanes, size_t distance) {
  const size_t ahead = first + distance * lanes;
  if (ahead >= job.count) return;
  const size_t end = std::min(job.count, ahead + lanes);
  for (size_t i = ahead; i < end; ++i) {
    const char* message = reinterpret_cast<const char*>(job.data + i * job.stride);
    for (size_t offset = 0; offset < job.message_len; offset += 64) {
      __builtin_prefetch(message + offset);
    }
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

// m[w] lane l = word w of lanes[l]'s 64-byte block: a 16x16 transpose of 32-bit words (unpack
// 32-bit and 64-bit pairs within 128-bit lanes, then a 4x4 transpose of the 128-bit lanes).
ZKRV_AVX512 void load_block512(const uint8_t* const lanes[16], __m512i m[16]) {
  __m512i r[16];
  for (int l = 0; l < 16; ++l) r[l] = _mm512_loadu_si512(lanes[l]);
  __m512i t[16];
  for (int l = 0; l < 16; l += 2) {
    t[l] = _mm512_unpacklo_epi32(r[l], r[l + 1]);
    t[l + 1] = _mm512_unpackhi_epi32(r[l], r[l + 1]);
  }
  // u[4g + k], 128-bit lane j: word 4j + k of messages 4g .. 4g + 3.
  __m512i u[16];
  for (int g = 0; g < 4; ++g) {
    u[4 * g + 0] = _mm512_unpacklo_epi64(t[4 * g], t[4 * g + 2]);
    u[4 * g + 1] = _mm512_unpackhi_epi64(t[4 * g], t[4 * g + 2]);
    u[4 * g + 2] = _mm512_unpacklo_epi64(t[4 * g + 1], t[4 * g + 3]);
    u[4 * g + 3] = _mm512_unpackhi_epi64(t[4 * g + 1], t[4 * g + 3]);
  }
  for (int k = 0; k < 4; ++k) {
    const __m512i x0 = _mm512_shuffle_i32x4(u[k], u[4 + k], 0x44);
    const __m512i x1 = _mm512_shuffle_i32x4(u[k], u[4 + k], 0xEE);
    const __m512i y0 = _mm512_shuffle_i32x4(u[8 + k], u[12 + k], 0x44);
    const __m512i y1 = _mm512_shuffle_i32x4(u[8 + k], u[12 + k], 0xEE);
    m[0 + k] = _mm512_shuffle_i32x4(x0, y0, 0x88);
    m[4 + k] = _mm512_shuffle_i32x4(x0, y0, 0xDD);
    m[8 + k] = _mm512_shuffle_i32x4(x1, y1, 0x88);
    m[12 + k] = _mm512_shuffle_i32x4(x1, y1, 0xDD);
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

// The 8-lane version: two 8x8 transposes, for words 0..7 and 8..15.
ZKRV_AVX2 void transpose8(const __m256i r[8], __m256i m[8]) {
  __m256i t[8];
  for (int l = 0; l < 8; l += 2) {
    t[l] = _mm256_unpacklo_epi32(r[l], r[l + 1]);
    t[l + 1] = _mm256_unpackhi_epi32(r[l], r[l + 1]);
  }
  __m256i u[8];
  for (int g = 0; g < 2; ++g) {
    u[4 * g + 0] = _mm256_unpacklo_epi64(t[4 * g], t[4 * g + 2]);
    u[4 * g + 1] = _mm256_unpackhi_epi64(t[4 * g], t[4 * g + 2]);
    u[4 * g + 2] = _mm256_unpacklo_epi64(t[4 * g + 1], t[4 * g + 3]);
    u[4 * g + 3] = _mm256_unpackhi_epi64(t[4 * g + 1], t[4 * g + 3]);
  }
  for (int k = 0; k < 4; ++k) {
    m[k] = _mm256_permute2x128_si256(u[k], u[4 + k], 0x20);
    m[4 + k] = _mm256_permute2x128_si256(u[k], u[4 + k], 0x31);
  }
}

ZKRV_AVX2 void load_block256(const uint8_t* const lanes[8], __m256i m[16]) {
  __m256i r[8];
  for (int half = 0; half < 2; ++half) {
    for (int l = 0; l < 8; ++l) r[l] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(lanes[l] + 32 * half));
    transpose8(r, m + 8 * half);
  }
}

#undef ZKRV_AVX2

}  // namespace

namespace {

// Points each lane at its message's block `offset`, or at its zero-padded copy in scratch for the
// final partial block. Unused lanes of a short last group repeat message `first`.
void lane_pointers(const Blake2sBatchJob& job, size_t first, size_t live, size_t lanes, size_t offset,
                   size_t block_bytes, uint8_t* scratch, const uint8_t** pointers) {
  if (block_bytes == kBlake2sBlockBytes) {
    for (size_t lane = 0; lane < lanes; ++lane) {
      pointers[lane] = job.data + (first + (lane < live ? lane : 0)) * job.stride + offset;
    }
    return;
  }
  fill_tail_scratch(job, first, live, offset, block_bytes, scratch, lanes);
  for (size_t lane = 0; lane < lanes; ++lane) pointers[lane] = scratch + lane * kBlake2sBlockBytes;
}

}  // namespace

__attribute__((target("avx512f"))) void blake2s_batch_avx512(const Blake2sBatchJob& job) {
  constexpr size_t kLanes = 16;
  const size_t blocks = block_count(job.message_len);
  alignas(64) uint8_t scratch[kLanes * kBlake2sBlockBytes];
  alignas(64) uint32_t words[8 * kLanes];
  const uint8_t* pointers[kLanes];
  for (size_t first = 0; first < job.count; first += kLanes) {
    const size_t live = std::min(kLanes, job.count - first);
    prefetch_group(job, first, kLanes, 2);
    __m512i h[8];
    for (int i = 0; i < 8; ++i) h[i] = _mm512_set1_epi32(static_cast<int>(job.initial_state[i]));
    for (size_t b = 0; b < blocks; ++b) {
      const size_t offset = b * kBlake2sBlockBytes;
      const size_t block_bytes = std::min(kBlake2sBlockBytes, job.message_len - offset);
      lane_pointers(job, first, live, kLanes, offset, block_bytes, scratch, pointers);
      __m512i m[16];
      load_block512(pointers, m);
      compress512(h, m, job.counter_offset + offset + block_bytes, b + 1 == blocks);
    }
    for (int i = 0; i < 8; ++i) _mm512_store_si512(words + i * kLanes, h[i]);
    store_lanes(words, kLanes, first, live, job.out);
  }
}

__attribute__((target("avx2"))) void blake2s_batch_avx2(const Blake2sBatchJob& job) {
  constexpr size_t kLanes = 8;
  const size_t blocks = block_count(job.message_len);
  alignas(32) uint8_t scratch[kLanes * kBlake2sBlockBytes];
  alignas(32) uint32_t words[8 * kLanes];
  const uint8_t* pointers[kLanes];
  for (size_t first = 0; first < job.count; first += kLanes) {
    const size_t live = std::min(kLanes, job.count - first);
    prefetch_group(job, first, kLanes, 2);
    __m256i h[8];
    for (int i = 0; i < 8; ++i) h[i] = _mm256_set1_epi32(static_cast<int>(job.initial_state[i]));
    for (size_t b = 0; b < blocks; ++b) {
      const size_t offset = b * kBlake2sBlockBytes;
      const size_t block_bytes = std::min(kBlake2sBlockBytes, job.message_len - offset);
      lane_pointers(job, first, live, kLanes, offset, block_bytes, scratch, pointers);
      __m256i m[16];
      load_block256(pointers, m);
      compress256(h, m, job.counter_offset + offset + block_bytes, b + 1 == blocks);
    }
    for (int i = 0; i < 8; ++i) _mm256_store_si256(reinterpret_cast<__m256i*>(words + i * kLanes), h[i]);
    store_lanes(words, kLanes, first, live, job.out);
  }
}

}  // namespace zkrv::stark::internal
