#include "tests/difftest/elf_writer.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace zkrv::difftest {
namespace {

constexpr uint32_t kPageSize = 4096;
constexpr uint32_t kElfHeaderSize = 52;
constexpr uint32_t kProgramHeaderSize = 32;

void put16(std::vector<uint8_t>& out, size_t at, uint16_t v) {
  out[at] = static_cast<uint8_t>(v);
  out[at + 1] = static_cast<uint8_t>(v >> 8);
}
void put32(std::vector<uint8_t>& out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

std::vector<uint8_t> write_elf(uint32_t entry, const std::vector<ElfSegment>& segments,
                               const std::vector<ElfSection>& sections) {
  const uint32_t headers_end = kElfHeaderSize + kProgramHeaderSize * static_cast<uint32_t>(segments.size());
  std::vector<uint8_t> out(headers_end, 0);

  static constexpr uint8_t kIdent[] = {0x7f, 'E', 'L', 'F', 1 /*ELFCLASS32*/, 1 /*LSB*/, 1 /*EV_CURRENT*/};
  std::memcpy(out.data(), kIdent, sizeof kIdent);
  put16(out, 16, 2);        // ET_EXEC
  put16(out, 18, 243);      // EM_RISCV
  put32(out, 20, 1);        // EV_CURRENT
  put32(out, 24, entry);
  put32(out, 28, kElfHeaderSize);  // e_phoff
  put32(out, 32, 0);        // e_shoff: no section headers
  put32(out, 36, 0x1);      // EF_RISCV_RVC, soft-float ABI
  put16(out, 40, kElfHeaderSize);
  put16(out, 42, kProgramHeaderSize);
  put16(out, 44, static_cast<uint16_t>(segments.size()));
  put16(out, 46, 40);       // e_shentsize
  put16(out, 48, 0);
  put16(out, 50, 0);

  for (size_t i = 0; i < segments.size(); ++i) {
    const ElfSegment& seg = segments[i];
    if (seg.vaddr % kPageSize != 0 || seg.bytes.size() > seg.memsz)
      throw std::invalid_argument("write_elf: segment must be page aligned with bytes.size() <= memsz");
    // Each segment starts on a fresh file page, so offset == vaddr (mod page size).
    const uint32_t offset = (static_cast<uint32_t>(out.size()) + kPageSize - 1) / kPageSize * kPageSize;
    out.resize(offset, 0);
    out.insert(out.end(), seg.bytes.begin(), seg.bytes.end());
    const size_t ph = kElfHeaderSize + kProgramHeaderSize * i;
    put32(out, ph + 0, 1);  // PT_LOAD
    put32(out, ph + 4, offset);
    put32(out, ph + 8, seg.vaddr);
    put32(out, ph + 12, seg.vaddr);
    put32(out, ph + 16, static_cast<uint32_t>(seg.bytes.size()));
    put32(out, ph + 20, seg.memsz);
    put32(out, ph + 24, seg.flags);
    put32(out, ph + 28, kPageSize);
  }
  if (sections.empty()) return out;
  // Section 0 is the null section, then the sections asked for, then the name table.
  constexpr uint32_t kSectionHeaderSize = 40;
  std::vector<uint8_t> names(1, 0);
  std::vector<std::pair<uint32_t, uint32_t>> placed;  // per section: name offset, file offset
  for (const ElfSection& section : sections) {
    out.resize((out.size() + 3) / 4 * 4, 0);
    placed.emplace_back(static_cast<uint32_t>(names.size()), static_cast<uint32_t>(out.size()));
    names.insert(names.end(), section.name.begin(), section.name.end());
    names.push_back(0);
    out.insert(out.end(), section.bytes.begin(), section.bytes.end());
  }
  const uint32_t names_name = static_cast<uint32_t>(names.size());
  for (const char c : std::string(".shstrtab")) names.push_back(static_cast<uint8_t>(c));
  names.push_back(0);
  const uint32_t names_offset = static_cast<uint32_t>(out.size());
  out.insert(out.end(), names.begin(), names.end());
  out.resize((out.size() + 3) / 4 * 4, 0);
  const uint32_t shoff = static_cast<uint32_t>(out.size());
  const uint32_t count = static_cast<uint32_t>(sections.size()) + 2;
  out.resize(out.size() + kSectionHeaderSize * count, 0);
  const auto header = [&](uint32_t index, uint32_t name, uint32_t type, uint32_t offset, uint32_t size) {
    const size_t at = shoff + kSectionHeaderSize * index;
    put32(out, at + 0, name);
    put32(out, at + 4, type);
    put32(out, at + 16, offset);
    put32(out, at + 20, size);
    put32(out, at + 32, 1);  // sh_addralign
  };
  for (size_t i = 0; i < sections.size(); ++i) {
    header(static_cast<uint32_t>(i) + 1, placed[i].first, sections[i].type, placed[i].second,
           static_cast<uint32_t>(sections[i].bytes.size()));
  }
  header(count - 1, names_name, 3 /*SHT_STRTAB*/, names_offset, static_cast<uint32_t>(names.size()));
  put32(out, 32, shoff);
  put16(out, 48, static_cast<uint16_t>(count));
  put16(out, 50, static_cast<uint16_t>(count - 1));
  return out;
}

}  // namespace zkrv::difftest
