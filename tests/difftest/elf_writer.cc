#include "tests/difftest/elf_writer.h"

#include <cstring>
#include <stdexcept>

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

std::vector<uint8_t> write_elf(uint32_t entry, const std::vector<ElfSegment>& segments) {
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
  return out;
}

}  // namespace zkrv::difftest
