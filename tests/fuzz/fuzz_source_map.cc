// libFuzzer target for source lines: DWARF line tables read by libdw from an arbitrary file, the
// way `zkrv run` reads a faulting guest's and `zkrv trace` any guest's. Any input gives a map
// (possibly empty) whose lookups return; a crash or a sanitizer report is a finding (in our code,
// or in libdw, which is then not fit to read untrusted ELFs).
#include <cstdint>
#include <span>

#include "debuginfo/source_map.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const zkrv::debuginfo::SourceMap map(std::span<const uint8_t>(data, size));
  for (uint32_t pc : {0u, 0x10000u, 0x10002u, 0x10100u, 0x20000u, 0xFFFFFFFEu}) {
    if (const auto line = map.line_at(pc)) (void)zkrv::debuginfo::format(*line);
  }
  return 0;
}
