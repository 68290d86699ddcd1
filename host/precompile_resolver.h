// Resolves the precompiles a program declares to installed, verified packages (precompiles/package)
// for the VM. The VM itself never sees packages: it gets implementations through this resolver.
// Shared by the CLI and the host library, so that an embedding host finds the same packages, with
// the same search path and trust files, as `zkrv run`.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "precompiles/package/store.h"
#include "vm/precompiles.h"

namespace zkrv::host {

struct ResolverOptions {
  bool allow_untrusted = false;
  std::vector<std::string> trust_keys;  // extra public keys (files or text) to trust for this run
};

// The libraries a resolver loaded, by precompile name (the last load of each): the prover asks
// them for their witness rows (package_circuits.h) and they stay loaded while this map holds them.
using LoadedPackages = std::map<std::string, precompiles::LoadedPrecompile>;

// The loader options `options` stand for: the default search path and trust files, plus the keys.
precompiles::LoaderOptions loader_options(const ResolverOptions& options);

// `loaded` (optional) receives each library the resolver loads.
vm::PrecompileResolver package_resolver(const ResolverOptions& options, std::vector<std::string>* warnings,
                                        std::shared_ptr<LoadedPackages> loaded = {});

}  // namespace zkrv::host
