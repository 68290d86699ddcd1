// The RISC-V machine's buses a package circuit may use, in the directions the machine admits
// (docs/precompiles.md, "A package's circuit in a proof"): receive each call once on kPrecompileBus
// (a tuple of 7: ts, rs1 lo, hi, rs2 lo, hi, rd lo, hi; the machine prepends the custom-0 index the
// guest declares the package at), send each word a call reads and writes on kPrecompileWordBus,
// each word it only reads on kPrecompileReadBus, and look values up on kRange16Bus (x < 2^16) and
// kByteBus ((x, y, x ^ y) for bytes). The machine refuses any other bus or direction when it admits
// the circuit. The values are riscv_air/buses.h's (a test in zkrv's build checks they stay so).
#pragma once

#include <optional>

#include "stark/air/air.h"

namespace zkrv::circuit_kit {

inline constexpr stark::air::BusId kRange16Bus = 4;
inline constexpr stark::air::BusId kByteBus = 5;
inline constexpr stark::air::BusId kPrecompileBus = 9;
inline constexpr stark::air::BusId kPrecompileWordBus = 10;
inline constexpr stark::air::BusId kPrecompileReadBus = 12;

// `table` with its buses set to the package flavour, for a table that follows the convention of
// zkrv's own precompile tables: an optional `buses` member of type `CallBuses` with the members
// `call`, `word` and `range16` (and `read`, `byte` where it has them) and an optional `index`, which
// stays empty: a package cannot know its custom-0 index, the machine supplies it.
template <class Table>
Table with_package_buses(Table table) {
  typename Table::CallBuses buses{};
  buses.call = kPrecompileBus;
  buses.word = kPrecompileWordBus;
  buses.range16 = kRange16Bus;
  if constexpr (requires { buses.read; }) buses.read = kPrecompileReadBus;
  if constexpr (requires { buses.byte; }) buses.byte = kByteBus;
  buses.index = std::nullopt;
  table.buses = buses;
  return table;
}

}  // namespace zkrv::circuit_kit
