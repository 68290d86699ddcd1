// FRI folding arithmetic, shared by the prover (whole vectors) and the verifier (one row per query).
//
// FRI sees every vector as the evaluations of a polynomial g on the subgroup H_N = <w_N> in
// bit-reversed order: entry i is g(w_N^rev(i)). (A vector of evaluations of f on the LDE coset
// s * H_N is g(X) = f(s X), of the same degree, so the coset shift never enters FRI.) In that
// order entries 2q and 2q + 1 hold g(x) and g(-x) with x = w_N^rev_{N/2}(q), and one arity-2 fold
//     g'(x^2) = (g(x) + g(-x)) / 2 + beta * (g(x) - g(-x)) / (2x)
// leaves a vector over H_{N/2}, again in bit-reversed order. An arity-2^a fold is a such folds with
// beta, beta^2, beta^4, ...: it maps g = sum_k X^k g_k(X^(2^a)) to sum_k beta^k g_k, and it only
// needs the 2^a adjacent entries of one "row" (a Merkle leaf of the committed layer).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "stark/fri/fri_params.h"

namespace zkrv::stark::fri {

// The low `bits` bits of value, reversed (bits <= 64): reverse all 64 bits, keep the top `bits`.
inline uint64_t reverse_bits(uint64_t value, int bits) {
  if (bits == 0) return 0;
  value = ((value >> 1) & 0x5555555555555555ull) | ((value & 0x5555555555555555ull) << 1);
  value = ((value >> 2) & 0x3333333333333333ull) | ((value & 0x3333333333333333ull) << 2);
  value = ((value >> 4) & 0x0f0f0f0f0f0f0f0full) | ((value & 0x0f0f0f0f0f0f0f0full) << 4);
  value = __builtin_bswap64(value);
  return value >> (64 - bits);
}

// The point x = w_N^rev(i) of entry i of a bit-reversed vector of size N = 2^log_size.
inline Fp subgroup_point(int log_size, uint64_t index) {
  return Fp::two_adic_generator(log_size).pow(reverse_bits(index, log_size));
}

// 1 / (2x) for the pair (2q, 2q + 1) of a bit-reversed vector of size 2^log_size.
inline Fp half_inverse_pair_point(int log_size, uint64_t pair) {
  const Fp inverse_generator = Fp::two_adic_generator(log_size).inverse();
  const Fp half = Fp::from_u32(2).inverse();
  return inverse_generator.pow(reverse_bits(pair, log_size - 1)) * half;
}

// The arity-2 fold of one pair: lo = g(x), hi = g(-x), half_inverse_x = 1 / (2x).
inline Ext fold_pair(const Ext& lo, const Ext& hi, Fp half_inverse_x, const Ext& beta) {
  static const Fp kHalf = Fp::from_u32(2).inverse();
  return (lo + hi) * kHalf + beta * ((lo - hi) * half_inverse_x);
}

// Verifier side: folds one row of 2^log_arity adjacent entries (row `row_index` of a vector of
// size 2^log_size, i.e. entries [row_index << log_arity, (row_index + 1) << log_arity)) to entry
// row_index of the folded vector of size 2^(log_size - log_arity).
Ext fold_row(std::span<const Ext> row, uint64_t row_index, int log_size, int log_arity, const Ext& beta);

// x_i = shift * w_N^rev(i), i < N = 2^log_size: the coset shift * H_N in bit-reversed order.
std::vector<Fp> bit_reversed_coset(int log_size, Fp shift);

// Prover side: folds a whole bit-reversed vector of size 2^log_size by 2^log_arity, in parallel.
std::vector<Ext> fold_vector(std::span<const Ext> values, int log_size, int log_arity, const Ext& beta);

// beta^(2^log_arity): the weight with which a shorter input rolls in after a fold by that arity,
// so it lands on its own power of beta, apart from the folded terms.
inline Ext roll_in_weight(const Ext& beta, int log_arity) {
  Ext weight = beta;
  for (int i = 0; i < log_arity; ++i) weight = weight.square();
  return weight;
}

// The folding schedule both sides derive from the parameters and the LDE heights of the inputs.
struct FoldSchedule {
  int log_max_lde = 0;           // size of the first (tallest) FRI vector
  std::vector<int> log_arities;  // one per folding round
  int log_final_poly_len = 0;    // coefficients sent in the clear: min(param, smallest trace)
  int log_final_domain = 0;      // log_final_poly_len + log_blowup
};

// Every round folds by its configured arity, cut short so that it never jumps over the height of
// an input (which must roll in exactly there) or below the final domain. `log_lde_heights` lists
// the distinct input heights (any order; each >= log_blowup). Throws FriError on bad heights.
FoldSchedule make_fold_schedule(const FriParams& params, std::span<const int> log_lde_heights);

// Coefficients (lowest first) of the polynomial whose evaluations over H_N, in bit-reversed order,
// are `values`; N = values.size() must be a power of two. Used for the final polynomial.
std::vector<Ext> interpolate_bit_reversed(std::span<const Ext> values);

// Horner evaluation of a polynomial with coefficients lowest first.
inline Ext evaluate_polynomial(std::span<const Ext> coefficients, const Ext& x) {
  Ext result;
  for (size_t i = coefficients.size(); i-- > 0;) result = result * x + coefficients[i];
  return result;
}

}  // namespace zkrv::stark::fri
