// The debugger side of the framework: a row checker that runs a table's eval on every row of a
// concrete witness and names each failing constraint and row, and a bus-balance debugger that
// lists, per bus, the tuples whose sends and receives do not cancel (with the tables and rows that
// sent or received them). The prover runs both before proving (unless a test plays a malicious
// prover), so a bad witness fails with a readable report instead of an unverifiable proof.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "stark/air/machine.h"
#include "stark/air/witness.h"

namespace zkrv::stark::air {

struct ConstraintFailure {
  std::string table;
  std::string constraint;
  size_t row = 0;
  Fp value;
};

struct BusImbalance {
  BusId bus = 0;
  std::vector<Fp> tuple;
  Fp net;                          // sum of send multiplicities minus receives
  std::vector<std::string> where;  // "cpu row 3 sends x1", at most a few
};

// A supplier's count (an unbounded multiplicity) above the most lookups the other side of its bus
// can make: an honest count never is, so it is some p - m that cancels lookups nobody made.
struct NegativeCount {
  std::string table;
  size_t row = 0;
  size_t interaction = 0;
  BusId bus = 0;
  std::vector<Fp> tuple;
  Fp count;
  uint64_t bound = 0;  // rows x max multiplicity over the other side's interactions, plus its boundary terms
};

struct MachineCheck {
  std::vector<ConstraintFailure> failures;
  std::vector<BusImbalance> imbalances;
  std::vector<NegativeCount> negative_counts;
  bool ok() const { return failures.empty() && imbalances.empty() && negative_counts.empty(); }
  // A report for people: one line per failing constraint and per unmatched tuple.
  std::string to_string(const Machine& machine) const;
};

// Every check reads the rows before each table's last `reserved_rows` (protocol::reserved_rows:
// zero knowledge's random rows, outside every constraint and bus); the last active row reads
// pseudo-random junk as its next row, as it reads a random row in the proof (RowEvaluator).

// The first `max_failures` failing (constraint, row) pairs of one table.
std::vector<ConstraintFailure> check_table_rows(const Table& table, const TableAnalysis& analysis,
                                              const Matrix<Fp>& preprocessed, const TableWitness& witness,
                                              size_t max_failures = 16, size_t reserved_rows = 0);

// Unmatched tuples over all tables and the boundary, at most `max_tuples`.
std::vector<BusImbalance> find_bus_imbalances(const Machine& machine, std::span<const Matrix<Fp>> preprocessed,
                                            std::span<const TableWitness> witnesses, size_t max_tuples = 16,
                                            size_t reserved_rows = 0);

// Supplier counts above the other side's bound, at most `max_counts`.
std::vector<NegativeCount> find_negative_counts(const Machine& machine, std::span<const Matrix<Fp>> preprocessed,
                                                std::span<const TableWitness> witnesses, size_t max_counts = 16,
                                                size_t reserved_rows = 0);

// All three checks on a whole witness (`preprocessed[t]` as Table::preprocessed() returns it). Throws
// AirError for shape errors.
MachineCheck check_machine(const Machine& machine, std::span<const Matrix<Fp>> preprocessed,
                          std::span<const TableWitness> witnesses, size_t max_items = 16,
                          size_t reserved_rows = 0);

}  // namespace zkrv::stark::air
