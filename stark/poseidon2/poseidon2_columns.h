// Column layout of the Poseidon2 table (poseidon2_air.h): one row per permutation, Plonky3's
// poseidon2-air layout for an S-box of degree 3 with no S-box registers (the cube of a degree-1
// expression is already within the degree bound of 3): the 16 inputs, the state after each of the
// 4 beginning external rounds, the S-box output of each of the 20 internal rounds, and the state
// after each of the 4 ending external rounds (the last of which is the output).
#pragma once

#include <cstddef>

#include "stark/poseidon2/poseidon2.h"

namespace zkrv::stark::poseidon2 {

struct Poseidon2Columns {
  static constexpr int kInputsStart = 0;
  static constexpr int kBeginningStart = kInputsStart + static_cast<int>(kWidth);
  static constexpr int kPartialStart = kBeginningStart + static_cast<int>(kHalfFullRounds * kWidth);
  static constexpr int kEndingStart = kPartialStart + static_cast<int>(kPartialRounds);
  static constexpr int kNumColumns = kEndingStart + static_cast<int>(kHalfFullRounds * kWidth);

  static constexpr int input(size_t i) { return kInputsStart + static_cast<int>(i); }
  // The state after beginning external round `round` (0..3), element i.
  static constexpr int beginning_full(size_t round, size_t i) {
    return kBeginningStart + static_cast<int>(round * kWidth + i);
  }
  // The S-box output of internal round `round` (0..19).
  static constexpr int partial_sbox(size_t round) { return kPartialStart + static_cast<int>(round); }
  // The state after ending external round `round` (0..3), element i.
  static constexpr int ending_full(size_t round, size_t i) {
    return kEndingStart + static_cast<int>(round * kWidth + i);
  }
  static constexpr int output(size_t i) { return ending_full(kHalfFullRounds - 1, i); }
};

// 164 cells per permutation, as Plonky3's Poseidon2Cols<_, 16, 3, 0, 4, 20>.
static_assert(Poseidon2Columns::kNumColumns == 164);

}  // namespace zkrv::stark::poseidon2
