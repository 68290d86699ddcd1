#include "stark/air/checker.h"

#include <bit>
#include <map>

#include <fmt/format.h>

namespace zkrv::stark::air {
namespace {

std::string tuple_to_string(const std::vector<Fp>& tuple) {
  std::string out = "(";
  for (size_t i = 0; i < tuple.size(); ++i) out += fmt::format("{}{}", i ? ", " : "", tuple[i].to_u32());
  return out + ")";
}

// Field elements above p/2 read better as negative numbers (a net of -1 is p - 1).
std::string signed_value(Fp x) {
  const uint32_t v = x.to_u32();
  if (v > Fp::kModulus / 2) return fmt::format("-{}", Fp::kModulus - v);
  return fmt::format("{}", v);
}

void check_shapes(const Machine& machine, std::span<const Matrix<Fp>> preprocessed,
                  std::span<const TableWitness> witnesses) {
  if (witnesses.size() != machine.num_tables() || preprocessed.size() != machine.num_tables()) {
    throw AirError(fmt::format("machine {}: {} witnesses and {} preprocessed traces for {} tables", machine.name(),
                               witnesses.size(), preprocessed.size(), machine.num_tables()));
  }
}

// Calls visit(table, row, interaction index, multiplicity, tuple) for every interaction of every
// row whose multiplicity is not zero.
template <typename Visit>
void for_each_interaction(const Machine& machine, std::span<const Matrix<Fp>> preprocessed,
                          std::span<const TableWitness> witnesses, size_t reserved_rows, Visit&& visit) {
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    const TableAnalysis& analysis = machine.analysis(t);
    if (!analysis.has_interactions()) continue;
    RowEvaluator evaluator(machine.table(t), analysis, preprocessed[t], witnesses[t], reserved_rows);
    for (size_t row = 0; row < evaluator.active_rows(); ++row) {
      const ValueBuilder<Fp>& b = evaluator.evaluate(row);
      size_t offset = 0;
      for (size_t i = 0; i < analysis.interactions.size(); ++i) {
        const size_t arity = analysis.interactions[i].tuple.size();
        const Fp m = b.interaction_values[offset];
        if (!m.is_zero()) {
          const std::vector<Fp> tuple(b.interaction_values.begin() + static_cast<std::ptrdiff_t>(offset + 1),
                                      b.interaction_values.begin() + static_cast<std::ptrdiff_t>(offset + 1 + arity));
          visit(t, row, i, m, tuple);
        }
        offset += 1 + arity;
      }
    }
  }
}

std::vector<int> log_heights_of(std::span<const TableWitness> witnesses) {
  std::vector<int> log_heights;
  for (const TableWitness& w : witnesses) log_heights.push_back(std::bit_width(w.main.rows()) - 1);
  return log_heights;
}

}  // namespace

std::vector<ConstraintFailure> check_table_rows(const Table& table, const TableAnalysis& analysis,
                                              const Matrix<Fp>& preprocessed, const TableWitness& witness,
                                              size_t max_failures, size_t reserved_rows) {
  std::vector<ConstraintFailure> failures;
  RowEvaluator evaluator(table, analysis, preprocessed, witness, reserved_rows);
  for (size_t row = 0; row < evaluator.active_rows() && failures.size() < max_failures; ++row) {
    const ValueBuilder<Fp>& b = evaluator.evaluate(row);
    for (size_t c = 0; c < b.constraint_values.size() && failures.size() < max_failures; ++c) {
      if (!b.constraint_values[c].is_zero()) {
        failures.push_back({analysis.info.name, b.constraint_names[c], row, b.constraint_values[c]});
      }
    }
  }
  return failures;
}

namespace {

std::vector<std::vector<Fp>> public_values_of(std::span<const TableWitness> witnesses) {
  std::vector<std::vector<Fp>> public_values;
  for (const TableWitness& w : witnesses) public_values.push_back(w.public_values);
  return public_values;
}

// Both bus checks from one evaluation of every row's interactions (the prover runs them on every
// witness before proving): unmatched tuples into *imbalances and supplier counts above the other
// side's bound into *negative_counts, each skipped when null.
void check_buses(const Machine& machine, std::span<const Matrix<Fp>> preprocessed,
                 std::span<const TableWitness> witnesses, size_t max_items, size_t reserved_rows,
                 std::vector<BusImbalance>* imbalances,
                 std::vector<NegativeCount>* negative_counts) {
  check_shapes(machine, preprocessed, witnesses);
  struct Entry {
    Fp net = Fp::zero();
    std::vector<std::string> where;
  };
  std::map<std::pair<BusId, std::vector<uint32_t>>, Entry> entries;
  auto add = [&](BusId bus, const std::vector<Fp>& tuple, Fp signed_multiplicity, const std::string& where) {
    std::vector<uint32_t> key;
    for (const Fp& v : tuple) key.push_back(v.to_u32());
    Entry& e = entries[{bus, key}];
    e.net += signed_multiplicity;
    if (e.where.size() < 4) e.where.push_back(where);
  };
  const std::vector<BoundaryInteraction> boundary = machine.boundary(public_values_of(witnesses));
  const BoundedTotals totals = machine.bounded_totals(log_heights_of(witnesses), boundary);
  auto check_count = [&](size_t t, size_t row, size_t i, Fp m, const std::vector<Fp>& tuple) {
    const SymbolicInteraction& it = machine.analysis(t).interactions[i];
    if (it.max_multiplicity != kUnbounded || negative_counts->size() == max_items) return;
    const Direction other = it.direction == Direction::kSend ? Direction::kReceive : Direction::kSend;
    const auto total = totals.find({it.bus, other});
    const uint64_t bound =
        total == totals.end() ? 0 : static_cast<uint64_t>(std::min<unsigned __int128>(total->second, UINT64_MAX));
    if (m.to_u32() <= bound) return;
    negative_counts->push_back({machine.analysis(t).info.name, row, i, it.bus, tuple, m, bound});
  };
  for_each_interaction(machine, preprocessed, witnesses, reserved_rows,
                       [&](size_t t, size_t row, size_t i, Fp m, const std::vector<Fp>& tuple) {
                         if (negative_counts != nullptr) check_count(t, row, i, m, tuple);
                         if (imbalances == nullptr) return;
                         const SymbolicInteraction& it = machine.analysis(t).interactions[i];
                         const bool send = it.direction == Direction::kSend;
                         add(it.bus, tuple, send ? m : -m,
                             fmt::format("{} row {} {} x{}", machine.analysis(t).info.name, row,
                                         send ? "sends" : "receives", signed_value(m)));
                       });
  if (imbalances == nullptr) return;
  for (const BoundaryInteraction& b : boundary) {
    const bool send = b.direction == Direction::kSend;
    add(b.bus, b.tuple, send ? b.multiplicity : -b.multiplicity,
        fmt::format("boundary {} x{}", send ? "sends" : "receives", signed_value(b.multiplicity)));
  }
  for (const auto& [key, entry] : entries) {
    if (entry.net.is_zero()) continue;
    if (imbalances->size() == max_items) break;
    BusImbalance imbalance;
    imbalance.bus = key.first;
    for (uint32_t v : key.second) imbalance.tuple.push_back(Fp::from_u32(v));
    imbalance.net = entry.net;
    imbalance.where = entry.where;
    imbalances->push_back(std::move(imbalance));
  }
}

}  // namespace

std::vector<BusImbalance> find_bus_imbalances(const Machine& machine, std::span<const Matrix<Fp>> preprocessed,
                                            std::span<const TableWitness> witnesses, size_t max_tuples,
                                            size_t reserved_rows) {
  std::vector<BusImbalance> result;
  check_buses(machine, preprocessed, witnesses, max_tuples, reserved_rows, &result, nullptr);
  return result;
}

std::vector<NegativeCount> find_negative_counts(const Machine& machine, std::span<const Matrix<Fp>> preprocessed,
                                                std::span<const TableWitness> witnesses, size_t max_counts,
                                                size_t reserved_rows) {
  std::vector<NegativeCount> result;
  check_buses(machine, preprocessed, witnesses, max_counts, reserved_rows, nullptr, &result);
  return result;
}

MachineCheck check_machine(const Machine& machine, std::span<const Matrix<Fp>> preprocessed,
                          std::span<const TableWitness> witnesses, size_t max_items, size_t reserved_rows) {
  MachineCheck check;
  check_buses(machine, preprocessed, witnesses, max_items, reserved_rows, &check.imbalances, &check.negative_counts);
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    for (ConstraintFailure& f : check_table_rows(machine.table(t), machine.analysis(t), preprocessed[t], witnesses[t],
                                               max_items - std::min(max_items, check.failures.size()),
                                               reserved_rows)) {
      check.failures.push_back(std::move(f));
    }
  }
  return check;
}

std::string MachineCheck::to_string(const Machine& machine) const {
  std::string out;
  for (const ConstraintFailure& f : failures) {
    out += fmt::format("table {}: constraint {} fails at row {} (value {})\n", f.table, f.constraint, f.row,
                       signed_value(f.value));
  }
  for (const NegativeCount& n : negative_counts) {
    out += fmt::format("table {} row {} interaction {}: count {} of tuple {} on bus {} is above {}, the most the "
                       "other side can put on the bus: it can only balance as a negative count ({})\n",
                       n.table, n.row, n.interaction, n.count.to_u32(), tuple_to_string(n.tuple),
                       machine.bus_name(n.bus), n.bound, signed_value(n.count));
  }
  for (const BusImbalance& b : imbalances) {
    std::string where;
    for (const std::string& w : b.where) where += (where.empty() ? "" : "; ") + w;
    out += fmt::format("bus {}: tuple {} unmatched, net multiplicity {} ({})\n", machine.bus_name(b.bus),
                       tuple_to_string(b.tuple), signed_value(b.net), where);
  }
  return out;
}

}  // namespace zkrv::stark::air
