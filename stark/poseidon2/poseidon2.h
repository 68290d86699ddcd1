// Poseidon2 over KoalaBear, width 16: the permutation of Grassi, Khovratovich and Schofnegger
// (IACR ePrint 2023/323, https://eprint.iacr.org/2023/323) with the parameters, linear layers and
// round constants Plonky3 uses (https://github.com/Plonky3/Plonky3, koala-bear/src/poseidon2.rs),
// so that a digest computed here equals Plonky3's, plus the 2-to-1 compression a Merkle tree over
// memory hashes its nodes with.
//
// The permutation: the external linear layer once, 4 external rounds (add 16 round constants,
// x^3 on every element, external layer), 20 internal rounds (add one constant to element 0, x^3
// on element 0, internal layer), 4 external rounds. x^3 is a permutation of KoalaBear because
// gcd(3, p - 1) = 1 (p - 1 = 2^24 * 127).
//
// The linear layers are templates over the element type so that the Poseidon2 AIR runs the very
// same arithmetic on its expressions and on the linear forms it precomputes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "stark/field/koalabear.h"

namespace zkrv::stark::poseidon2 {

inline constexpr size_t kWidth = 16;
inline constexpr size_t kHalfFullRounds = 4;  // external rounds before and after the internal ones
inline constexpr size_t kPartialRounds = 20;  // internal rounds
inline constexpr uint64_t kSboxDegree = 3;

// A compression input or output: 8 elements, about 248 bits, so 124-bit collision resistance.
inline constexpr size_t kDigestWidth = 8;

template <class T>
using StateOf = std::array<T, kWidth>;
using State = StateOf<KoalaBear>;
using Digest = std::array<KoalaBear, kDigestWidth>;

struct RoundConstants {
  std::array<State, kHalfFullRounds> initial;   // external rounds 0..3
  std::array<KoalaBear, kPartialRounds> internal;
  std::array<State, kHalfFullRounds> terminal;  // external rounds 4..7
};

// The diagonal V of the internal matrix 1 + diag(V) (1 is the all-ones matrix), Plonky3's choice
// for KoalaBear width 16: [-2, 1, 2, 1/2, 3, 4, -1/2, -3, -4, 1/2^8, 1/8, 1/2^24, -1/2^8, -1/8,
// -1/16, -1/2^24].
const std::array<KoalaBear, kWidth>& internal_diagonal();

// The round constants of Plonky3's `default_koalabear_poseidon2_16` (Grain LFSR, R_F = 8, R_P = 20).
const RoundConstants& plonky3_round_constants();

template <class T>
T sbox(const T& x) {
  return x * x * x;
}

// M4 = circ(2, 3, 1, 1) = [[2 3 1 1] [1 2 3 1] [1 1 2 3] [3 1 1 2]], an MDS matrix, with 9
// additions and 2 doublings. Plonky3's `MDSMat4` uses it for KoalaBear in place of the paper's
// [[5 7 1 3] [4 6 1 1] [1 3 5 7] [1 1 4 6]] (Appendix B) because it is cheaper; the paper's
// requirements on M4 (Section 5.1) hold for both, and matching Plonky3's digests requires this one.
template <class T>
void apply_m4(T& x0, T& x1, T& x2, T& x3) {
  const T t01 = x0 + x1;
  const T t23 = x2 + x3;
  const T t0123 = t01 + t23;
  const T t01123 = t0123 + x1;
  const T t01233 = t0123 + x3;
  const T y3 = t01233 + (x0 + x0);  // 3 x0 + x1 + x2 + 2 x3
  const T y1 = t01123 + (x2 + x2);  // x0 + 2 x1 + 3 x2 + x3
  const T y0 = t01123 + t01;        // 2 x0 + 3 x1 + x2 + x3
  const T y2 = t01233 + t23;        // x0 + x1 + 2 x2 + 3 x3
  x0 = y0;
  x1 = y1;
  x2 = y2;
  x3 = y3;
}

// The external matrix circ(2 M4, M4, M4, M4): M4 on each block of 4, then every element gains the
// sum of the elements at its position in all four blocks.
template <class T>
void external_linear_layer(StateOf<T>& s) {
  for (size_t i = 0; i < kWidth; i += 4) apply_m4(s[i], s[i + 1], s[i + 2], s[i + 3]);
  for (size_t k = 0; k < 4; ++k) {
    const T column_sum = s[k] + s[k + 4] + s[k + 8] + s[k + 12];
    for (size_t i = k; i < kWidth; i += 4) s[i] = s[i] + column_sum;
  }
}

// The internal matrix 1 + diag(V): s_i <- V_i s_i + sum_j s_j. `scale(c, x)` multiplies an element
// by a field constant.
template <class T, class Scale>
void internal_linear_layer(StateOf<T>& s, const Scale& scale) {
  T sum = s[0];
  for (size_t i = 1; i < kWidth; ++i) sum = sum + s[i];
  const std::array<KoalaBear, kWidth>& diagonal = internal_diagonal();
  for (size_t i = 0; i < kWidth; ++i) s[i] = scale(diagonal[i], s[i]) + sum;
}

void external_linear_layer(State& s);
void internal_linear_layer(State& s);

// The permutation with the given round constants (tests use others to match more vectors).
void permute(State& state, const RoundConstants& constants);
// The permutation with Plonky3's constants.
void permute(State& state);

// permute on each of `states`, 16 at a time in the lanes of PackedKoalaBear (AVX-512 where the
// build targets it), the rest one by one: for many independent states, as a Merkle layer has.
void permute_batch(std::span<State> states);

// 2-to-1 compression for Merkle nodes: permute(left || right) truncated to its first 8 elements,
// Plonky3's `TruncatedPermutation<_, 2, 8, 16>` (symmetric/src/compression.rs), the compression
// its examples configure for Merkle trees over 31-bit fields, so node hashes agree with Plonky3's.
// Plonky3 classes it a `PseudoCompressionFunction`: collision resistant in a hash tree, where the
// preimage of an inner node consists of compression outputs, not for arbitrary inputs. A tree
// built on it therefore hashes its leaves apart (its own choice) and never feeds raw data to
// `compress`. No feed-forward (adding the input back) is applied, as in Plonky3: it would break
// agreement with Plonky3's nodes.
Digest compress(const Digest& left, const Digest& right);

// parents[i] = compress(children[2 i], children[2 i + 1]) for every i, through permute_batch.
// Throws std::length_error unless children has twice as many digests as parents.
void compress_batch(std::span<const Digest> children, std::span<Digest> parents);

}  // namespace zkrv::stark::poseidon2
