// ValueBuilder<V>: runs a table's eval on concrete values of type V at one point (one row, the
// out-of-domain point, or 16 LDE points at once) and records what the definition asserts:
// constraint values (which must be zero) and interaction values (multiplicity, then the tuple).
//
//   V = Fp               the row checker and LogUp witness generation (one trace row);
//   V = Ext              the verifier's out-of-domain evaluation (values at zeta and zeta * g);
//   V = PackedKoalaBear  the prover's quotient evaluator (16 points of the LDE coset).
//
// The caller points the builder at its inputs and clears the outputs before each eval; the
// vectors keep their capacity, so the hot loop allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "stark/air/air.h"
#include "stark/field/packed_koalabear.h"

namespace zkrv::stark::air {

// A base-field constant as a V.
template <class V>
V constant_as(Fp value) {
  if constexpr (std::is_same_v<V, Fp>) {
    return value;
  } else if constexpr (std::is_same_v<V, PackedKoalaBear>) {
    return PackedKoalaBear::broadcast(value);
  } else {
    return V(value);
  }
}

template <class V>
class ValueBuilder : public BuilderHelpers<ValueBuilder<V>, V> {
 public:
  using Expr = V;

  // Inputs (not owned). next rows may alias local rows' storage of another point.
  const V* main_local = nullptr;
  const V* main_next_row = nullptr;
  const V* preprocessed_local = nullptr;
  const V* preprocessed_next_row = nullptr;
  const V* public_values = nullptr;
  V first_row{}, last_row{}, transition{};

  // Outputs.
  std::vector<V> constraint_values;
  std::vector<const char*> constraint_names;
  // Per interaction, in eval order: multiplicity, then the tuple entries.
  std::vector<V> interaction_values;

  void clear() {
    constraint_values.clear();
    constraint_names.clear();
    interaction_values.clear();
  }

  V main(int column) const { return main_local[column]; }
  V main_next(int column) const { return main_next_row[column]; }
  V preprocessed(int column) const { return preprocessed_local[column]; }
  V preprocessed_next(int column) const { return preprocessed_next_row[column]; }
  V public_value(int index) const { return public_values[index]; }
  V constant(uint32_t value) const { return constant_as<V>(Fp::from_u32(value)); }
  V is_first_row() const { return first_row; }
  V is_last_row() const { return last_row; }
  V is_transition() const { return transition; }

  void assert_zero(const char* name, const V& value) {
    constraint_values.push_back(value);
    constraint_names.push_back(name);
  }
  void send(BusId, std::initializer_list<V> tuple, const V& multiplicity, uint32_t = 1) {
    record(tuple, multiplicity);
  }
  void receive(BusId, std::initializer_list<V> tuple, const V& multiplicity, uint32_t = 1) {
    record(tuple, multiplicity);
  }

 private:
  void record(std::initializer_list<V> tuple, const V& multiplicity) {
    interaction_values.push_back(multiplicity);
    for (const V& v : tuple) interaction_values.push_back(v);
  }
};

}  // namespace zkrv::stark::air
