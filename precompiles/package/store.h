// Where packages live and how one is chosen, verified and loaded (docs/precompiles.md, "Packages").
//
// Search path: ZKRV_PRECOMPILE_PATH (colon-separated) if set, else the per-user directory
// ($XDG_DATA_HOME or ~/.local/share)/zkrv/precompiles followed by the bundled first-party
// directory. Trust files: ZKRV_TRUST_FILE (colon-separated) if set, else ($XDG_CONFIG_HOME or
// ~/.config)/zkrv/trust.json followed by the bundled trust file. The first entry of each list is
// where `install` writes.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <zkrv/precompile.h>

#include "precompiles/package/package.h"
#include "precompiles/package/trust.h"
#include "precompiles/sandbox/sandbox.h"

namespace zkrv::precompiles {

inline constexpr std::string_view kPackageExtension = ".zkrvpkg";

std::vector<std::filesystem::path> default_search_path();
std::vector<std::filesystem::path> default_trust_files();
// What comes with this zkrv: the first-party packages, the trust file that trusts their signer, and
// the precompile SDK, under <datadir>/zkrv/precompiles of an installed zkrv, or under the build
// tree's precompiles/ for its own executables (base::running_layout()); "" for any other program.
std::filesystem::path bundled_install_dir();
std::filesystem::path bundled_trust_file();
std::filesystem::path bundled_sdk_dir();

struct VerifyOptions {
  const TrustStore* trust = nullptr;  // null: trust is not evaluated (integrity and ABI only)
  bool allow_untrusted = false;       // accept unsigned/untrusted packages, with a warning
  std::optional<Sha256> expected_package_sha256;
};

struct VerifyReport {
  TrustDecision trust;
  std::vector<std::string> warnings;
};

// Integrity (library and circuit digests), the expected digest, the precompile-ABI version in the
// manifest, then trust. Throws PackageError naming `origin` and the package at the first failure.
VerifyReport verify_package(const Package& package, std::string_view origin, const VerifyOptions& options);

// Copies the file into `directory` as <name>-<version>.zkrvpkg. A different package already installed
// under that name and version is replaced only with `replace`. Returns the installed path.
std::filesystem::path install_package(const Package& package, const std::filesystem::path& directory, bool replace);

struct InstalledPackage {
  std::filesystem::path file;
  std::optional<Package> package;  // absent when the file could not be read
  std::string error;
};
std::vector<InstalledPackage> list_installed(const std::vector<std::filesystem::path>& search_path);

struct PrecompileRequest {
  std::string name;
  std::string requirement = "*";  // see VersionRequirement
  std::optional<Sha256> package_sha256;
};

// Where a loaded library's code runs.
enum class Isolation {
  kByTrust,    // in process only when its trust entry says run_in_process, else in the sandbox
  kSandbox,    // always in a sandboxed worker process
  kInProcess,  // always in this process (tests of the in-process path)
};

struct LoaderOptions {
  std::vector<std::filesystem::path> search_path = default_search_path();
  TrustStore trust;
  bool allow_untrusted = false;
  Isolation isolation = Isolation::kByTrust;
  std::filesystem::path sandbox_worker = sandbox::default_worker_path();
  sandbox::SandboxLimits sandbox_limits;
};

// The default search path and the default trust files, loaded (throws on a malformed trust file).
LoaderOptions default_loader_options();

struct ResolvedPackage {
  std::filesystem::path file;
  Package package;
  VerifyReport report;
};

// The highest installed version that satisfies the request (the earlier search-path entry wins a
// tie), verified. Fails closed: if that package does not verify, no older one is tried.
ResolvedPackage resolve_precompile(const PrecompileRequest& request, const LoaderOptions& options);

struct LoadedPrecompile {
  std::string name;
  std::string version;
  Sha256 package_sha256{};
  std::filesystem::path package_file;
  // Every call goes through `call`; `eval` is the library's own function when it runs in process
  // (null when sandboxed).
  std::function<int(zkrv_precompile_call*)> call;
  zkrv_precompile_eval_fn eval = nullptr;
  bool sandboxed = false;
  std::shared_ptr<void> library;  // keeps the library (or its worker) alive while any copy of this is
  std::vector<std::string> warnings;  // e.g. an untrusted package accepted with allow_untrusted
  // What the library's witness generator fills per call (ZKRV_CALL_INFO): rows and main width,
  // both 0 when it fills no table. Checked at load: both or neither, and at most
  // kMaxWitnessValuesPerCall values.
  uint32_t witness_rows_per_call = 0;
  uint32_t witness_width = 0;
};

// The most values one call's rows may hold (rows per call x width): 64 MiB of witness per call,
// far above any hash's (keccak-f's 24 rows of 2,468 columns are 59,232). generate_witness
// (witness.h) calls the generator.
inline constexpr uint64_t kMaxWitnessValuesPerCall = uint64_t{1} << 24;

// Loads the library bytes of a package, after checking them against the manifest's digest: they are
// copied into a sealed anonymous file (memfd) and that copy is dlopen'ed, so nothing can change them
// between the check and the load. Then asks the library who it is and refuses another
// precompile-ABI version or a name/version that differs from the manifest. Trust is the caller's
// business (verify_package); `origin` names the package in errors.
LoadedPrecompile open_package_library(const Package& package, std::string_view origin);
// The same checks, with the library loaded by a sandboxed worker process (precompiles/sandbox).
LoadedPrecompile open_package_sandboxed(const Package& package, std::string_view origin,
                                        const std::filesystem::path& worker, const sandbox::SandboxLimits& limits);

// resolve_precompile, then open_package_library or open_package_sandboxed as options.isolation
// and the package's trust entry say.
LoadedPrecompile load_precompile(const PrecompileRequest& request, const LoaderOptions& options);

}  // namespace zkrv::precompiles
