#include "elf/elf.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "elf/testing/elf_builder.h"

namespace zkrv::elf {
namespace {

using testing::BuilderSegment;
using testing::BuilderSymbol;
using testing::BuiltLayout;
using testing::ElfBuilder;
namespace t = zkrv::elf::testing;

// The message parse() throws, or "parsed" when it accepts the image.
std::string parse_error(const std::vector<uint8_t>& bytes, const LoadLimits& limits = {}) {
  try {
    parse(bytes, limits);
    return "parsed";
  } catch (const ElfError& e) {
    return e.what();
  }
}

// Builds the typical image and returns the builder (for its layout) and the bytes.
struct Built {
  ElfBuilder builder = ElfBuilder::typical();
  std::vector<uint8_t> bytes = builder.build();
};

TEST(ElfParse, TypicalImageLayoutIsWhatTheMessagesBelowAssume) {
  Built b;
  EXPECT_EQ(b.bytes.size(), 0x2fcu);
  EXPECT_EQ(b.builder.layout.shoff, 0x1e4u);
  EXPECT_EQ(b.builder.layout.shnum, 7u);
  EXPECT_EQ(b.builder.layout.symtab_section, 4u);
  EXPECT_EQ(b.builder.layout.strtab_size, 0x45u);
  EXPECT_EQ(b.builder.layout.segment_offsets, (std::vector<uint32_t>{0x94, 0xb4, 0xba}));
}

TEST(ElfParse, AcceptsTypicalImage) {
  Built b;
  const ElfImage image = parse(b.bytes);
  EXPECT_EQ(image.entry, 0x10000u);
  EXPECT_EQ(image.flags, 0x1u);
  ASSERT_EQ(image.segments.size(), 3u);
  EXPECT_EQ(image.segments[0].vaddr, 0x10000u);
  EXPECT_EQ(image.segments[0].flags, uint32_t{kRead | kExec});
  EXPECT_EQ(image.segments[0].memsz, 32u);
  EXPECT_EQ(image.segments[0].file_bytes.size(), 32u);
  EXPECT_EQ(image.segments[0].file_bytes[0], 0x13);
  EXPECT_EQ(image.segments[1].flags, uint32_t{kRead});
  EXPECT_EQ(image.segments[2].flags, uint32_t{kRead | kWrite});
  EXPECT_EQ(image.segments[2].memsz, 0x2000u);
  EXPECT_EQ(image.segments[2].file_bytes.size(), 4u);
  EXPECT_EQ(image.segments[2].index, 2u);
  EXPECT_EQ(image.mapped_size(), 0x4000u);
}

TEST(ElfParse, KeepsFunctionsObjectsAndLabelsSortedByValue) {
  Built b;
  const ElfImage image = parse(b.bytes);
  std::vector<std::string> names;
  for (const Symbol& s : image.symbols) names.push_back(s.name);
  // Dropped: the mapping symbol $x, the FILE and SECTION symbols, the undefined puts and the
  // absolute __stack_size.
  EXPECT_EQ(names,
            (std::vector<std::string>{"_start", "main", "message", "counter", "_heap_start"}));
  const Symbol* main_symbol = image.find_symbol("main");
  ASSERT_NE(main_symbol, nullptr);
  EXPECT_TRUE(main_symbol->is_function);
  EXPECT_EQ(main_symbol->value, 0x10008u);
  EXPECT_EQ(main_symbol->size, 0x18u);
  ASSERT_NE(image.find_symbol("message"), nullptr);
  EXPECT_FALSE(image.find_symbol("message")->is_function);
  EXPECT_EQ(image.find_symbol("puts"), nullptr);
}

TEST(ElfParse, Symbolizes) {
  Built b;
  const ElfImage image = parse(b.bytes);
  EXPECT_EQ(image.symbolize(0x10000), "_start");
  EXPECT_EQ(image.symbolize(0x10004), "_start+0x4");
  EXPECT_EQ(image.symbolize(0x1001c), "main+0x14");
  EXPECT_EQ(image.symbolize(0x10040), "main+0x38");  // past main's end: nearest below
  EXPECT_EQ(image.symbolize(0x12004), "counter+0x4");
  EXPECT_EQ(image.symbolize(0x12900), "_heap_start+0x100");
  EXPECT_EQ(image.symbolize(0xffff), "");
  EXPECT_EQ(image.symbolize(0), "");
}

TEST(ElfParse, SymbolizePrefersContainingSymbolAndFunctionsAtEqualValues) {
  ElfBuilder builder = ElfBuilder::typical();
  builder.symbols.push_back({"text_begin", 0x10000, 0, t::kSttNotype, 1});
  builder.symbols.push_back({"table", 0x12100, 0x100, t::kSttObject, 3});
  builder.symbols.push_back({"inner_label", 0x12110, 0, t::kSttNotype, 3});
  const std::vector<uint8_t> bytes = builder.build();
  const ElfImage image = parse(bytes);
  EXPECT_EQ(image.symbolize(0x10002), "_start+0x2");
  EXPECT_EQ(image.symbolize(0x12150), "table+0x50");
  EXPECT_EQ(image.symbolize(0x12210), "inner_label+0x100");  // past table's end
}

TEST(ElfParse, FindsSections) {
  Built b;
  const ElfImage image = parse(b.bytes);
  std::vector<std::string> names;
  for (const Section& s : image.sections) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{".text", ".rodata", ".data", ".symtab", ".strtab",
                                             ".shstrtab"}));
  const Section* rodata = image.find_section(".rodata");
  ASSERT_NE(rodata, nullptr);
  EXPECT_EQ(rodata->addr, 0x11000u);
  EXPECT_EQ(rodata->type, t::kShtProgbits);
  EXPECT_EQ(std::string(rodata->bytes.begin(), rodata->bytes.end()), std::string("hello\0", 6));
  EXPECT_EQ(image.find_section(".bss"), nullptr);
}

TEST(ElfParse, AcceptsImageWithoutSectionHeaders) {
  ElfBuilder builder = ElfBuilder::typical();
  builder.write_sections = false;
  const std::vector<uint8_t> bytes = builder.build();
  const ElfImage image = parse(bytes);
  EXPECT_EQ(image.segments.size(), 3u);
  EXPECT_TRUE(image.sections.empty());
  EXPECT_TRUE(image.symbols.empty());
  EXPECT_EQ(image.symbolize(0x10000), "");
}

TEST(ElfParse, AcceptsEqualPermissionsSharingAPageAndIgnoresEmptyAndNonLoadHeaders) {
  ElfBuilder builder = ElfBuilder::typical();
  builder.segments.push_back({t::kPtLoad, t::kPfR, 0x11800, 8, {1, 2}, ""});
  builder.segments.push_back({t::kPtLoad, t::kPfR, 0x30000, 0, {}, ""});
  builder.segments.push_back({t::kPtNote, 0, 0, 0, {0, 0, 0, 0}, ""});
  const std::vector<uint8_t> bytes = builder.build();
  const ElfImage image = parse(bytes);
  ASSERT_EQ(image.segments.size(), 4u);
  EXPECT_EQ(image.segments[2].vaddr, 0x11800u);
  EXPECT_EQ(image.segments[2].index, 3u);
  EXPECT_EQ(image.mapped_size(), 0x4000u);  // the shared page counts once
}

TEST(ElfParse, AcceptsSegmentEndingAtTheTopOfTheAddressSpace) {
  ElfBuilder builder = ElfBuilder::typical();
  builder.segments[2].vaddr = 0xffffe000;
  const std::vector<uint8_t> bytes = builder.build();
  const ElfImage image = parse(bytes);
  EXPECT_EQ(image.segments.back().vaddr, 0xffffe000u);
  EXPECT_EQ(image.mapped_size(), 0x4000u);
}

// --- ELF header ---------------------------------------------------------------------------------

TEST(ElfHeaderError, BadMagic) {
  Built b;
  b.bytes[1] = 'X';
  EXPECT_EQ(parse_error(b.bytes), "not an ELF file: bad magic at offset 0 (expected 7f 45 4c 46)");
  EXPECT_EQ(parse_error({}), "not an ELF file: bad magic at offset 0 (expected 7f 45 4c 46)");
  EXPECT_EQ(parse_error({0x7f, 'E', 'X'}),
            "not an ELF file: bad magic at offset 0 (expected 7f 45 4c 46)");
}

TEST(ElfHeaderError, TruncatedHeader) {
  Built b;
  b.bytes.resize(40);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF header truncated: file size 0x28 is smaller than the 52-byte ELF32 header");
  EXPECT_EQ(parse_error({0x7f, 'E', 'L'}),
            "ELF header truncated: file size 0x3 is smaller than the 52-byte ELF32 header");
}

TEST(ElfHeaderError, Class64) {
  Built b;
  b.bytes[t::kOffClass] = 2;
  EXPECT_EQ(parse_error(b.bytes),
            "ELF class 2 at offset 4 is not supported: expected ELFCLASS32 (1)");
}

TEST(ElfHeaderError, BigEndian) {
  Built b;
  b.bytes[t::kOffData] = 2;
  EXPECT_EQ(parse_error(b.bytes),
            "ELF data encoding 2 at offset 5 is not supported: expected little-endian ELFDATA2LSB "
            "(1)");
}

TEST(ElfHeaderError, WrongVersion) {
  Built b;
  b.bytes[t::kOffIdentVersion] = 0;
  EXPECT_EQ(parse_error(b.bytes), "ELF ident version 0 at offset 6: expected EV_CURRENT (1)");
  Built c;
  ElfBuilder::put32(c.bytes, t::kOffVersion, 2);
  EXPECT_EQ(parse_error(c.bytes), "ELF e_version 2: expected EV_CURRENT (1)");
}

TEST(ElfHeaderError, WrongMachine) {
  Built b;
  ElfBuilder::put16(b.bytes, t::kOffMachine, 62);  // EM_X86_64
  EXPECT_EQ(parse_error(b.bytes), "ELF e_machine 62 is not supported: expected EM_RISCV (243)");
}

TEST(ElfHeaderError, NotAnExecutable) {
  Built b;
  ElfBuilder::put16(b.bytes, t::kOffType, 3);
  EXPECT_EQ(parse_error(b.bytes), "ELF e_type 3 (ET_DYN) is not supported: expected ET_EXEC (2)");
  ElfBuilder::put16(b.bytes, t::kOffType, 1);
  EXPECT_EQ(parse_error(b.bytes), "ELF e_type 1 (ET_REL) is not supported: expected ET_EXEC (2)");
  ElfBuilder::put16(b.bytes, t::kOffType, 0xfe00);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF e_type 65024 (unknown) is not supported: expected ET_EXEC (2)");
}

TEST(ElfHeaderError, WrongHeaderSize) {
  Built b;
  ElfBuilder::put16(b.bytes, t::kOffEhsize, 64);
  EXPECT_EQ(parse_error(b.bytes), "ELF e_ehsize 64: expected 52");
}

TEST(ElfHeaderError, FileSizeLimit) {
  Built b;
  LoadLimits limits;
  limits.max_file_size = 0x100;
  EXPECT_EQ(parse_error(b.bytes, limits), "ELF file size 0x2fc exceeds the limit 0x100");
}

// --- Program headers ----------------------------------------------------------------------------

TEST(ElfProgramHeaderError, TableOutOfFile) {
  Built b;
  ElfBuilder::put32(b.bytes, t::kOffPhoff, 0x2f0);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF program header table (e_phoff 0x2f0, 3 entries of 32 bytes) ends at 0x350, beyond "
            "file size 0x2fc");
  ElfBuilder::put32(b.bytes, t::kOffPhoff, 0xfffffff0);  // the end does not wrap around
  EXPECT_EQ(parse_error(b.bytes),
            "ELF program header table (e_phoff 0xfffffff0, 3 entries of 32 bytes) ends at "
            "0x100000050, beyond file size 0x2fc");
}

TEST(ElfProgramHeaderError, WrongEntrySize) {
  Built b;
  ElfBuilder::put16(b.bytes, t::kOffPhentsize, 56);
  EXPECT_EQ(parse_error(b.bytes), "ELF e_phentsize 56: expected 32");
}

TEST(ElfProgramHeaderError, ExtendedNumbering) {
  Built b;
  ElfBuilder::put16(b.bytes, t::kOffPhnum, 0xffff);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF e_phnum 0xffff (PN_XNUM, extended numbering) is not supported");
}

TEST(ElfProgramHeaderError, SegmentOutOfFile) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.phdr_field(2, t::kOffPOffset), 0x2fa);
  EXPECT_EQ(
      parse_error(b.bytes),
      "ELF program header 2 (PT_LOAD): p_offset 0x2fa + p_filesz 0x4 exceeds file size 0x2fc");
  ElfBuilder::put32(b.bytes, b.builder.phdr_field(2, t::kOffPOffset), 0xffffffff);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF program header 2 (PT_LOAD): p_offset 0xffffffff + p_filesz 0x4 exceeds file size "
            "0x2fc");
}

TEST(ElfProgramHeaderError, FileSizeAboveMemorySize) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.phdr_field(1, t::kOffPMemsz), 2);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF program header 1 (PT_LOAD): p_filesz 0x6 exceeds p_memsz 0x2");
}

TEST(ElfProgramHeaderError, AddressOverflow) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.phdr_field(2, t::kOffPVaddr), 0xfffff000);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF program header 2 (PT_LOAD): p_vaddr 0xfffff000 + p_memsz 0x2000 overflows the "
            "32-bit address space");
}

TEST(ElfProgramHeaderError, SegmentInNullGuard) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.phdr_field(1, t::kOffPVaddr), 0xf000);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF program header 1 (PT_LOAD): p_vaddr 0xf000 lies in the null guard [0, 0x10000)");
  ElfBuilder::put32(b.bytes, b.builder.phdr_field(1, t::kOffPVaddr), 0);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF program header 1 (PT_LOAD): p_vaddr 0x0 lies in the null guard [0, 0x10000)");
}

struct ForbiddenPermission {
  uint32_t flags;
  const char* message;
};

class ElfPermissionError : public ::testing::TestWithParam<ForbiddenPermission> {};

TEST_P(ElfPermissionError, IsRejectedNamingSegmentAndFlags) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.phdr_field(1, t::kOffPFlags), GetParam().flags);
  EXPECT_EQ(parse_error(b.bytes), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    AllForbidden, ElfPermissionError,
    ::testing::Values(
        ForbiddenPermission{7,
                            "ELF program header 1 (PT_LOAD): permissions RWX (p_flags 0x7) are not "
                            "allowed; only R, RW and RX are"},
        ForbiddenPermission{2,
                            "ELF program header 1 (PT_LOAD): permissions W (p_flags 0x2) are not "
                            "allowed; only R, RW and RX are"},
        ForbiddenPermission{1,
                            "ELF program header 1 (PT_LOAD): permissions X (p_flags 0x1) are not "
                            "allowed; only R, RW and RX are"},
        ForbiddenPermission{3,
                            "ELF program header 1 (PT_LOAD): permissions WX (p_flags 0x3) are not "
                            "allowed; only R, RW and RX are"},
        ForbiddenPermission{0,
                            "ELF program header 1 (PT_LOAD): permissions none (p_flags 0x0) are "
                            "not allowed; only R, RW and RX are"},
        ForbiddenPermission{0xf0000000,
                            "ELF program header 1 (PT_LOAD): permissions none (p_flags "
                            "0xf0000000) are not allowed; only R, RW and RX are"}));

TEST(ElfProgramHeaderError, OverlappingSegments) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.phdr_field(1, t::kOffPVaddr), 0x10010);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF program headers 0 and 1 (PT_LOAD) overlap: [0x10000, 0x10020) and [0x10010, "
            "0x10020)");
}

TEST(ElfProgramHeaderError, OverlapIsFoundWhateverTheHeaderOrder) {
  ElfBuilder builder = ElfBuilder::typical();
  builder.segments.push_back({t::kPtLoad, t::kPfR | t::kPfW, 0x13000, 4, {}, ""});  // inside .data
  const std::vector<uint8_t> bytes = builder.build();
  EXPECT_EQ(parse_error(bytes),
            "ELF program headers 2 and 3 (PT_LOAD) overlap: [0x12000, 0x14000) and [0x13000, "
            "0x13004)");
}

TEST(ElfProgramHeaderError, PageSharedWithDifferentPermissions) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.phdr_field(1, t::kOffPVaddr), 0x10100);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF program headers 0 (RX) and 1 (R) share the page at 0x10000 with different "
            "permissions");
}

TEST(ElfProgramHeaderError, MappedSizeLimit) {
  Built b;
  LoadLimits limits;
  limits.max_mapped_size = 0x3fff;
  EXPECT_EQ(parse_error(b.bytes, limits),
            "ELF mapped size 0x4000 (pages of all PT_LOAD segments) exceeds the limit 0x3fff");
  limits.max_mapped_size = 0x4000;
  EXPECT_EQ(parse_error(b.bytes, limits), "parsed");

  ElfBuilder::put32(b.bytes, b.builder.phdr_field(2, t::kOffPMemsz), 0xd0000000);
  EXPECT_EQ(parse_error(b.bytes),  // the default limit is 3 GiB
            "ELF mapped size 0xd0002000 (pages of all PT_LOAD segments) exceeds the limit "
            "0xc0000000");
}

TEST(ElfProgramHeaderError, EntryOutsideAnySegment) {
  Built b;
  ElfBuilder::put32(b.bytes, t::kOffEntry, 0x20000);
  EXPECT_EQ(parse_error(b.bytes), "ELF entry point 0x20000 is not inside any PT_LOAD segment");
  ElfBuilder::put32(b.bytes, t::kOffEntry, 0x10020);  // one past the end of the code
  EXPECT_EQ(parse_error(b.bytes), "ELF entry point 0x10020 is not inside any PT_LOAD segment");
}

TEST(ElfProgramHeaderError, EntryInNonExecutableSegment) {
  Built b;
  ElfBuilder::put32(b.bytes, t::kOffEntry, 0x11000);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF entry point 0x11000 lies in program header 1 (PT_LOAD, R), which is not "
            "executable");
  ElfBuilder::put32(b.bytes, t::kOffEntry, 0x13000);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF entry point 0x13000 lies in program header 2 (PT_LOAD, RW), which is not "
            "executable");
}

TEST(ElfProgramHeaderError, EntryMisaligned) {
  Built b;
  ElfBuilder::put32(b.bytes, t::kOffEntry, 0x10001);
  EXPECT_EQ(parse_error(b.bytes), "ELF entry point 0x10001 is not 2-byte aligned");
}

TEST(ElfProgramHeaderError, NoLoadSegment) {
  Built b;
  for (uint32_t i = 0; i < 3; ++i) {
    ElfBuilder::put32(b.bytes, b.builder.phdr_field(i, t::kOffPType), t::kPtNote);
  }
  EXPECT_EQ(parse_error(b.bytes), "ELF has no PT_LOAD segment with a nonzero p_memsz");
  Built c;
  ElfBuilder::put16(c.bytes, t::kOffPhnum, 0);
  EXPECT_EQ(parse_error(c.bytes), "ELF has no PT_LOAD segment with a nonzero p_memsz");
}

TEST(ElfProgramHeaderError, DynamicallyLinked) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.phdr_field(0, t::kOffPType), 3);  // PT_INTERP
  EXPECT_EQ(parse_error(b.bytes),
            "ELF program header 0 (PT_INTERP): dynamically linked executables are not supported");
}

// --- Section headers and symbols ----------------------------------------------------------------

TEST(ElfSectionError, WrongEntrySize) {
  Built b;
  ElfBuilder::put16(b.bytes, t::kOffShentsize, 64);
  EXPECT_EQ(parse_error(b.bytes), "ELF e_shentsize 64: expected 40");
}

TEST(ElfSectionError, TableOutOfFile) {
  Built b;
  ElfBuilder::put16(b.bytes, t::kOffShnum, 8);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF section header table (e_shoff 0x1e4, 8 entries of 40 bytes) ends at 0x324, beyond "
            "file size 0x2fc");
}

TEST(ElfSectionError, ExtendedNumbering) {
  Built b;
  ElfBuilder::put16(b.bytes, t::kOffShnum, 0);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF e_shnum 0 with e_shoff 0x1e4 (extended section numbering) is not supported");
}

TEST(ElfSectionError, BadShstrndx) {
  Built b;
  ElfBuilder::put16(b.bytes, t::kOffShstrndx, 9);
  EXPECT_EQ(parse_error(b.bytes), "ELF e_shstrndx 9 is out of range (e_shnum 7)");
  ElfBuilder::put16(b.bytes, t::kOffShstrndx, 1);
  EXPECT_EQ(parse_error(b.bytes), "ELF section 1 (e_shstrndx) has type 1: expected SHT_STRTAB (3)");
}

TEST(ElfSectionError, NameTableOutOfFile) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.shdr_field(6, t::kOffShSize), 0x1000);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF section 6 (e_shstrndx): sh_offset 0x1b3 + sh_size 0x1000 exceeds file size 0x2fc");
}

TEST(ElfSectionError, SectionOutOfFile) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.shdr_field(3, t::kOffShSize), 0x300);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF section 3 (.data): sh_offset 0xba + sh_size 0x300 exceeds file size 0x2fc");
  // A NOBITS section occupies no file bytes, so its offset and size are not checked.
  ElfBuilder::put32(b.bytes, b.builder.shdr_field(3, 4), t::kShtNobits);
  EXPECT_EQ(parse_error(b.bytes), "parsed");
}

TEST(ElfSectionError, SectionNameOutOfBounds) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.shdr_field(2, t::kOffShName), 0x1000);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF section 2 sh_name: string offset 0x1000 is outside the section name table "
            "(section 6) of size 0x2f");
}

TEST(ElfSectionError, SectionNameUnterminated) {
  Built b;
  b.bytes.at(0x1b3 + 0x2f - 1) = 'X';  // the NUL ending ".shstrtab", the table's last string
  EXPECT_EQ(parse_error(b.bytes),
            "ELF section 6 sh_name: string at offset 0x25 is not NUL-terminated within the section "
            "name table (section 6)");
}

TEST(ElfSymbolError, NameOutOfBounds) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.layout.symtab_offset + 1 * t::kSymSize + t::kOffStName,
                    0x500);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF symbol 1 in section 4 st_name: string offset 0x500 is outside the string table "
            "(section 5) of size 0x45");
}

TEST(ElfSymbolError, NameUnterminated) {
  Built b;
  const BuiltLayout& layout = b.builder.layout;
  b.bytes.at(layout.strtab_offset + layout.strtab_size - 1) = 'X';  // after "__stack_size"
  EXPECT_EQ(parse_error(b.bytes),
            "ELF symbol 10 in section 4 st_name: string at offset 0x38 is not NUL-terminated "
            "within the string table (section 5)");
}

TEST(ElfSymbolError, SectionIndexOutOfRange) {
  Built b;
  ElfBuilder::put16(b.bytes, b.builder.layout.symtab_offset + 2 * t::kSymSize + 14, 0x40);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF symbol 2 in section 4: st_shndx 64 is out of range (e_shnum 7)");
}

TEST(ElfSymbolError, BadSymbolTableHeader) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.shdr_field(4, t::kOffShEntsize), 24);
  EXPECT_EQ(parse_error(b.bytes), "ELF section 4 (.symtab): sh_entsize 24: expected 16");
  Built c;
  ElfBuilder::put32(c.bytes, c.builder.shdr_field(4, t::kOffShSize), 0xb8);
  EXPECT_EQ(parse_error(c.bytes),
            "ELF section 4 (.symtab): sh_size 0xb8 is not a multiple of the 16-byte symbol size");
  Built d;
  ElfBuilder::put32(d.bytes, d.builder.shdr_field(4, t::kOffShLink), 9);
  EXPECT_EQ(parse_error(d.bytes),
            "ELF section 4 (.symtab): sh_link 9 is not a valid section index (e_shnum 7)");
  ElfBuilder::put32(d.bytes, d.builder.shdr_field(4, t::kOffShLink), 1);
  EXPECT_EQ(
      parse_error(d.bytes),
      "ELF section 4 (.symtab): sh_link 1 names a section of type 1: expected SHT_STRTAB (3)");
}

TEST(ElfSymbolError, TwoSymbolTables) {
  Built b;
  ElfBuilder::put32(b.bytes, b.builder.shdr_field(1, 4), t::kShtSymtab);
  EXPECT_EQ(parse_error(b.bytes),
            "ELF sections 1 and 4 are both SHT_SYMTAB; at most one is allowed");
}

// Every truncation and every single-bit flip of a valid image either parses or throws ElfError:
// no crash, no other exception (run under ASan/UBSan this also checks for out-of-bounds reads).
TEST(ElfRobustness, TruncationsAndBitFlipsNeverCrash) {
  Built b;
  int accepted = 0;
  for (size_t size = 0; size < b.bytes.size(); ++size) {
    const std::vector<uint8_t> prefix(b.bytes.begin(), b.bytes.begin() + size);
    if (parse_error(prefix) == "parsed") ++accepted;
  }
  EXPECT_EQ(accepted, 0);  // the section header table is last, so every proper prefix is invalid
  int flips_rejected = 0;
  for (size_t at = 0; at < b.bytes.size(); ++at) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<uint8_t> copy = b.bytes;
      copy[at] ^= static_cast<uint8_t>(1 << bit);
      if (parse_error(copy) != "parsed") ++flips_rejected;
    }
  }
  EXPECT_GT(flips_rejected, 0);
}

// --- load_file --------------------------------------------------------------------------------

class ElfLoadFile : public ::testing::Test {
 protected:
  std::string write_temp(const std::vector<uint8_t>& bytes) {
    path_ = (std::filesystem::temp_directory_path() /
             ("zkrv_elf_test_" + std::to_string(::getpid()) + ".elf"))
                .string();
    std::ofstream out(path_, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    return path_;
  }
  void TearDown() override {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  std::string path_;
};

std::string load_error(const std::string& path, const LoadLimits& limits = {}) {
  std::vector<uint8_t> storage;
  try {
    load_file(path, &storage, limits);
    return "loaded";
  } catch (const ElfError& e) {
    return e.what();
  }
}

TEST_F(ElfLoadFile, LoadsAValidFile) {
  Built b;
  const std::string path = write_temp(b.bytes);
  std::vector<uint8_t> storage;
  const ElfImage image = load_file(path, &storage);
  EXPECT_EQ(storage, b.bytes);
  EXPECT_EQ(image.entry, 0x10000u);
  EXPECT_EQ(image.symbolize(0x10008), "main");
}

TEST_F(ElfLoadFile, NamesTheFileInParseErrors) {
  Built b;
  b.bytes[0] = 0;
  const std::string path = write_temp(b.bytes);
  EXPECT_EQ(load_error(path),
            path + ": not an ELF file: bad magic at offset 0 (expected 7f 45 4c 46)");
}

TEST_F(ElfLoadFile, MissingFile) {
  EXPECT_EQ(load_error("/nonexistent/zkrv/x.elf"),
            "cannot open ELF file '/nonexistent/zkrv/x.elf': No such file or directory");
}

TEST_F(ElfLoadFile, Directory) {
  const std::string dir = std::filesystem::temp_directory_path().string();
  EXPECT_EQ(load_error(dir), "ELF file '" + dir + "' is a directory, not a regular file");
}

TEST_F(ElfLoadFile, FifoIsRefusedWithoutBlocking) {
  const std::string fifo = (std::filesystem::temp_directory_path() / ("zkrv-elf-fifo-" + std::to_string(::getpid()))).string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string error = load_error(fifo);
  std::filesystem::remove(fifo);
  EXPECT_EQ(error, "ELF file '" + fifo + "' is a FIFO, not a regular file");
}

TEST_F(ElfLoadFile, TooLarge) {
  Built b;
  const std::string path = write_temp(b.bytes);
  LoadLimits limits;
  limits.max_file_size = 0x100;
  EXPECT_EQ(load_error(path, limits), "ELF file '" + path + "': size 0x2fc exceeds the limit 0x100");
}

// --- Executables from the stock toolchains ------------------------------------------------------

void check_toolchain_image(const std::string& path) {
  std::vector<uint8_t> storage;
  const ElfImage image = load_file(path, &storage);
  const Symbol* start = image.find_symbol("_start");
  ASSERT_NE(start, nullptr);
  EXPECT_TRUE(start->is_function);
  EXPECT_EQ(image.entry, start->value);
  EXPECT_EQ(image.symbolize(start->value + 2), "_start+0x2");
  for (const Segment& s : image.segments) {
    EXPECT_TRUE(s.flags == kRead || s.flags == (kRead | kWrite) || s.flags == (kRead | kExec))
        << "segment " << s.index << " flags " << s.flags;
  }
  const Section* text = image.find_section(".text");
  ASSERT_NE(text, nullptr);
  EXPECT_FALSE(text->bytes.empty());
  const Section* bss = image.find_section(".bss");
  ASSERT_NE(bss, nullptr);
  EXPECT_TRUE(bss->bytes.empty());  // NOBITS
  const Symbol* scratch = image.find_symbol("scratch");
  ASSERT_NE(scratch, nullptr);
  EXPECT_FALSE(scratch->is_function);
  EXPECT_EQ(scratch->size, 256u);
  const Symbol* greeting = image.find_symbol("greeting");
  ASSERT_NE(greeting, nullptr);
  EXPECT_EQ(greeting->size, 16u);
  // greeting lives in a read-only segment: find it and check the bytes.
  bool found = false;
  for (const Segment& s : image.segments) {
    if (greeting->value >= s.vaddr && greeting->value - s.vaddr + 16 <= s.file_bytes.size()) {
      EXPECT_EQ(s.flags & kWrite, 0u);
      const auto* text_bytes = s.file_bytes.data() + (greeting->value - s.vaddr);
      EXPECT_EQ(std::string(reinterpret_cast<const char*>(text_bytes)), "hello from tiny");
      found = true;
    }
  }
  EXPECT_TRUE(found);
  EXPECT_GE(image.segments.size(), 2u);
}

TEST(ElfToolchain, ParsesClangLldExecutable) {
#ifdef ZKRV_ELF_CLANG_FIXTURE
  check_toolchain_image(ZKRV_ELF_CLANG_FIXTURE);
#else
  GTEST_SKIP() << "clang/ld.lld not found at configure time";
#endif
}

TEST(ElfToolchain, ParsesGnuExecutable) {
#ifdef ZKRV_ELF_GCC_FIXTURE
  check_toolchain_image(ZKRV_ELF_GCC_FIXTURE);
#else
  GTEST_SKIP() << "riscv64-unknown-elf-gcc not found at configure time";
#endif
}

}  // namespace
}  // namespace zkrv::elf
