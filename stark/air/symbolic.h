// The symbolic evaluator: runs a table's eval on expression nodes to learn its structure once.
//
// What it yields (TableAnalysis): every constraint with its name, expression and degree; every bus
// interaction with its tuple, multiplicity and degrees; which columns are never read (a lint: an
// unread column is unconstrained); and a canonical printing of all of it, whose hash the verifying
// key commits to, so that a proof made for one constraint system does not verify against another.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "stark/air/air.h"
#include "stark/hash/digest.h"

namespace zkrv::stark::air {

enum class NodeKind : uint8_t {
  kConstant,
  kMain,
  kMainNext,
  kPreprocessed,
  kPreprocessedNext,
  kPublic,
  kIsFirstRow,
  kIsLastRow,
  kIsTransition,
  kAdd,
  kSub,
  kMul,
  kNeg,
};

struct SymbolicNode {
  NodeKind kind;
  uint32_t value = 0;  // constant (canonical), column or public index
  uint32_t lhs = 0, rhs = 0;
  int degree = 0;
};

class SymbolicArena;

// A handle to a node; arithmetic appends nodes to the arena both operands live in.
class SymbolicExpr {
 public:
  SymbolicExpr() = default;
  SymbolicExpr(SymbolicArena* arena, uint32_t id) : arena_(arena), id_(id) {}
  uint32_t id() const { return id_; }
  SymbolicArena* arena() const { return arena_; }
  int degree() const;

  friend SymbolicExpr operator+(const SymbolicExpr& a, const SymbolicExpr& b);
  friend SymbolicExpr operator-(const SymbolicExpr& a, const SymbolicExpr& b);
  friend SymbolicExpr operator*(const SymbolicExpr& a, const SymbolicExpr& b);
  friend SymbolicExpr operator-(const SymbolicExpr& a);

 private:
  SymbolicArena* arena_ = nullptr;
  uint32_t id_ = 0;
};

class SymbolicArena {
 public:
  uint32_t add(const SymbolicNode& node) {
    nodes_.push_back(node);
    return static_cast<uint32_t>(nodes_.size() - 1);
  }
  const SymbolicNode& node(uint32_t id) const { return nodes_[id]; }
  size_t size() const { return nodes_.size(); }

 private:
  std::vector<SymbolicNode> nodes_;
};

struct SymbolicConstraint {
  std::string name;
  uint32_t root = 0;
  int degree = 0;
};

struct SymbolicInteraction {
  BusId bus = 0;
  Direction direction = Direction::kSend;
  std::vector<uint32_t> tuple;  // node ids
  uint32_t multiplicity = 0;    // node id
  uint32_t max_multiplicity = 1;
  int tuple_degree = 0;         // max degree over the tuple entries
  int multiplicity_degree = 0;
};

class SymbolicBuilder : public BuilderHelpers<SymbolicBuilder, SymbolicExpr> {
 public:
  using Expr = SymbolicExpr;
  explicit SymbolicBuilder(const TableInfo& info) : info_(info) {}

  Expr main(int column);
  Expr main_next(int column);
  Expr preprocessed(int column);
  Expr preprocessed_next(int column);
  Expr public_value(int index);
  Expr constant(uint32_t value);
  Expr is_first_row() { return leaf(NodeKind::kIsFirstRow, 0, 1); }
  Expr is_last_row() { return leaf(NodeKind::kIsLastRow, 0, 1); }
  Expr is_transition() { return leaf(NodeKind::kIsTransition, 0, 1); }

  void assert_zero(const char* name, const Expr& e);
  void send(BusId bus, std::initializer_list<Expr> tuple, const Expr& multiplicity,
            uint32_t max_multiplicity = 1) {
    interact(Direction::kSend, bus, tuple, multiplicity, max_multiplicity);
  }
  void receive(BusId bus, std::initializer_list<Expr> tuple, const Expr& multiplicity,
               uint32_t max_multiplicity = 1) {
    interact(Direction::kReceive, bus, tuple, multiplicity, max_multiplicity);
  }

  SymbolicArena& arena() { return arena_; }
  std::vector<SymbolicConstraint>& constraints() { return constraints_; }
  std::vector<SymbolicInteraction>& interactions() { return interactions_; }

 private:
  Expr leaf(NodeKind kind, uint32_t value, int degree);
  void interact(Direction direction, BusId bus, std::initializer_list<Expr> tuple, const Expr& multiplicity,
                uint32_t max_multiplicity);

  const TableInfo& info_;
  SymbolicArena arena_;
  std::vector<SymbolicConstraint> constraints_;
  std::vector<SymbolicInteraction> interactions_;
};

// The LogUp helper columns of a table: each group's fractions are summed into one extension-field
// column. Consecutive interactions share a column when the combined constraint stays within
// kMaxConstraintDegree (logup.h).
struct LogUpGroup {
  std::vector<size_t> interactions;  // one or two interaction indices
  int degree = 0;                    // of the helper column's constraint
};

struct TableAnalysis {
  TableInfo info;
  SymbolicArena arena;
  std::vector<SymbolicConstraint> constraints;
  std::vector<SymbolicInteraction> interactions;
  std::vector<LogUpGroup> logup_groups;
  std::vector<int> unused_main;          // lint: columns no constraint or interaction reads
  std::vector<int> unused_preprocessed;
  int max_degree = 0;                    // over constraints and LogUp constraints

  bool has_interactions() const { return !interactions.empty(); }
  // Extension-field helper columns + the running sum, in base-field columns.
  int interaction_width() const { return has_interactions() ? 4 * static_cast<int>(logup_groups.size() + 1) : 0; }
  // Quotient chunks of degree < n: max_degree - 1 rounded up to a power of two (at least 1).
  int quotient_chunks() const;

  std::string expr_to_string(uint32_t id) const;
  // One line per constraint and interaction: the canonical text the constraint digest hashes.
  std::string describe() const;
};

// Runs eval on a SymbolicBuilder, then checks the table's declarations: column indices in range,
// degrees within kMaxConstraintDegree (a violation names the constraint and its degree), tuple sizes,
// and forms the LogUp groups. Throws AirError.
template <class T>
TableAnalysis analyze_table(const T& table);

TableAnalysis finish_analysis(const TableInfo& info, SymbolicBuilder& builder);

template <class T>
TableAnalysis analyze_table(const T& table) {
  const TableInfo info = table.info();
  SymbolicBuilder builder(info);
  table.eval(builder);
  return finish_analysis(info, builder);
}

}  // namespace zkrv::stark::air
