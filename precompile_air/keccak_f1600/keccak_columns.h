// Column layout of the keccak-f[1600] table (keccak_air.h): one round of one permutation per row,
// 24 rows per permutation. The state lives as bits only where the degree bound of 3 needs it:
// theta's output A' (1600 bits), the column parities C' of A' and theta's D (320 bits each);
// rho and pi are a fixed renaming of A''s bits, chi is evaluated inline on them, and the round's
// output (after iota) is committed as 3 limbs of at most 22 bits per lane. The next row's input A
// is A' xor D, so it needs no columns of its own. The round number is two one-hot counters
// (round = 6 u + v) and a link flag says whether this row's output is the next row's input.
// Compared with Plonky3's keccak-air (github.com/Plonky3/Plonky3, keccak-air/src/columns.rs), in
// README.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace zkrv::precompile_air::keccak_f1600 {

inline constexpr size_t kRounds = 24;
inline constexpr size_t kLaneBits = 64;
// Lane (x, y) of the state is lane x + 5 y, bit z its bit z (FIPS 202 section 3.1.2).
using State = std::array<uint64_t, 25>;

// Round constants RC[ir] of iota (FIPS 202 section 3.2.5, Algorithm 6; the test derives them from
// Algorithm 5's LFSR). Only bits 2^j - 1 (j = 0..6) are ever set.
inline constexpr std::array<uint64_t, kRounds> kRoundConstants = {
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
    0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
    0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
    0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008};
inline constexpr std::array<size_t, 7> kIotaBits = {0, 1, 3, 7, 15, 31, 63};

// rho's offsets, rotations to the left (FIPS 202 Algorithm 2), indexed [x][y].
inline constexpr std::array<std::array<size_t, 5>, 5> kRhoOffsets = [] {
  std::array<std::array<size_t, 5>, 5> offsets{};
  size_t x = 1, y = 0;
  for (size_t t = 0; t < 24; ++t) {
    offsets[x][y] = ((t + 1) * (t + 2) / 2) % kLaneBits;
    const size_t next_y = (2 * x + 3 * y) % 5;
    x = y;
    y = next_y;
  }
  return offsets;
}();

// The output limbs of a lane: bits [kLimbStart[l], kLimbStart[l + 1]). A limb of k bits packs k
// constrained bits as sum 2^i b_i < 2^k; with k <= 30 that sum is below KoalaBear's p (2^31 - 2^24
// + 1), so a limb's value determines its bits.
// 16-bit limbs: a guest word's two limbs are then two output cells, so the round-23 row hands its
// output to the memory argument without splitting a limb (keccak_air.h, "calls").
inline constexpr size_t kLimbsPerLane = 4;
inline constexpr std::array<size_t, kLimbsPerLane + 1> kLimbStart = {0, 16, 32, 48, 64};
// A call's state in guest memory: 25 lanes, 50 little-endian words.
inline constexpr size_t kStateWords = 50;
// An absorb's block (zkrv.keccak_absorb): the rate of SHA3-256 and Keccak-256, 136 bytes, the
// state's first 34 words.
inline constexpr size_t kAbsorbBlockWords = 34;

// The round counter: round = kRoundsPerGroup * group + step, each one-hot.
inline constexpr size_t kRoundGroups = 4;
inline constexpr size_t kRoundsPerGroup = 6;
static_assert(kRoundGroups * kRoundsPerGroup == kRounds);

struct KeccakColumns {
  static constexpr int kGroupStart = 0;                                   // u[i], i = round / 6
  static constexpr int kStepStart = kGroupStart + int{kRoundGroups};      // v[j], j = round % 6
  static constexpr int kLink = kStepStart + int{kRoundsPerGroup};         // 1: next row = next round
  static constexpr int kAPrimeStart = kLink + 1;                          // A'[x][y][z]
  static constexpr int kCPrimeStart = kAPrimeStart + 25 * int{kLaneBits};  // C'[x][z]
  static constexpr int kDStart = kCPrimeStart + 5 * int{kLaneBits};        // D[x][z]
  static constexpr int kOutputStart = kDStart + 5 * int{kLaneBits};        // round output limbs
  static constexpr int kIotaStart = kOutputStart + 25 * int{kLimbsPerLane};  // chi(0, 0) at kIotaBits
  // A call (keccak_air.h, "calls"): active on every row of a permutation that answers a call,
  // first / last on its round-0 / round-23 row; the call's ts, pointer (ptr_lo = 4 ptr_word) and
  // rs2 (for an absorb, the block's pointer: rs2_lo = 4 rs2_word; else rs2_word = 0), the same on
  // every row of the permutation; the state's 50 words as limbs (the input on round 0, the output
  // on round 23).
  static constexpr int kActive = kIotaStart + int{kIotaBits.size()};
  static constexpr int kFirst = kActive + 1;
  static constexpr int kLast = kFirst + 1;
  static constexpr int kTs = kLast + 1;
  static constexpr int kPtrLo = kTs + 1;
  static constexpr int kPtrHi = kPtrLo + 1;
  static constexpr int kPtrWord = kPtrHi + 1;
  static constexpr int kRs2Lo = kPtrWord + 1;
  static constexpr int kRs2Hi = kRs2Lo + 1;
  static constexpr int kRs2Word = kRs2Hi + 1;
  static constexpr int kWordStart = kRs2Word + 1;
  static constexpr int kNumColumns = kWordStart + 2 * int{kStateWords};

  static constexpr int group(size_t i) { return kGroupStart + static_cast<int>(i); }
  static constexpr int step(size_t j) { return kStepStart + static_cast<int>(j); }
  static constexpr int a_prime(size_t x, size_t y, size_t z) {
    return kAPrimeStart + static_cast<int>((x + 5 * y) * kLaneBits + z);
  }
  static constexpr int c_prime(size_t x, size_t z) { return kCPrimeStart + static_cast<int>(x * kLaneBits + z); }
  static constexpr int d(size_t x, size_t z) { return kDStart + static_cast<int>(x * kLaneBits + z); }
  static constexpr int output(size_t x, size_t y, size_t limb) {
    return kOutputStart + static_cast<int>((x + 5 * y) * kLimbsPerLane + limb);
  }
  static constexpr int iota(size_t k) { return kIotaStart + static_cast<int>(k); }
  // Word w of the state (lane w / 2, bits 32 (w % 2) ..), limb 0 (low 16 bits) or 1.
  static constexpr int word(size_t w, size_t limb) { return kWordStart + static_cast<int>(2 * w + limb); }
};

// 2,468 cells a row, 59,232 per permutation (Plonky3's keccak-air: 2,632 and 63,168).
static_assert(KeccakColumns::kNumColumns == 2468);

}  // namespace zkrv::precompile_air::keccak_f1600
