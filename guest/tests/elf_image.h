// Test helper: the parts of a 32-bit ELF file the SDK tests check (header, program headers,
// section contents), read with the host's <elf.h> so the tests do not depend on zkrv's own loader.
#ifndef ZKRV_GUEST_TESTS_ELF_IMAGE_H_
#define ZKRV_GUEST_TESTS_ELF_IMAGE_H_

#include <elf.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zkrv::guesttest {

struct ElfImage {
  unsigned char elf_class = 0;
  std::uint16_t machine = 0;
  std::uint32_t entry = 0;
  std::vector<Elf32_Phdr> segments;
  std::map<std::string, std::vector<std::uint8_t>> sections;  // contents of PROGBITS/NOTE sections
};

inline std::optional<ElfImage> read_elf_image(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  if (bytes.size() < sizeof(Elf32_Ehdr) || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0) {
    return std::nullopt;
  }
  ElfImage image;
  image.elf_class = bytes[EI_CLASS];
  if (image.elf_class != ELFCLASS32) return image;
  Elf32_Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof(header));
  image.machine = header.e_machine;
  image.entry = header.e_entry;
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    size_t at = header.e_phoff + i * size_t{header.e_phentsize};
    if (at + sizeof(Elf32_Phdr) > bytes.size()) return std::nullopt;
    Elf32_Phdr segment;
    std::memcpy(&segment, bytes.data() + at, sizeof(segment));
    image.segments.push_back(segment);
  }
  std::vector<Elf32_Shdr> sections(header.e_shnum);
  for (unsigned i = 0; i < header.e_shnum; ++i) {
    size_t at = header.e_shoff + i * size_t{header.e_shentsize};
    if (at + sizeof(Elf32_Shdr) > bytes.size()) return std::nullopt;
    std::memcpy(&sections[i], bytes.data() + at, sizeof(Elf32_Shdr));
  }
  if (header.e_shstrndx >= sections.size()) return image;
  const Elf32_Shdr& names = sections[header.e_shstrndx];
  for (const Elf32_Shdr& section : sections) {
    if (section.sh_type != SHT_PROGBITS && section.sh_type != SHT_NOTE) continue;
    if (section.sh_offset + size_t{section.sh_size} > bytes.size()) return std::nullopt;
    const char* name = reinterpret_cast<const char*>(bytes.data() + names.sh_offset + section.sh_name);
    image.sections[name].assign(bytes.begin() + section.sh_offset,
                                bytes.begin() + section.sh_offset + section.sh_size);
  }
  return image;
}

}  // namespace zkrv::guesttest

#endif  // ZKRV_GUEST_TESTS_ELF_IMAGE_H_
