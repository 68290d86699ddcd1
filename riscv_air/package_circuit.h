// A third-party precompile's circuit on the RISC-V machine (docs/precompiles.md, "A package's
// circuit in a proof"): which circuits the machine admits, and how it binds one to the custom-0
// index a program declares the package at.
//
// A package's circuit is untrusted input and is not reviewed with the machine, so the machine
// admits it only on the precompile buses and only in the direction a callee uses them: exactly one
// receive on PRECOMPILE (at most once a row, a tuple of 7: ts, rs1 lo, hi, rs2 lo, hi, rd lo, hi),
// sends on PRECOMPILE_WORD and PRECOMPILE_READ, and lookups sent to RANGE16 and BYTE_XOR, every
// multiplicity of degree 1 and at most 1 (the machine adds the constraint that it is a bit). A receive on the word bus could swallow another precompile's word so that no
// PrecompileMemory row makes its access; a message on MEMORY could forge records outright; an
// unbounded (supplier's) count could cancel messages nobody sent. No public values: nothing in a
// run's statement supplies them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "riscv_air/program.h"
#include "stark/circuit/circuit.h"
#include "stark/hash/digest.h"

namespace zkrv::riscv_air {

// An admitted package circuit: as the package ships it (its PRECOMPILE tuple without the index)
// and the digest of its bytes (stark::circuit::circuit_digest), which the program key commits to.
struct PackageCircuit {
  stark::circuit::Circuit circuit;
  stark::Digest digest{};
};

// The entries of a package circuit's PRECOMPILE tuple: the bus's message without its first entry,
// the index, which the machine supplies (bind_package_circuit).
inline constexpr size_t kPackageCallTupleSize = 7;

// Decodes `bytes` as the circuit of the package `package` and admits it, or throws RefusedError
// naming the package and what is refused (the decoder's error, the interaction by number, bus and
// direction, the public values).
std::shared_ptr<const PackageCircuit> admit_package_circuit(std::string_view package, std::span<const uint8_t> bytes);

// The same checks on a decoded circuit (throws RefusedError as above).
void check_package_circuit(std::string_view package, const stark::circuit::Circuit& circuit);

// The circuit of the table answering calls to `index`: the index prepended to its PRECOMPILE tuple
// as a constant (so the constraint digest commits to it, as for a first-party table), a constraint
// m (m - 1) = 0 on every interaction's multiplicity m (admission requires degree 1 and max
// multiplicity 1, so the machine itself, not the author, keeps every message at most once a row
// and never negative), the table renamed `table_name`, in canonical form (an InterpretedTable
// takes it).
stark::circuit::Circuit bind_package_circuit(const PackageCircuit& circuit, uint32_t index, std::string table_name);

// Where a host finds the circuit of a declared precompile that zkrv has no circuit for (the
// installed package's, never its library's); null when it has none. The prover's setup attaches
// what it returns to the program; the verifier checks it against the digest the proof's key holds.
// The machine's name of a bus (buses.h), as refusals and reports print it.
std::string_view bus_name(stark::air::BusId bus);

using PackageCircuitResolver = std::function<std::shared_ptr<const PackageCircuit>(const DeclaredPrecompile&)>;

}  // namespace zkrv::riscv_air
