// Instruction encoders: the inverse of decode() for 32-bit forms. Used by tests, the differential
// tester's random program generator and anyone who needs to emit guest code without an assembler.
#pragma once

#include <cstdint>

#include "isa/isa.h"

namespace zkrv::isa::encode {

constexpr uint32_t r_type(uint32_t opcode, uint32_t rd, uint32_t f3, uint32_t rs1, uint32_t rs2, uint32_t f7) {
  return f7 << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | f3 << 12 | (rd & 31) << 7 | opcode;
}
constexpr uint32_t i_type(uint32_t opcode, uint32_t rd, uint32_t f3, uint32_t rs1, int32_t imm) {
  return (static_cast<uint32_t>(imm) & 0xfff) << 20 | (rs1 & 31) << 15 | f3 << 12 | (rd & 31) << 7 | opcode;
}
constexpr uint32_t s_type(uint32_t opcode, uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return (u >> 5 & 0x7f) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | f3 << 12 | (u & 31) << 7 | opcode;
}
constexpr uint32_t b_type(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t offset) {
  const uint32_t u = static_cast<uint32_t>(offset);
  return (u >> 12 & 1) << 31 | (u >> 5 & 0x3f) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | f3 << 12 |
         (u >> 1 & 0xf) << 8 | (u >> 11 & 1) << 7 | 0x63;
}
constexpr uint32_t u_type(uint32_t opcode, uint32_t rd, uint32_t imm20) { return imm20 << 12 | (rd & 31) << 7 | opcode; }
constexpr uint32_t j_type(uint32_t rd, int32_t offset) {
  const uint32_t u = static_cast<uint32_t>(offset);
  return (u >> 20 & 1) << 31 | (u >> 1 & 0x3ff) << 21 | (u >> 11 & 1) << 20 | (u >> 12 & 0xff) << 12 |
         (rd & 31) << 7 | 0x6f;
}

constexpr uint32_t lui(uint32_t rd, uint32_t imm20) { return u_type(0x37, rd, imm20); }
constexpr uint32_t auipc(uint32_t rd, uint32_t imm20) { return u_type(0x17, rd, imm20); }
constexpr uint32_t jal(uint32_t rd, int32_t offset) { return j_type(rd, offset); }
constexpr uint32_t jalr(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(0x67, rd, 0, rs1, imm); }
constexpr uint32_t branch(Op op, uint32_t rs1, uint32_t rs2, int32_t offset) {
  const uint32_t f3 = op == Op::BEQ ? 0 : op == Op::BNE ? 1 : op == Op::BLT ? 4 : op == Op::BGE ? 5 : op == Op::BLTU ? 6 : 7;
  return b_type(f3, rs1, rs2, offset);
}
constexpr uint32_t load(Op op, uint32_t rd, uint32_t rs1, int32_t imm) {
  const uint32_t f3 = op == Op::LB ? 0 : op == Op::LH ? 1 : op == Op::LW ? 2 : op == Op::LBU ? 4 : 5;
  return i_type(0x03, rd, f3, rs1, imm);
}
constexpr uint32_t store(Op op, uint32_t rs2, uint32_t rs1, int32_t imm) {
  const uint32_t f3 = op == Op::SB ? 0 : op == Op::SH ? 1 : 2;
  return s_type(0x23, f3, rs1, rs2, imm);
}
constexpr uint32_t op_imm(Op op, uint32_t rd, uint32_t rs1, int32_t imm) {
  switch (op) {
    case Op::ADDI: return i_type(0x13, rd, 0, rs1, imm);
    case Op::SLTI: return i_type(0x13, rd, 2, rs1, imm);
    case Op::SLTIU: return i_type(0x13, rd, 3, rs1, imm);
    case Op::XORI: return i_type(0x13, rd, 4, rs1, imm);
    case Op::ORI: return i_type(0x13, rd, 6, rs1, imm);
    case Op::ANDI: return i_type(0x13, rd, 7, rs1, imm);
    case Op::SLLI: return i_type(0x13, rd, 1, rs1, imm & 31);
    case Op::SRLI: return i_type(0x13, rd, 5, rs1, imm & 31);
    case Op::SRAI: return i_type(0x13, rd, 5, rs1, (imm & 31) | 0x400);
    default: return 0;
  }
}
constexpr uint32_t op_reg(Op op, uint32_t rd, uint32_t rs1, uint32_t rs2) {
  switch (op) {
    case Op::ADD: return r_type(0x33, rd, 0, rs1, rs2, 0);
    case Op::SUB: return r_type(0x33, rd, 0, rs1, rs2, 0x20);
    case Op::SLL: return r_type(0x33, rd, 1, rs1, rs2, 0);
    case Op::SLT: return r_type(0x33, rd, 2, rs1, rs2, 0);
    case Op::SLTU: return r_type(0x33, rd, 3, rs1, rs2, 0);
    case Op::XOR: return r_type(0x33, rd, 4, rs1, rs2, 0);
    case Op::SRL: return r_type(0x33, rd, 5, rs1, rs2, 0);
    case Op::SRA: return r_type(0x33, rd, 5, rs1, rs2, 0x20);
    case Op::OR: return r_type(0x33, rd, 6, rs1, rs2, 0);
    case Op::AND: return r_type(0x33, rd, 7, rs1, rs2, 0);
    case Op::MUL: return r_type(0x33, rd, 0, rs1, rs2, 1);
    case Op::MULH: return r_type(0x33, rd, 1, rs1, rs2, 1);
    case Op::MULHSU: return r_type(0x33, rd, 2, rs1, rs2, 1);
    case Op::MULHU: return r_type(0x33, rd, 3, rs1, rs2, 1);
    case Op::DIV: return r_type(0x33, rd, 4, rs1, rs2, 1);
    case Op::DIVU: return r_type(0x33, rd, 5, rs1, rs2, 1);
    case Op::REM: return r_type(0x33, rd, 6, rs1, rs2, 1);
    case Op::REMU: return r_type(0x33, rd, 7, rs1, rs2, 1);
    default: return 0;
  }
}
constexpr uint32_t amo(Op op, uint32_t rd, uint32_t rs1, uint32_t rs2) {
  uint32_t f5 = 0;
  switch (op) {
    case Op::LR_W: f5 = 0x02; rs2 = 0; break;
    case Op::SC_W: f5 = 0x03; break;
    case Op::AMOSWAP_W: f5 = 0x01; break;
    case Op::AMOADD_W: f5 = 0x00; break;
    case Op::AMOXOR_W: f5 = 0x04; break;
    case Op::AMOAND_W: f5 = 0x0c; break;
    case Op::AMOOR_W: f5 = 0x08; break;
    case Op::AMOMIN_W: f5 = 0x10; break;
    case Op::AMOMAX_W: f5 = 0x14; break;
    case Op::AMOMINU_W: f5 = 0x18; break;
    case Op::AMOMAXU_W: f5 = 0x1c; break;
    default: return 0;
  }
  return r_type(0x2f, rd, 2, rs1, rs2, f5 << 2);
}
constexpr uint32_t ecall() { return 0x00000073; }
constexpr uint32_t fence() { return 0x0ff0000f; }
constexpr uint32_t fence_i() { return 0x0000100f; }
constexpr uint32_t rin(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(0x2b, rd, 0, rs1, imm); }
constexpr uint32_t hin(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(0x2b, rd, 1, rs1, imm); }
constexpr uint32_t wou(uint32_t rs2, uint32_t rs1, int32_t imm) { return s_type(0x5b, 0, rs1, rs2, imm); }
constexpr uint32_t precompile(uint32_t index, uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(0x0b, rd, index & 7, rs1, rs2, index >> 3);
}

// Loads a 32-bit constant into rd with lui + addi (two instructions).
struct Pair {
  uint32_t first, second;
};
constexpr Pair li(uint32_t rd, uint32_t value) {
  const uint32_t hi = (value + 0x800) >> 12;
  const int32_t lo = static_cast<int32_t>(value << 20) >> 20;
  return {lui(rd, hi & 0xfffff), op_imm(Op::ADDI, rd, rd, lo)};
}

}  // namespace zkrv::isa::encode
