// Hashes the private input with the precompile-backed accelerators (zkvm_accelerators.h) and with
// plain software, each in its own cycle region, and outputs every digest:
//   keccak256 (accelerated) | sha256 (accelerated) | sha3-256 (own sponge on the keccak-f
//   precompile) | keccak256 (software) | sha256 (software)
// The host checks them against known vectors and OpenSSL (tests/accelerators), and the region
// counts show what the precompiles save.
#include <stdint.h>
#include <string.h>

#include "zkrv/precompiles.h"
#include "zkrv/zkrv.h"
#include "zkvm_accelerators.h"
#include "zkvm_io.h"

// The same precompile the SDK uses for zkvm_keccak256; declaring it again is allowed.
ZKRV_PRECOMPILE(keccak_f1600, 1016, "zkrv.keccak_f1600", "^1.0")

static uint64_t rotl(uint64_t x, int n) { return n ? (x << n) | (x >> (64 - n)) : x; }

static void keccak_f1600_software(uint64_t a[25]) {
  static const uint64_t kRound[24] = {
      0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
      0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
      0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
      0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
      0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
      0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull};
  static const int kRho[25] = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14};
  for (int round = 0; round < 24; round++) {
    uint64_t c[5], b[25];
    for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (int x = 0; x < 5; x++) {
      const uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
    }
    for (int x = 0; x < 5; x++) {
      for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], kRho[x + 5 * y]);
    }
    for (int i = 0; i < 25; i += 5) {
      for (int x = 0; x < 5; x++) a[i + x] = b[i + x] ^ (~b[i + (x + 1) % 5] & b[i + (x + 2) % 5]);
    }
    a[0] ^= kRound[round];
  }
}

static void permute_accelerated(uint64_t state[25]) { keccak_f1600((uint32_t)(uintptr_t)state, 0); }

// Keccak sponge with rate 136 and the given domain padding byte (0x01 Keccak, 0x06 SHA-3).
static void sponge(const uint8_t* data, size_t len, uint8_t pad, void (*permute)(uint64_t*), uint8_t out[32]) {
  uint64_t state[25] = {0};
  uint8_t* bytes = (uint8_t*)state;
  while (len >= 136) {
    for (int i = 0; i < 136; i++) bytes[i] ^= data[i];
    permute(state);
    data += 136;
    len -= 136;
  }
  for (size_t i = 0; i < len; i++) bytes[i] ^= data[i];
  bytes[len] ^= pad;
  bytes[135] ^= 0x80;
  permute(state);
  memcpy(out, bytes, 32);
}

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_software(const uint8_t* data, size_t len, uint8_t out[32]) {
  static const uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
      0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
      0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
      0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
      0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
      0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
      0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const uint64_t bits = (uint64_t)len * 8;
  uint8_t tail[128] = {0};
  const size_t full = len / 64 * 64, rest = len - full;
  memcpy(tail, data + full, rest);
  tail[rest] = 0x80;
  const size_t tail_len = rest + 9 <= 64 ? 64 : 128;
  for (int i = 0; i < 8; i++) tail[tail_len - 1 - i] = (uint8_t)(bits >> (8 * i));
  for (size_t offset = 0; offset < full + tail_len; offset += 64) {
    const uint8_t* block = offset < full ? data + offset : tail + (offset - full);
    uint32_t w[64];
    for (int i = 0; i < 16; i++) {
      w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
      const uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
      const uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      const uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(h[i] >> 24), out[4 * i + 1] = (uint8_t)(h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(h[i] >> 8), out[4 * i + 3] = (uint8_t)h[i];
  }
}

int main(void) {
  const uint8_t* data;
  size_t len;
  read_input(&data, &len);
  zkvm_keccak256_hash keccak;
  zkvm_sha256_hash sha;
  uint8_t sha3[32], keccak_soft[32], sha_soft[32];

  zkrv_region_begin("keccak256-precompile");
  if (zkvm_keccak256(data, len, &keccak) != ZKVM_EOK) return 2;
  zkrv_region_end("keccak256-precompile");
  zkrv_region_begin("sha256-precompile");
  if (zkvm_sha256(data, len, &sha) != ZKVM_EOK) return 3;
  zkrv_region_end("sha256-precompile");
  sponge(data, len, 0x06, permute_accelerated, sha3);
  zkrv_region_begin("keccak256-software");
  sponge(data, len, 0x01, keccak_f1600_software, keccak_soft);
  zkrv_region_end("keccak256-software");
  zkrv_region_begin("sha256-software");
  sha256_software(data, len, sha_soft);
  zkrv_region_end("sha256-software");

  write_output(keccak.data, 32);
  write_output(sha.data, 32);
  write_output(sha3, 32);
  write_output(keccak_soft, 32);
  write_output(sha_soft, 32);
  return 0;
}
