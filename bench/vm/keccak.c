// SHA3-256 (FIPS 202, Keccak-f[1600]) in software over a 2 MiB buffer, repeated; each round folds
// the previous digest into the buffer. On RV32 every 64-bit lane operation is a pair of 32-bit
// instructions, so this is shift/xor heavy with a large live state.
#include <string.h>

#include "bench_common.h"

enum { kBufferBytes = BENCH_SIZE(2 << 20, 16 << 10), kRounds = BENCH_SIZE(3, 2), kRate = 136 };

static const uint64_t kRoundConstants[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull};

static inline uint64_t rotl64(uint64_t x, unsigned n) { return (x << n) | (x >> (64 - n)); }

// Written out lane by lane, as optimised software Keccak is, so rotations are by constants.
static void keccak_f1600(uint64_t a[25]) {
  for (int round = 0; round < 24; ++round) {
    // theta
    const uint64_t c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
    const uint64_t c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
    const uint64_t c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
    const uint64_t c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
    const uint64_t c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
    const uint64_t d[5] = {c4 ^ rotl64(c1, 1), c0 ^ rotl64(c2, 1), c1 ^ rotl64(c3, 1),
                           c2 ^ rotl64(c4, 1), c3 ^ rotl64(c0, 1)};
    for (int i = 0; i < 25; ++i) a[i] ^= d[i % 5];
    // rho and pi: each lane moves to its pi position, rotated by its rho offset
    uint64_t carried = a[1], next;
#define RHO_PI(to, rotation) (next = a[to], a[to] = rotl64(carried, rotation), carried = next)
    RHO_PI(10, 1), RHO_PI(7, 3), RHO_PI(11, 6), RHO_PI(17, 10), RHO_PI(18, 15), RHO_PI(3, 21);
    RHO_PI(5, 28), RHO_PI(16, 36), RHO_PI(8, 45), RHO_PI(21, 55), RHO_PI(24, 2), RHO_PI(4, 14);
    RHO_PI(15, 27), RHO_PI(23, 41), RHO_PI(19, 56), RHO_PI(13, 8), RHO_PI(12, 25), RHO_PI(2, 43);
    RHO_PI(20, 62), RHO_PI(14, 18), RHO_PI(22, 39), RHO_PI(9, 61), RHO_PI(6, 20), RHO_PI(1, 44);
#undef RHO_PI
    // chi, row by row
    for (int j = 0; j < 25; j += 5) {
      const uint64_t r0 = a[j], r1 = a[j + 1], r2 = a[j + 2], r3 = a[j + 3], r4 = a[j + 4];
      a[j] = r0 ^ (~r1 & r2);
      a[j + 1] = r1 ^ (~r2 & r3);
      a[j + 2] = r2 ^ (~r3 & r4);
      a[j + 3] = r3 ^ (~r4 & r0);
      a[j + 4] = r4 ^ (~r0 & r1);
    }
    // iota
    a[0] ^= kRoundConstants[round];
  }
}

static void absorb_block(uint64_t state[25], const uint8_t* block) {
  for (int i = 0; i < kRate / 8; ++i) {
    uint64_t lane;
    memcpy(&lane, block + 8 * i, 8);  // little-endian host and guest
    state[i] ^= lane;
  }
  keccak_f1600(state);
}

static void sha3_256(const uint8_t* data, size_t size, uint8_t digest[32]) {
  uint64_t state[25] = {0};
  size_t done = 0;
  for (; size - done >= kRate; done += kRate) absorb_block(state, data + done);
  uint8_t last[kRate] = {0};
  memcpy(last, data + done, size - done);
  last[size - done] ^= 0x06;
  last[kRate - 1] ^= 0x80;
  absorb_block(state, last);
  memcpy(digest, state, 32);
}

static uint8_t buffer[kBufferBytes];

int main(void) {
  static const uint8_t kAbcDigest[32] = {
      0x3a, 0x98, 0x5d, 0xa7, 0x4f, 0xe2, 0x25, 0xb2, 0x04, 0x5c, 0x17, 0x2d, 0x6b, 0xd3, 0x90, 0xbd,
      0x85, 0x5f, 0x08, 0x6e, 0x3e, 0x9d, 0x52, 0x5b, 0x46, 0xbf, 0xe2, 0x45, 0x11, 0x43, 0x15, 0x32};
  uint8_t digest[32];
  sha3_256((const uint8_t*)"abc", 3, digest);
  if (memcmp(digest, kAbcDigest, 32) != 0) {
    printf("keccak: known-answer test failed\n");
    return 1;
  }

  uint64_t seed = 2;
  for (size_t i = 0; i < kBufferBytes; i += 8) {
    const uint64_t word = bench_next64(&seed);
    memcpy(buffer + i, &word, 8);
  }
  uint64_t checksum = 0;
  for (int round = 0; round < kRounds; ++round) {
    sha3_256(buffer, kBufferBytes, digest);
    memcpy(buffer + (size_t)round * 32, digest, 32);
    for (int i = 0; i < 32; i += 8) {
      uint64_t word;
      memcpy(&word, digest + i, 8);
      checksum = bench_mix(checksum, word);
    }
  }
  bench_print_checksum(checksum);
  return 0;
}
