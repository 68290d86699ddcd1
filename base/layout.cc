#include "base/layout.h"

#include <fstream>
#include <string_view>
#include <system_error>

namespace zkrv::base {
namespace fs = std::filesystem;

fs::path running_executable() {
  std::error_code error;
  fs::path executable = fs::canonical("/proc/self/exe", error);
  if (error) return {};
  return executable;
}

Layout layout_of(const fs::path& executable) {
  if (executable.empty()) return {};
  std::error_code error;
  const fs::path bindir = executable.parent_path();
  const fs::path data_dir = (bindir / ZKRV_DATADIR_RELATIVE_TO_BINDIR / "zkrv").lexically_normal();
  if (fs::is_directory(data_dir, error)) {
    return {LayoutKind::kInstalled, data_dir,
            (bindir / ZKRV_LIBEXECDIR_RELATIVE_TO_BINDIR / "zkrv").lexically_normal(), {}, {}};
  }
  for (fs::path dir = bindir; !dir.empty(); dir = dir.parent_path()) {
    std::ifstream marker(dir / kBuildTreeMarker);
    if (marker) {
      Layout layout{LayoutKind::kBuildTree, dir, dir, {}, {}};
      std::string line;
      while (std::getline(marker, line)) {
        const size_t equals = line.find('=');
        if (equals == std::string::npos) continue;
        const std::string_view key = std::string_view(line).substr(0, equals);
        const fs::path value = line.substr(equals + 1);
        if (key == "source_dir") layout.source_dir = value;
        if (key == "guest_sdk_dir") layout.guest_sdk_dir = value;
      }
      return layout;
    }
    if (dir == dir.root_path()) break;
  }
  return {};
}

// The executable and its tree do not move while it runs, and every lookup of a zkrv file (the SDK,
// each precompile package, each sandboxed load) asks: one walk up the folders and one read of the
// marker per process. A function-local static is initialised once, thread-safely ([stmt.dcl]/3).
const Layout& running_layout() {
  static const Layout kLayout = layout_of(running_executable());
  return kLayout;
}

}  // namespace zkrv::base
