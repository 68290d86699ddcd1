// The circuit kit's entry point for a package author (docs/precompiles.md, "Writing a precompile"):
// ZKRV_DEFINE_CIRCUIT(expression) names the table that is the package's circuit, and the kit's main
// (circuit_main.cc, which zkrv_add_precompile_circuit links into the circuit generator) encodes it
// with stark::circuit::encode: the canonical bytes `zkrv precompile pack` puts in the package. The
// table is any class with the usual templated `eval` (stark/air/air.h); the encoder refuses one
// that breaks the circuit rules (a degree above 3, an oversized tuple, ...), and the build fails
// with its message.
#pragma once

#include <cstdint>
#include <vector>

#include "stark/circuit/circuit.h"

namespace zkrv::circuit_kit::internal {

// Defined by ZKRV_DEFINE_CIRCUIT in exactly one of the author's sources; the kit's main calls it.
std::vector<uint8_t> encode_defined_circuit();

}  // namespace zkrv::circuit_kit::internal

// ZKRV_DEFINE_CIRCUIT(<expression making the table>), at namespace scope in one source file. The
// expression may contain commas.
#define ZKRV_DEFINE_CIRCUIT(...)                                                \
  std::vector<uint8_t> zkrv::circuit_kit::internal::encode_defined_circuit() { \
    return ::zkrv::stark::circuit::encode(__VA_ARGS__);                         \
  }
