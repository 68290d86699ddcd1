#include "stark/air/machine.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "stark/air/mask_bus.h"
#include "stark/hash/blake2s.h"

namespace zkrv::stark::air {
namespace {

const char* direction_name(Direction direction) { return direction == Direction::kSend ? "send" : "receive"; }

TableAnalysis analyze(const Table& table) {
  const TableInfo info = table.info();
  SymbolicBuilder builder(info);
  table.eval(builder);
  return finish_analysis(info, builder);
}

}  // namespace

Machine::Machine(std::string name, std::vector<std::shared_ptr<const Table>> tables, std::vector<BusInfo> buses,
                 BoundaryFunction boundary)
    : name_(std::move(name)), tables_(std::move(tables)), buses_(std::move(buses)), boundary_(std::move(boundary)) {
  analyze_tables();
  for (const TableAnalysis& a : analyses_) {
    for (const SymbolicInteraction& it : a.interactions) {
      if (Fp::from_u32(it.bus) == Fp::from_u32(kMaskBus)) {
        throw AirError(fmt::format("machine {}: table {} uses bus {}, reserved for the zero-knowledge mask", name_,
                                   a.info.name, it.bus));
      }
    }
  }
  digest_ = [&] {
    Blake2s hasher(Blake2sParams::personalized("zkrv-air"));
    hasher.update(describe());
    return hasher.finish();
  }();
  const size_t with_interactions = static_cast<size_t>(std::count_if(
      analyses_.begin(), analyses_.end(), [](const TableAnalysis& a) { return a.has_interactions(); }));
  if (with_interactions >= 2) {
    zk_ = std::shared_ptr<const Machine>(
        new Machine(MaskTag{}, *this, [](std::shared_ptr<const Table> inner) -> std::shared_ptr<const Table> {
          return std::make_shared<MaskedTable>(std::move(inner));
        }));
  }
}

Machine::Machine(MaskTag, const Machine& base, const MaskWrap& wrap)
    : name_(base.name_), buses_(base.buses_), boundary_(base.boundary_), digest_(base.digest_) {
  for (size_t t = 0; t < base.tables_.size(); ++t) {
    if (base.analyses_[t].has_interactions()) {
      tables_.push_back(wrap(base.tables_[t]));
      mask_columns_.push_back(base.analyses_[t].info.main_width);
    } else {
      tables_.push_back(base.tables_[t]);
      mask_columns_.push_back(-1);
    }
  }
  buses_.push_back({kMaskBus, "zk mask"});
  analyze_tables();
}

Machine Machine::with_mask_bus(const MaskWrap& wrap) const { return Machine(MaskTag{}, *this, wrap); }

void Machine::analyze_tables() {
  if (tables_.empty()) throw AirError(fmt::format("machine {}: has no tables", name_));
  std::set<std::string> names;
  for (const auto& table : tables_) {
    if (table == nullptr) throw AirError(fmt::format("machine {}: null table", name_));
    analyses_.push_back(analyze(*table));
    const std::string& table_name = analyses_.back().info.name;
    if (table_name.empty() || !names.insert(table_name).second) {
      throw AirError(fmt::format("machine {}: table name '{}' is empty or repeated", name_, table_name));
    }
  }
  // One tuple size per bus; unbounded multiplicities in one direction at most.
  std::map<BusId, size_t> arity;
  std::map<BusId, std::set<Direction>> unbounded;
  for (const TableAnalysis& a : analyses_) {
    for (const SymbolicInteraction& it : a.interactions) {
      auto [entry, inserted] = arity.emplace(it.bus, it.tuple.size());
      if (!inserted && entry->second != it.tuple.size()) {
        throw AirError(fmt::format("machine {}: bus {} carries tuples of {} entries, but table {} uses {}", name_,
                                   bus_name(it.bus), entry->second, a.info.name, it.tuple.size()));
      }
      if (it.max_multiplicity == kUnbounded) unbounded[it.bus].insert(it.direction);
    }
  }
  for (const auto& [bus, directions] : unbounded) {
    if (directions.size() > 1) {
      throw AirError(fmt::format("machine {}: bus {} has unbounded multiplicities on both the send and the receive "
                                 "side, so LogUp cannot bound its multiplicities",
                                 name_, bus_name(bus)));
    }
    supplier_direction_.emplace_back(bus, *directions.begin());
  }
  check_supplier_rule();
  bus_arity_.assign(arity.begin(), arity.end());
}

std::optional<Direction> Machine::supplier_direction(BusId bus) const {
  for (const auto& [id, direction] : supplier_direction_) {
    if (id == bus) return direction;
  }
  return std::nullopt;
}

// The supplier rule (docs/proof-system.md "Buses"): on a bus with a supplier side, every
// interaction in that direction is a supplier's count. A bounded interaction there could be
// cancelled by a count of p - m for the same tuple, so it would prove a lookup nobody answered.
void Machine::check_supplier_rule() const {
  for (const TableAnalysis& a : analyses_) {
    for (size_t i = 0; i < a.interactions.size(); ++i) {
      const SymbolicInteraction& it = a.interactions[i];
      const std::optional<Direction> supplier = supplier_direction(it.bus);
      if (it.max_multiplicity == kUnbounded || supplier != it.direction) continue;
      throw AirError(fmt::format(
          "machine {}: bus {} has a supplier side ({}s with unbounded counts), but table {} interaction {} also "
          "{}s on it with a bounded multiplicity (at most {}); a supplier's count of p - m would cancel it, so "
          "lookups must go in the other direction",
          name_, bus_name(it.bus), direction_name(it.direction), a.info.name, i, direction_name(it.direction),
          it.max_multiplicity));
    }
  }
}

bool Machine::has_interactions() const {
  return std::any_of(analyses_.begin(), analyses_.end(), [](const TableAnalysis& a) { return a.has_interactions(); });
}

std::string Machine::bus_name(BusId bus) const {
  for (const BusInfo& b : buses_) {
    if (b.id == bus) return fmt::format("{} ({})", bus, b.name);
  }
  return fmt::format("{}", bus);
}

std::vector<BoundaryInteraction> Machine::boundary(std::span<const std::vector<Fp>> public_values) const {
  if (!boundary_) return {};
  std::vector<BoundaryInteraction> result = boundary_(public_values);
  for (const BoundaryInteraction& b : result) {
    if (Fp::from_u32(b.bus) == Fp::from_u32(kMaskBus)) {
      throw AirError(fmt::format("machine {}: a boundary interaction uses bus {}, reserved for the zero-knowledge mask",
                                 name_, b.bus));
    }
    if (supplier_direction(b.bus) == b.direction) {
      throw AirError(fmt::format("machine {}: a boundary interaction {}s on bus {}, whose {} side is a supplier's "
                                 "(unbounded counts), which could cancel it",
                                 name_, direction_name(b.direction), bus_name(b.bus), direction_name(b.direction)));
    }
    auto it = std::find_if(bus_arity_.begin(), bus_arity_.end(), [&](const auto& e) { return e.first == b.bus; });
    if (it == bus_arity_.end()) {
      throw AirError(fmt::format("machine {}: boundary interaction on bus {} which no table uses", name_, bus_name(b.bus)));
    }
    if (it->second != b.tuple.size()) {
      throw AirError(fmt::format("machine {}: boundary interaction on bus {} has {} entries, the bus carries {}", name_,
                                 bus_name(b.bus), b.tuple.size(), it->second));
    }
  }
  return result;
}

BoundedTotals Machine::bounded_totals(std::span<const int> log_heights,
                                      std::span<const BoundaryInteraction> boundary) const {
  BoundedTotals totals;
  for (size_t t = 0; t < analyses_.size() && t < log_heights.size(); ++t) {
    const uint64_t rows = uint64_t{1} << log_heights[t];
    for (const SymbolicInteraction& it : analyses_[t].interactions) {
      if (it.max_multiplicity == kUnbounded) continue;
      totals[{it.bus, it.direction}] += static_cast<unsigned __int128>(rows) * it.max_multiplicity;
    }
  }
  for (const BoundaryInteraction& b : boundary) totals[{b.bus, b.direction}] += b.multiplicity.to_u32();
  return totals;
}

void Machine::check_interaction_bound(std::span<const int> log_heights,
                                    std::span<const BoundaryInteraction> boundary) const {
  if (log_heights.size() != analyses_.size()) {
    throw AirError(fmt::format("machine {}: {} heights for {} tables", name_, log_heights.size(), analyses_.size()));
  }
  for (const auto& [key, total] : bounded_totals(log_heights, boundary)) {
    if (total >= Fp::kModulus) {
      throw AirError(fmt::format("machine {}: bus {} {} side has up to {} interactions (rows x max multiplicity), "
                                 "not below p = {}: LogUp would be unsound",
                                 name_, bus_name(key.first), direction_name(key.second),
                                 static_cast<uint64_t>(total), Fp::kModulus));
    }
  }
}

std::string Machine::describe() const {
  std::string out = fmt::format("machine {}\n", name_);
  for (const TableAnalysis& a : analyses_) out += a.describe();
  for (const auto& [bus, arity] : bus_arity_) out += fmt::format("bus {} arity {}\n", bus_name(bus), arity);
  return out;
}


}  // namespace zkrv::stark::air
