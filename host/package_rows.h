// The rows of third-party precompile circuits for the prover (docs/precompiles.md, "A package's
// circuit in a proof"): the riscv_air::PackageRows the prover fills package tables with, from the
// libraries the VM's resolver loaded (precompile_resolver.h: the same path, search path, trust
// files and sandbox as `zkrv run`). The prover's side; the circuits are package_circuits.h's.
#pragma once

#include <memory>

#include "host/precompile_resolver.h"
#include "riscv_air/generation.h"

namespace zkrv::host {

// The rows of package circuits for the prover: each call's rows from the library `loaded` holds
// for the precompile's index (package_resolver's `loaded`, filled when the VM resolved it), through
// precompiles::generate_witness with the circuit's main width. Throws riscv_air::RefusedError
// naming the package for a precompile no library was loaded for and for a witness call that fails
// or whose answer is refused (precompiles::WitnessError).
riscv_air::PackageRows package_rows(std::shared_ptr<const LoadedPackages> loaded);

}  // namespace zkrv::host
