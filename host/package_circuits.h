// Third-party precompile circuits from the installed package store (docs/precompiles.md, "A
// package's circuit in a proof"): the riscv_air::PackageCircuitResolver the prover's setup and the
// verifier use, which reads a package's circuit file and never its library (the verifier runs no
// package code), and the riscv_air::PackageRows the prover fills package tables with, from the
// libraries the VM's resolver loaded (the same path, search path, trust files and sandbox as
// `zkrv run`). Shared by the CLI and the host library.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "host/precompile_resolver.h"
#include "precompiles/package/package.h"
#include "riscv_air/generation.h"
#include "riscv_air/package_circuit.h"

namespace zkrv::host {

// A package circuit a resolver handed out: what a statement relies on besides zkrv itself.
struct ResolvedCircuit {
  std::string name;
  std::string version;
  precompiles::Sha256 package_sha256{};
  std::string file;    // the package file it came from
  std::string signer;  // the package's trust decision, as `zkrv precompile list` says it
  std::shared_ptr<const riscv_air::PackageCircuit> circuit;
};

// The circuits one resolver resolved, in the order it was first asked for each, one entry per
// declared name and requirement. Shared by the resolver's copies.
using ResolvedCircuits = std::vector<ResolvedCircuit>;

// For a declared precompile zkrv has no circuit for: the installed package its name and
// requirement resolve to (resolve_precompile: highest matching version, verified and trusted as
// `options` say), its circuit bytes checked against the manifest's SHA-256 and admitted
// (riscv_air::admit_package_circuit); null for a package that carries no circuit. Throws
// precompiles::PackageError for a package that does not resolve or verify, or whose circuit does
// not match its manifest (naming the package and both digests), and riscv_air::RefusedError for a
// circuit the decoder or the machine refuses (naming the package). Each package is read once;
// `resolved` (optional) collects what it returned.
riscv_air::PackageCircuitResolver package_circuit_resolver(const ResolverOptions& options,
                                                           std::shared_ptr<ResolvedCircuits> resolved = {});
// The same over explicit loader options (a search path and trust store of the caller's; tests).
riscv_air::PackageCircuitResolver package_circuit_resolver(precompiles::LoaderOptions loader,
                                                           std::shared_ptr<ResolvedCircuits> resolved = {});

// The rows of package circuits for the prover: each call's rows from the library `loaded` holds
// for the precompile's name (package_resolver's `loaded`, filled when the VM resolved it), through
// precompiles::generate_witness with the circuit's main width. Throws riscv_air::RefusedError
// naming the package for a precompile no library was loaded for and for a witness call that fails
// or whose answer is refused (precompiles::WitnessError).
riscv_air::PackageRows package_rows(std::shared_ptr<const LoadedPackages> loaded);

}  // namespace zkrv::host
