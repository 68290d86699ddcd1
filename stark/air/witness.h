// What a prover supplies per table (the main trace and the table's public values), and the
// row-by-row evaluation of a table's eval on it that the row checker, the bus debugger and LogUp
// witness generation share.
#pragma once

#include <span>
#include <vector>

#include "stark/air/symbolic.h"
#include "stark/air/table.h"
#include "stark/air/value_builder.h"
#include "stark/field/matrix.h"

namespace zkrv::stark::air {

struct TableWitness {
  Matrix<Fp> main;                // 2^k rows x info().main_width
  std::vector<Fp> public_values;  // info().num_public_values
};

class RowEvaluator {
 public:
  // Throws AirError when the shapes disagree with the table (naming the table and what differs).
  // `preprocessed` is ignored (may be empty) when the table has no preprocessed columns.
  // The last `reserved_rows` rows (zero knowledge's random rows) are outside the constraints: the
  // `last` selector sits on the row before them.
  RowEvaluator(const Table& table, const TableAnalysis& analysis, const Matrix<Fp>& preprocessed,
               const TableWitness& witness, size_t reserved_rows = 0);

  size_t rows() const { return rows_; }
  size_t active_rows() const { return active_; }
  // Runs eval at `row`. Without reserved rows the next row of the last row is row 0 (the trace
  // wraps); with them, the last active row's next row is fixed pseudo-random junk in every main
  // column, as the proof's random reserved row is, so a next-row constraint not gated by
  // `transition` fails there. Throws AirError if eval emitted a different number of constraints or
  // interaction values than the symbolic run (eval branched).
  const ValueBuilder<Fp>& evaluate(size_t row);

 private:
  const Table& table_;
  const TableAnalysis& analysis_;
  const Matrix<Fp>& preprocessed_;
  const TableWitness& witness_;
  size_t rows_ = 0;
  size_t active_ = 0;
  size_t interaction_value_count_ = 0;
  std::vector<Fp> junk_next_row_;  // empty without reserved rows
  ValueBuilder<Fp> builder_;
};

}  // namespace zkrv::stark::air
