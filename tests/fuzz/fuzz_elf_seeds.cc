// Writes the seed corpus for fuzz_elf into the directory given as the only argument: valid
// builder-made images, near-valid variants (one field off, so the fuzzer starts next to each
// check), and the executables the stock toolchains built for elf_test (ZKRV_ELF_FIXTURES).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "elf/testing/elf_builder.h"

namespace {

namespace t = zkrv::elf::testing;
using t::ElfBuilder;

void write(const std::filesystem::path& dir, const std::string& name,
           const std::vector<uint8_t>& bytes) {
  std::ofstream out(dir / name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "fuzz_elf_seeds: cannot write %s\n", (dir / name).c_str());
    std::exit(1);
  }
}

// The typical image with one patch applied.
std::vector<uint8_t> variant(const std::function<void(ElfBuilder&, std::vector<uint8_t>&)>& patch) {
  ElfBuilder builder = ElfBuilder::typical();
  std::vector<uint8_t> bytes = builder.build();
  patch(builder, bytes);
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_elf_seeds <output directory>\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);

  write(dir, "typical.elf", ElfBuilder::typical().build());
  ElfBuilder stripped = ElfBuilder::typical();
  stripped.write_sections = false;
  write(dir, "stripped.elf", stripped.build());
  ElfBuilder shared_page = ElfBuilder::typical();
  shared_page.segments.push_back({t::kPtLoad, t::kPfR, 0x11800, 8, {1, 2}, ".rodata2"});
  write(dir, "shared-page.elf", shared_page.build());

  using Patch = std::function<void(ElfBuilder&, std::vector<uint8_t>&)>;
  const std::vector<std::pair<std::string, Patch>> near_valid = {
      {"rwx", [](ElfBuilder& b,
                 auto& bytes) { ElfBuilder::put32(bytes, b.phdr_field(1, t::kOffPFlags), 7); }},
      {"overlap",
       [](ElfBuilder& b, auto& bytes) {
         ElfBuilder::put32(bytes, b.phdr_field(1, t::kOffPVaddr), 0x10010);
       }},
      {"page-shared",
       [](ElfBuilder& b, auto& bytes) {
         ElfBuilder::put32(bytes, b.phdr_field(1, t::kOffPVaddr), 0x10100);
       }},
      {"vaddr-wrap",
       [](ElfBuilder& b, auto& bytes) {
         ElfBuilder::put32(bytes, b.phdr_field(2, t::kOffPVaddr), 0xfffff000);
       }},
      {"entry-data",
       [](ElfBuilder&, auto& bytes) { ElfBuilder::put32(bytes, t::kOffEntry, 0x11000); }},
      {"shstrndx", [](ElfBuilder&, auto& bytes) { ElfBuilder::put16(bytes, t::kOffShstrndx, 1); }},
      {"symtab-link",
       [](ElfBuilder& b, auto& bytes) {
         ElfBuilder::put32(bytes, b.shdr_field(4, t::kOffShLink), 1);
       }},
      {"strtab-unterminated",
       [](ElfBuilder& b, auto& bytes) {
         bytes.at(b.layout.strtab_offset + b.layout.strtab_size - 1) = 'X';
       }},
  };
  for (const auto& [name, patch] : near_valid) write(dir, name + ".elf", variant(patch));

#ifdef ZKRV_ELF_FIXTURES
  std::string fixtures = ZKRV_ELF_FIXTURES;
  for (size_t start = 0; start <= fixtures.size();) {
    size_t end = fixtures.find(':', start);
    if (end == std::string::npos) end = fixtures.size();
    const std::filesystem::path fixture = fixtures.substr(start, end - start);
    if (std::filesystem::is_regular_file(fixture)) {
      std::filesystem::copy_file(fixture, dir / fixture.filename(),
                                 std::filesystem::copy_options::overwrite_existing);
    }
    start = end + 1;
  }
#endif
  return 0;
}
