#include "host/package_circuits.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <optional>
#include <tuple>
#include <utility>

#include "precompiles/package/digest.h"
#include "precompiles/package/semver.h"
#include "precompiles/package/store.h"
#include "riscv_air/program.h"

namespace zkrv::host {
namespace {

// What a resolver and its copies share: each question (name, requirement, pin, digest) is read and
// admitted once, so the prover's setup and the verifier's checks see one circuit per package.
using CircuitQuestion = std::tuple<std::string, std::string, std::optional<precompiles::Sha256>,
                                   std::optional<stark::Digest>>;
struct CircuitCache {
  std::mutex mutex;
  std::map<CircuitQuestion, std::shared_ptr<const riscv_air::PackageCircuit>> circuits;
  std::optional<precompiles::LoaderOptions> loader;
};

std::shared_ptr<const riscv_air::PackageCircuit> admit(const riscv_air::DeclaredPrecompile& d,
                                                       const precompiles::ResolvedPackage& package) {
  if (!package.package.manifest.circuit) return nullptr;
  // resolve_precompile verified the circuit's bytes against the manifest (verify_package).
  return riscv_air::admit_package_circuit(d.name, package.package.circuit);
}

void record(const precompiles::ResolvedPackage& package, std::shared_ptr<const riscv_air::PackageCircuit> circuit,
            ResolvedCircuits* resolved) {
  if (!resolved || !circuit) return;
  const precompiles::Manifest& m = package.package.manifest;
  resolved->push_back(ResolvedCircuit{m.name, m.version, package.package.digest(), package.file.string(),
                                      package.report.trust.describe(), std::move(circuit)});
}

// The prover's question (no digest yet): the package `zkrv run` loads for the declaration, its
// pin included.
std::shared_ptr<const riscv_air::PackageCircuit> circuit_to_prove_with(const riscv_air::DeclaredPrecompile& d,
                                                                       const precompiles::LoaderOptions& loader,
                                                                       ResolvedCircuits* resolved) {
  // Resolution verifies the package (library and circuit against the manifest, then trust) but
  // opens nothing: the library is never loaded here.
  const precompiles::ResolvedPackage package = precompiles::resolve_precompile(
      precompiles::PrecompileRequest{d.name, d.version_requirement, d.package_sha256}, loader);
  std::shared_ptr<const riscv_air::PackageCircuit> circuit = admit(d, package);
  record(package, circuit, resolved);
  return circuit;
}

// The verifier's question (a key that commits to a circuit digest): any installed package of the
// name that satisfies the requirement (and the pin), verifies and is trusted, and whose circuit has
// that digest is a sound answer, so the highest such version is taken; a newer version with
// another circuit installed beside it does not fail proofs made with the older one.
std::shared_ptr<const riscv_air::PackageCircuit> circuit_with_digest(const riscv_air::DeclaredPrecompile& d,
                                                                     const precompiles::LoaderOptions& loader,
                                                                     ResolvedCircuits* resolved) {
  const stark::Digest& wanted = *d.circuit_digest;
  const std::optional<precompiles::VersionRequirement> requirement =
      precompiles::VersionRequirement::parse(d.version_requirement);
  struct Candidate {
    precompiles::Version version;
    precompiles::Sha256 package_sha256;
  };
  std::vector<Candidate> candidates;
  if (requirement) {
    for (const precompiles::InstalledPackage& item : precompiles::list_installed(loader.search_path)) {
      if (!item.package || item.package->manifest.name != d.name) continue;
      const std::optional<precompiles::Version> version = precompiles::parse_version(item.package->manifest.version);
      if (!version || !requirement->matches(*version)) continue;
      if (d.package_sha256 && item.package->digest() != *d.package_sha256) continue;
      candidates.push_back({*version, item.package->digest()});
    }
  }
  // Nothing to choose from: resolution's own error (not installed, unreadable, bad requirement).
  if (candidates.empty()) return circuit_to_prove_with(d, loader, resolved);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.version > b.version; });
  std::string seen;
  bool unsure = false;  // a candidate could not be checked: it might have been the one
  for (const Candidate& c : candidates) {
    try {
      const precompiles::ResolvedPackage package = precompiles::resolve_precompile(
          precompiles::PrecompileRequest{d.name, d.version_requirement, c.package_sha256}, loader);
      std::shared_ptr<const riscv_air::PackageCircuit> circuit = admit(d, package);
      const std::string who = fmt::format("{} ('{}')", package.package.manifest.version, package.file.string());
      if (circuit && circuit->digest == wanted) {
        record(package, circuit, resolved);
        return circuit;
      }
      seen += fmt::format("{}{}: {}", seen.empty() ? "" : "; ", who,
                          circuit ? "circuit digest " + stark::to_hex(circuit->digest) : std::string("no circuit"));
    } catch (const std::exception& e) {  // precompiles::PackageError, riscv_air::RefusedError
      unsure = true;
      seen += fmt::format("{}{}", seen.empty() ? "" : "; ", e.what());
    }
  }
  const std::string text =
      fmt::format("no installed package {} satisfying '{}' carries the circuit of digest {} the proof was made with "
                  "(installed: {})", d.name, d.version_requirement, stark::to_hex(wanted), seen);
  if (unsure) throw precompiles::PackageError(text);
  throw CircuitMismatch(text);
}

// `loader` is called once, at the first question: a program that declares no package needs no
// trust files.
riscv_air::PackageCircuitResolver make_resolver(std::function<precompiles::LoaderOptions()> loader,
                                                std::shared_ptr<ResolvedCircuits> resolved) {
  auto cache = std::make_shared<CircuitCache>();
  return [loader = std::move(loader), resolved, cache](const riscv_air::DeclaredPrecompile& d) {
    const std::lock_guard<std::mutex> lock(cache->mutex);
    CircuitQuestion key{d.name, d.version_requirement, d.package_sha256, d.circuit_digest};
    if (const auto it = cache->circuits.find(key); it != cache->circuits.end()) return it->second;
    if (!cache->loader) cache->loader = loader();
    std::shared_ptr<const riscv_air::PackageCircuit> circuit =
        d.circuit_digest ? circuit_with_digest(d, *cache->loader, resolved.get())
                         : circuit_to_prove_with(d, *cache->loader, resolved.get());
    cache->circuits.emplace(std::move(key), circuit);
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

}  // namespace zkrv::host
