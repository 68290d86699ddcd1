// Test-only: writes small RISC-V ELF32 executables byte by byte, so tests and the fuzzer's seed
// generator can make valid images and then corrupt one field at a known offset.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

namespace zkrv::elf::testing {

// ELF constants the builder and the tests refer to.
inline constexpr uint32_t kPtLoad = 1, kPtNote = 4;
inline constexpr uint32_t kPfX = 1, kPfW = 2, kPfR = 4;
inline constexpr uint32_t kShtProgbits = 1, kShtSymtab = 2, kShtStrtab = 3, kShtNobits = 8;
inline constexpr uint8_t kSttNotype = 0, kSttObject = 1, kSttFunc = 2, kSttSection = 3,
                         kSttFile = 4;
inline constexpr uint16_t kShnUndef = 0, kShnAbs = 0xfff1;

// Offsets of header fields, for corrupting a built image.
inline constexpr uint32_t kEhdrSize = 52, kPhdrSize = 32, kShdrSize = 40, kSymSize = 16;
inline constexpr uint32_t kOffClass = 4, kOffData = 5, kOffIdentVersion = 6, kOffType = 16,
                          kOffMachine = 18, kOffVersion = 20, kOffEntry = 24, kOffPhoff = 28,
                          kOffShoff = 32, kOffEhsize = 40, kOffPhentsize = 42, kOffPhnum = 44,
                          kOffShentsize = 46, kOffShnum = 48, kOffShstrndx = 50;
inline constexpr uint32_t kOffPType = 0, kOffPOffset = 4, kOffPVaddr = 8, kOffPFilesz = 16,
                          kOffPMemsz = 20, kOffPFlags = 24;
inline constexpr uint32_t kOffShName = 0, kOffShType = 4, kOffShOffset = 16, kOffShSize = 20,
                          kOffShLink = 24, kOffShEntsize = 36;
inline constexpr uint32_t kOffStName = 0, kOffStValue = 4;

struct BuilderSegment {
  uint32_t type = kPtLoad;
  uint32_t flags = kPfR;
  uint32_t vaddr = 0;
  uint32_t memsz = 0;         // at least data.size()
  std::vector<uint8_t> data;  // the p_filesz bytes
  std::string section_name;   // when nonempty, a section header covers the segment
};

struct BuilderSymbol {
  std::string name;
  uint32_t value = 0;
  uint32_t size = 0;
  uint8_t type = kSttFunc;
  uint16_t shndx = 1;  // any defined section
};

// Layout of the last build(), for tests that patch fields.
struct BuiltLayout {
  uint32_t phoff = 0;
  uint32_t shoff = 0;
  uint32_t shnum = 0;
  uint32_t symtab_section = 0;  // 0 when no symbols were written
  uint32_t symtab_offset = 0;
  uint32_t strtab_section = 0;
  uint32_t strtab_offset = 0;
  uint32_t strtab_size = 0;
  uint32_t shstrtab_section = 0;
  std::vector<uint32_t> segment_offsets;  // file offset of each segment's data
};

class ElfBuilder {
 public:
  uint32_t entry = 0x10000;
  uint32_t e_flags = 0x1;  // RVC, soft-float
  bool write_sections = true;
  std::vector<BuilderSegment> segments;
  std::vector<BuilderSymbol> symbols;

  // A valid three-segment program: RX code at 0x10000, R data at 0x11000, RW data+bss at 0x12000.
  static ElfBuilder typical() {
    ElfBuilder b;
    std::vector<uint8_t> code;
    for (int i = 0; i < 8; ++i) {  // addi x0, x0, 0 (nop)
      for (uint8_t byte : {0x13, 0x00, 0x00, 0x00}) code.push_back(byte);
    }
    b.segments.push_back({kPtLoad, kPfR | kPfX, 0x10000, 32, code, ".text"});
    b.segments.push_back({kPtLoad, kPfR, 0x11000, 16, {'h', 'e', 'l', 'l', 'o', 0}, ".rodata"});
    b.segments.push_back({kPtLoad, kPfR | kPfW, 0x12000, 0x2000, {1, 0, 0, 0}, ".data"});
    b.symbols = {
        {"_start", 0x10000, 8, kSttFunc, 1},    {"main", 0x10008, 0x18, kSttFunc, 1},
        {"$x", 0x10000, 0, kSttNotype, 1},      {"message", 0x11000, 6, kSttObject, 2},
        {"counter", 0x12000, 4, kSttObject, 3}, {"_heap_start", 0x12800, 0, kSttNotype, 3},
        {"tiny.c", 0, 0, kSttFile, kShnAbs},    {"", 0x11000, 0, kSttSection, 2},
        {"puts", 0, 0, kSttFunc, kShnUndef},    {"__stack_size", 0x1000, 0, kSttNotype, kShnAbs},
    };
    return b;
  }

  std::vector<uint8_t> build() {
    layout = BuiltLayout{};
    layout.phoff = kEhdrSize;
    std::vector<uint8_t> out(kEhdrSize + segments.size() * kPhdrSize, 0);
    for (const BuilderSegment& s : segments) {
      layout.segment_offsets.push_back(static_cast<uint32_t>(out.size()));
      out.insert(out.end(), s.data.begin(), s.data.end());
    }

    // Sections: null, one per named segment, then .symtab/.strtab (if symbols), then .shstrtab.
    struct Header {
      uint32_t name, type, flags, addr, offset, size, link, info, align, entsize;
    };
    std::vector<Header> headers;
    std::string shstrtab(1, '\0');
    auto add_name = [&](const std::string& name) {
      const auto at = static_cast<uint32_t>(shstrtab.size());
      shstrtab += name;
      shstrtab += '\0';
      return at;
    };
    if (write_sections) {
      headers.push_back({});
      for (size_t i = 0; i < segments.size(); ++i) {
        const BuilderSegment& s = segments[i];
        if (s.section_name.empty()) continue;
        const uint32_t flags = 2 | ((s.flags & kPfW) ? 1 : 0) | ((s.flags & kPfX) ? 4 : 0);
        headers.push_back({add_name(s.section_name), kShtProgbits, flags, s.vaddr,
                           layout.segment_offsets[i], static_cast<uint32_t>(s.data.size()), 0, 0, 4,
                           0});
      }
      if (!symbols.empty()) {
        std::string strtab(1, '\0');
        std::vector<uint8_t> symtab(kSymSize, 0);
        for (const BuilderSymbol& sym : symbols) {
          uint32_t name = 0;
          if (!sym.name.empty()) {
            name = static_cast<uint32_t>(strtab.size());
            strtab += sym.name;
            strtab += '\0';
          }
          const size_t at = symtab.size();
          symtab.resize(at + kSymSize, 0);
          put32(symtab, at + 0, name);
          put32(symtab, at + 4, sym.value);
          put32(symtab, at + 8, sym.size);
          symtab[at + 12] = static_cast<uint8_t>((1 << 4) | sym.type);  // STB_GLOBAL
          put16(symtab, at + 14, sym.shndx);
        }
        layout.symtab_section = static_cast<uint32_t>(headers.size());
        layout.strtab_section = layout.symtab_section + 1;
        layout.symtab_offset = static_cast<uint32_t>(out.size());
        out.insert(out.end(), symtab.begin(), symtab.end());
        headers.push_back({add_name(".symtab"), kShtSymtab, 0, 0, layout.symtab_offset,
                           static_cast<uint32_t>(symtab.size()), layout.strtab_section, 1, 4,
                           kSymSize});
        layout.strtab_offset = static_cast<uint32_t>(out.size());
        layout.strtab_size = static_cast<uint32_t>(strtab.size());
        out.insert(out.end(), strtab.begin(), strtab.end());
        headers.push_back({add_name(".strtab"), kShtStrtab, 0, 0, layout.strtab_offset,
                           layout.strtab_size, 0, 0, 1, 0});
      }
      layout.shstrtab_section = static_cast<uint32_t>(headers.size());
      const uint32_t shstrtab_name = add_name(".shstrtab");
      const auto shstrtab_offset = static_cast<uint32_t>(out.size());
      out.insert(out.end(), shstrtab.begin(), shstrtab.end());
      headers.push_back({shstrtab_name, kShtStrtab, 0, 0, shstrtab_offset,
                         static_cast<uint32_t>(shstrtab.size()), 0, 0, 1, 0});
      while (out.size() % 4 != 0) out.push_back(0);
      layout.shoff = static_cast<uint32_t>(out.size());
      layout.shnum = static_cast<uint32_t>(headers.size());
      for (const Header& h : headers) {
        const size_t at = out.size();
        out.resize(at + kShdrSize, 0);
        const uint32_t fields[] = {h.name, h.type, h.flags, h.addr,  h.offset,
                                   h.size, h.link, h.info,  h.align, h.entsize};
        for (size_t f = 0; f < std::size(fields); ++f) put32(out, at + 4 * f, fields[f]);
      }
    }

    static constexpr uint8_t kIdent[16] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
    std::copy(std::begin(kIdent), std::end(kIdent), out.begin());
    put16(out, kOffType, 2);       // ET_EXEC
    put16(out, kOffMachine, 243);  // EM_RISCV
    put32(out, kOffVersion, 1);
    put32(out, kOffEntry, entry);
    put32(out, kOffPhoff, segments.empty() ? 0 : layout.phoff);
    put32(out, kOffShoff, layout.shoff);
    put32(out, 36, e_flags);
    put16(out, kOffEhsize, kEhdrSize);
    put16(out, kOffPhentsize, kPhdrSize);
    put16(out, kOffPhnum, static_cast<uint16_t>(segments.size()));
    put16(out, kOffShentsize, kShdrSize);
    put16(out, kOffShnum, static_cast<uint16_t>(layout.shnum));
    put16(out, kOffShstrndx, static_cast<uint16_t>(layout.shstrtab_section));
    for (size_t i = 0; i < segments.size(); ++i) {
      const BuilderSegment& s = segments[i];
      const size_t at = layout.phoff + i * kPhdrSize;
      const uint32_t fields[] = {s.type,
                                 layout.segment_offsets[i],
                                 s.vaddr,
                                 s.vaddr,
                                 static_cast<uint32_t>(s.data.size()),
                                 s.memsz,
                                 s.flags,
                                 0x1000};
      for (size_t f = 0; f < std::size(fields); ++f) put32(out, at + 4 * f, fields[f]);
    }
    return out;
  }

  BuiltLayout layout;

  static void put16(std::vector<uint8_t>& out, size_t at, uint16_t value) {
    out.at(at) = static_cast<uint8_t>(value);
    out.at(at + 1) = static_cast<uint8_t>(value >> 8);
  }
  static void put32(std::vector<uint8_t>& out, size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i) out.at(at + i) = static_cast<uint8_t>(value >> (8 * i));
  }
  // Offset of field `field` of program header `index` / section header `index` in the last build.
  uint32_t phdr_field(uint32_t index, uint32_t field) const {
    return layout.phoff + index * kPhdrSize + field;
  }
  uint32_t shdr_field(uint32_t index, uint32_t field) const {
    return layout.shoff + index * kShdrSize + field;
  }
};

}  // namespace zkrv::elf::testing
