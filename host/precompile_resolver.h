// Resolves the precompiles a program declares to installed, verified packages (precompiles/package)
// for the VM. The VM itself never sees packages: it gets implementations through this resolver.
// Shared by the CLI and the host library, so that an embedding host finds the same packages, with
// the same search path and trust files, as `zkrv run`.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "host/resolver_options.h"
#include "precompiles/package/store.h"
#include "vm/precompiles.h"

namespace zkrv::host {

// The libraries a resolver loaded, by the custom-0 index the program declares each at: the prover
// asks them for their witness rows (package_circuits.h) and they stay loaded while this map holds
// them. By index, not by name: one name declared at two indices (two requirements, two pins) may
// resolve to two packages, and each index's rows must come from its own.
using LoadedPackages = std::map<uint32_t, precompiles::LoadedPrecompile>;

// `loaded` (optional) receives each library the resolver loads.
vm::PrecompileResolver package_resolver(const ResolverOptions& options, std::vector<std::string>* warnings,
                                        std::shared_ptr<LoadedPackages> loaded = {});

}  // namespace zkrv::host
