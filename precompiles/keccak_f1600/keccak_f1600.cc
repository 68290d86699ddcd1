#include "keccak_f1600.h"

namespace zkrv::precompiles {
namespace {

constexpr int kRounds = 24;

// The round constants from the LFSR of FIPS 202, algorithm 5 (rc) and 6 (iota).
constexpr bool rc_bit(int t) {
  if (t % 255 == 0) return true;
  unsigned r = 0x01;  // R[0] is bit 0
  for (int i = 1; i <= t % 255; ++i) {
    r <<= 1;  // R = 0 || R
    const unsigned r8 = (r >> 8) & 1;
    r ^= r8 | r8 << 4 | r8 << 5 | r8 << 6;
    r &= 0xff;
  }
  return r & 1;
}

constexpr std::array<uint64_t, kRounds> make_round_constants() {
  std::array<uint64_t, kRounds> constants{};
  for (int round = 0; round < kRounds; ++round) {
    for (int j = 0; j <= 6; ++j) {
      if (rc_bit(j + 7 * round)) constants[round] |= uint64_t{1} << ((1 << j) - 1);
    }
  }
  return constants;
}

// rho offsets, FIPS 202 algorithm 2: walk (x, y) from (1, 0) through (y, 2x + 3y).
constexpr std::array<int, 25> make_rotations() {
  std::array<int, 25> rotations{};
  int x = 1, y = 0;
  for (int t = 0; t < 24; ++t) {
    rotations[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
    const int next_y = (2 * x + 3 * y) % 5;
    x = y;
    y = next_y;
  }
  return rotations;
}

constexpr auto kRoundConstants = make_round_constants();
constexpr auto kRotations = make_rotations();

constexpr uint64_t rotl(uint64_t value, int shift) {
  return shift == 0 ? value : (value << shift) | (value >> (64 - shift));
}

}  // namespace

void keccak_f1600(KeccakState& a) {
  for (int round = 0; round < kRounds; ++round) {
    // theta
    uint64_t c[5];
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (int x = 0; x < 5; ++x) {
      const uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (int y = 0; y < 5; ++y) a[x + 5 * y] ^= d;
    }
    // rho and pi: B[y, 2x + 3y] = rotl(A[x, y])
    KeccakState b;
    for (int x = 0; x < 5; ++x) {
      for (int y = 0; y < 5; ++y) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], kRotations[x + 5 * y]);
    }
    // chi
    for (int y = 0; y < 5; ++y) {
      for (int x = 0; x < 5; ++x) a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
    }
    // iota
    a[0] ^= kRoundConstants[round];
  }
}

}  // namespace zkrv::precompiles
