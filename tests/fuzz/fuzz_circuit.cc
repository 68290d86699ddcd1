// The circuit format (stark/circuit): decode_circuit on arbitrary bytes either refuses them with
// CircuitError or returns a circuit that re-encodes to exactly the same bytes (one encoding per
// circuit), that the constraint framework's analysis accepts (degree, tuple and multiplicity
// checks), and that InterpretedTable evaluates on a row without reading out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "stark/air/symbolic.h"
#include "stark/air/value_builder.h"
#include "stark/circuit/circuit.h"
#include "stark/circuit/interpreted_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace zkrv::stark;
  const std::span<const uint8_t> bytes(data, size);
  circuit::Circuit decoded;
  try {
    decoded = circuit::decode_circuit(bytes);
  } catch (const circuit::CircuitError&) {
    return 0;
  }
  try {
    const std::vector<uint8_t> again = circuit::encode_circuit(decoded);
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
  } catch (const circuit::CircuitError&) {
    std::abort();  // what the decoder accepts is canonical
  }
  const circuit::InterpretedTable table(std::move(decoded));
  try {
    (void)air::analyze_table(table);
  } catch (const air::AirError&) {
    std::abort();  // the decoder's checks imply the framework's
  }
  const air::TableInfo info = table.info();
  std::vector<air::Fp> main(static_cast<size_t>(info.main_width), air::Fp::from_u32(3));
  std::vector<air::Fp> pre(static_cast<size_t>(info.preprocessed_width) + 1, air::Fp::from_u32(5));
  std::vector<air::Fp> publics(static_cast<size_t>(info.num_public_values) + 1, air::Fp::from_u32(7));
  air::ValueBuilder<air::Fp> builder;
  builder.main_local = main.data();
  builder.main_next_row = main.data();
  builder.preprocessed_local = pre.data();
  builder.preprocessed_next_row = pre.data();
  builder.public_values = publics.data();
  builder.first_row = air::Fp::one();
  table.eval(builder);
  if (builder.constraint_values.size() != table.circuit().constraints.size()) std::abort();
  return 0;
}
