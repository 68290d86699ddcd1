#include "riscv_air/program.h"

#include <algorithm>
#include <cstring>

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
    case Op::LUI: case Op::AUIPC: case Op::JAL: case Op::JALR: return Family::kJump;
    case Op::BEQ: case Op::BNE: case Op::BLT: case Op::BGE: case Op::BLTU: case Op::BGEU: return Family::kBranch;
    case Op::LB: case Op::LH: case Op::LW: case Op::LBU: case Op::LHU: case Op::SB: case Op::SH: case Op::SW:
      return Family::kLoadStore;
    case Op::ECALL: return Family::kExit;
    case Op::LR_W: case Op::SC_W: case Op::AMOSWAP_W: case Op::AMOADD_W: case Op::AMOXOR_W: case Op::AMOAND_W:
    case Op::AMOOR_W: case Op::AMOMIN_W: case Op::AMOMAX_W: case Op::AMOMINU_W: case Op::AMOMAXU_W:
      return Family::kAtomic;
    case Op::RIN: case Op::HIN: case Op::WOU: return Family::kTape;
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
    case Op::RIN: case Op::HIN:
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
  // Every word of a segment below the zero start: file bytes, then the segment's zero tail.
  std::vector<ImageWord> words;
  for (const elf::Segment& s : elf.segments) {
    const uint64_t begin = s.vaddr / 4, end = std::min<uint64_t>((uint64_t{s.vaddr} + s.memsz + 3) / 4, out.zero_start_word);
    for (uint64_t w = begin; w < end; ++w) {
      uint32_t value = 0;
      for (uint32_t k = 0; k < 4; ++k) {
        const uint64_t byte = w * 4 + k;
        if (byte >= s.vaddr && byte - s.vaddr < s.file_bytes.size()) value |= uint32_t{s.file_bytes[byte - s.vaddr]} << (8 * k);
      }
      words.push_back({kMemorySpace, static_cast<uint32_t>(w), value});
    }
  }
  std::sort(words.begin(), words.end(), [](const ImageWord& a, const ImageWord& b) { return a.addr < b.addr; });
  // Segments never overlap, but two may share a word at their edges; keep each word once, merged.
  for (const ImageWord& w : words) {
    if (out.image.size() > kRegisterRecords && out.image.back().addr == w.addr) {
      out.image.back().value |= w.value;
    } else {
      out.image.push_back(w);
    }
  }
  return out;
}

}  // namespace zkrv::riscv_air
