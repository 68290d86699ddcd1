#include "stark/air/symbolic.h"

#include <algorithm>

#include <fmt/format.h>

namespace zkrv::stark::air {
namespace {

SymbolicExpr binary(NodeKind kind, const SymbolicExpr& a, const SymbolicExpr& b) {
  if (a.arena() == nullptr || a.arena() != b.arena()) {
    throw AirError("symbolic expression: operands from different tables (or a default-constructed Expr)");
  }
  SymbolicArena* arena = a.arena();
  const int da = arena->node(a.id()).degree;
  const int db = arena->node(b.id()).degree;
  const int degree = kind == NodeKind::kMul ? da + db : std::max(da, db);
  return SymbolicExpr(arena, arena->add({kind, 0, a.id(), b.id(), degree}));
}

std::string column_name(const std::vector<std::string>& names, const char* prefix, uint32_t column) {
  if (column < names.size() && !names[column].empty()) return names[column];
  return fmt::format("{}[{}]", prefix, column);
}

}  // namespace

int SymbolicExpr::degree() const { return arena_->node(id_).degree; }

SymbolicExpr operator+(const SymbolicExpr& a, const SymbolicExpr& b) { return binary(NodeKind::kAdd, a, b); }
SymbolicExpr operator-(const SymbolicExpr& a, const SymbolicExpr& b) { return binary(NodeKind::kSub, a, b); }
SymbolicExpr operator*(const SymbolicExpr& a, const SymbolicExpr& b) { return binary(NodeKind::kMul, a, b); }
SymbolicExpr operator-(const SymbolicExpr& a) {
  if (a.arena() == nullptr) throw AirError("symbolic expression: negating a default-constructed Expr");
  return SymbolicExpr(a.arena(), a.arena()->add({NodeKind::kNeg, 0, a.id(), 0, a.degree()}));
}

SymbolicExpr SymbolicBuilder::leaf(NodeKind kind, uint32_t value, int degree) {
  return Expr(&arena_, arena_.add({kind, value, 0, 0, degree}));
}

SymbolicExpr SymbolicBuilder::main(int column) {
  if (column < 0 || column >= info_.main_width) {
    throw AirError(fmt::format("table {}: main column {} out of range (width {})", info_.name, column, info_.main_width));
  }
  return leaf(NodeKind::kMain, static_cast<uint32_t>(column), 1);
}
SymbolicExpr SymbolicBuilder::main_next(int column) {
  main(column);  // range check
  return leaf(NodeKind::kMainNext, static_cast<uint32_t>(column), 1);
}
SymbolicExpr SymbolicBuilder::preprocessed(int column) {
  if (column < 0 || column >= info_.preprocessed_width) {
    throw AirError(fmt::format("table {}: preprocessed column {} out of range (width {})", info_.name, column,
                               info_.preprocessed_width));
  }
  return leaf(NodeKind::kPreprocessed, static_cast<uint32_t>(column), 1);
}
SymbolicExpr SymbolicBuilder::preprocessed_next(int column) {
  preprocessed(column);
  return leaf(NodeKind::kPreprocessedNext, static_cast<uint32_t>(column), 1);
}
SymbolicExpr SymbolicBuilder::public_value(int index) {
  if (index < 0 || index >= info_.num_public_values) {
    throw AirError(fmt::format("table {}: public value {} out of range ({} declared)", info_.name, index,
                               info_.num_public_values));
  }
  return leaf(NodeKind::kPublic, static_cast<uint32_t>(index), 0);
}
SymbolicExpr SymbolicBuilder::constant(uint32_t value) {
  return leaf(NodeKind::kConstant, value % Fp::kModulus, 0);
}

void SymbolicBuilder::assert_zero(const char* name, const Expr& e) {
  if (e.arena() != &arena_) throw AirError(fmt::format("table {}: constraint {} uses a foreign expression", info_.name, name));
  constraints_.push_back({name, e.id(), e.degree()});
}

void SymbolicBuilder::interact(Direction direction, BusId bus, std::initializer_list<Expr> tuple,
                               const Expr& multiplicity, uint32_t max_multiplicity) {
  SymbolicInteraction interaction;
  interaction.bus = bus;
  interaction.direction = direction;
  interaction.max_multiplicity = max_multiplicity;
  for (const Expr& e : tuple) {
    interaction.tuple.push_back(e.id());
    interaction.tuple_degree = std::max(interaction.tuple_degree, e.degree());
  }
  interaction.multiplicity = multiplicity.id();
  interaction.multiplicity_degree = multiplicity.degree();
  interactions_.push_back(std::move(interaction));
}

int TableAnalysis::quotient_chunks() const {
  int chunks = 1;
  while (chunks < max_degree - 1) chunks *= 2;
  return chunks;
}

std::string TableAnalysis::expr_to_string(uint32_t id) const {
  const SymbolicNode& n = arena.node(id);
  switch (n.kind) {
    case NodeKind::kConstant: return fmt::format("{}", n.value);
    case NodeKind::kMain: return column_name(info.main_names, "main", n.value);
    case NodeKind::kMainNext: return fmt::format("next({})", column_name(info.main_names, "main", n.value));
    case NodeKind::kPreprocessed: return column_name(info.preprocessed_names, "pre", n.value);
    case NodeKind::kPreprocessedNext: return fmt::format("next({})", column_name(info.preprocessed_names, "pre", n.value));
    case NodeKind::kPublic: return fmt::format("public[{}]", n.value);
    case NodeKind::kIsFirstRow: return "is_first_row";
    case NodeKind::kIsLastRow: return "is_last_row";
    case NodeKind::kIsTransition: return "is_transition";
    case NodeKind::kAdd: return fmt::format("({} + {})", expr_to_string(n.lhs), expr_to_string(n.rhs));
    case NodeKind::kSub: return fmt::format("({} - {})", expr_to_string(n.lhs), expr_to_string(n.rhs));
    case NodeKind::kMul: return fmt::format("{} * {}", expr_to_string(n.lhs), expr_to_string(n.rhs));
    case NodeKind::kNeg: return fmt::format("-({})", expr_to_string(n.lhs));
  }
  return "?";
}

std::string TableAnalysis::describe() const {
  std::string out = fmt::format("table {}: main {}, preprocessed {}, public values {}\n", info.name, info.main_width,
                                info.preprocessed_width, info.num_public_values);
  for (const SymbolicConstraint& c : constraints) {
    out += fmt::format("  constraint {} (degree {}): {} = 0\n", c.name, c.degree, expr_to_string(c.root));
  }
  for (const SymbolicInteraction& i : interactions) {
    std::string tuple;
    for (uint32_t id : i.tuple) tuple += fmt::format("{}{}", tuple.empty() ? "" : ", ", expr_to_string(id));
    out += fmt::format("  {} bus {} ({}) x {} (max {})\n", i.direction == Direction::kSend ? "send" : "receive", i.bus,
                       tuple, expr_to_string(i.multiplicity),
                       i.max_multiplicity == kUnbounded ? std::string("unbounded") : fmt::format("{}", i.max_multiplicity));
  }
  return out;
}

namespace {

// The LogUp constraint of a helper column holding the given fractions (logup.h):
// one fraction: h * fp - m; two: h * fp_a * fp_b - (m_a * fp_b + m_b * fp_a).
int group_degree(const std::vector<SymbolicInteraction>& interactions, const std::vector<size_t>& members) {
  if (members.size() == 1) {
    const SymbolicInteraction& a = interactions[members[0]];
    return std::max(1 + a.tuple_degree, a.multiplicity_degree);
  }
  const SymbolicInteraction& a = interactions[members[0]];
  const SymbolicInteraction& b = interactions[members[1]];
  return std::max({1 + a.tuple_degree + b.tuple_degree, a.multiplicity_degree + b.tuple_degree,
                   b.multiplicity_degree + a.tuple_degree});
}

void mark_used(const SymbolicArena& arena, uint32_t id, std::vector<bool>& main, std::vector<bool>& pre) {
  const SymbolicNode& n = arena.node(id);
  switch (n.kind) {
    case NodeKind::kMain:
    case NodeKind::kMainNext: main[n.value] = true; break;
    case NodeKind::kPreprocessed:
    case NodeKind::kPreprocessedNext: pre[n.value] = true; break;
    case NodeKind::kAdd:
    case NodeKind::kSub:
    case NodeKind::kMul:
      mark_used(arena, n.lhs, main, pre);
      mark_used(arena, n.rhs, main, pre);
      break;
    case NodeKind::kNeg: mark_used(arena, n.lhs, main, pre); break;
    default: break;
  }
}

}  // namespace

TableAnalysis finish_analysis(const TableInfo& info, SymbolicBuilder& builder) {
  TableAnalysis a;
  a.info = info;
  a.arena = std::move(builder.arena());
  a.constraints = std::move(builder.constraints());
  a.interactions = std::move(builder.interactions());
  if (info.main_width < 1) throw AirError(fmt::format("table {}: needs at least one main column", info.name));

  for (const SymbolicConstraint& c : a.constraints) {
    if (c.degree > kMaxConstraintDegree) {
      throw AirError(fmt::format("table {}: constraint {} has degree {} (at most {}): {}", info.name, c.name, c.degree,
                                 kMaxConstraintDegree, a.expr_to_string(c.root)));
    }
    a.max_degree = std::max(a.max_degree, c.degree);
  }
  if (a.interactions.size() > kMaxInteractionsPerTable) {
    throw AirError(fmt::format("table {}: {} interactions (at most {})", info.name, a.interactions.size(),
                               kMaxInteractionsPerTable));
  }
  for (size_t i = 0; i < a.interactions.size(); ++i) {
    const SymbolicInteraction& it = a.interactions[i];
    if (it.tuple.empty() || it.tuple.size() > kMaxTupleSize) {
      throw AirError(fmt::format("table {}: interaction {} on bus {} has {} tuple entries (1..{})", info.name, i, it.bus,
                                 it.tuple.size(), kMaxTupleSize));
    }
    if (it.max_multiplicity == 0) {
      throw AirError(fmt::format("table {}: interaction {} on bus {} declares max multiplicity 0", info.name, i, it.bus));
    }
  }
  // Greedy pairing in declaration order keeps the grouping a pure function of the table.
  for (size_t i = 0; i < a.interactions.size();) {
    if (i + 1 < a.interactions.size()) {
      std::vector<size_t> pair = {i, i + 1};
      const int degree = group_degree(a.interactions, pair);
      if (degree <= kMaxConstraintDegree) {
        a.logup_groups.push_back({pair, degree});
        i += 2;
        continue;
      }
    }
    std::vector<size_t> single = {i};
    const int degree = group_degree(a.interactions, single);
    if (degree > kMaxConstraintDegree) {
      throw AirError(fmt::format("table {}: interaction {} on bus {} needs a LogUp constraint of degree {} (at most {}); "
                                 "commit its tuple entries or multiplicity as columns",
                                 info.name, i, a.interactions[i].bus, degree, kMaxConstraintDegree));
    }
    a.logup_groups.push_back({single, degree});
    a.max_degree = std::max(a.max_degree, degree);
    ++i;
  }
  for (const LogUpGroup& g : a.logup_groups) a.max_degree = std::max(a.max_degree, g.degree);
  // The running sum's constraints are a selector times a linear form (logup.h).
  if (a.has_interactions()) a.max_degree = std::max(a.max_degree, 2);

  std::vector<bool> main_used(info.main_width, false), pre_used(info.preprocessed_width, false);
  for (const SymbolicConstraint& c : a.constraints) mark_used(a.arena, c.root, main_used, pre_used);
  for (const SymbolicInteraction& it : a.interactions) {
    for (uint32_t id : it.tuple) mark_used(a.arena, id, main_used, pre_used);
    mark_used(a.arena, it.multiplicity, main_used, pre_used);
  }
  for (int c = 0; c < info.main_width; ++c) {
    if (!main_used[c]) a.unused_main.push_back(c);
  }
  for (int c = 0; c < info.preprocessed_width; ++c) {
    if (!pre_used[c]) a.unused_preprocessed.push_back(c);
  }
  return a;
}

}  // namespace zkrv::stark::air
