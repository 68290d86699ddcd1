// Third-party precompile circuits from the installed package store (docs/precompiles.md, "A
// package's circuit in a proof"): the riscv_air::PackageCircuitResolver the prover's setup and the
// verifier use, which reads a package's circuit file and never its library (the verifier runs no
// package code). The verifier's side: no VM, no prover (the prover's rows: package_rows.h).
// Shared by the CLI and the host library.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/resolver_options.h"
#include "precompiles/package/package.h"
#include "precompiles/package/store.h"
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

// No installed package that could answer a key's question carries the circuit digest the key
// commits to: every candidate verified, was trusted and carries another circuit (or none). The
// message names the declaration, the digest and each candidate with its digest.
class CircuitMismatch : public precompiles::PackageError {
 public:
  using precompiles::PackageError::PackageError;
};

// For a declared precompile zkrv has no circuit for: the circuit of an installed package, verified
// and trusted as `options` say, its bytes checked against the manifest's SHA-256 (verify_package)
// and admitted (riscv_air::admit_package_circuit); null for a package that carries no circuit.
// - The prover's question (no circuit_digest): the package the declaration resolves to, as for
//   `zkrv run` (resolve_precompile: the pinned package if the descriptor pins one, else the highest
//   matching version).
// - The verifier's question (circuit_digest set, from a key): the highest matching version (within
//   the pin) whose circuit has that digest; CircuitMismatch when every candidate verified and none
//   has it.
// Throws precompiles::PackageError for a package that does not resolve or verify (naming it, and
// both SHA-256s for a tampered circuit), and riscv_air::RefusedError for a circuit the decoder or
// the machine refuses (naming the package). Each question is answered once; `resolved` (optional)
// collects each circuit returned.
riscv_air::PackageCircuitResolver package_circuit_resolver(const ResolverOptions& options,
                                                           std::shared_ptr<ResolvedCircuits> resolved = {});
// The same over explicit loader options (a search path and trust store of the caller's; tests).
riscv_air::PackageCircuitResolver package_circuit_resolver(precompiles::LoaderOptions loader,
                                                           std::shared_ptr<ResolvedCircuits> resolved = {});


}  // namespace zkrv::host
