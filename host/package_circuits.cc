#include "host/package_circuits.h"

#include <fmt/format.h>

#include <functional>
#include <mutex>
#include <optional>
#include <utility>

#include "base/hex.h"
#include "precompiles/package/digest.h"
#include "precompiles/package/store.h"
#include "precompiles/package/witness.h"
#include "riscv_air/program.h"

namespace zkrv::host {
namespace {

// What a resolver and its copies share: each (name, requirement) is read and admitted once, so
// the prover's setup and the verifier's checks see one circuit per package.
struct CircuitCache {
  std::mutex mutex;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const riscv_air::PackageCircuit>> circuits;
  std::optional<precompiles::LoaderOptions> loader;
};

std::shared_ptr<const riscv_air::PackageCircuit> read_circuit(const riscv_air::DeclaredPrecompile& d,
                                                              const precompiles::LoaderOptions& loader,
                                                              ResolvedCircuits* resolved) {
  // Resolution verifies the package (library and circuit against the manifest, then trust) but
  // opens nothing: the library is never loaded here.
  const precompiles::ResolvedPackage package =
      precompiles::resolve_precompile(precompiles::PrecompileRequest{d.name, d.version_requirement, std::nullopt}, loader);
  const precompiles::Manifest& m = package.package.manifest;
  if (!m.circuit) return nullptr;
  // resolve_precompile checked this already; checked again here because the machine is about to
  // commit to these bytes, whatever a later change to resolution does.
  const precompiles::Sha256 digest = precompiles::sha256(package.package.circuit);
  if (digest != m.circuit->sha256) {
    throw precompiles::PackageError(fmt::format(
        "package {} ('{}'): its circuit's SHA-256 is {} but its manifest says {}", package.package.id(),
        package.file.string(), base::to_hex(digest), base::to_hex(m.circuit->sha256)));
  }
  std::shared_ptr<const riscv_air::PackageCircuit> circuit = riscv_air::admit_package_circuit(d.name, package.package.circuit);
  if (resolved) {
    resolved->push_back(ResolvedCircuit{m.name, m.version, package.package.digest(), package.file.string(),
                                        package.report.trust.describe(), circuit});
  }
  return circuit;
}

// `loader` is called once, at the first question: a program that declares no package needs no
// trust files.
riscv_air::PackageCircuitResolver make_resolver(std::function<precompiles::LoaderOptions()> loader,
                                                std::shared_ptr<ResolvedCircuits> resolved) {
  auto cache = std::make_shared<CircuitCache>();
  return [loader = std::move(loader), resolved, cache](const riscv_air::DeclaredPrecompile& d) {
    const std::lock_guard<std::mutex> lock(cache->mutex);
    const auto key = std::make_pair(d.name, d.version_requirement);
    if (const auto it = cache->circuits.find(key); it != cache->circuits.end()) return it->second;
    if (!cache->loader) cache->loader = loader();
    std::shared_ptr<const riscv_air::PackageCircuit> circuit = read_circuit(d, *cache->loader, resolved.get());
    cache->circuits.emplace(key, circuit);
    return circuit;
  };
}

}  // namespace

riscv_air::PackageCircuitResolver package_circuit_resolver(const ResolverOptions& options,
                                                           std::shared_ptr<ResolvedCircuits> resolved) {
  return make_resolver([options] { return loader_options(options); }, std::move(resolved));
}

riscv_air::PackageCircuitResolver package_circuit_resolver(precompiles::LoaderOptions loader,
                                                           std::shared_ptr<ResolvedCircuits> resolved) {
  return make_resolver([loader = std::move(loader)] { return loader; }, std::move(resolved));
}

riscv_air::PackageRows package_rows(std::shared_ptr<const LoadedPackages> loaded) {
  return [loaded](const riscv_air::DeclaredPrecompile& d, const zkrv_call_record& call) {
    const auto it = loaded ? loaded->find(d.name) : LoadedPackages::const_iterator{};
    if (!loaded || it == loaded->end()) {
      throw riscv_air::RefusedError(fmt::format("precompile {} (index {}): no library of its package was loaded to fill its "
                                                "circuit's rows", d.name, d.index));
    }
    if (!d.circuit) {
      throw riscv_air::RefusedError(fmt::format("internal: precompile {} (index {}) has rows asked but no circuit", d.name, d.index));
    }
    const precompiles::LoadedPrecompile& library = it->second;
    // Sized by what the library declared at load (bounded there: kMaxWitnessValuesPerCall);
    // generate_witness refuses a library whose width is not the circuit's before it fills anything.
    std::vector<uint32_t> rows(size_t{library.witness_rows_per_call} * library.witness_width);
    try {
      precompiles::generate_witness(library, call, static_cast<uint32_t>(d.circuit->circuit.info.main_width), rows);
    } catch (const precompiles::WitnessError& e) {
      throw riscv_air::RefusedError(fmt::format("precompile {} (index {}): {}", d.name, d.index, e.what()));
    }
    return rows;
  };
}

}  // namespace zkrv::host
