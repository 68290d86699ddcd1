#include "precompiles/package/store.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/layout.h"
#include "precompiles/package/semver.h"

namespace zkrv::precompiles {

// A shape the loader accepts is one the sandbox carries.
static_assert(kMaxWitnessValuesPerCall == sandbox::kMaxWitnessValues);

namespace {

std::vector<std::filesystem::path> split_path_list(const char* text) {
  std::vector<std::filesystem::path> paths;
  std::string_view rest = text;
  while (true) {
    const size_t colon = rest.find(':');
    const std::string_view entry = rest.substr(0, colon);
    if (!entry.empty()) paths.emplace_back(entry);
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return paths;
}

std::filesystem::path xdg_dir(const char* variable, const char* fallback_under_home) {
  if (const char* value = std::getenv(variable); value && *value) return value;
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : "/") / fallback_under_home;
}

std::string search_path_text(const std::vector<std::filesystem::path>& search_path) {
  std::string text;
  for (const auto& dir : search_path) text += (text.empty() ? "" : ":") + dir.string();
  return text.empty() ? "(empty search path)" : text;
}

// The same layout in the build tree and the installed one (precompiles/first_party.cmake).
std::filesystem::path bundled_precompile_dir() {
  const base::Layout& layout = base::running_layout();
  if (layout.kind == base::LayoutKind::kNone) return {};
  return layout.data_dir / "precompiles";
}

// The one message for a package or library of another precompile ABI.
std::string abi_mismatch(uint32_t abi_version) {
  return fmt::format("precompile ABI {}: rebuild against SDK ABI {} (`zkrv precompile build`, then pack it again); this "
                     "zkrv speaks only precompile ABI {}",
                     abi_version, ZKRV_PRECOMPILE_ABI_VERSION, ZKRV_PRECOMPILE_ABI_VERSION);
}

}  // namespace

std::filesystem::path bundled_install_dir() {
  const std::filesystem::path dir = bundled_precompile_dir();
  return dir.empty() ? dir : dir / "installed";
}

std::filesystem::path bundled_trust_file() {
  const std::filesystem::path dir = bundled_precompile_dir();
  return dir.empty() ? dir : dir / "trust.json";
}

std::filesystem::path bundled_sdk_dir() {
  const std::filesystem::path dir = bundled_precompile_dir();
  return dir.empty() ? dir : dir / "sdk";
}

std::vector<std::filesystem::path> default_search_path() {
  if (const char* value = std::getenv("ZKRV_PRECOMPILE_PATH")) return split_path_list(value);
  std::vector<std::filesystem::path> path{xdg_dir("XDG_DATA_HOME", ".local/share") / "zkrv" / "precompiles"};
  if (const std::filesystem::path bundled = bundled_install_dir(); !bundled.empty()) path.push_back(bundled);
  return path;
}

std::vector<std::filesystem::path> default_trust_files() {
  if (const char* value = std::getenv("ZKRV_TRUST_FILE")) return split_path_list(value);
  std::vector<std::filesystem::path> files{xdg_dir("XDG_CONFIG_HOME", ".config") / "zkrv" / "trust.json"};
  if (const std::filesystem::path bundled = bundled_trust_file(); !bundled.empty()) files.push_back(bundled);
  return files;
}

LoaderOptions default_loader_options() {
  LoaderOptions options;
  options.search_path = default_search_path();
  options.trust = TrustStore::load(default_trust_files());
  return options;
}

VerifyReport verify_package(const Package& package, std::string_view origin, const VerifyOptions& options) {
  const std::string who = fmt::format("package {} ('{}')", package.id(), origin);
  const std::vector<std::string> problems = integrity_problems(package);
  if (!problems.empty()) {
    std::string text;
    for (const auto& problem : problems) text += (text.empty() ? "" : "; ") + problem;
    throw PackageError(fmt::format("{} is damaged or tampered with: {}", who, text));
  }
  if (options.expected_package_sha256 && *options.expected_package_sha256 != package.digest()) {
    throw PackageError(fmt::format("{} has package SHA-256 {} but {} was expected", who, to_hex(package.digest()),
                                   to_hex(*options.expected_package_sha256)));
  }
  if (package.manifest.precompile_abi_version != ZKRV_PRECOMPILE_ABI_VERSION) {
    throw PackageError(fmt::format("{}: {}", who, abi_mismatch(package.manifest.precompile_abi_version)));
  }
  VerifyReport report;
  if (!options.trust) return report;
  report.trust = evaluate_trust(package, *options.trust);
  if (report.trust.kind == TrustDecision::Kind::kBadSignature) {
    throw PackageError(fmt::format("{}: {}", who, report.trust.describe()));
  }
  if (!report.trust.trusted()) {
    if (!options.allow_untrusted) {
      // An unsigned package has no signer to trust: the advice differs.
      const char* advice = report.trust.kind == TrustDecision::Kind::kUnsigned
                               ? "ask its publisher for a signed package, or accept these exact bytes with --allow-untrusted"
                               : "trust its signer (--trust-key) or accept it with --allow-untrusted";
      throw PackageError(fmt::format("{} is {}; {}", who, report.trust.describe(), advice));
    }
    report.warnings.push_back(fmt::format("{} is {}; accepted because untrusted packages were allowed", who,
                                          report.trust.describe()));
  }
  return report;
}

std::filesystem::path install_package(const Package& package, const std::filesystem::path& directory, bool replace) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw PackageError(fmt::format("cannot create '{}': {}", directory.string(), error.message()));
  const std::filesystem::path target = directory / (package.manifest.name + "-" + package.manifest.version + std::string(kPackageExtension));
  if (std::filesystem::exists(target) && !replace) {
    bool same = false;
    try {
      same = read_package_file(target).digest() == package.digest();
    } catch (const PackageError&) {
    }
    if (!same) {
      throw PackageError(fmt::format("{} is already installed as '{}' with different contents; replace it with --force",
                                     package.id(), target.string()));
    }
  }
  write_package_file(target, package);
  return target;
}

std::vector<InstalledPackage> list_installed(const std::vector<std::filesystem::path>& search_path) {
  std::vector<InstalledPackage> installed;
  for (const auto& dir : search_path) {
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      if (entry.path().extension() == kPackageExtension) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      InstalledPackage item{file, std::nullopt, ""};
      try {
        item.package = read_package_file(file);
      } catch (const PackageError& e) {
        item.error = e.what();
      }
      installed.push_back(std::move(item));
    }
  }
  return installed;
}

ResolvedPackage resolve_precompile(const PrecompileRequest& request, const LoaderOptions& options) {
  const auto requirement = VersionRequirement::parse(request.requirement);
  if (!requirement) {
    throw PackageError(fmt::format("precompile '{}': version requirement '{}' is not one of *, =X.Y.Z, >=X.Y.Z, ^X[.Y[.Z]], "
                                   "~X[.Y[.Z]]", request.name, request.requirement));
  }
  std::vector<InstalledPackage> named;
  std::vector<InstalledPackage> unreadable;
  for (auto& item : list_installed(options.search_path)) {
    if (!item.package) {
      unreadable.push_back(std::move(item));
    } else if (item.package->manifest.name == request.name) {
      named.push_back(std::move(item));
    }
  }
  if (named.empty()) {
    // An unreadable file named like the request is most likely the package, broken: say why.
    const std::string prefix = request.name + "-";
    for (const auto& item : unreadable) {
      if (item.file.filename().string().starts_with(prefix)) {
        throw PackageError(fmt::format("precompile '{}': its package '{}' cannot be read: {}", request.name,
                                       item.file.string(), item.error));
      }
    }
    throw PackageError(fmt::format("precompile '{}' is not installed (searched {}{})", request.name,
                                   search_path_text(options.search_path),
                                   unreadable.empty() ? ""
                                                      : fmt::format("; {} unreadable package files skipped, the first "
                                                                    "'{}': {}", unreadable.size(),
                                                                    unreadable[0].file.string(), unreadable[0].error)));
  }
  std::string seen;
  const InstalledPackage* best = nullptr;
  Version best_version;
  for (const auto& item : named) {
    const Version version = *parse_version(item.package->manifest.version);  // checked when parsed
    seen += fmt::format("{}{} (sha256 {}, '{}')", seen.empty() ? "" : ", ", item.package->manifest.version,
                        to_hex(item.package->digest()), item.file.string());
    if (!requirement->matches(version)) continue;
    if (request.package_sha256 && item.package->digest() != *request.package_sha256) continue;
    if (!best || version > best_version) {
      best = &item;
      best_version = version;
    }
  }
  if (!best) {
    throw PackageError(fmt::format("precompile '{}': no installed package satisfies version {}{}; installed: {}", request.name,
                                   request.requirement,
                                   request.package_sha256 ? " with package SHA-256 " + to_hex(*request.package_sha256) : "", seen));
  }
  ResolvedPackage resolved{best->file, *best->package, {}};
  resolved.report = verify_package(resolved.package, resolved.file.string(),
                                   VerifyOptions{&options.trust, options.allow_untrusted, request.package_sha256});
  return resolved;
}

namespace {

// The library bytes in a sealed anonymous file, after checking them against the manifest: nothing
// can change them between this check and the load, in this process or in a worker.
int sealed_library(const Package& package, const std::string& who) {
  // The one place bytes become code: check them here too, whatever the caller did.
  if (sha256(package.library) != package.manifest.library.sha256) {
    throw PackageError(fmt::format("{}: the library's SHA-256 does not match the manifest; refusing to load it", who));
  }
  const std::string memfd_name = "zkrv-precompile:" + package.manifest.name;
  const int fd = ::memfd_create(memfd_name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) throw PackageError(fmt::format("{}: memfd_create failed: {}", who, std::strerror(errno)));
  size_t written = 0;
  while (written < package.library.size()) {
    const ssize_t n = ::write(fd, package.library.data() + written, package.library.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      throw PackageError(fmt::format("{}: cannot copy the library into memory: {}", who, std::strerror(error)));
    }
    written += static_cast<size_t>(n);
  }
  if (::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    const int error = errno;
    ::close(fd);
    throw PackageError(fmt::format("{}: cannot seal the library copy: {}", who, std::strerror(error)));
  }
  return fd;
}

// Asks the library who it is; refuses another precompile-ABI version, an identity that differs
// from the manifest or a witness shape the host would not size a buffer by. Fills the loaded
// precompile's witness shape.
void check_identity(const std::function<int(zkrv_precompile_call*)>& call_library, const Package& package,
                    const std::string& who, LoadedPrecompile* loaded) {
  zkrv_precompile_call call{};
  call.abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
  call.struct_size = sizeof call;
  call.kind = ZKRV_CALL_INFO;
  const int status = call_library(&call);
  if (status == ZKRV_PRECOMPILE_BAD_ABI || (status == ZKRV_PRECOMPILE_OK && call.library_abi_version != ZKRV_PRECOMPILE_ABI_VERSION)) {
    throw PackageError(fmt::format("{}: the library was built for {}", who, abi_mismatch(call.library_abi_version)));
  }
  if (status != ZKRV_PRECOMPILE_OK) {
    call.error[sizeof call.error - 1] = '\0';
    throw PackageError(fmt::format("{}: the library's info call failed with status {}: {}", who, status, call.error));
  }
  const std::string reported_name = call.name ? call.name : "";
  const std::string reported_version = call.version ? call.version : "";
  if (reported_name != package.manifest.name || reported_version != package.manifest.version) {
    throw PackageError(fmt::format("{}: the library calls itself {}@{}, which is not what its manifest says", who,
                                   reported_name.empty() ? "(no name)" : reported_name,
                                   reported_version.empty() ? "(no version)" : reported_version));
  }
  const uint32_t rows = call.witness_rows_per_call, width = call.witness_width;
  if ((rows == 0) != (width == 0) || uint64_t{rows} * width > kMaxWitnessValuesPerCall) {
    throw PackageError(fmt::format("{}: the library's witness fills {} rows of {} columns per call; both must be 0 (no "
                                   "witness) or both at least 1, with at most {} values a call",
                                   who, rows, width, kMaxWitnessValuesPerCall));
  }
  loaded->witness_rows_per_call = rows;
  loaded->witness_width = width;
  // A circuit nobody can fill cannot prove a call; the package still executes.
  if (package.manifest.circuit && rows == 0) {
    loaded->warnings.push_back(fmt::format("{} carries a circuit but its library fills no table (no witness generator): "
                                           "its calls cannot be proven",
                                           who));
  }
}


}  // namespace

LoadedPrecompile open_package_library(const Package& package, std::string_view origin) {
  const std::string who = fmt::format("package {} ('{}')", package.id(), origin);
  const int fd = sealed_library(package, who);
  const std::string fd_path = fmt::format("/proc/self/fd/{}", fd);
  void* handle = ::dlopen(fd_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* error = ::dlerror();
    ::close(fd);
    throw PackageError(fmt::format("{}: the library does not load: {}", who, error ? error : "unknown dlopen error"));
  }
  // The descriptor stays open while the library is loaded: the dynamic loader knows a library by
  // its path, so if this fd number were reused, the next package's "/proc/self/fd/N" would be taken
  // for this already-loaded library and dlopen would hand back the wrong code.
  std::shared_ptr<void> library(handle, [fd](void* h) {
    ::dlclose(h);
    ::close(fd);
  });
  auto eval = reinterpret_cast<zkrv_precompile_eval_fn>(::dlsym(handle, ZKRV_PRECOMPILE_SYMBOL));
  if (!eval) throw PackageError(fmt::format("{}: the library does not export {}", who, ZKRV_PRECOMPILE_SYMBOL));
  LoadedPrecompile loaded{package.manifest.name, package.manifest.version, package.digest(), std::filesystem::path(origin),
                          eval, eval, false, std::move(library), {}};
  check_identity(eval, package, who, &loaded);
  return loaded;
}

LoadedPrecompile open_package_sandboxed(const Package& package, std::string_view origin,
                                        const std::filesystem::path& worker, const sandbox::SandboxLimits& limits) {
  const std::string who = fmt::format("package {} ('{}')", package.id(), origin);
  const int fd = sealed_library(package, who);
  std::shared_ptr<sandbox::SandboxedLibrary> library;
  try {
    library = sandbox::SandboxedLibrary::start(fd, worker, limits);
  } catch (const std::exception& e) {
    ::close(fd);
    throw PackageError(fmt::format("{}: {}", who, e.what()));
  }
  ::close(fd);  // the worker has its own copy
  auto call = [library](zkrv_precompile_call* c) { return library->call(c); };
  LoadedPrecompile loaded{package.manifest.name, package.manifest.version, package.digest(), std::filesystem::path(origin),
                          call, nullptr, true, library, {}};
  check_identity(call, package, who, &loaded);
  return loaded;
}

LoadedPrecompile load_precompile(const PrecompileRequest& request, const LoaderOptions& options) {
  ResolvedPackage resolved = resolve_precompile(request, options);
  const bool in_process = options.isolation == Isolation::kInProcess ||
                          (options.isolation == Isolation::kByTrust && resolved.report.trust.run_in_process);
  LoadedPrecompile loaded = in_process ? open_package_library(resolved.package, resolved.file.string())
                                       : open_package_sandboxed(resolved.package, resolved.file.string(),
                                                                options.sandbox_worker, options.sandbox_limits);
  loaded.package_file = resolved.file;
  loaded.warnings.insert(loaded.warnings.begin(), resolved.report.warnings.begin(), resolved.report.warnings.end());
  return loaded;
}

}  // namespace zkrv::precompiles
