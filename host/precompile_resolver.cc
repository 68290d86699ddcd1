#include "host/precompile_resolver.h"

namespace zkrv::host {

vm::PrecompileResolver package_resolver(const ResolverOptions& options, std::vector<std::string>* warnings,
                                        std::shared_ptr<LoadedPackages> loaded) {
  return [options, warnings, loaded](const vm::PrecompileDescriptor& d) {
    // Loaded lazily: a program that declares no precompiles needs no trust files.
    const precompiles::LoaderOptions loader = loader_options(options);
    precompiles::PrecompileRequest request{d.name, d.version_requirement, d.package_sha256};
    precompiles::LoadedPrecompile library = precompiles::load_precompile(request, loader);
    if (warnings) warnings->insert(warnings->end(), library.warnings.begin(), library.warnings.end());
    if (loaded) (*loaded)[d.index] = library;
    return vm::PrecompileImplementation{library.name, library.version, library.package_sha256, library.call, library.library};
  };
}

}  // namespace zkrv::host
