// What the FRI prover (fri_prover.cc) and verifier (fri_verifier.cc) share beyond pcs.h: the
// opening checks, the batching coefficients, the term numbering and weights, and the transcript
// steps both sides run identically. Not part of the public interface.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "stark/field/packed_koalabear.h"
#include "stark/fri/pcs.h"

namespace zkrv::stark::fri::internal {

inline constexpr size_t kD = Ext::kDegree;

std::string where(size_t round, size_t matrix);

void check_shape(const FriParams& params, const MatrixShape& shape, const std::string& where);

// Shapes and points agree and are in range. Returns the number of batched terms.
size_t check_opening(const FriParams& params, std::span<const std::vector<MatrixShape>> round_shapes,
                     const OpeningPoints& points);

// "deep coefficients" (independent draws) or powers of "deep alpha", one per term.
std::vector<Ext> batching_coefficients(const FriParams& params, Transcript& transcript, size_t terms);

// The coefficients of one (matrix, point) term group, coordinate-major, so that combining a row of
// base-field values is kD plain dot products with delayed reduction.
class TermWeights {
 public:
  std::array<std::vector<Fp>, kD> coordinates;
  Ext claimed_combination;  // sum_c coefficient_c * f_c(z)

  TermWeights(std::span<const Ext> coefficients, std::span<const Ext> claimed_values) {
    for (size_t j = 0; j < kD; ++j) {
      coordinates[j].resize(coefficients.size());
      for (size_t c = 0; c < coefficients.size(); ++c) coordinates[j][c] = coefficients[c][j];
    }
    for (size_t c = 0; c < coefficients.size(); ++c) claimed_combination += coefficients[c] * claimed_values[c];
  }

  Ext combine(std::span<const Fp> row) const {
    typename Ext::Coefficients out;
    for (size_t j = 0; j < kD; ++j) out[j] = dot_product(row, coordinates[j].data());
    return Ext(out);
  }

 private:
  // sum_c row[c] * weights[c], 16 columns at a time.
  static Fp dot_product(std::span<const Fp> row, const Fp* weights) {
    constexpr size_t kLanes = PackedKoalaBear::kWidth;
    PackedKoalaBear sum;
    size_t c = 0;
    for (; c + kLanes <= row.size(); c += kLanes) {
      sum = sum + PackedKoalaBear::load(row.data() + c) * PackedKoalaBear::load(weights + c);
    }
    if (c < row.size()) {
      const size_t tail = row.size() - c;
      sum = sum + PackedKoalaBear::load_partial(row.data() + c, tail) * PackedKoalaBear::load_partial(weights + c, tail);
    }
    alignas(64) Fp lanes[kLanes];
    sum.store(lanes);
    Fp total;
    for (const Fp& lane : lanes) total += lane;
    return total;
  }
};

// Absorbs every claimed value as one "opened values" item.
void absorb_opened_values(Transcript& transcript, const OpenedValues& values);

// Terms are numbered round, matrix, point, column; offsets[r][m] is matrix m's first.
std::vector<std::vector<size_t>> term_offsets_of(std::span<const std::vector<MatrixShape>> round_shapes,
                                                 const OpeningPoints& points);

// num_queries x "query index" over the tallest LDE.
std::vector<uint64_t> squeeze_queries(const FriParams& params, const FoldSchedule& schedule, Transcript& transcript);

}  // namespace zkrv::stark::fri::internal
