#include "host/precompile_resolver.h"

#include "precompiles/package/trust.h"

namespace zkrv::host {

precompiles::LoaderOptions loader_options(const ResolverOptions& options) {
  precompiles::LoaderOptions loader = precompiles::default_loader_options();
  loader.allow_untrusted = options.allow_untrusted;
  for (const auto& key : options.trust_keys) loader.trust.add_key(precompiles::read_public_key(key));
  return loader;
}

vm::PrecompileResolver package_resolver(const ResolverOptions& options, std::vector<std::string>* warnings,
                                        std::shared_ptr<LoadedPackages> loaded) {
  return [options, warnings, loaded](const vm::PrecompileDescriptor& d) {
    // Loaded lazily: a program that declares no precompiles needs no trust files.
    const precompiles::LoaderOptions loader = loader_options(options);
    precompiles::PrecompileRequest request{d.name, d.version_requirement, d.package_sha256};
    precompiles::LoadedPrecompile library = precompiles::load_precompile(request, loader);
    if (warnings) warnings->insert(warnings->end(), library.warnings.begin(), library.warnings.end());
    if (loaded) (*loaded)[d.name] = library;
    return vm::PrecompileImplementation{library.name, library.version, library.package_sha256, library.call, library.library};
  };
}

}  // namespace zkrv::host
