// What a host says about which installed packages it accepts, for the VM's resolver
// (precompile_resolver.h) and the circuits' (package_circuits.h) alike: the default search path
// and trust files, plus what the command line adds. Header-only, so that the verifier's side
// links no VM code for it.
#pragma once

#include <string>
#include <vector>

#include "precompiles/package/store.h"
#include "precompiles/package/trust.h"

namespace zkrv::host {

struct ResolverOptions {
  bool allow_untrusted = false;
  std::vector<std::string> trust_keys;  // extra public keys (files or text) to trust for this run
};

// The loader options `options` stand for: the default search path and trust files, plus the keys.
inline precompiles::LoaderOptions loader_options(const ResolverOptions& options) {
  precompiles::LoaderOptions loader = precompiles::default_loader_options();
  loader.allow_untrusted = options.allow_untrusted;
  for (const auto& key : options.trust_keys) loader.trust.add_key(precompiles::read_public_key(key));
  return loader;
}

}  // namespace zkrv::host
