// Under-constraint probes: enumerate candidate values for some cells of a two-row window of a
// table and keep every assignment that satisfies all of the table's constraints (and whose sends
// a caller-supplied predicate accepts, e.g. "the range table contains this value"). A test then
// checks that the satisfying assignments agree on the table's outputs: if two differ, a prover
// could choose either, and the table is under-constrained.
#pragma once

#include <functional>
#include <vector>

#include "stark/air/symbolic.h"
#include "stark/air/table.h"
#include "stark/air/value_builder.h"

namespace zkrv::stark::air {

struct ProbeCell {
  bool next_row = false;
  int column = 0;
  std::vector<Fp> candidates;
};

struct ProbeWindow {
  std::vector<Fp> local, next;     // main columns; the probed cells vary
  std::vector<Fp> public_values;
  bool first_row = false, last_row = false;  // is_transition = !last_row
};

// (bus, direction, tuple, multiplicity) of one interaction of a satisfying assignment.
using InteractionFilter = std::function<bool(BusId, Direction, const std::vector<Fp>& tuple, Fp multiplicity)>;

struct ProbeResult {
  std::vector<Fp> local, next;
  std::vector<std::vector<Fp>> interactions;  // per interaction: multiplicity, then the tuple
};

// Every assignment of the cells' candidates (the cartesian product) that satisfies all
// constraints and passes `filter` for every interaction with a non-zero multiplicity.
std::vector<ProbeResult> probe_assignments(const Table& table, const TableAnalysis& analysis, const ProbeWindow& window,
                                          const std::vector<ProbeCell>& cells, const InteractionFilter& filter = {});

}  // namespace zkrv::stark::air
