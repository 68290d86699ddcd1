// elf/: reads a RISC-V ELF32 executable into an ElfImage and validates it against guest ABI v1
// (docs/abi.md). Depends on nothing else in zkrv. Every malformed input is reported as an ElfError
// whose message names what is wrong and where (offset, segment or section index); the parser never
// reads outside the input span, whatever the header fields say.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace zkrv::elf {

class ElfError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Limits that bound what a program may ask of the host.
struct LoadLimits {
  uint64_t max_file_size = 1ull << 30;      // bytes of ELF file accepted
  uint64_t max_mapped_size = 3ull << 30;    // sum of the page spans of all PT_LOAD segments
  uint32_t null_guard_end = 0x10000;        // [0, null_guard_end) is never mapped
  uint32_t page_size = 4096;
};

enum SegmentFlags : uint32_t { kExec = 1, kWrite = 2, kRead = 4 };  // = ELF PF_X, PF_W, PF_R

struct Segment {
  uint32_t index;        // index in the program header table, for messages
  uint32_t vaddr;
  uint32_t memsz;
  uint32_t flags;        // SegmentFlags; one of R, RW, RX (validated)
  std::span<const uint8_t> file_bytes;  // p_filesz bytes from the file (a view into the input)
};

struct Symbol {
  std::string name;
  uint32_t value;
  uint32_t size;
  bool is_function;
};

struct Section {
  std::string name;
  uint32_t addr;
  uint32_t type;
  uint32_t flags;
  std::span<const uint8_t> bytes;  // empty for SHT_NOBITS
};

// The validated image. Views (spans) point into the bytes given to parse(): keep them alive.
struct ElfImage {
  uint32_t entry = 0;
  uint32_t flags = 0;                 // e_flags (RVC, float ABI)
  std::vector<Segment> segments;      // PT_LOAD only, sorted by vaddr
  std::vector<Symbol> symbols;        // from .symtab when present (functions and objects), by value
  std::vector<Section> sections;      // every named section, in file order (empty if no section headers)

  // The symbol containing addr, or else the nearest one below it, as "name+0xoff"; "" if none.
  std::string symbolize(uint32_t addr) const;
  const Section* find_section(std::string_view name) const;
  const Symbol* find_symbol(std::string_view name) const;
  uint64_t mapped_size(uint32_t page_size = 4096) const;  // sum of segment page spans
};

// Parses and validates: ELF magic, ELFCLASS32, little-endian, EV_CURRENT, EM_RISCV, ET_EXEC, header
// sizes, program and section header tables inside the file, each PT_LOAD inside the file
// (offset + filesz), filesz <= memsz, vaddr + memsz without 32-bit overflow, no segment in the null
// guard, permissions R/RW/RX only, no overlapping segments, segments sharing a page only with equal
// permissions, total mapped size <= limit, entry inside an executable segment, string and symbol
// tables in bounds. Section headers are optional (a stripped file loads); a malformed one is an error.
ElfImage parse(std::span<const uint8_t> file, const LoadLimits& limits = {});

// Reads a file and parses it; the bytes are stored in *storage (the image views point into it).
ElfImage load_file(const std::string& path, std::vector<uint8_t>* storage, const LoadLimits& limits = {});

}  // namespace zkrv::elf
