// Builds zkrv guest ELFs from C/C++ sources or a CMake guest project with the stock RISC-V
// compilers and the guest SDK. This is what `zkrv build` runs.
#ifndef ZKRV_GUEST_DRIVER_GUEST_BUILD_H_
#define ZKRV_GUEST_DRIVER_GUEST_BUILD_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zkrv::guestbuild {

enum class Compiler { kClang, kGcc };
enum class Arch { kRv32imac, kRv32im };

std::optional<Compiler> parse_compiler(std::string_view name);  // "clang" or "gcc"
std::optional<Arch> parse_arch(std::string_view name);          // "rv32imac" or "rv32im"
std::string_view to_string(Compiler compiler);
std::string_view to_string(Arch arch);

struct BuildOptions {
  // C (.c), C++ (.cc, .cpp, .cxx, .C) and assembly (.S, .s) sources, or exactly one directory that
  // holds a CMakeLists.txt (a guest project built with the SDK's toolchain file; it must produce
  // exactly one .elf).
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path output;
  Compiler compiler = Compiler::kClang;
  Arch arch = Arch::kRv32imac;
  std::string optimization = "2";  // passed as -O<optimization>: 0, 1, 2, 3, s, z or g
  std::vector<std::string> extra_flags;  // added to every compile and link command
  std::optional<std::uint64_t> stack_size;  // bytes; overrides __zkrv_stack_size
  std::optional<std::uint64_t> heap_size;   // bytes; overrides __zkrv_heap_size
  std::filesystem::path sdk_dir;            // empty: default_sdk_dir()
};

struct BuildResult {
  bool ok = false;
  // On failure: what failed, followed by the tool's own output (the compiler's diagnostics).
  std::string error;
  // Every command that ran, in order, as a shell would show it.
  std::vector<std::string> commands;
};

BuildResult build_guest(const BuildOptions& options);

// Where the guest SDK is, and which rule found it (docs/guides/installing.md).
struct SdkLocation {
  std::filesystem::path dir;  // empty when no rule found one
  std::string found_by;       // "ZKRV_SDK", "installed" or "build tree"
};

// The SDK a caller that names none uses: $ZKRV_SDK when set and not empty; else, for an installed
// executable (base::running_layout()), <datadir>/zkrv/sdk beside it when it holds zkrv.ld; else,
// for an executable inside a build tree, the SDK that tree's marker names. An installed zkrv never
// looks into a build tree, even while one exists.
SdkLocation find_sdk();

// find_sdk().dir.
std::filesystem::path default_sdk_dir();

// The SDK linker script zkrv.ld: in `sdk_dir` when given, else in default_sdk_dir(). Empty, with
// `*error` set, when there is none.
std::filesystem::path guest_linker_script(const std::string& sdk_dir, std::string* error);

}  // namespace zkrv::guestbuild

#endif  // ZKRV_GUEST_DRIVER_GUEST_BUILD_H_
