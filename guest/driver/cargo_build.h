// Builds a Cargo (Rust) guest with cargo and the official riscv32 bare-metal targets, getting
// `core` and `alloc` either from rustup's prebuilt target or by building them from the library
// sources of a stable rustc (build-std). This is what `zkrv build` runs for a Cargo guest.
#ifndef ZKRV_GUEST_DRIVER_CARGO_BUILD_H_
#define ZKRV_GUEST_DRIVER_CARGO_BUILD_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zkrv::guestbuild {

// `path` as the manifest of a Cargo guest: a directory with a Cargo.toml, or a Cargo.toml.
std::optional<std::filesystem::path> cargo_manifest(const std::filesystem::path& path);

struct CargoBuildOptions {
  std::filesystem::path manifest;       // Cargo.toml
  std::filesystem::path output;         // the ELF to write
  std::string target;                   // empty: from `arch`
  std::string arch = "rv32imac";        // rv32imac or rv32im
  std::string toolchain = "auto";       // auto, prebuilt or build-std
  std::string sdk_dir;                  // where zkrv.ld is; empty: guest_linker_script's default
  std::vector<std::string> rustflags;   // extra rustc flags
  std::uint64_t stack_size = 0;         // bytes; 0 keeps the linker script's
  std::uint64_t heap_size = 0;          // bytes; 0 keeps the linker script's
  bool verbose = false;                 // also report the cargo command line
  // Called with each line to show the user before cargo runs (cargo's own diagnostics go straight
  // to stderr, so these must come out first).
  std::function<void(const std::string&)> progress;
};

struct CargoBuildResult {
  enum class Status { kOk, kUsage, kFailed };
  Status status = Status::kFailed;
  std::string error;  // complete message(s), naming `zkrv build`
  std::string target;
  bool prebuilt = false;  // rustup's target; else build-std
};

CargoBuildResult build_cargo_guest(const CargoBuildOptions& options);

}  // namespace zkrv::guestbuild

#endif  // ZKRV_GUEST_DRIVER_CARGO_BUILD_H_
