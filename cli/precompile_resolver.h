// Resolves the precompiles a program declares to installed, verified packages (precompiles/package)
// for the VM. The VM itself never sees packages: it gets implementations through this resolver.
#pragma once

#include <string>
#include <vector>

#include "vm/precompiles.h"

namespace zkrv::cli {

struct ResolverOptions {
  bool allow_untrusted = false;
  std::vector<std::string> trust_keys;  // extra public keys (files or text) to trust for this run
};

vm::PrecompileResolver package_resolver(const ResolverOptions& options, std::vector<std::string>* warnings);

}  // namespace zkrv::cli
