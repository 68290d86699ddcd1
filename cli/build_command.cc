// `zkrv build`: compiles a guest with the stock compiler through the guest SDK driver.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"

#ifdef ZKRV_HAVE_GUEST_DRIVER
#include "guest/driver/guest_build.h"
#endif

namespace zkrv::cli {
namespace {

struct BuildCommandOptions {
  std::vector<std::string> inputs;
  std::string output = "guest.elf";
  std::string compiler = "clang";
  std::string arch = "rv32imac";
  std::string optimization = "2";
  std::vector<std::string> flags;
  uint64_t stack_size = 0;
  uint64_t heap_size = 0;
  std::string sdk;
  bool verbose = false;
};

BuildCommandOptions build_options;

#ifdef ZKRV_HAVE_GUEST_DRIVER
int do_build() {
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

int run_build() {
#ifdef ZKRV_HAVE_GUEST_DRIVER
  return do_build();
#else
  std::cerr << "zkrv build: this zkrv was built without the guest SDK (ZKRV_BUILD_GUESTS=OFF)\n";
  return kExitUsage;
#endif
}

void register_build(CLI::App& app) {
  BuildCommandOptions& o = build_options;
  CLI::App* build = app.add_subcommand(
      "build", "Build a guest ELF from C/C++ sources or a CMake guest project with the stock compiler");
  build->add_option("inputs", o.inputs, "C/C++/assembly sources, or one directory with a CMakeLists.txt")->required();
  build->add_option("-o,--output", o.output, "Output ELF")->capture_default_str();
  build->add_option("--compiler", o.compiler, "clang or gcc (riscv64-unknown-elf-gcc)")->capture_default_str();
  build->add_option("--arch", o.arch, "rv32imac or rv32im")->capture_default_str();
  build->add_option("-O,--opt", o.optimization, "Optimisation level: 0, 1, 2, 3, s, z or g")->capture_default_str();
  build->add_option("--flag", o.flags, "Extra compiler/linker flag (repeatable)");
  build->add_option("--stack-size", o.stack_size, "Stack size in bytes (default 1 MiB)");
  build->add_option("--heap-size", o.heap_size, "Heap size in bytes (default 256 MiB)");
  build->add_option("--sdk", o.sdk, "Guest SDK directory (default: the one this zkrv was built with)");
  build->add_flag("-v,--verbose", o.verbose, "Print the commands that run");
}

}  // namespace zkrv::cli
