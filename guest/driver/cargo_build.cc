#include "guest/driver/cargo_build.h"

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <set>
#include <sstream>

#include "base/process.h"
#include "guest/driver/guest_build.h"

namespace zkrv::guestbuild {
namespace fs = std::filesystem;
namespace {

std::string trim(std::string text) {
  const size_t end = text.find_last_not_of(" \t\r\n");
  return end == std::string::npos ? "" : text.substr(0, end + 1);
}

// The first line of `argv`'s stdout, or empty if it does not run or fails.
std::string query(const std::vector<std::string>& argv, const std::set<std::string>& unset_environment = {}) {
  base::ProcessOptions options;
  options.stdout_mode = base::ChildOutput::kCapture;
  options.stderr_mode = base::ChildOutput::kDiscard;
  options.unset_environment = unset_environment;
  const base::ProcessResult result = base::run_process(argv, options);
  if (!result.started || result.exit_status != 0) return "";
  return trim(result.stdout_text.substr(0, result.stdout_text.find('\n')));
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::stringstream directories(path);
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    if (!directory.empty() && access((fs::path(directory) / program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// --- Cargo guests --------------------------------------------------------------------------------

constexpr const char* kRustTargets[] = {"riscv32imac-unknown-none-elf", "riscv32im-unknown-none-elf"};

// The two ways of getting `core` and `alloc` for a riscv32 target (docs/guides/rust.md).
struct RustToolchain {
  bool prebuilt = false;          // rustup's installed target; else build-std from library sources
  std::string rustc, cargo;       // build-std: explicit paths; prebuilt: as found in PATH
  std::string library;            // build-std: the library sources (with vendor/)
  std::string description;        // for the user
};

bool has_libcore(const fs::path& directory) {
  std::error_code error;
  if (!fs::is_directory(directory, error)) return false;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("libcore-") && name.ends_with(".rlib")) return true;
  }
  return false;
}

// rustup's prebuilt target: `rustc --print target-libdir --target T` holds libcore. The rustc
// and cargo are whatever PATH (or RUSTC / CARGO) names, as a user's `cargo build` would use.
std::optional<RustToolchain> find_prebuilt(const std::string& target, std::string* why_not) {
  const char* rustc_env = std::getenv("RUSTC");
  const char* cargo_env = std::getenv("CARGO");
  RustToolchain toolchain;
  toolchain.prebuilt = true;
  toolchain.rustc = rustc_env && *rustc_env ? rustc_env : "rustc";
  toolchain.cargo = cargo_env && *cargo_env ? cargo_env : "cargo";
  const std::string libdir = query({toolchain.rustc, "--print", "target-libdir", "--target", target});
  if (libdir.empty()) {
    *why_not = fmt::format("`{} --print target-libdir --target {}` failed", toolchain.rustc, target);
    return std::nullopt;
  }
  if (!has_libcore(libdir)) {
    *why_not = fmt::format("{} has no libcore (`rustup target add {}` installs it)", libdir, target);
    return std::nullopt;
  }
  const std::string version = query({toolchain.rustc, "--version"});
  toolchain.description = fmt::format("prebuilt target from {} ({})", libdir, version);
  return toolchain;
}

// The fallback for machines without rustup targets: a stable rustc whose sysroot has the library
// sources (Debian's rustc-web + rust-web-src; ZKRV_BUILD_STD_RUSTC names another), cargo beside
// it, and ld.lld. Exactly what tests/rust/CMakeLists.txt runs.
std::optional<RustToolchain> find_build_std(std::string* why_not) {
  const char* rustc_env = std::getenv("ZKRV_BUILD_STD_RUSTC");
  RustToolchain toolchain;
  toolchain.rustc = rustc_env && *rustc_env ? rustc_env : "/usr/bin/rustc";
  toolchain.cargo = (fs::path(toolchain.rustc).parent_path() / "cargo").string();
  for (const std::string& tool : {toolchain.rustc, toolchain.cargo}) {
    if (access(tool.c_str(), X_OK) != 0) {
      *why_not = fmt::format("{} is missing (Debian: rustc-web, cargo-web)", tool);
      return std::nullopt;
    }
  }
  const std::set<std::string> environment = {"RUSTUP_TOOLCHAIN"};
  const std::string sysroot = query({toolchain.rustc, "--print", "sysroot"}, environment);
  std::error_code error;
  const fs::path library = fs::canonical(fs::path(sysroot) / "lib/rustlib/src/rust/library", error);
  if (sysroot.empty() || error || !fs::exists(library / "core/Cargo.toml") || !fs::is_directory(library / "vendor")) {
    *why_not = fmt::format("{} has no library sources with vendored crates under {}/lib/rustlib/src/rust/library "
                           "(Debian: rust-web-src)", toolchain.rustc, sysroot);
    return std::nullopt;
  }
  if (!on_path("ld.lld")) {
    *why_not = "ld.lld is not on PATH (Debian: lld)";
    return std::nullopt;
  }
  toolchain.library = library.string();
  const std::string version = query({toolchain.rustc, "--version"}, environment);
  toolchain.description = fmt::format("build-std fallback with {} ({}), library sources {}", toolchain.rustc,
                                      version, toolchain.library);
  return toolchain;
}

std::optional<RustToolchain> choose_toolchain(const std::string& choice, const std::string& target, std::string* error) {
  std::string prebuilt_missing, build_std_missing;
  if (choice == "auto" || choice == "prebuilt") {
    if (auto toolchain = find_prebuilt(target, &prebuilt_missing)) return toolchain;
  }
  if (choice == "auto" || choice == "build-std") {
    if (auto toolchain = find_build_std(&build_std_missing)) return toolchain;
  }
  std::string reasons;
  if (!prebuilt_missing.empty()) reasons += "\n  prebuilt target: " + prebuilt_missing;
  if (!build_std_missing.empty()) reasons += "\n  build-std fallback: " + build_std_missing;
  *error = fmt::format("zkrv build: no Rust toolchain for {} ({}):{}\n"
                       "Install the target with `rustup target add {}`, or see docs/guides/rust.md.",
                       target, choice, reasons, target);
  return std::nullopt;
}

std::string shell_words(const std::vector<std::string>& words) {
  std::string line;
  for (const std::string& word : words) {
    if (!line.empty()) line += ' ';
    line += word.find_first_of(" \"'$") == std::string::npos ? word : "'" + word + "'";
  }
  return line;
}

}  // namespace

// `path` as the manifest of a Cargo guest: a directory with a Cargo.toml, or a Cargo.toml.
std::optional<fs::path> cargo_manifest(const fs::path& path) {
  std::error_code error;
  if (fs::is_directory(path, error) && fs::is_regular_file(path / "Cargo.toml", error)) return path / "Cargo.toml";
  if (path.filename() == "Cargo.toml" && fs::is_regular_file(path, error)) return path;
  return std::nullopt;
}

CargoBuildResult build_cargo_guest(const CargoBuildOptions& o) {
  CargoBuildResult result;
  const auto fail = [&](CargoBuildResult::Status status, std::string message) {
    result.status = status;
    result.error = std::move(message);
    return result;
  };
  const auto report = [&](const std::string& line) {
    if (o.progress) o.progress(line);
  };
  std::string target = o.target;
  if (target.empty()) {
    if (o.arch != "rv32imac" && o.arch != "rv32im") {
      return fail(CargoBuildResult::Status::kUsage, "zkrv build: unknown --arch '" + o.arch + "' (rv32imac or rv32im)");
    }
    target = o.arch == "rv32im" ? kRustTargets[1] : kRustTargets[0];
  } else if (target != kRustTargets[0] && target != kRustTargets[1]) {
    return fail(CargoBuildResult::Status::kUsage,
                fmt::format("zkrv build: unsupported --target '{}' (riscv32imac-unknown-none-elf or "
                            "riscv32im-unknown-none-elf)", target));
  }
  if (o.toolchain != "auto" && o.toolchain != "prebuilt" && o.toolchain != "build-std") {
    return fail(CargoBuildResult::Status::kUsage,
                "zkrv build: unknown --rust-toolchain '" + o.toolchain + "' (auto, prebuilt or build-std)");
  }
  result.target = target;
  std::string error;
  const fs::path linker_script = guest_linker_script(o.sdk_dir, &error);
  if (linker_script.empty()) return fail(CargoBuildResult::Status::kFailed, error);
  const std::optional<RustToolchain> toolchain = choose_toolchain(o.toolchain, target, &error);
  if (!toolchain) return fail(CargoBuildResult::Status::kFailed, error);
  result.prebuilt = toolchain->prebuilt;
  report(fmt::format("zkrv build: Cargo guest {}, {}, {}", o.manifest.string(), target, toolchain->description));

  // RUSTFLAGS replaces the crate's own target rustflags (the scaffold's linker script), so the
  // script is given once; CARGO_ENCODED_RUSTFLAGS would take precedence over it, so it goes.
  std::string rustflags = "-C link-arg=-T" + linker_script.string();
  if (!toolchain->prebuilt) rustflags = "-C linker=ld.lld " + rustflags;
  if (o.stack_size) rustflags += fmt::format(" -C link-arg=--defsym=__zkrv_stack_size={:#x}", o.stack_size);
  if (o.heap_size) rustflags += fmt::format(" -C link-arg=--defsym=__zkrv_heap_size={:#x}", o.heap_size);
  for (const std::string& flag : o.rustflags) rustflags += " " + flag;
  base::ProcessOptions process;
  process.set_environment = {"RUSTFLAGS=" + rustflags};
  process.unset_environment = {"CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_TARGET"};
  // cargo's JSON messages go to stdout; its diagnostics and progress go to the user.
  process.stdout_mode = base::ChildOutput::kCapture;
  std::vector<std::string> argv = {toolchain->cargo, "build", "--release", "--manifest-path", o.manifest.string(),
                                   "--target", target, "--message-format=json-render-diagnostics"};
  if (!toolchain->prebuilt) {
    // The stable compiler takes -Z flags with RUSTC_BOOTSTRAP; core and alloc are built from the
    // library sources, whose own dependencies come from their vendored copies, offline.
    process.set_environment.insert(process.set_environment.end(), {"RUSTC=" + toolchain->rustc, "RUSTC_BOOTSTRAP=1"});
    process.unset_environment.insert("RUSTUP_TOOLCHAIN");
    argv.insert(argv.end(), {"--offline", "-Zbuild-std=core,alloc", "-Zbuild-std-features=compiler-builtins-mem",
                             "--config", "source.crates-io.replace-with=\"rust-library-vendor\"", "--config",
                             fmt::format("source.rust-library-vendor.directory=\"{}/vendor\"", toolchain->library)});
  }
  if (o.verbose) report("+ " + shell_words(process.set_environment) + " " + shell_words(argv));
  const base::ProcessResult cargo = base::run_process(argv, process);
  if (!cargo.started) return fail(CargoBuildResult::Status::kFailed, "zkrv build: " + cargo.start_error);
  if (cargo.exit_status != 0) {
    return fail(CargoBuildResult::Status::kFailed,
                fmt::format("zkrv build: cargo build of {} failed (exit status {}); its diagnostics are above",
                            o.manifest.string(), cargo.exit_status));
  }

  // cargo's JSON messages name each executable it produced, wherever the target directory is.
  std::vector<std::string> executables;
  std::istringstream messages(cargo.stdout_text);
  for (std::string line; std::getline(messages, line);) {
    const nlohmann::json message = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (message.is_object() && message.value("reason", "") == "compiler-artifact" && message.contains("executable") &&
        message["executable"].is_string()) {
      executables.push_back(message["executable"].get<std::string>());
    }
  }
  if (executables.size() != 1) {
    std::string found;
    for (const std::string& path : executables) found += "\n  " + path;
    return fail(CargoBuildResult::Status::kFailed,
                fmt::format("zkrv build: {} produced {} executables; expected exactly one (build one package: "
                            "give its directory){}", o.manifest.string(), executables.size(), found));
  }
  std::error_code io_error;
  if (o.output.has_parent_path()) fs::create_directories(o.output.parent_path(), io_error);
  fs::copy_file(executables[0], o.output, fs::copy_options::overwrite_existing, io_error);
  if (io_error) {
    return fail(CargoBuildResult::Status::kFailed,
                fmt::format("zkrv build: cannot write {}: {}", o.output.string(), io_error.message()));
  }
  result.status = CargoBuildResult::Status::kOk;
  return result;
}
}  // namespace zkrv::guestbuild
