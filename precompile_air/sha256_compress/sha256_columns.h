// Column layout of the SHA-256 compression table (sha256_air.h): one compression per row, every
// word that the bit-wise functions read as 32 bit columns and every addition's carries as small
// digits. The row holds the input chaining value H (8 words), the message schedule W[0..63] (W[0..15]
// is the block), the new a and e of rounds 0..62 (b, c, d and f, g, h are earlier rounds' a and e),
// the output H' (8 words), and the carries. Round 63's new a and e are never committed: H'[0] and
// H'[4] are computed from round 63's sums directly. Compared with Plonky3's sha256-air and SP1's
// compress and extend chips in README.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace zkrv::precompile_air::sha256_compress {

inline constexpr size_t kRounds = 64;
inline constexpr size_t kWordBits = 32;
inline constexpr size_t kLimbBits = 16;
inline constexpr size_t kLimbs = 2;
inline constexpr size_t kBlockWords = 16;
inline constexpr size_t kStateWords = 8;
using ChainingValue = std::array<uint32_t, kStateWords>;
using Block = std::array<uint32_t, kBlockWords>;

// One call: the chaining value and the 16-word block (big-endian words, FIPS 180-4 section 5.2.1).
struct Compression {
  ChainingValue state{};
  Block block{};
};

// FIPS 180-4 section 4.2.2, K_0..K_63, and section 5.3.3, H^(0).
inline constexpr std::array<uint32_t, kRounds> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
inline constexpr ChainingValue kInitialHashValue = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

// Rounds whose new a and e are committed as bits (round 63's go straight into H'[0] and H'[4]).
inline constexpr size_t kChainedRounds = kRounds - 1;
// A round's carry (at most 7: eight 16-bit terms) is d0 + 3 d1 with digits d in {0, 1, 2}: two
// cells and a degree-3 range check each, where bits would take three cells.
inline constexpr size_t kCarryDigits = 2;
// The output words whose feed-forward is an addition of its own (0 and 4 are round 63's).
inline constexpr std::array<size_t, 6> kFeedForwardWords = {1, 2, 3, 5, 6, 7};

struct Sha256Columns {
  static constexpr int kWordBitsI = static_cast<int>(kWordBits);
  static constexpr int kInputStart = 0;                                                   // H[i] bits
  static constexpr int kScheduleStart = kInputStart + int{kStateWords} * kWordBitsI;      // W[t] bits
  static constexpr int kAStart = kScheduleStart + int{kRounds} * kWordBitsI;              // new a of round t
  static constexpr int kEStart = kAStart + int{kChainedRounds} * kWordBitsI;              // new e of round t
  static constexpr int kOutputStart = kEStart + int{kChainedRounds} * kWordBitsI;         // H'[i] bits
  static constexpr int kScheduleCarryStart = kOutputStart + int{kStateWords} * kWordBitsI;  // 2 bits a limb
  static constexpr int kRoundCarryStart = kScheduleCarryStart + int{kRounds - kBlockWords} * int{kLimbs} * 2;
  static constexpr int kOutputCarryStart = kRoundCarryStart + int{kRounds} * 2 * int{kLimbs} * int{kCarryDigits};
  // A call (sha256_air.h, "calls"): active on a row that answers one; the call's ts, the state's
  // pointer (rs1: state_lo = 4 state_word) and the block's (rs2: block_lo = 4 block_word). The words
  // themselves are the row's H, H' and W[0..15] bits: a call adds no word columns.
  static constexpr int kActive = kOutputCarryStart + int{kFeedForwardWords.size()} * int{kLimbs};
  static constexpr int kTs = kActive + 1;
  static constexpr int kStateLo = kTs + 1;
  static constexpr int kStateHi = kStateLo + 1;
  static constexpr int kStateWord = kStateHi + 1;
  static constexpr int kBlockLo = kStateWord + 1;
  static constexpr int kBlockHi = kBlockLo + 1;
  static constexpr int kBlockWord = kBlockHi + 1;
  static constexpr int kNumColumns = kBlockWord + 1;
  // The columns that prove the compression alone (without the call's).
  static constexpr int kCompressionColumns = kActive;

  static constexpr int input(size_t word, size_t bit) { return kInputStart + static_cast<int>(word * kWordBits + bit); }
  static constexpr int w(size_t t, size_t bit) { return kScheduleStart + static_cast<int>(t * kWordBits + bit); }
  static constexpr int a(size_t round, size_t bit) { return kAStart + static_cast<int>(round * kWordBits + bit); }
  static constexpr int e(size_t round, size_t bit) { return kEStart + static_cast<int>(round * kWordBits + bit); }
  static constexpr int output(size_t word, size_t bit) { return kOutputStart + static_cast<int>(word * kWordBits + bit); }
  // W[t]'s carry out of limb `limb`, t in 16..63: bit + 2 bit'.
  static constexpr int schedule_carry(size_t t, size_t limb, size_t bit) {
    return kScheduleCarryStart + static_cast<int>(((t - kBlockWords) * kLimbs + limb) * 2 + bit);
  }
  // Round t's carry out of limb `limb` of its new a (sum 0) or new e (sum 1).
  static constexpr int round_carry(size_t round, size_t sum, size_t limb, size_t digit) {
    return kRoundCarryStart + static_cast<int>(((round * 2 + sum) * kLimbs + limb) * kCarryDigits + digit);
  }
  // The feed-forward carry of output word kFeedForwardWords[index].
  static constexpr int output_carry(size_t index, size_t limb) {
    return kOutputCarryStart + static_cast<int>(index * kLimbs + limb);
  }
};

// 7,308 cells a compression (Plonky3's sha256-air: 7,968; README.md), 7,316 with the call's.
static_assert(Sha256Columns::kCompressionColumns == 7308);
static_assert(Sha256Columns::kNumColumns == 7316);

}  // namespace zkrv::precompile_air::sha256_compress
