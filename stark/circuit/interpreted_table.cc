#include "stark/circuit/interpreted_table.h"

namespace zkrv::stark::circuit {

InterpretedTable::InterpretedTable(Circuit circuit) : circuit_(std::move(circuit)) {
  (void)encode_circuit(circuit_);
  program_.reserve(circuit_.nodes.size());
  for (const CircuitNode& n : circuit_.nodes) {
    const bool operand = n.code == NodeCode::kAdd || n.code == NodeCode::kSub || n.code == NodeCode::kMul ||
                         n.code == NodeCode::kNeg;
    program_.push_back({n.code, operand ? n.lhs : n.value, n.rhs,
                        n.code == NodeCode::kConstant ? Fp::from_u32(n.value) : Fp::zero()});
  }
}

}  // namespace zkrv::stark::circuit
