// Source lines of guest code: the DWARF line tables of a guest ELF (read with elfutils' libdw),
// for fault reports, backtraces and `zkrv trace`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace zkrv::debuginfo {

struct SourceLine {
  std::string file;  // as the compiler recorded it (absolute, or relative to its directory)
  int line = 0;
};

class SourceMap {
 public:
  // Reads every compilation unit's line table. An ELF without DWARF, or with DWARF libdw cannot
  // read, gives an empty map (source lines are a convenience: they never stop a run or a report).
  explicit SourceMap(std::span<const uint8_t> elf_file);
  ~SourceMap();
  SourceMap(const SourceMap&) = delete;
  SourceMap& operator=(const SourceMap&) = delete;

  // The line whose code holds pc, if a line table covers it.
  std::optional<SourceLine> line_at(uint32_t pc) const;
  bool empty() const { return rows_.empty(); }

  // The functions inlined at pc, innermost first (DWARF inlined-subroutine scopes): the frames a
  // backtrace cannot see because the compiler removed the calls. Empty without DWARF.
  std::vector<std::string> inlined_at(uint32_t pc) const;

 private:
  struct Debug;  // the libelf/libdw handles over a copy of the file, kept for inlined_at
  std::unique_ptr<Debug> debug_;
  struct Row {
    uint32_t addr;
    uint32_t file;  // index into files_
    int line;
    bool end_sequence;  // the address past a sequence's last instruction: covers nothing
  };
  std::vector<Row> rows_;  // sorted by addr
  std::vector<std::string> files_;
};

// "file:line", with the file shortened to its last two path components (enough to find it, short
// enough for a report line).
std::string format(const SourceLine& line);

}  // namespace zkrv::debuginfo
