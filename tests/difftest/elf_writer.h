// A minimal ELF32 writer for RISC-V executables: an ELF header, one PT_LOAD program header per
// segment and the segments' bytes, each at a file offset congruent to its address modulo 4 KiB (so
// both the zkrv loader and Linux/qemu can map it). Section headers only for the sections asked for
// (e.g. a .note.zkrv.precompiles), with their name table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zkrv::difftest {

struct ElfSegment {
  uint32_t vaddr = 0;              // 4 KiB aligned
  uint32_t memsz = 0;              // >= bytes.size(); the rest is zero
  uint32_t flags = 0;              // ELF PF_X = 1, PF_W = 2, PF_R = 4
  std::vector<uint8_t> bytes;
};

// A non-allocated section: its bytes follow the segments.
struct ElfSection {
  std::string name;
  uint32_t type = 0;  // e.g. SHT_NOTE = 7
  std::vector<uint8_t> bytes;
};

// Builds the file. e_flags is EF_RISCV_RVC (the streams contain compressed instructions), soft float.
std::vector<uint8_t> write_elf(uint32_t entry, const std::vector<ElfSegment>& segments,
                               const std::vector<ElfSection>& sections = {});

}  // namespace zkrv::difftest
