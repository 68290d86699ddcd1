// Machine: an ordered set of tables connected by buses, plus the boundary terms the verifier adds
// from public values. It analyzes every table once (symbolic.h) and checks the machine as a whole:
// unique table names, one tuple size per bus, the supplier rule (a bus with unbounded counts has
// them in one direction only, and every interaction and boundary term in that direction is such a
// count), and (per proof, given the table heights) the LogUp soundness bound.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stark/air/air.h"
#include "stark/air/symbolic.h"
#include "stark/air/table.h"
#include "stark/hash/digest.h"

namespace zkrv::stark::air {

struct BusInfo {
  BusId id = 0;
  std::string name;
};

// An interaction the verifier itself contributes, computed from public values only (for example
// the initial state sent and the final state received by a machine's boundary).
struct BoundaryInteraction {
  BusId bus = 0;
  Direction direction = Direction::kSend;
  std::vector<Fp> tuple;
  Fp multiplicity = Fp::one();
};

using BoundedTotals = std::map<std::pair<BusId, Direction>, unsigned __int128>;

// public_values[t] are table t's public values.
using BoundaryFunction =
    std::function<std::vector<BoundaryInteraction>(std::span<const std::vector<Fp>> public_values)>;

// Wraps a table of a machine proven with zero knowledge in its mask-bus columns and interactions
// (mask_bus.h); `inner` keeps its columns first.
using MaskWrap = std::function<std::shared_ptr<const Table>(std::shared_ptr<const Table> inner)>;

class Machine {
 public:
  // Throws AirError for any inconsistency (naming the table and bus), or for a table on the
  // reserved bus kMaskBus.
  Machine(std::string name, std::vector<std::shared_ptr<const Table>> tables, std::vector<BusInfo> buses = {},
          BoundaryFunction boundary = {});

  // The machine a zero-knowledge proof commits to: with two or more tables that have interactions,
  // this machine with every such table wrapped in a MaskedTable (mask_bus.h); otherwise this
  // machine (a single table's claimed sum is fixed by the statement). Idempotent: the masked
  // machine's zk_machine() is itself.
  const Machine& zk_machine() const { return zk_ ? *zk_ : *this; }
  // The same with another wrap: for tests that play a prover committing to a forged mask.
  Machine with_mask_bus(const MaskWrap& wrap) const;
  // The first mask column of table t's main trace, or -1 for a table without one.
  int mask_column(size_t t) const { return mask_columns_.empty() ? -1 : mask_columns_[t]; }

  const std::string& name() const { return name_; }
  size_t num_tables() const { return tables_.size(); }
  const Table& table(size_t t) const { return *tables_[t]; }
  const TableAnalysis& analysis(size_t t) const { return analyses_[t]; }
  bool has_interactions() const;
  std::string bus_name(BusId bus) const;
  // The direction of the bus's supplier side (its lookup tables' unbounded counts), if it has one.
  std::optional<Direction> supplier_direction(BusId bus) const;

  // The verifier's boundary interactions (empty without a boundary function). Throws AirError if
  // one names an unknown bus, has the wrong tuple size or goes in a bus's supplier direction.
  std::vector<BoundaryInteraction> boundary(std::span<const std::vector<Fp>> public_values) const;

  // Per bus and direction, the sum over bounded interactions of rows x max multiplicity, plus the
  // boundary multiplicities: the most that side can put on the bus.
  BoundedTotals bounded_totals(std::span<const int> log_heights, std::span<const BoundaryInteraction> boundary) const;

  // Throws AirError unless, on every bus and in each direction, the sum over bounded interactions
  // of rows x max multiplicity (plus boundary multiplicities) is below p (docs/proof-system.md).
  void check_interaction_bound(std::span<const int> log_heights,
                             std::span<const BoundaryInteraction> boundary) const;

  // The canonical text of every table's constraints and interactions, and its BLAKE2s hash (part
  // of the verifying key). A masked machine (zk_machine) keeps its base machine's digest: the mask
  // is fixed by the protocol and FriParams::zk, which the transcript binds, not by the machine.
  std::string describe() const;
  Digest constraint_digest() const { return digest_; }

 private:
  struct MaskTag {};
  Machine(MaskTag, const Machine& base, const MaskWrap& wrap);
  void analyze_tables();
  void check_supplier_rule() const;

  std::string name_;
  std::vector<std::shared_ptr<const Table>> tables_;
  std::vector<TableAnalysis> analyses_;
  std::vector<BusInfo> buses_;
  std::vector<std::pair<BusId, size_t>> bus_arity_;
  std::vector<std::pair<BusId, Direction>> supplier_direction_;
  BoundaryFunction boundary_;
  Digest digest_{};
  std::vector<int> mask_columns_;           // per table, in a masked machine; empty otherwise
  std::shared_ptr<const Machine> zk_;       // the masked machine, when it differs from this one
};

}  // namespace zkrv::stark::air
