#include "stark/fri/folding.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <string>

#include "stark/field/matrix.h"
#include "stark/field/packed_extension.h"
#include "stark/ntt/ntt.h"

namespace zkrv::stark::fri {

Ext fold_row(std::span<const Ext> row, uint64_t row_index, int log_size, int log_arity, const Ext& beta) {
  if (row.size() != (size_t{1} << log_arity) || log_arity > log_size) {
    throw FriError("fold_row: a row of " + std::to_string(row.size()) + " entries cannot be folded by 2^" +
                   std::to_string(log_arity) + " in a vector of size 2^" + std::to_string(log_size));
  }
  std::vector<Ext> values(row.begin(), row.end());
  uint64_t first_pair = row_index << (log_arity - 1);  // global pair index of values[0], values[1]
  Ext layer_beta = beta;
  for (int layer = 0; layer < log_arity; ++layer) {
    const size_t pairs = values.size() / 2;
    for (size_t j = 0; j < pairs; ++j) {
      values[j] = fold_pair(values[2 * j], values[2 * j + 1], half_inverse_pair_point(log_size - layer, first_pair + j),
                           layer_beta);
    }
    values.resize(pairs);
    first_pair >>= 1;
    layer_beta = layer_beta.square();
  }
  return values[0];
}

std::vector<Fp> bit_reversed_coset(int log_size, Fp shift) {
  // rev(i + 2^b) = rev(i) + 2^(log_size - 1 - b) for i < 2^b: each half extends the one before by
  // one multiplication per point.
  std::vector<Fp> points(size_t{1} << log_size);
  points[0] = shift;
  for (int b = 0; b < log_size; ++b) {
    const size_t half = size_t{1} << b;
    const Fp step = Fp::two_adic_generator(b + 1);  // w_N^(2^(log_size - 1 - b))
    tbb::parallel_for(tbb::blocked_range<size_t>(0, half, 1 << 14), [&](const tbb::blocked_range<size_t>& range) {
      for (size_t i = range.begin(); i < range.end(); ++i) points[half + i] = points[i] * step;
    });
  }
  return points;
}

std::vector<Ext> fold_vector(std::span<const Ext> values, int log_size, int log_arity, const Ext& beta) {
  if (values.size() != (size_t{1} << log_size) || log_arity > log_size) {
    throw FriError("fold_vector: " + std::to_string(values.size()) + " values cannot be folded by 2^" +
                   std::to_string(log_arity) + " as a vector of size 2^" + std::to_string(log_size));
  }
  using Packed = PackedKoalaBear;
  using PackedExt = PackedKoalaBear4;
  constexpr size_t kLanes = Packed::kWidth;
  std::vector<Ext> current;
  std::span<const Ext> input = values;  // the first layer reads the caller's vector in place
  Ext layer_beta = beta;
  for (int layer = 0; layer < log_arity; ++layer) {
    const int log_current = log_size - layer;
    const size_t pairs = input.size() / 2;
    // half_inverse[q] = 1 / (2 w^rev(q)): the powers of w^-1, stored in bit-reversed order.
    std::vector<Fp> half_inverse(pairs);
    const Fp inverse_generator = Fp::two_adic_generator(log_current).inverse();
    Fp power = Fp::from_u32(2).inverse();
    for (size_t k = 0; k < pairs; ++k) {
      half_inverse[reverse_bits(k, log_current - 1)] = power;
      power *= inverse_generator;
    }
    std::vector<Ext> folded(pairs);
    const PackedExt beta_packed = PackedExt::broadcast(layer_beta);
    const Packed half = Packed::broadcast(Fp::from_u32(2).inverse());
    tbb::parallel_for(tbb::blocked_range<size_t>(0, pairs, 4096), [&](const tbb::blocked_range<size_t>& range) {
      size_t q = range.begin();
      // 16 pairs at a time: lo and hi coordinates gathered with stride 2 extension elements.
      for (; q + kLanes <= range.end(); q += kLanes) {
        const Fp* base = input[2 * q].coefficients().data();
        std::array<Packed, Ext::kDegree> lo, hi;
        for (size_t d = 0; d < Ext::kDegree; ++d) {
          lo[d] = Packed::load_strided(base + d, 2 * Ext::kDegree);
          hi[d] = Packed::load_strided(base + Ext::kDegree + d, 2 * Ext::kDegree);
        }
        const PackedExt a(lo), b(hi);
        const PackedExt r = (a + b) * half + beta_packed * ((a - b) * Packed::load(half_inverse.data() + q));
        r.store(folded.data() + q);
      }
      for (; q < range.end(); ++q) folded[q] = fold_pair(input[2 * q], input[2 * q + 1], half_inverse[q], layer_beta);
    });
    current = std::move(folded);
    input = current;
    layer_beta = layer_beta.square();
  }
  if (log_arity == 0) current.assign(values.begin(), values.end());
  return current;
}

FoldSchedule make_fold_schedule(const FriParams& params, std::span<const int> log_lde_heights) {
  params.validate();
  if (log_lde_heights.empty()) throw FriError("fold schedule: no inputs");
  std::vector<int> heights(log_lde_heights.begin(), log_lde_heights.end());
  std::sort(heights.begin(), heights.end(), std::greater<>());
  heights.erase(std::unique(heights.begin(), heights.end()), heights.end());
  if (heights.back() < params.log_blowup || heights.front() > Fp::kTwoAdicity) {
    throw FriError("fold schedule: LDE heights 2^" + std::to_string(heights.back()) + " .. 2^" +
                   std::to_string(heights.front()) + " are outside [2^log_blowup = 2^" +
                   std::to_string(params.log_blowup) + ", 2^" + std::to_string(Fp::kTwoAdicity) + "]");
  }
  FoldSchedule schedule;
  schedule.log_max_lde = heights.front();
  schedule.log_final_poly_len = std::min(params.log_final_poly_len, heights.back() - params.log_blowup);
  schedule.log_final_domain = schedule.log_final_poly_len + params.log_blowup;
  int current = schedule.log_max_lde;
  size_t next_input = 1;  // heights[next_input] is the next input to roll in
  while (current > schedule.log_final_domain) {
    int arity = schedule.log_arities.empty() ? params.log_first_fold_arity : params.log_fold_arity;
    arity = std::min(arity, current - schedule.log_final_domain);
    if (next_input < heights.size()) arity = std::min(arity, current - heights[next_input]);
    schedule.log_arities.push_back(arity);
    current -= arity;
    if (next_input < heights.size() && heights[next_input] == current) ++next_input;
  }
  return schedule;
}

std::vector<Ext> interpolate_bit_reversed(std::span<const Ext> values) {
  if (values.empty() || !std::has_single_bit(values.size())) {
    throw FriError("interpolate_bit_reversed: " + std::to_string(values.size()) + " values, not a power of two");
  }
  Matrix<Fp> matrix(values.size(), Ext::kDegree);
  for (size_t i = 0; i < values.size(); ++i) {
    for (size_t j = 0; j < Ext::kDegree; ++j) matrix.at(i, j) = values[i][j];
  }
  inverse_ntt(matrix, RowOrder::kBitReversed);
  std::vector<Ext> coefficients(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    typename Ext::Coefficients c;
    for (size_t j = 0; j < Ext::kDegree; ++j) c[j] = matrix.at(i, j);
    coefficients[i] = Ext(c);
  }
  return coefficients;
}

}  // namespace zkrv::stark::fri
