// `zkrv build`: builds a guest with the stock compilers. The work is in guest/driver: C/C++ sources
// and CMake guest projects through the SDK (guest_build.h), Cargo guests through cargo and the
// official riscv32 bare-metal targets (cargo_build.h); this file maps options and results.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "guest/driver/cargo_build.h"
#include "guest/driver/guest_build.h"

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

CLI::App* add_command(CLI::App& app, BuildCommandOptions& o) {
  CLI::App* build =
      app.add_subcommand("build", "Build a guest ELF: C/C++ sources, a CMake guest project, or a Cargo (Rust) guest");
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
  // Refuses "-1" and the like here; guest/driver checks alignment and the layout's own limits.
  build->add_option("--stack-size", o.stack_size, "Stack size in bytes (default 1 MiB)")
      ->check(whole_number_in(0, UINT64_MAX));
  build->add_option("--heap-size", o.heap_size, "Heap size in bytes (default 256 MiB)")
      ->check(whole_number_in(0, UINT64_MAX));
  build->add_option("--sdk", o.sdk, "Guest SDK directory (default: the one `zkrv sdk-path` prints)");
  build->add_flag("-v,--verbose", o.verbose, "Print the commands that run");
  return build;
}

int build_cargo_guest(const BuildCommandOptions& o, const fs::path& manifest) {
  guestbuild::CargoBuildOptions options;
  options.manifest = manifest;
  options.output = o.output;
  options.target = o.rust_target;
  options.arch = o.arch;
  options.toolchain = o.rust_toolchain;
  options.sdk_dir = o.sdk;
  options.rustflags = o.flags;
  options.stack_size = o.stack_size;
  options.heap_size = o.heap_size;
  options.verbose = o.verbose;
  options.progress = [](const std::string& line) { std::cerr << line << "\n"; };
  const guestbuild::CargoBuildResult result = guestbuild::build_cargo_guest(options);
  switch (result.status) {
    case guestbuild::CargoBuildResult::Status::kOk: break;
    case guestbuild::CargoBuildResult::Status::kUsage: std::cerr << result.error << "\n"; return kExitUsage;
    case guestbuild::CargoBuildResult::Status::kFailed: std::cerr << result.error << "\n"; return kExitBadInput;
  }
  std::cerr << fmt::format("zkrv build: wrote {} (Cargo guest, {}, {})\n", o.output, result.target,
                           result.prebuilt ? "prebuilt target" : "build-std");
  return kExitSuccess;
}

#ifdef ZKRV_HAVE_GUEST_SDK
int build_c_guest(const BuildCommandOptions& o) {
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

int run_build(const BuildCommandOptions& o) {
  if (o.inputs.size() == 1) {
    if (const std::optional<fs::path> manifest = guestbuild::cargo_manifest(o.inputs[0])) return build_cargo_guest(o, *manifest);
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
#ifdef ZKRV_HAVE_GUEST_SDK
  return build_c_guest(o);
#else
  std::cerr << "zkrv build: this zkrv was built without the guest SDK (ZKRV_BUILD_GUESTS=OFF)\n";
  return kExitUsage;
#endif
}

}  // namespace

Subcommand register_build(CLI::App& app) { return make_subcommand(app, add_command, run_build); }

}  // namespace zkrv::cli
