// libFuzzer target for the ELF loader: any input either parses into an image that satisfies the
// loader's guarantees or is rejected with ElfError. Anything else (a crash, a sanitizer report,
// another exception, a broken invariant) is a finding.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "elf/elf.h"

namespace {

using zkrv::elf::ElfImage;

void require(bool condition) {
  if (!condition) std::abort();
}

// What parse() promises about an accepted image (elf.h, docs/abi.md).
void check_invariants(const ElfImage& image, std::span<const uint8_t> file) {
  const zkrv::elf::LoadLimits limits;
  require(!image.segments.empty());
  bool entry_executable = false;
  for (size_t i = 0; i < image.segments.size(); ++i) {
    const zkrv::elf::Segment& s = image.segments[i];
    require(s.flags == zkrv::elf::kRead || s.flags == (zkrv::elf::kRead | zkrv::elf::kWrite) ||
            s.flags == (zkrv::elf::kRead | zkrv::elf::kExec));
    require(s.vaddr >= limits.null_guard_end);
    require(uint64_t{s.vaddr} + s.memsz <= (uint64_t{1} << 32));
    require(s.file_bytes.size() <= s.memsz);
    require(s.file_bytes.empty() ||
            (s.file_bytes.data() >= file.data() &&
             s.file_bytes.data() + s.file_bytes.size() <= file.data() + file.size()));
    if (i > 0)
      require(uint64_t{image.segments[i - 1].vaddr} + image.segments[i - 1].memsz <= s.vaddr);
    if (image.entry >= s.vaddr && image.entry - s.vaddr < s.memsz) {
      entry_executable = (s.flags & zkrv::elf::kExec) != 0;
    }
  }
  require(entry_executable);
  require(image.mapped_size() <= limits.max_mapped_size);
  for (size_t i = 1; i < image.symbols.size(); ++i) {
    require(image.symbols[i - 1].value <= image.symbols[i].value);
  }
  for (const zkrv::elf::Section& section : image.sections) {
    require(image.find_section(section.name) != nullptr);
    require(section.bytes.empty() ||
            (section.bytes.data() >= file.data() &&
             section.bytes.data() + section.bytes.size() <= file.data() + file.size()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> file(data, size);
  ElfImage image;
  try {
    image = zkrv::elf::parse(file);
  } catch (const zkrv::elf::ElfError&) {
    return 0;
  }
  check_invariants(image, file);
  // Exercise the lookups around every symbol and segment edge.
  for (const zkrv::elf::Symbol& symbol : image.symbols) {
    require(!image.symbolize(symbol.value).empty());
    image.symbolize(symbol.value + symbol.size);
    image.symbolize(symbol.value - 1);
    require(image.find_symbol(symbol.name) != nullptr);
  }
  for (const zkrv::elf::Segment& segment : image.segments) {
    image.symbolize(segment.vaddr);
    image.symbolize(segment.vaddr + segment.memsz - 1);
  }
  image.symbolize(0);
  image.symbolize(0xffffffff);
  image.find_section(".text");
  image.find_section("");
  return 0;
}
