#include "host/precompile_resolver.h"

#include "precompiles/package/store.h"
#include "precompiles/package/trust.h"

namespace zkrv::host {

vm::PrecompileResolver package_resolver(const ResolverOptions& options, std::vector<std::string>* warnings) {
  return [options, warnings](const vm::PrecompileDescriptor& d) {
    // Loaded lazily: a program that declares no precompiles needs no trust files.
    precompiles::LoaderOptions loader = precompiles::default_loader_options();
    loader.allow_untrusted = options.allow_untrusted;
    for (const auto& key : options.trust_keys) loader.trust.add_key(precompiles::read_public_key(key));
    precompiles::PrecompileRequest request{d.name, d.version_requirement, d.package_sha256};
    precompiles::LoadedPrecompile loaded = precompiles::load_precompile(request, loader);
    if (warnings) warnings->insert(warnings->end(), loaded.warnings.begin(), loaded.warnings.end());
    return vm::PrecompileImplementation{loaded.name, loaded.version, loaded.package_sha256, loaded.call, loaded.library};
  };
}

}  // namespace zkrv::host
