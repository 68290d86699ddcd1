#include "stark/air/witness.h"

#include <cstdint>

#include <fmt/format.h>

namespace zkrv::stark::air {

RowEvaluator::RowEvaluator(const Table& table, const TableAnalysis& analysis, const Matrix<Fp>& preprocessed,
                           const TableWitness& witness, size_t reserved_rows)
    : table_(table), analysis_(analysis), preprocessed_(preprocessed), witness_(witness) {
  const TableInfo& info = analysis.info;
  if (witness.main.width() != static_cast<size_t>(info.main_width)) {
    throw AirError(fmt::format("table {}: main trace has {} columns, the table declares {}", info.name,
                               witness.main.width(), info.main_width));
  }
  rows_ = witness.main.rows();
  if (rows_ == 0 || (rows_ & (rows_ - 1)) != 0) {
    throw AirError(fmt::format("table {}: main trace has {} rows, not a power of two", info.name, rows_));
  }
  if (reserved_rows >= rows_) {
    throw AirError(fmt::format("table {}: {} rows leave no active row besides {} reserved", info.name, rows_,
                               reserved_rows));
  }
  active_ = rows_ - reserved_rows;
  if (info.preprocessed_width > 0 &&
      (preprocessed.width() != static_cast<size_t>(info.preprocessed_width) || preprocessed.rows() != rows_)) {
    throw AirError(fmt::format("table {}: preprocessed columns are {}x{}, the main trace needs {}x{}", info.name,
                               preprocessed.rows(), preprocessed.width(), rows_, info.preprocessed_width));
  }
  if (witness.public_values.size() != static_cast<size_t>(info.num_public_values)) {
    throw AirError(fmt::format("table {}: {} public values given, the table declares {}", info.name,
                               witness.public_values.size(), info.num_public_values));
  }
  for (const SymbolicInteraction& it : analysis.interactions) interaction_value_count_ += 1 + it.tuple.size();
  builder_.public_values = witness.public_values.data();
  // With rows reserved, the proof evaluates the last active row against the first reserved row,
  // which the prover fills with random values only after the checks; the witness still has zeros
  // there, and zeros would let a next-row constraint that forgets its transition gate pass the
  // checker only to fail as a rejected proof. Fixed pseudo-random values (splitmix64) stand in,
  // so reports are reproducible. Preprocessed columns stay as they are: they are zero on the
  // reserved rows in the proof too.
  if (reserved_rows > 0) {
    uint64_t state = 0x7a6b7276636b6e78ULL;
    junk_next_row_.reserve(witness.main.width());
    for (size_t c = 0; c < witness.main.width(); ++c) {
      state += 0x9e3779b97f4a7c15ULL;
      uint64_t z = state;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      z ^= z >> 31;
      junk_next_row_.push_back(Fp::from_u32(static_cast<uint32_t>(z % Fp::kModulus)));
    }
  }
}

const ValueBuilder<Fp>& RowEvaluator::evaluate(size_t row) {
  const size_t next = (row + 1) % rows_;
  builder_.clear();
  builder_.main_local = witness_.main.row(row).data();
  builder_.main_next_row =
      row + 1 == active_ && !junk_next_row_.empty() ? junk_next_row_.data() : witness_.main.row(next).data();
  if (analysis_.info.preprocessed_width > 0) {
    builder_.preprocessed_local = preprocessed_.row(row).data();
    builder_.preprocessed_next_row = preprocessed_.row(next).data();
  }
  builder_.first_row = row == 0 ? Fp::one() : Fp::zero();
  builder_.last_row = row + 1 == active_ ? Fp::one() : Fp::zero();
  builder_.transition = Fp::one() - builder_.last_row;
  table_.eval(builder_);
  if (builder_.constraint_values.size() != analysis_.constraints.size() ||
      builder_.interaction_values.size() != interaction_value_count_) {
    throw AirError(fmt::format("table {}: eval emitted {} constraints and {} interaction values at row {}, but {} and "
                               "{} symbolically (eval must not branch on values)",
                               analysis_.info.name, builder_.constraint_values.size(),
                               builder_.interaction_values.size(), row, analysis_.constraints.size(),
                               interaction_value_count_));
  }
  return builder_;
}

}  // namespace zkrv::stark::air
