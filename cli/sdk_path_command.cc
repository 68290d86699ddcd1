// `zkrv sdk-path [--json]`: where this zkrv's guest SDK is (guest/driver's find_sdk, the lookup
// `zkrv build` and `zkrv new` use), so that build scripts and scaffolds find it through zkrv rather
// than through a path of some checkout: `cmake -DCMAKE_TOOLCHAIN_FILE=$(zkrv sdk-path)/cmake/...`.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "guest/driver/guest_build.h"

namespace zkrv::cli {
namespace fs = std::filesystem;
namespace {

struct SdkPathOptions {
  bool json = false;
};

CLI::App* add_command(CLI::App& app, SdkPathOptions& o) {
  CLI::App* command = app.add_subcommand(
      "sdk-path",
      "Print the guest SDK directory: $ZKRV_SDK if set, else <prefix>/share/zkrv/sdk beside an installed zkrv, "
      "else the build tree's");
  command->add_flag("--json", o.json, "Print as JSON: the directory, the rule that found it, what it can build");
  return command;
}

int run_sdk_path(const SdkPathOptions& o) {
  const guestbuild::SdkLocation sdk = guestbuild::find_sdk();
  std::error_code error;
  if (sdk.dir.empty()) {
    std::cerr << "zkrv sdk-path: no guest SDK found: ZKRV_SDK is not set, there is none beside this zkrv "
                 "(<prefix>/share/zkrv/sdk) and this zkrv is not in a build tree\n";
    return kExitBadInput;
  }
  if (!fs::is_regular_file(sdk.dir / "zkrv.ld", error)) {
    std::cerr << fmt::format("zkrv sdk-path: {} (from {}) is no guest SDK: it has no zkrv.ld\n", sdk.dir.string(),
                             sdk.found_by);
    return kExitBadInput;
  }
  const fs::path dir = fs::absolute(sdk.dir, error).lexically_normal();
  if (!o.json) {
    std::cout << dir.string() << "\n";
    return kExitSuccess;
  }
  // C/C++ guests need the RISC-V half (sdk.cfg and a libzkrv.a); Cargo guests the crate.
  const bool c_cxx = fs::is_regular_file(dir / "sdk.cfg", error) &&
                     fs::is_regular_file(dir / "lib" / "rv32imac" / "libzkrv.a", error);
  const bool rust = fs::is_regular_file(dir / "rust" / "Cargo.toml", error);
  std::cout << nlohmann::json{{"sdk_dir", dir.string()}, {"found_by", sdk.found_by}, {"c_cxx", c_cxx}, {"rust", rust}}
                   .dump(2)
            << "\n";
  return kExitSuccess;
}

}  // namespace

Subcommand register_sdk_path(CLI::App& app) { return make_subcommand(app, add_command, run_sdk_path); }

}  // namespace zkrv::cli
