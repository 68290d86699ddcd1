// `zkrv build`: compiles a guest with the stock compiler, C/C++ through the guest SDK driver and
// Rust (a Cargo guest) through cargo with the official riscv32 bare-metal targets.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/commands.h"

#ifdef ZKRV_HAVE_GUEST_DRIVER
#include "guest/driver/guest_build.h"
#endif

extern char** environ;

namespace zkrv::cli {
namespace fs = std::filesystem;
namespace {

struct BuildCommandOptions {
  std::vector<std::string> inputs;
  std::string output = "guest.elf";
  std::string compiler = "clang";
  std::string arch = "rv32imac";
  std::string rust_target;  // empty: from --arch
  std::string rust_toolchain = "auto";
  std::string optimization = "2";
  std::vector<std::string> flags;
  uint64_t stack_size = 0;
  uint64_t heap_size = 0;
  std::string sdk;
  bool verbose = false;
};

BuildCommandOptions build_options;

// --- Running tools ---------------------------------------------------------------------------

struct ChildResult {
  bool started = false;
  int exit_status = -1;     // exit code, or 128 + signal
  std::string output;       // stdout, when captured
  std::string start_error;  // why it did not start
};

// The current environment with `unset` removed and `set` ("NAME=value") replacing or adding.
std::vector<std::string> environment_with(const std::vector<std::string>& set, const std::set<std::string>& unset) {
  std::set<std::string> replaced = unset;
  for (const std::string& entry : set) replaced.insert(entry.substr(0, entry.find('=')));
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    if (replaced.count(text.substr(0, text.find('='))) == 0) environment.push_back(text);
  }
  environment.insert(environment.end(), set.begin(), set.end());
  return environment;
}

// Runs argv (looked up in PATH) with `environment`. stdout is captured into `output` (through a
// temporary file, so a chatty tool cannot block on a full pipe) or inherited; stderr is inherited
// so that the tool's diagnostics and progress reach the user, or dropped when `quiet`.
ChildResult run_child(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                      bool capture_stdout, bool quiet) {
  ChildResult result;
  int capture_fd = -1;
  if (capture_stdout) {
    char capture_path[] = "/tmp/zkrv-build-stdout-XXXXXX";
    capture_fd = mkstemp(capture_path);
    if (capture_fd < 0) {
      result.start_error = fmt::format("cannot create a temporary file: {}", std::strerror(errno));
      return result;
    }
    unlink(capture_path);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (capture_fd >= 0) posix_spawn_file_actions_adddup2(&actions, capture_fd, STDOUT_FILENO);
  if (quiet) posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);

  std::vector<char*> args;
  for (const std::string& word : argv) args.push_back(const_cast<char*>(word.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (const std::string& entry : environment) env.push_back(const_cast<char*>(entry.c_str()));
  env.push_back(nullptr);
  std::fflush(stdout);
  std::cerr.flush();
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    if (capture_fd >= 0) close(capture_fd);
    result.start_error = fmt::format("cannot start {}: {}", argv[0], std::strerror(spawn_error));
    return result;
  }
  result.started = true;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_status = 128 + WTERMSIG(status);
  }
  if (capture_fd >= 0) {
    lseek(capture_fd, 0, SEEK_SET);
    char buffer[4096];
    ssize_t got;
    while ((got = read(capture_fd, buffer, sizeof(buffer))) > 0) result.output.append(buffer, static_cast<size_t>(got));
    close(capture_fd);
  }
  return result;
}

std::string trim(std::string text) {
  const size_t end = text.find_last_not_of(" \t\r\n");
  return end == std::string::npos ? "" : text.substr(0, end + 1);
}

// The first line of `argv`'s stdout, or empty if it does not run or fails.
std::string query(const std::vector<std::string>& argv, const std::vector<std::string>& environment) {
  const ChildResult result = run_child(argv, environment, /*capture_stdout=*/true, /*quiet=*/true);
  if (!result.started || result.exit_status != 0) return "";
  return trim(result.output.substr(0, result.output.find('\n')));
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
  const std::vector<std::string> environment = environment_with({}, {});
  const std::string libdir = query({toolchain.rustc, "--print", "target-libdir", "--target", target}, environment);
  if (libdir.empty()) {
    *why_not = fmt::format("`{} --print target-libdir --target {}` failed", toolchain.rustc, target);
    return std::nullopt;
  }
  if (!has_libcore(libdir)) {
    *why_not = fmt::format("{} has no libcore (`rustup target add {}` installs it)", libdir, target);
    return std::nullopt;
  }
  const std::string version = query({toolchain.rustc, "--version"}, environment);
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
  const std::vector<std::string> environment = environment_with({}, {"RUSTUP_TOOLCHAIN"});
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

// `path` as the manifest of a Cargo guest: a directory with a Cargo.toml, or a Cargo.toml.
std::optional<fs::path> cargo_manifest(const fs::path& path) {
  std::error_code error;
  if (fs::is_directory(path, error) && fs::is_regular_file(path / "Cargo.toml", error)) return path / "Cargo.toml";
  if (path.filename() == "Cargo.toml" && fs::is_regular_file(path, error)) return path;
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

int build_cargo_guest(const fs::path& manifest) {
  const BuildCommandOptions& o = build_options;
  std::string target = o.rust_target;
  if (target.empty()) {
    if (o.arch != "rv32imac" && o.arch != "rv32im") {
      std::cerr << "zkrv build: unknown --arch '" << o.arch << "' (rv32imac or rv32im)\n";
      return kExitUsage;
    }
    target = o.arch == "rv32im" ? kRustTargets[1] : kRustTargets[0];
  } else if (target != kRustTargets[0] && target != kRustTargets[1]) {
    std::cerr << fmt::format("zkrv build: unsupported --target '{}' (riscv32imac-unknown-none-elf or "
                             "riscv32im-unknown-none-elf)\n", target);
    return kExitUsage;
  }
  if (o.rust_toolchain != "auto" && o.rust_toolchain != "prebuilt" && o.rust_toolchain != "build-std") {
    std::cerr << "zkrv build: unknown --rust-toolchain '" << o.rust_toolchain << "' (auto, prebuilt or build-std)\n";
    return kExitUsage;
  }
  std::string error;
  const fs::path linker_script = guest_linker_script(o.sdk, &error);
  if (linker_script.empty()) {
    std::cerr << error << "\n";
    return kExitBadInput;
  }
  const std::optional<RustToolchain> toolchain = choose_toolchain(o.rust_toolchain, target, &error);
  if (!toolchain) {
    std::cerr << error << "\n";
    return kExitBadInput;
  }
  std::cerr << fmt::format("zkrv build: Cargo guest {}, {}, {}\n", manifest.string(), target, toolchain->description);

  // RUSTFLAGS replaces the crate's own target rustflags (the scaffold's linker script), so the
  // script is given once; CARGO_ENCODED_RUSTFLAGS would take precedence over it, so it goes.
  std::string rustflags = "-C link-arg=-T" + linker_script.string();
  if (!toolchain->prebuilt) rustflags = "-C linker=ld.lld " + rustflags;
  if (o.stack_size) rustflags += fmt::format(" -C link-arg=--defsym=__zkrv_stack_size={:#x}", o.stack_size);
  if (o.heap_size) rustflags += fmt::format(" -C link-arg=--defsym=__zkrv_heap_size={:#x}", o.heap_size);
  for (const std::string& flag : o.flags) rustflags += " " + flag;
  std::vector<std::string> set = {"RUSTFLAGS=" + rustflags};
  std::set<std::string> unset = {"CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_TARGET"};
  std::vector<std::string> argv = {toolchain->cargo, "build", "--release", "--manifest-path", manifest.string(),
                                   "--target", target, "--message-format=json-render-diagnostics"};
  if (!toolchain->prebuilt) {
    // The stable compiler takes -Z flags with RUSTC_BOOTSTRAP; core and alloc are built from the
    // library sources, whose own dependencies come from their vendored copies, offline.
    set.insert(set.end(), {"RUSTC=" + toolchain->rustc, "RUSTC_BOOTSTRAP=1"});
    unset.insert("RUSTUP_TOOLCHAIN");
    argv.insert(argv.end(), {"--offline", "-Zbuild-std=core,alloc", "-Zbuild-std-features=compiler-builtins-mem",
                             "--config", "source.crates-io.replace-with=\"rust-library-vendor\"", "--config",
                             fmt::format("source.rust-library-vendor.directory=\"{}/vendor\"", toolchain->library)});
  }
  if (o.verbose) std::cerr << "+ " << shell_words(set) << " " << shell_words(argv) << "\n";
  const ChildResult cargo = run_child(argv, environment_with(set, unset), /*capture_stdout=*/true, /*quiet=*/false);
  if (!cargo.started) {
    std::cerr << "zkrv build: " << cargo.start_error << "\n";
    return kExitBadInput;
  }
  if (cargo.exit_status != 0) {
    std::cerr << fmt::format("zkrv build: cargo build of {} failed (exit status {}); its diagnostics are above\n",
                             manifest.string(), cargo.exit_status);
    return kExitBadInput;
  }

  // cargo's JSON messages name each executable it produced, wherever the target directory is.
  std::vector<std::string> executables;
  std::istringstream messages(cargo.output);
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
    std::cerr << fmt::format("zkrv build: {} produced {} executables; expected exactly one (build one package: "
                             "give its directory){}\n", manifest.string(), executables.size(), found);
    return kExitBadInput;
  }
  std::error_code io_error;
  const fs::path output = o.output;
  if (output.has_parent_path()) fs::create_directories(output.parent_path(), io_error);
  fs::copy_file(executables[0], output, fs::copy_options::overwrite_existing, io_error);
  if (io_error) {
    std::cerr << fmt::format("zkrv build: cannot write {}: {}\n", output.string(), io_error.message());
    return kExitBadInput;
  }
  std::cerr << fmt::format("zkrv build: wrote {} (Cargo guest, {}, {})\n", output.string(), target,
                           toolchain->prebuilt ? "prebuilt target" : "build-std");
  return kExitSuccess;
}

// --- C and C++ guests ----------------------------------------------------------------------------

#ifdef ZKRV_HAVE_GUEST_DRIVER
int build_c_guest() {
  const BuildCommandOptions& o = build_options;
  guestbuild::BuildOptions options;
  for (const auto& input : o.inputs) options.inputs.emplace_back(input);
  options.output = o.output;
  const auto compiler = guestbuild::parse_compiler(o.compiler);
  const auto arch = guestbuild::parse_arch(o.arch);
  if (!compiler || !arch) {
    std::cerr << "zkrv build: unknown " << (compiler ? "--arch '" + o.arch : "--compiler '" + o.compiler) << "'\n";
    return kExitUsage;
  }
  options.compiler = *compiler;
  options.arch = *arch;
  options.optimization = o.optimization;
  options.extra_flags = o.flags;
  if (o.stack_size) options.stack_size = o.stack_size;
  if (o.heap_size) options.heap_size = o.heap_size;
  options.sdk_dir = o.sdk;
  const guestbuild::BuildResult result = guestbuild::build_guest(options);
  if (o.verbose) {
    for (const auto& command : result.commands) std::cerr << "+ " << command << "\n";
  }
  if (!result.ok) {
    std::cerr << result.error << "\n";  // the driver names itself and the failing step
    return kExitBadInput;
  }
  std::cerr << fmt::format("zkrv build: wrote {} ({} {}, -O{})\n", o.output, o.compiler, o.arch, o.optimization);
  return kExitSuccess;
}
#endif

}  // namespace

fs::path guest_linker_script(const std::string& sdk_dir, std::string* error) {
  std::vector<fs::path> candidates;
  if (!sdk_dir.empty()) {
    candidates.push_back(fs::path(sdk_dir) / "zkrv.ld");
  } else {
#ifdef ZKRV_HAVE_GUEST_DRIVER
    candidates.push_back(guestbuild::default_sdk_dir() / "zkrv.ld");
#endif
#ifdef ZKRV_GUEST_SOURCE_DIR
    candidates.push_back(fs::path(ZKRV_GUEST_SOURCE_DIR) / "zkrv.ld");
#endif
  }
  std::error_code ignored;
  for (const fs::path& candidate : candidates) {
    if (fs::is_regular_file(candidate, ignored)) return fs::absolute(candidate, ignored);
  }
  std::string tried;
  for (const fs::path& candidate : candidates) tried += " " + candidate.string();
  *error = fmt::format("zkrv build: no SDK linker script zkrv.ld (looked for:{}); pass --sdk DIR", tried);
  return {};
}

int run_build() {
  const BuildCommandOptions& o = build_options;
  if (o.inputs.size() == 1) {
    if (const std::optional<fs::path> manifest = cargo_manifest(o.inputs[0])) return build_cargo_guest(*manifest);
    std::error_code error;
    if (fs::is_directory(o.inputs[0], error) && !fs::exists(fs::path(o.inputs[0]) / "CMakeLists.txt", error)) {
      std::cerr << fmt::format("zkrv build: directory {} has neither a Cargo.toml (a Rust guest) nor a "
                               "CMakeLists.txt (a C/C++ guest project)\n", o.inputs[0]);
      return kExitBadInput;
    }
  }
  if (!o.rust_target.empty()) {
    std::cerr << "zkrv build: --target is for Cargo guests; C/C++ guests take --arch\n";
    return kExitUsage;
  }
#ifdef ZKRV_HAVE_GUEST_DRIVER
  return build_c_guest();
#else
  std::cerr << "zkrv build: this zkrv was built without the guest SDK (ZKRV_BUILD_GUESTS=OFF)\n";
  return kExitUsage;
#endif
}

void register_build(CLI::App& app) {
  BuildCommandOptions& o = build_options;
  CLI::App* build = app.add_subcommand(
      "build", "Build a guest ELF: C/C++ sources, a CMake guest project, or a Cargo (Rust) guest");
  build->add_option("inputs", o.inputs,
                    "C/C++/assembly sources, or one directory with a CMakeLists.txt, or a Cargo guest "
                    "(its directory or Cargo.toml)")
      ->required();
  build->add_option("-o,--output", o.output, "Output ELF")->capture_default_str();
  build->add_option("--compiler", o.compiler, "clang or gcc (riscv64-unknown-elf-gcc); C/C++ only")->capture_default_str();
  build->add_option("--arch", o.arch, "rv32imac or rv32im")->capture_default_str();
  build->add_option("--target", o.rust_target,
                    "Cargo guests: riscv32imac-unknown-none-elf or riscv32im-unknown-none-elf (default: from --arch)");
  build->add_option("--rust-toolchain", o.rust_toolchain,
                    "Cargo guests: auto (rustup's prebuilt target if installed, else build-std), prebuilt or build-std")
      ->capture_default_str();
  build->add_option("-O,--opt", o.optimization, "Optimisation level: 0, 1, 2, 3, s, z or g; C/C++ only")
      ->capture_default_str();
  build->add_option("--flag", o.flags, "Extra compiler/linker flag (repeatable); for Cargo guests a rustc flag");
  build->add_option("--stack-size", o.stack_size, "Stack size in bytes (default 1 MiB)");
  build->add_option("--heap-size", o.heap_size, "Heap size in bytes (default 256 MiB)");
  build->add_option("--sdk", o.sdk, "Guest SDK directory (default: the one this zkrv was built with)");
  build->add_flag("-v,--verbose", o.verbose, "Print the commands that run");
}

}  // namespace zkrv::cli
