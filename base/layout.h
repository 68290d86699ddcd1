// Where the running program finds zkrv's own files (guest SDK, precompile store, sandbox worker):
// an installed tree beside the executable, or the build tree the executable was built in. Nothing
// here is an absolute path compiled in, so an installed tree can move as a whole and names no
// checkout (docs/guides/installing.md, "How zkrv finds its files").
#ifndef ZKRV_BASE_LAYOUT_H_
#define ZKRV_BASE_LAYOUT_H_

#include <filesystem>
#include <string>

namespace zkrv::base {

enum class LayoutKind { kNone, kInstalled, kBuildTree };

struct Layout {
  LayoutKind kind = LayoutKind::kNone;
  // kInstalled: <prefix>/share/zkrv and <prefix>/libexec/zkrv (the GNUInstallDirs folders this
  // build was configured with, reached by their paths relative to <prefix>/bin).
  // kBuildTree: the build tree's root, both.
  std::filesystem::path data_dir;
  std::filesystem::path libexec_dir;
  // kBuildTree only: the source tree it was configured from, and its guest SDK (the source tree's
  // guest/ when it was configured without the RISC-V guests); both named by its marker file.
  std::filesystem::path source_dir;
  std::filesystem::path guest_sdk_dir;
};

// The file name CMake writes at the root of every build tree (key=value lines: source_dir,
// guest_sdk_dir).
inline constexpr const char* kBuildTreeMarker = "zkrv-build-tree.txt";

// The running executable, symlinks resolved (/proc/self/exe); empty when it cannot be read.
std::filesystem::path running_executable();

// The layout of `executable`: kInstalled when <its folder>/<bindir-to-datadir>/zkrv exists (an
// installed zkrv never looks further, even when a build tree holds the prefix); else kBuildTree
// when a folder above it holds kBuildTreeMarker (the nearest one); else kNone.
Layout layout_of(const std::filesystem::path& executable);

// layout_of(running_executable()), computed on the first call and kept for the process (the
// variables that override a file's place, ZKRV_SDK or ZKRV_PRECOMPILE_WORKER, are read by their
// callers on every call, not here).
const Layout& running_layout();

}  // namespace zkrv::base

#endif  // ZKRV_BASE_LAYOUT_H_
