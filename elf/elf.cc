#include "elf/elf.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "base/file.h"
#include "base/little_endian.h"

namespace zkrv::elf {
namespace {

// ELF32 constants (System V gABI and the RISC-V psABI).
constexpr uint64_t kEhdrSize = 52;
constexpr uint64_t kPhdrSize = 32;
constexpr uint64_t kShdrSize = 40;
constexpr uint64_t kSymSize = 16;

constexpr uint8_t kElfClass32 = 1;
constexpr uint8_t kElfData2Lsb = 1;
constexpr uint32_t kEvCurrent = 1;
constexpr uint16_t kEtExec = 2;
constexpr uint16_t kEmRiscv = 243;
constexpr uint16_t kPnXnum = 0xffff;

constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPtInterp = 3;

constexpr uint32_t kShtNull = 0;
constexpr uint32_t kShtSymtab = 2;
constexpr uint32_t kShtStrtab = 3;
constexpr uint32_t kShtNobits = 8;
constexpr uint16_t kShnUndef = 0;
constexpr uint16_t kShnLoReserve = 0xff00;
constexpr uint16_t kShnAbs = 0xfff1;

constexpr uint8_t kSttNotype = 0;
constexpr uint8_t kSttObject = 1;
constexpr uint8_t kSttFunc = 2;

// Field offsets inside the headers.
constexpr uint64_t kEiClass = 4, kEiData = 5, kEiVersion = 6;
constexpr uint64_t kEType = 16, kEMachine = 18, kEVersion = 20, kEEntry = 24, kEPhoff = 28,
                   kEShoff = 32, kEFlags = 36, kEEhsize = 40, kEPhentsize = 42, kEPhnum = 44,
                   kEShentsize = 46, kEShnum = 48, kEShstrndx = 50;
constexpr uint64_t kPType = 0, kPOffset = 4, kPVaddr = 8, kPFilesz = 16, kPMemsz = 20, kPFlags = 24;
constexpr uint64_t kShName = 0, kShType = 4, kShFlags = 8, kShAddr = 12, kShOffset = 16,
                   kShSize = 20, kShLink = 24, kShEntsize = 36;
constexpr uint64_t kStName = 0, kStValue = 4, kStSize = 8, kStInfo = 12, kStShndx = 14;

// Every read goes through these two functions. Callers check table bounds first and produce the
// precise message; the check here only guarantees that a missed check can never read out of bounds.
void check_read(std::span<const uint8_t> bytes, uint64_t offset, int width) {
  if (offset > bytes.size() || bytes.size() - offset < static_cast<uint64_t>(width)) {
    throw ElfError(
        fmt::format("ELF internal error: read of {} bytes at offset {:#x} is outside the "
                    "file (size {:#x})",
                    width, offset, bytes.size()));
  }
}
uint16_t u16(std::span<const uint8_t> bytes, uint64_t offset) {
  check_read(bytes, offset, 2);
  return base::load_le16(bytes.data() + offset);
}
uint32_t u32(std::span<const uint8_t> bytes, uint64_t offset) {
  check_read(bytes, offset, 4);
  return base::load_le32(bytes.data() + offset);
}

uint64_t align_down(uint64_t value, uint64_t alignment) { return value & ~(alignment - 1); }
uint64_t align_up(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) & ~(alignment - 1);
}

std::string permission_name(uint32_t flags) {
  std::string name;
  if (flags & kRead) name += 'R';
  if (flags & kWrite) name += 'W';
  if (flags & kExec) name += 'X';
  return name.empty() ? "none" : name;
}

std::string type_name(uint16_t type) {
  static constexpr const char* kNames[] = {"ET_NONE", "ET_REL", "ET_EXEC", "ET_DYN", "ET_CORE"};
  return type < std::size(kNames) ? kNames[type] : "unknown";
}

// A section header, decoded once; the name is resolved after the name table is validated.
struct RawSection {
  uint32_t name_offset;
  uint32_t type;
  uint32_t flags;
  uint32_t addr;
  uint32_t offset;
  uint32_t size;
  uint32_t link;
  uint32_t entsize;
  std::string name;
};

std::string section_label(uint32_t index, const RawSection& section) {
  if (section.name.empty()) return fmt::format("ELF section {}", index);
  return fmt::format("ELF section {} ({})", index, section.name);
}

// Returns the NUL-terminated string at `offset` in a string table, or throws naming `what`.
std::string_view read_string(std::span<const uint8_t> table, uint32_t offset,
                             const std::string& what, const std::string& table_label) {
  if (offset >= table.size()) {
    throw ElfError(fmt::format("{}: string offset {:#x} is outside {} of size {:#x}", what, offset,
                               table_label, table.size()));
  }
  const auto* begin = reinterpret_cast<const char*>(table.data()) + offset;
  const void* nul = std::memchr(begin, 0, table.size() - offset);
  if (nul == nullptr) {
    throw ElfError(fmt::format("{}: string at offset {:#x} is not NUL-terminated within {}", what,
                               offset, table_label));
  }
  return std::string_view(begin, static_cast<const char*>(nul) - begin);
}

// Mapping symbols ($x, $d, $xrv32i2p1...) and assembler-local labels mark code and data
// boundaries, not program entities; they would only make symbolized addresses noisier.
bool is_marker_symbol(std::string_view name) {
  return name.empty() || name.front() == '$' || name.starts_with(".L");
}

void check_header(std::span<const uint8_t> file, const LoadLimits& limits) {
  if (file.size() > limits.max_file_size) {
    throw ElfError(fmt::format("ELF file size {:#x} exceeds the limit {:#x}", file.size(),
                               limits.max_file_size));
  }
  static constexpr uint8_t kMagic[4] = {0x7f, 'E', 'L', 'F'};
  const size_t magic_bytes = std::min<size_t>(file.size(), 4);
  if (file.size() == 0 || std::memcmp(file.data(), kMagic, magic_bytes) != 0) {
    throw ElfError("not an ELF file: bad magic at offset 0 (expected 7f 45 4c 46)");
  }
  if (file.size() < kEhdrSize) {
    throw ElfError(
        fmt::format("ELF header truncated: file size {:#x} is smaller than the {}-byte "
                    "ELF32 header",
                    file.size(), kEhdrSize));
  }
  if (file[kEiClass] != kElfClass32) {
    throw ElfError(fmt::format("ELF class {} at offset 4 is not supported: expected ELFCLASS32 (1)",
                               file[kEiClass]));
  }
  if (file[kEiData] != kElfData2Lsb) {
    throw ElfError(fmt::format(
        "ELF data encoding {} at offset 5 is not supported: expected little-endian ELFDATA2LSB (1)",
        file[kEiData]));
  }
  if (file[kEiVersion] != kEvCurrent) {
    throw ElfError(
        fmt::format("ELF ident version {} at offset 6: expected EV_CURRENT (1)", file[kEiVersion]));
  }
  const uint16_t type = u16(file, kEType);
  if (type != kEtExec) {
    throw ElfError(fmt::format("ELF e_type {} ({}) is not supported: expected ET_EXEC (2)", type,
                               type_name(type)));
  }
  const uint16_t machine = u16(file, kEMachine);
  if (machine != kEmRiscv) {
    throw ElfError(
        fmt::format("ELF e_machine {} is not supported: expected EM_RISCV (243)", machine));
  }
  const uint32_t version = u32(file, kEVersion);
  if (version != kEvCurrent) {
    throw ElfError(fmt::format("ELF e_version {}: expected EV_CURRENT (1)", version));
  }
  const uint16_t ehsize = u16(file, kEEhsize);
  if (ehsize != kEhdrSize) {
    throw ElfError(fmt::format("ELF e_ehsize {}: expected {}", ehsize, kEhdrSize));
  }
}

// Reads the PT_LOAD segments and checks each one on its own; returns them sorted by address.
std::vector<Segment> read_segments(std::span<const uint8_t> file, const LoadLimits& limits) {
  const uint32_t phoff = u32(file, kEPhoff);
  const uint16_t phnum = u16(file, kEPhnum);
  if (phnum == kPnXnum) {
    throw ElfError("ELF e_phnum 0xffff (PN_XNUM, extended numbering) is not supported");
  }
  if (phnum > 0) {
    const uint16_t phentsize = u16(file, kEPhentsize);
    if (phentsize != kPhdrSize) {
      throw ElfError(fmt::format("ELF e_phentsize {}: expected {}", phentsize, kPhdrSize));
    }
    const uint64_t table_end = uint64_t{phoff} + uint64_t{phnum} * kPhdrSize;
    if (table_end > file.size()) {
      throw ElfError(fmt::format(
          "ELF program header table (e_phoff {:#x}, {} entries of {} bytes) ends at {:#x}, beyond "
          "file size {:#x}",
          phoff, phnum, kPhdrSize, table_end, file.size()));
    }
  }

  std::vector<Segment> segments;
  for (uint32_t i = 0; i < phnum; ++i) {
    const uint64_t at = uint64_t{phoff} + i * kPhdrSize;
    const uint32_t type = u32(file, at + kPType);
    if (type == kPtInterp) {
      throw ElfError(fmt::format(
          "ELF program header {} (PT_INTERP): dynamically linked executables are not supported",
          i));
    }
    if (type != kPtLoad) continue;  // notes, attributes, GNU_STACK...: nothing to map
    const uint32_t offset = u32(file, at + kPOffset);
    const uint32_t vaddr = u32(file, at + kPVaddr);
    const uint32_t filesz = u32(file, at + kPFilesz);
    const uint32_t memsz = u32(file, at + kPMemsz);
    const uint32_t flags = u32(file, at + kPFlags) & (kRead | kWrite | kExec);
    const std::string where = fmt::format("ELF program header {} (PT_LOAD)", i);

    if (uint64_t{offset} + filesz > file.size()) {
      throw ElfError(fmt::format("{}: p_offset {:#x} + p_filesz {:#x} exceeds file size {:#x}",
                                 where, offset, filesz, file.size()));
    }
    if (filesz > memsz) {
      throw ElfError(fmt::format("{}: p_filesz {:#x} exceeds p_memsz {:#x}", where, filesz, memsz));
    }
    if (uint64_t{vaddr} + memsz > (uint64_t{1} << 32)) {
      throw ElfError(
          fmt::format("{}: p_vaddr {:#x} + p_memsz {:#x} overflows the 32-bit address space", where,
                      vaddr, memsz));
    }
    if (flags != kRead && flags != (kRead | kWrite) && flags != (kRead | kExec)) {
      throw ElfError(
          fmt::format("{}: permissions {} (p_flags {:#x}) are not allowed; only R, RW and RX are",
                      where, permission_name(flags), u32(file, at + kPFlags)));
    }
    if (memsz == 0) continue;  // maps no page
    if (align_down(vaddr, limits.page_size) < limits.null_guard_end) {
      throw ElfError(fmt::format("{}: p_vaddr {:#x} lies in the null guard [0, {:#x})", where,
                                 vaddr, limits.null_guard_end));
    }
    segments.push_back(Segment{i, vaddr, memsz, flags, file.subspan(offset, filesz)});
  }
  if (segments.empty()) throw ElfError("ELF has no PT_LOAD segment with a nonzero p_memsz");
  std::sort(segments.begin(), segments.end(),
            [](const Segment& a, const Segment& b) { return a.vaddr < b.vaddr; });
  return segments;
}

// Checks the segments against each other and against the limits.
void check_layout(const ElfImage& image, const LoadLimits& limits) {
  const std::vector<Segment>& segments = image.segments;
  for (size_t i = 1; i < segments.size(); ++i) {
    const Segment& low = segments[i - 1];
    const Segment& high = segments[i];
    const uint64_t low_end = uint64_t{low.vaddr} + low.memsz;
    if (low_end > high.vaddr) {
      throw ElfError(fmt::format(
          "ELF program headers {} and {} (PT_LOAD) overlap: [{:#x}, {:#x}) and [{:#x}, {:#x})",
          low.index, high.index, low.vaddr, low_end, high.vaddr,
          uint64_t{high.vaddr} + high.memsz));
    }
    // Sorted and disjoint, so only neighbours can share a page (a page shared by three segments
    // is shared by each neighbouring pair).
    const uint64_t low_last_page = align_down(low_end - 1, limits.page_size);
    const uint64_t high_first_page = align_down(high.vaddr, limits.page_size);
    if (low_last_page == high_first_page && low.flags != high.flags) {
      throw ElfError(fmt::format(
          "ELF program headers {} ({}) and {} ({}) share the page at {:#x} with different "
          "permissions",
          low.index, permission_name(low.flags), high.index, permission_name(high.flags),
          high_first_page));
    }
  }
  const uint64_t mapped = image.mapped_size(limits.page_size);
  if (mapped > limits.max_mapped_size) {
    throw ElfError(
        fmt::format("ELF mapped size {:#x} (pages of all PT_LOAD segments) exceeds the "
                    "limit {:#x}",
                    mapped, limits.max_mapped_size));
  }
  const uint32_t entry = image.entry;
  const auto containing = std::find_if(segments.begin(), segments.end(), [&](const Segment& s) {
    return entry >= s.vaddr && entry - s.vaddr < s.memsz;
  });
  if (containing == segments.end()) {
    throw ElfError(fmt::format("ELF entry point {:#x} is not inside any PT_LOAD segment", entry));
  }
  if ((containing->flags & kExec) == 0) {
    throw ElfError(fmt::format(
        "ELF entry point {:#x} lies in program header {} (PT_LOAD, {}), which is not executable",
        entry, containing->index, permission_name(containing->flags)));
  }
  if (entry % 2 != 0) {
    throw ElfError(fmt::format("ELF entry point {:#x} is not 2-byte aligned", entry));
  }
}

std::vector<RawSection> read_sections(std::span<const uint8_t> file) {
  const uint32_t shoff = u32(file, kEShoff);
  const uint16_t shnum = u16(file, kEShnum);
  if (shnum == 0) {
    if (shoff != 0) {
      throw ElfError(fmt::format(
          "ELF e_shnum 0 with e_shoff {:#x} (extended section numbering) is not supported", shoff));
    }
    return {};  // stripped of section headers: fine
  }
  const uint16_t shentsize = u16(file, kEShentsize);
  if (shentsize != kShdrSize) {
    throw ElfError(fmt::format("ELF e_shentsize {}: expected {}", shentsize, kShdrSize));
  }
  const uint64_t table_end = uint64_t{shoff} + uint64_t{shnum} * kShdrSize;
  if (table_end > file.size()) {
    throw ElfError(fmt::format(
        "ELF section header table (e_shoff {:#x}, {} entries of {} bytes) ends at {:#x}, beyond "
        "file size {:#x}",
        shoff, shnum, kShdrSize, table_end, file.size()));
  }
  std::vector<RawSection> sections(shnum);
  for (uint32_t i = 0; i < shnum; ++i) {
    const uint64_t at = uint64_t{shoff} + i * kShdrSize;
    RawSection& s = sections[i];
    s.name_offset = u32(file, at + kShName);
    s.type = u32(file, at + kShType);
    s.flags = u32(file, at + kShFlags);
    s.addr = u32(file, at + kShAddr);
    s.offset = u32(file, at + kShOffset);
    s.size = u32(file, at + kShSize);
    s.link = u32(file, at + kShLink);
    s.entsize = u32(file, at + kShEntsize);
  }

  const uint16_t shstrndx = u16(file, kEShstrndx);
  if (shstrndx >= shnum) {
    throw ElfError(fmt::format("ELF e_shstrndx {} is out of range (e_shnum {})", shstrndx, shnum));
  }
  std::span<const uint8_t> names;
  if (shstrndx != kShnUndef) {
    const RawSection& table = sections[shstrndx];
    if (table.type != kShtStrtab) {
      throw ElfError(fmt::format("ELF section {} (e_shstrndx) has type {}: expected SHT_STRTAB (3)",
                                 shstrndx, table.type));
    }
    if (uint64_t{table.offset} + table.size > file.size()) {
      throw ElfError(fmt::format(
          "ELF section {} (e_shstrndx): sh_offset {:#x} + sh_size {:#x} exceeds file size {:#x}",
          shstrndx, table.offset, table.size, file.size()));
    }
    names = file.subspan(table.offset, table.size);
  }
  for (uint32_t i = 0; i < shnum; ++i) {
    RawSection& s = sections[i];
    if (i == 0 || s.type == kShtNull) continue;
    if (!names.empty() || s.name_offset != 0) {
      s.name = read_string(names, s.name_offset, fmt::format("ELF section {} sh_name", i),
                           fmt::format("the section name table (section {})", shstrndx));
    }
    if (s.type != kShtNobits && uint64_t{s.offset} + s.size > file.size()) {
      throw ElfError(fmt::format("{}: sh_offset {:#x} + sh_size {:#x} exceeds file size {:#x}",
                                 section_label(i, s), s.offset, s.size, file.size()));
    }
  }
  return sections;
}

std::span<const uint8_t> section_bytes(std::span<const uint8_t> file, const RawSection& s) {
  if (s.type == kShtNobits || s.type == kShtNull) return {};
  return file.subspan(s.offset, s.size);  // bounds checked in read_sections
}

std::vector<Symbol> read_symbols(std::span<const uint8_t> file,
                                 const std::vector<RawSection>& sections) {
  uint32_t symtab_index = 0;
  for (uint32_t i = 1; i < sections.size(); ++i) {
    if (sections[i].type != kShtSymtab) continue;
    if (symtab_index != 0) {
      throw ElfError(fmt::format(
          "ELF sections {} and {} are both SHT_SYMTAB; at most one is allowed", symtab_index, i));
    }
    symtab_index = i;
  }
  if (symtab_index == 0) return {};

  const RawSection& symtab = sections[symtab_index];
  const std::string label = section_label(symtab_index, symtab);
  if (symtab.entsize != kSymSize) {
    throw ElfError(fmt::format("{}: sh_entsize {}: expected {}", label, symtab.entsize, kSymSize));
  }
  if (symtab.size % kSymSize != 0) {
    throw ElfError(fmt::format("{}: sh_size {:#x} is not a multiple of the {}-byte symbol size",
                               label, symtab.size, kSymSize));
  }
  if (symtab.link == 0 || symtab.link >= sections.size()) {
    throw ElfError(fmt::format("{}: sh_link {} is not a valid section index (e_shnum {})", label,
                               symtab.link, sections.size()));
  }
  const RawSection& strtab = sections[symtab.link];
  if (strtab.type != kShtStrtab) {
    throw ElfError(fmt::format("{}: sh_link {} names a section of type {}: expected SHT_STRTAB (3)",
                               label, symtab.link, strtab.type));
  }
  const std::span<const uint8_t> entries = section_bytes(file, symtab);
  const std::span<const uint8_t> strings = section_bytes(file, strtab);
  const std::string strings_label = fmt::format("the string table (section {})", symtab.link);

  std::vector<Symbol> symbols;
  const uint64_t count = entries.size() / kSymSize;
  for (uint64_t j = 1; j < count; ++j) {  // entry 0 is the reserved null symbol
    const uint64_t at = j * kSymSize;
    const uint32_t name_offset = u32(entries, at + kStName);
    const uint32_t value = u32(entries, at + kStValue);
    const uint32_t size = u32(entries, at + kStSize);
    const uint8_t type = entries[at + kStInfo] & 0xf;
    const uint16_t shndx = u16(entries, at + kStShndx);
    const std::string what = fmt::format("ELF symbol {} in section {}", j, symtab_index);
    if (shndx != kShnUndef && shndx < kShnLoReserve && shndx >= sections.size()) {
      throw ElfError(fmt::format("{}: st_shndx {} is out of range (e_shnum {})", what, shndx,
                                 sections.size()));
    }
    const std::string_view name =
        name_offset == 0 ? std::string_view()
                         : read_string(strings, name_offset, what + " st_name", strings_label);
    if (shndx == kShnUndef || is_marker_symbol(name)) continue;
    const bool keep = type == kSttFunc || type == kSttObject ||
                      (type == kSttNotype && value != 0 && shndx != kShnAbs);
    if (!keep) continue;
    symbols.push_back(Symbol{std::string(name), value, size, type == kSttFunc});
  }
  // By value; at equal values functions, then larger symbols, first, so that symbolize() prefers
  // "memcpy" over a linker-script label at the same address.
  std::sort(symbols.begin(), symbols.end(), [](const Symbol& a, const Symbol& b) {
    if (a.value != b.value) return a.value < b.value;
    if (a.is_function != b.is_function) return a.is_function;
    if (a.size != b.size) return a.size > b.size;
    return a.name < b.name;
  });
  return symbols;
}

}  // namespace

std::string ElfImage::symbolize(uint32_t addr) const {
  const auto end = std::upper_bound(symbols.begin(), symbols.end(), addr,
                                    [](uint32_t a, const Symbol& s) { return a < s.value; });
  if (end == symbols.begin()) return "";
  // Prefer the innermost symbol whose [value, value + size) contains addr. This walks down all
  // lower symbols when none contains it; symbolize() serves fault reports and inspect, not the
  // interpreter's hot path.
  const Symbol* best = nullptr;
  for (auto it = end; it != symbols.begin();) {
    --it;
    if (best != nullptr && it->value != best->value) break;
    if (addr - it->value < it->size) best = &*it;
  }
  if (best == nullptr) {
    // The nearest symbol below: the first (preferred) one of the highest value <= addr.
    const uint32_t nearest = std::prev(end)->value;
    best = &*std::lower_bound(symbols.begin(), end, nearest,
                              [](const Symbol& s, uint32_t v) { return s.value < v; });
  }
  const uint32_t offset = addr - best->value;
  if (offset == 0) return best->name;
  return fmt::format("{}+{:#x}", best->name, offset);
}

const Section* ElfImage::find_section(std::string_view name) const {
  for (const Section& section : sections) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

const Symbol* ElfImage::find_symbol(std::string_view name) const {
  for (const Symbol& symbol : symbols) {
    if (symbol.name == name) return &symbol;
  }
  return nullptr;
}

uint64_t ElfImage::mapped_size(uint32_t page_size) const {
  // Pages shared by neighbouring segments are counted once: this is what the VM materialises.
  uint64_t total = 0;
  uint64_t covered_end = 0;  // end of the pages already counted
  for (const Segment& s : segments) {
    if (s.memsz == 0) continue;
    const uint64_t first = std::max(align_down(s.vaddr, page_size), covered_end);
    const uint64_t last = align_up(uint64_t{s.vaddr} + s.memsz, page_size);
    if (last > first) total += last - first;
    covered_end = std::max(covered_end, last);
  }
  return total;
}

ElfImage parse(std::span<const uint8_t> file, const LoadLimits& limits) {
  if (limits.page_size == 0 || (limits.page_size & (limits.page_size - 1)) != 0) {
    throw std::invalid_argument(
        fmt::format("LoadLimits::page_size {} is not a power of two", limits.page_size));
  }
  check_header(file, limits);
  ElfImage image;
  image.entry = u32(file, kEEntry);
  image.flags = u32(file, kEFlags);
  image.segments = read_segments(file, limits);
  check_layout(image, limits);

  const std::vector<RawSection> sections = read_sections(file);
  image.symbols = read_symbols(file, sections);
  for (const RawSection& s : sections) {
    if (s.name.empty()) continue;
    image.sections.push_back(Section{s.name, s.addr, s.type, s.flags, section_bytes(file, s)});
  }
  return image;
}

ElfImage load_file(const std::string& path, std::vector<uint8_t>* storage,
                   const LoadLimits& limits) {
  if (storage == nullptr) throw std::invalid_argument("load_file: storage must not be null");
  if (const auto failure = base::read_file(path, limits.max_file_size, storage)) {
    using Kind = base::FileReadFailure::Kind;
    switch (failure->kind) {
      case Kind::kOpen:
        throw ElfError(fmt::format("cannot open ELF file '{}': {}", path, std::strerror(failure->error_number)));
      case Kind::kNotRegular:
      case Kind::kNamedFifo:  // read_file reports FIFOs as not regular; listed for completeness
        throw ElfError(fmt::format("ELF file '{}' is {}, not a regular file", path, failure->file_type));
      case Kind::kTooLarge:
        throw ElfError(fmt::format("ELF file '{}': size {:#x} exceeds the limit {:#x}", path, failure->size,
                                   limits.max_file_size));
      case Kind::kRead:
        throw ElfError(fmt::format("cannot read ELF file '{}': {}", path, std::strerror(failure->error_number)));
      case Kind::kShrank:
        throw ElfError(fmt::format("ELF file '{}' shrank while being read ({:#x} of {:#x} bytes)", path,
                                   failure->bytes_read, failure->size));
    }
  }
  try {
    return parse(*storage, limits);
  } catch (const ElfError& e) {
    throw ElfError(fmt::format("{}: {}", path, e.what()));
  }
}

}  // namespace zkrv::elf
