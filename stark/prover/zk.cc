#include "stark/prover/zk.h"

#include <algorithm>
#include <span>

#include "stark/fri/fri_params.h"
#include "stark/ntt/ntt.h"

namespace zkrv::stark::prover::zk {
namespace {

using air::Ext;
using air::Fp;

// n rows of random field elements, row-major.
Matrix<Fp> random_rows(size_t rows, size_t width, const fri::ZkRandom& random, std::string_view label, uint64_t index) {
  Matrix<Fp> out(rows, width);
  random.fill(label, index, std::span<Fp>(out.data(), rows * width));
  return out;
}

}  // namespace

void randomize_reserved_rows(Matrix<Fp>& trace, const protocol::TableShape& shape, const fri::ZkRandom& random,
                             std::string_view label, uint64_t index) {
  const size_t rows = trace.rows();
  const size_t reserved = std::min(shape.reserved_rows, rows);
  const size_t width = trace.width();
  if (reserved == 0 || width == 0) return;
  random.fill(label, index, std::span<Fp>(trace.data() + (rows - reserved) * width, reserved * width));
}

Matrix<Fp> quotient_coefficients(const std::vector<Ext>& quotient) {
  const size_t m = quotient.size();
  Matrix<Fp> values(m, 4);
  for (size_t i = 0; i < m; ++i) {
    for (size_t d = 0; d < 4; ++d) values.at(i, d) = quotient[i][d];
  }
  // The values are g(X) = Q(sX) on H_m in bit-reversed order; undo the shift on the coefficients.
  inverse_ntt(values, RowOrder::kBitReversed);
  const Fp shift_inverse = fri::lde_shift().inverse();
  Fp power = Fp::one();
  for (size_t j = 0; j < m; ++j) {
    for (size_t d = 0; d < 4; ++d) values.at(j, d) *= power;
    power *= shift_inverse;
  }
  return values;
}

Matrix<Fp> hiding_quotient_lde(const std::vector<Ext>& quotient, const protocol::TableShape& shape, int log_blowup,
                               const fri::ZkRandom& random, uint64_t index) {
  const size_t m = quotient.size();
  Matrix<Fp> values = quotient_coefficients(quotient);
  const size_t rows = size_t{1} << shape.log_committed;
  const size_t chunks = static_cast<size_t>(shape.quotient_chunks);
  const size_t stride = static_cast<size_t>(shape.quotient_stride);
  const size_t t = shape.quotient_randomness;
  Matrix<Fp> coefficients(rows, 4 * chunks);
  for (size_t k = 0; k < chunks; ++k) {
    // The last chunk takes every remaining coefficient (an honest Q has none past its degree).
    const size_t length = k + 1 == chunks ? rows : stride;
    for (size_t r = 0; r < length && k * stride + r < m; ++r) {
      for (size_t d = 0; d < 4; ++d) coefficients.at(r, 4 * k + d) = values.at(k * stride + r, d);
    }
  }
  // Carries a_1 .. a_(chunks-1): chunk k - 1 gains X^S a_k, chunk k loses a_k.
  for (size_t k = 1; k < chunks; ++k) {
    const Matrix<Fp> carry = random_rows(t, 4, random, "quotient carry", (index << 8) | k);
    for (size_t r = 0; r < t; ++r) {
      for (size_t d = 0; d < 4; ++d) {
        coefficients.at(stride + r, 4 * (k - 1) + d) += carry.at(r, d);
        coefficients.at(r, 4 * k + d) -= carry.at(r, d);
      }
    }
  }
  return coset_lde_from_coefficients(coefficients, log_blowup, fri::lde_shift(), RowOrder::kBitReversed);
}

Matrix<Fp> mask_lde(int log_height, int log_blowup, const fri::ZkRandom& random) {
  const Matrix<Fp> coefficients = random_rows(size_t{1} << log_height, 4, random, "mask", 0);
  return coset_lde_from_coefficients(coefficients, log_blowup, fri::lde_shift(), RowOrder::kBitReversed);
}

}  // namespace zkrv::stark::prover::zk
