// InterpretedTable: a stark table whose eval walks a decoded circuit (circuit.h) on whichever
// builder runs it, so a circuit that arrived as bytes is checked, proven and verified by the same
// prover and verifier as a compiled table. The walk is one pass over the nodes as a flat
// instruction list (they are topologically ordered), writing each node's value into a scratch
// array; no recursion and, after the first call on a thread, no allocation.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "stark/air/table.h"
#include "stark/circuit/circuit.h"

namespace zkrv::stark::circuit {

class InterpretedTable final : public air::Table {
 public:
  // Throws CircuitError unless the circuit is one decode_circuit accepts (it is checked by
  // encoding it again), so that eval never indexes out of bounds.
  explicit InterpretedTable(Circuit circuit);

  air::TableInfo info() const override { return circuit_.info; }
  void eval(air::SymbolicBuilder& builder) const override { run(builder); }
  void eval(air::ValueBuilder<Fp>& builder) const override { run(builder); }
  void eval(air::ValueBuilder<air::Ext>& builder) const override { run(builder); }
  void eval(air::ValueBuilder<PackedKoalaBear>& builder) const override { run(builder); }
  Matrix<Fp> preprocessed() const override { return circuit_.preprocessed; }

  const Circuit& circuit() const { return circuit_; }

  template <class B>
  void run(B& b) const;

 private:
  struct Instruction {
    NodeCode code;
    uint32_t a;  // value (column, index, constant) or left operand
    uint32_t b;  // right operand
    Fp constant;
  };

  template <class B, size_t... I>
  static void interact(B& b, const CircuitInteraction& it, const typename B::Expr* v, std::index_sequence<I...>) {
    if (it.direction == air::Direction::kSend) {
      b.send(it.bus, {v[it.tuple[I]]...}, v[it.multiplicity], it.max_multiplicity);
    } else {
      b.receive(it.bus, {v[it.tuple[I]]...}, v[it.multiplicity], it.max_multiplicity);
    }
  }
  // The builders take a tuple as an initializer_list; a decoded tuple's size is known only at run
  // time, so this picks the instantiation for sizes 1..kMaxTupleSize.
  template <class B, size_t N = 1>
  static void interact_sized(B& b, const CircuitInteraction& it, const typename B::Expr* v) {
    if constexpr (N <= kMaxTupleSize) {
      if (it.tuple.size() == N) {
        interact(b, it, v, std::make_index_sequence<N>{});
      } else {
        interact_sized<B, N + 1>(b, it, v);
      }
    }
  }

  Circuit circuit_;
  std::vector<Instruction> program_;
};

template <class B>
void InterpretedTable::run(B& b) const {
  using Expr = typename B::Expr;
  constexpr bool kValues = std::is_same_v<B, air::ValueBuilder<Expr>>;
  // One scratch array per thread and value type (the prover evaluates blocks on several threads).
  thread_local std::vector<Expr> scratch;
  if (scratch.size() < program_.size()) scratch.resize(program_.size());
  Expr* v = scratch.data();
  for (size_t i = 0; i < program_.size(); ++i) {
    const Instruction& ins = program_[i];
    switch (ins.code) {
      case NodeCode::kConstant:
        if constexpr (kValues) {
          v[i] = air::constant_as<Expr>(ins.constant);
        } else {
          v[i] = b.constant(ins.a);
        }
        break;
      case NodeCode::kMain: v[i] = b.main(static_cast<int>(ins.a)); break;
      case NodeCode::kMainNext: v[i] = b.main_next(static_cast<int>(ins.a)); break;
      case NodeCode::kPreprocessed: v[i] = b.preprocessed(static_cast<int>(ins.a)); break;
      case NodeCode::kPreprocessedNext: v[i] = b.preprocessed_next(static_cast<int>(ins.a)); break;
      case NodeCode::kPublic: v[i] = b.public_value(static_cast<int>(ins.a)); break;
      case NodeCode::kIsFirstRow: v[i] = b.is_first_row(); break;
      case NodeCode::kIsLastRow: v[i] = b.is_last_row(); break;
      case NodeCode::kIsTransition: v[i] = b.is_transition(); break;
      case NodeCode::kAdd: v[i] = v[ins.a] + v[ins.b]; break;
      case NodeCode::kSub: v[i] = v[ins.a] - v[ins.b]; break;
      case NodeCode::kMul: v[i] = v[ins.a] * v[ins.b]; break;
      case NodeCode::kNeg: v[i] = -v[ins.a]; break;
    }
  }
  for (const CircuitConstraint& c : circuit_.constraints) b.assert_zero(c.name.c_str(), v[c.root]);
  for (const CircuitInteraction& it : circuit_.interactions) interact_sized(b, it, v);
}

}  // namespace zkrv::stark::circuit
