// Resolves the precompiles a program declares to installed, verified packages (precompiles/package)
// for the VM. The VM itself never sees packages: it gets implementations through this resolver.
// Shared by the CLI and the host library, so that an embedding host finds the same packages, with
// the same search path and trust files, as `zkrv run`.
#pragma once

#include <string>
#include <vector>

#include "vm/precompiles.h"

namespace zkrv::host {

struct ResolverOptions {
  bool allow_untrusted = false;
  std::vector<std::string> trust_keys;  // extra public keys (files or text) to trust for this run
};

vm::PrecompileResolver package_resolver(const ResolverOptions& options, std::vector<std::string>* warnings);

}  // namespace zkrv::host
