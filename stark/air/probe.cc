#include "stark/air/probe.h"

namespace zkrv::stark::air {

std::vector<ProbeResult> probe_assignments(const Table& table, const TableAnalysis& analysis, const ProbeWindow& window,
                                          const std::vector<ProbeCell>& cells, const InteractionFilter& filter) {
  if (window.local.size() != static_cast<size_t>(analysis.info.main_width) || window.next.size() != window.local.size() ||
      analysis.info.preprocessed_width != 0) {
    throw AirError("probe_assignments: the window must hold every main column (tables without fixed columns)");
  }
  std::vector<Fp> local = window.local, next = window.next;
  ValueBuilder<Fp> builder;
  builder.main_local = local.data();
  builder.main_next_row = next.data();
  builder.public_values = window.public_values.data();
  builder.first_row = window.first_row ? Fp::one() : Fp::zero();
  builder.last_row = window.last_row ? Fp::one() : Fp::zero();
  builder.transition = Fp::one() - builder.last_row;

  std::vector<ProbeResult> results;
  std::vector<size_t> choice(cells.size(), 0);
  for (const ProbeCell& cell : cells) {
    if (cell.candidates.empty()) return results;
  }
  while (true) {
    for (size_t i = 0; i < cells.size(); ++i) {
      (cells[i].next_row ? next : local)[static_cast<size_t>(cells[i].column)] = cells[i].candidates[choice[i]];
    }
    builder.clear();
    table.eval(builder);
    bool ok = true;
    for (const Fp& v : builder.constraint_values) ok = ok && v.is_zero();
    ProbeResult result;
    if (ok) {
      size_t offset = 0;
      for (const SymbolicInteraction& it : analysis.interactions) {
        std::vector<Fp> values(builder.interaction_values.begin() + static_cast<std::ptrdiff_t>(offset),
                               builder.interaction_values.begin() + static_cast<std::ptrdiff_t>(offset + 1 + it.tuple.size()));
        offset += 1 + it.tuple.size();
        if (filter && !values[0].is_zero() &&
            !filter(it.bus, it.direction, std::vector<Fp>(values.begin() + 1, values.end()), values[0])) {
          ok = false;
        }
        result.interactions.push_back(std::move(values));
      }
    }
    if (ok) {
      result.local = local;
      result.next = next;
      results.push_back(std::move(result));
    }
    size_t i = 0;
    for (; i < cells.size(); ++i) {
      if (++choice[i] < cells[i].candidates.size()) break;
      choice[i] = 0;
    }
    if (i == cells.size()) break;
  }
  return results;
}

}  // namespace zkrv::stark::air
