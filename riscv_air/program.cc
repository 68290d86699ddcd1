#include "riscv_air/program.h"

#include <algorithm>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "riscv_air/buses.h"

namespace zkrv::riscv_air {

using isa::Op;

std::optional<Family> family_of(Op op) {
  switch (op) {
    case Op::ADD: case Op::SUB: case Op::ADDI: return Family::kAddSub;
    case Op::XOR: case Op::OR: case Op::AND: case Op::XORI: case Op::ORI: case Op::ANDI: return Family::kBitwise;
    case Op::SLT: case Op::SLTU: case Op::SLTI: case Op::SLTIU: return Family::kLt;
    case Op::SLL: case Op::SRL: case Op::SRA: case Op::SLLI: case Op::SRLI: case Op::SRAI: return Family::kShift;
    case Op::MUL: case Op::MULH: case Op::MULHSU: case Op::MULHU: return Family::kMul;
    case Op::LUI: case Op::AUIPC: case Op::JAL: case Op::JALR: case Op::FENCE: case Op::FENCE_I: return Family::kJump;
    case Op::BEQ: case Op::BNE: case Op::BLT: case Op::BGE: case Op::BLTU: case Op::BGEU: return Family::kBranch;
    case Op::LB: case Op::LH: case Op::LW: case Op::LBU: case Op::LHU: case Op::SB: case Op::SH: case Op::SW:
      return Family::kLoadStore;
    case Op::ECALL: return Family::kExit;
    case Op::LR_W: case Op::SC_W: case Op::AMOSWAP_W: case Op::AMOADD_W: case Op::AMOXOR_W: case Op::AMOAND_W:
    case Op::AMOOR_W: case Op::AMOMIN_W: case Op::AMOMAX_W: case Op::AMOMINU_W: case Op::AMOMAXU_W:
      return Family::kAtomic;
    case Op::DIV: case Op::DIVU: case Op::REM: case Op::REMU: return Family::kDiv;
    case Op::RIN: case Op::HIN: case Op::WOU: return Family::kTape;
    case Op::PRECOMPILE: return Family::kPrecompile;
    default: return std::nullopt;
  }
}

namespace {

bool writes_rd(Op op) {
  switch (op) {
    case Op::ADD: case Op::SUB: case Op::ADDI: case Op::LUI: case Op::AUIPC: case Op::JAL: case Op::JALR:
    case Op::LB: case Op::LH: case Op::LW: case Op::LBU: case Op::LHU: case Op::XOR: case Op::OR: case Op::AND: case Op::XORI: case Op::ORI: case Op::ANDI:
    case Op::SLT: case Op::SLTU: case Op::SLTI: case Op::SLTIU:
    case Op::SLL: case Op::SRL: case Op::SRA: case Op::SLLI: case Op::SRLI: case Op::SRAI:
    case Op::MUL: case Op::MULH: case Op::MULHSU: case Op::MULHU:
    case Op::LR_W: case Op::SC_W: case Op::AMOSWAP_W: case Op::AMOADD_W: case Op::AMOXOR_W: case Op::AMOAND_W:
    case Op::AMOOR_W: case Op::AMOMIN_W: case Op::AMOMAX_W: case Op::AMOMINU_W: case Op::AMOMAXU_W:
    case Op::DIV: case Op::DIVU: case Op::REM: case Op::REMU:
    case Op::RIN: case Op::HIN: case Op::PRECOMPILE:
      return true;
    default:
      return false;
  }
}

}  // namespace

ProgramRow program_row(uint32_t pc, const isa::DecodedInsn& insn) {
  ProgramRow row;
  row.pc = pc;
  row.op = insn.op;
  row.rd = insn.rd;
  row.rs1 = insn.rs1;
  row.rs2 = insn.rs2;
  row.imm = insn.imm;
  row.rd_w = writes_rd(insn.op) && insn.rd != 0;
  row.len = insn.length;
  return row;
}

ProgramImage program_image(const elf::ElfImage& elf) {
  ProgramImage out;
  out.entry = elf.entry;
  uint64_t file_end = 0;
  for (const elf::Segment& s : elf.segments) {
    if (!s.file_bytes.empty()) file_end = std::max<uint64_t>(file_end, uint64_t{s.vaddr} + s.file_bytes.size());
  }
  out.zero_start_word = static_cast<uint32_t>((file_end + 3) / 4);
  for (const elf::Segment& s : elf.segments) {
    if ((s.flags & elf::kExec) == 0) continue;
    if (uint64_t{s.vaddr} + s.memsz > kMaxTextEnd) {
      throw RefusedError(fmt::format("executable segment {} ends at {:#x}, at or above {:#x}: pcs must stay below 2^30",
                                     s.index, uint64_t{s.vaddr} + s.memsz, kMaxTextEnd));
    }
    const std::span<const uint8_t> bytes = s.file_bytes;
    for (size_t off = 0; off + 2 <= bytes.size(); off += 2) {
      uint32_t bits = 0;
      std::memcpy(&bits, bytes.data() + off, std::min<size_t>(4, bytes.size() - off));
      if (!isa::is_compressed(bits & 0xffff) && off + 4 > bytes.size()) continue;
      const isa::DecodedInsn insn = isa::decode(bits);
      if (insn.op == Op::ILLEGAL || !family_of(insn.op)) continue;
      out.program.push_back(program_row(s.vaddr + static_cast<uint32_t>(off), insn));
    }
  }
  std::sort(out.program.begin(), out.program.end(), [](const ProgramRow& a, const ProgramRow& b) { return a.pc < b.pc; });
  if (!std::any_of(out.program.begin(), out.program.end(), [&](const ProgramRow& r) { return r.pc == out.entry; })) {
    throw RefusedError(fmt::format("entry {:#x}: no provable instruction there", out.entry));
  }
  for (uint32_t r = 0; r < kRegisterRecords; ++r) out.image.push_back({kRegisterSpace, r, 0});
  // The mapped pages and whether each is writable: a page a segment touches takes its permissions
  // (the loader rejects two segments with different permissions on one page).
  constexpr uint32_t kWordsPerPage = 1024;
  std::map<uint32_t, bool> pages;
  for (const elf::Segment& s : elf.segments) {
    if (s.memsz == 0) continue;
    const uint64_t first = s.vaddr / 4096, last = (uint64_t{s.vaddr} + s.memsz + 4095) / 4096;
    for (uint64_t page = first; page < last; ++page) pages[static_cast<uint32_t>(page)] = (s.flags & elf::kWrite) != 0;
  }
  // Runs of consecutive pages with one permission, as word ranges; below Z they are Image words,
  // from Z on the zero tails ZeroInit may initialise.
  std::vector<ImageWord> words;
  for (auto it = pages.begin(); it != pages.end();) {
    const uint32_t first = it->first;
    const bool writable = it->second;
    uint32_t last = first;
    for (++it; it != pages.end() && it->first == last + 1 && it->second == writable; ++it) last = it->first;
    const uint32_t space = writable ? kMemorySpace : kReadOnlySpace;
    const uint32_t begin = first * kWordsPerPage, end = (last + 1) * kWordsPerPage;
    for (uint32_t w = begin; w < std::min(end, out.zero_start_word); ++w) words.push_back({space, w, 0});
    if (end > out.zero_start_word) out.zero_ranges.push_back({space, std::max(begin, out.zero_start_word), end});
  }
  for (auto it = pages.begin(); it != pages.end();) {
    const uint32_t first = it->first;
    uint32_t last = first;
    for (++it; it != pages.end() && it->first == last + 1; ++it) last = it->first;
    out.readable.push_back({first * 4096, (uint64_t{last} + 1) * 4096});
  }
  if (out.zero_ranges.size() > kMaxZeroRanges) {
    throw RefusedError(fmt::format("{} runs of zero-initialised pages, more than {}", out.zero_ranges.size(), kMaxZeroRanges));
  }
  // The file bytes (segments never overlap, but two may share a word at their edges).
  for (const elf::Segment& s : elf.segments) {
    auto word = words.end();
    for (size_t k = 0; k < s.file_bytes.size(); ++k) {
      const uint64_t byte = uint64_t{s.vaddr} + k;
      if (word == words.end() || word->addr != byte / 4) {
        word = std::lower_bound(words.begin(), words.end(), byte / 4,
                                [](const ImageWord& w, uint64_t addr) { return w.addr < addr; });
        if (word == words.end() || word->addr != byte / 4) throw RefusedError("internal: a file byte outside the image");
      }
      word->value |= uint32_t{s.file_bytes[k]} << (8 * (byte % 4));
    }
  }
  out.image.insert(out.image.end(), words.begin(), words.end());
  return out;
}

}  // namespace zkrv::riscv_air
