// Column layout of the BLAKE2s compression table (circuit/blake2s_air.h): one compression a row. The row
// holds the call's inputs (the chaining value h as bits, the block's 16 words as 16-bit limbs, the
// counter as bits, the final flag), the four words each of the 80 applications of G (10 rounds of
// 8, RFC 7693 section 3.2) leaves behind, as bits, the carries of G's four additions, and the
// output h' as 16-bit limbs. G's middle values (a', b', c', d') are never committed: xor is its
// own inverse, so each is a polynomial in the committed bits (circuit/blake2s_air.h). Compared with
// Plonky3's blake3-air and with the SHA-256 compression table in circuit/README.md. Shared by the
// circuit (circuit/) and the package's row filler (blake2s_rows.h), so both use one layout.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace example::blake2s_circuit {

inline constexpr size_t kRounds = 10;
inline constexpr size_t kMixesPerRound = 8;
inline constexpr size_t kMixes = kRounds * kMixesPerRound;  // applications of G
inline constexpr size_t kWordBits = 32;
inline constexpr size_t kLimbBits = 16;
inline constexpr size_t kLimbs = 2;
inline constexpr size_t kStateWords = 8;
inline constexpr size_t kBlockWords = 16;
inline constexpr size_t kWorkWords = 16;  // the work vector v[0..15]
// rs2's 76 bytes as words: the block (0..15), the byte counter (16: low word, 17: high word), the
// final flag (18).
inline constexpr size_t kCounterWord = 16;
inline constexpr size_t kFlagWord = 18;
inline constexpr size_t kParameterWords = 19;

using State = std::array<uint32_t, kStateWords>;
using Block = std::array<uint32_t, kBlockWords>;  // little-endian words of the 64 block bytes

// One call's inputs: the chaining value, the block, the counter (bytes so far, this block
// included) and whether the block is the last.
struct Compression {
  State state{};
  Block block{};
  uint64_t counter = 0;
  bool last = false;
};

// G's operands (a, b, c, d) in the work vector: the four columns, then the four diagonals.
inline constexpr std::array<std::array<size_t, 4>, kMixesPerRound> kMixOperands = {{
    {0, 4, 8, 12}, {1, 5, 9, 13}, {2, 6, 10, 14}, {3, 7, 11, 15},
    {0, 5, 10, 15}, {1, 6, 11, 12}, {2, 7, 8, 13}, {3, 4, 9, 14},
}};
// RFC 7693 section 2.7: the message word schedule; round r's G j takes m[kSigma[r][2j]] and
// m[kSigma[r][2j + 1]].
inline constexpr uint8_t kSigma[kRounds][kBlockWords] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}};
// RFC 7693 section 2.1, BLAKE2s: G's rotations R1..R4.
inline constexpr std::array<size_t, 4> kRotations = {16, 12, 8, 7};

// The words a G leaves behind (committed as bits) and its additions (committed as carries):
//   sum 0: a' = a + b + x     sum 1: c' = c + d'     sum 2: a'' = a' + b' + y     sum 3: c'' = c' + d''
enum class MixWord : size_t { kA = 0, kB = 1, kC = 2, kD = 3 };
inline constexpr size_t kMixSums = 4;
// The sums of three terms (0 and 2) carry at most 2 a limb: one digit in {0, 1, 2}; the others a bit.
constexpr bool has_three_terms(size_t sum) { return sum % 2 == 0; }

struct Blake2sColumns {
  static constexpr int kWordBitsI = static_cast<int>(kWordBits);
  static constexpr int kInputStart = 0;                                                     // h[i] bits
  static constexpr int kCounterStart = kInputStart + int{kStateWords} * kWordBitsI;         // t bits, low word first
  static constexpr int kFinal = kCounterStart + 2 * kWordBitsI;                             // f, a bit
  static constexpr int kMessageStart = kFinal + 1;                                          // m[t] limbs
  static constexpr int kMixStart = kMessageStart + int{kBlockWords} * int{kLimbs};          // G's a'', b'', c'', d'' bits
  static constexpr int kCarryStart = kMixStart + int{kMixes} * 4 * kWordBitsI;              // G's carries
  static constexpr int kOutputStart = kCarryStart + int{kMixes} * int{kMixSums} * int{kLimbs};  // h'[i] limbs
  // A call (blake2s_air.h, "calls"): active on a row that answers one; the call's ts, the state's
  // pointer (rs1: state_lo = 4 state_word) and the parameter block's (rs2: block_lo = 4
  // block_word). The words themselves are the row's inputs and outputs: a call adds no word columns.
  static constexpr int kActive = kOutputStart + int{kStateWords} * int{kLimbs};
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
  // Bit `bit` of the 64-bit counter (0..31: its low word t0, 32..63: t1).
  static constexpr int counter(size_t bit) { return kCounterStart + static_cast<int>(bit); }
  static constexpr int message(size_t word, size_t limb) { return kMessageStart + static_cast<int>(word * kLimbs + limb); }
  // Mix = 8 round + G index (0..3 the columns, 4..7 the diagonals).
  static constexpr int mix_word(size_t mix, MixWord word, size_t bit) {
    return kMixStart + static_cast<int>((mix * 4 + static_cast<size_t>(word)) * kWordBits + bit);
  }
  static constexpr int carry(size_t mix, size_t sum, size_t limb) {
    return kCarryStart + static_cast<int>((mix * kMixSums + sum) * kLimbs + limb);
  }
  static constexpr int output(size_t word, size_t limb) { return kOutputStart + static_cast<int>(word * kLimbs + limb); }
};

// 136 cells a G (128 bits, 8 carries; Plonky3's blake3-air: 136 too), 369 for the inputs and output:
// 11,249 a compression, 11,257 with the call's (circuit/README.md).
static_assert(Blake2sColumns::kCarryStart - Blake2sColumns::kMixStart + int{kMixes * kMixSums * kLimbs} == 136 * int{kMixes});
static_assert(Blake2sColumns::kCompressionColumns == 11249);
static_assert(Blake2sColumns::kNumColumns == 11257);

}  // namespace example::blake2s_circuit
