// Encoders for the RV32C instructions the differential tester emits (isa/encode.h covers only the
// 32-bit forms). Each returns the raw 16-bit instruction. Arguments are architectural register
// numbers; the "prime" forms (c.lw, c.sub, ...) take x8..x15 and encode them as 3 bits. Callers
// respect the constraints the spec puts on each form (non-zero immediates, rd != 0, ranges): these
// helpers only place bits.
#pragma once

#include <cstdint>

namespace zkrv::difftest::c {

constexpr uint32_t bit(uint32_t value, unsigned n) { return value >> n & 1; }
constexpr uint32_t field(uint32_t value, unsigned hi, unsigned lo) { return value >> lo & ((1u << (hi - lo + 1)) - 1); }
constexpr uint32_t prime(uint32_t reg) { return (reg - 8) & 7; }

// CI format: funct3 | imm[5] | rd | imm[4:0] | op
constexpr uint16_t ci(uint32_t f3, uint32_t rd, int32_t imm, uint32_t op) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return static_cast<uint16_t>(f3 << 13 | bit(u, 5) << 12 | (rd & 31) << 7 | field(u, 4, 0) << 2 | op);
}

constexpr uint16_t nop() { return 0x0001; }
constexpr uint16_t addi(uint32_t rd, int32_t imm) { return ci(0, rd, imm, 1); }    // rd != 0, imm != 0
constexpr uint16_t li(uint32_t rd, int32_t imm) { return ci(2, rd, imm, 1); }      // rd != 0
constexpr uint16_t lui(uint32_t rd, int32_t imm6) { return ci(3, rd, imm6, 1); }   // rd != 0, 2; imm6 != 0
constexpr uint16_t slli(uint32_t rd, uint32_t shamt) { return ci(0, rd, static_cast<int32_t>(shamt & 31), 2); }

// c.addi16sp: sp += nzimm, nzimm a non-zero multiple of 16 in [-512, 496].
constexpr uint16_t addi16sp(int32_t nzimm) {
  const uint32_t u = static_cast<uint32_t>(nzimm);
  return static_cast<uint16_t>(3u << 13 | bit(u, 9) << 12 | 2u << 7 | bit(u, 4) << 6 | bit(u, 6) << 5 |
                               field(u, 8, 7) << 3 | bit(u, 5) << 2 | 1);
}

// c.addi4spn: rd' = sp + nzuimm, nzuimm a non-zero multiple of 4 below 1024.
constexpr uint16_t addi4spn(uint32_t rd, uint32_t nzuimm) {
  return static_cast<uint16_t>(field(nzuimm, 5, 4) << 11 | field(nzuimm, 9, 6) << 7 | bit(nzuimm, 2) << 6 |
                               bit(nzuimm, 3) << 5 | prime(rd) << 2);
}

// The CB-format ALU group on rd' (funct3 = 100, op = 01).
constexpr uint16_t cb_alu(uint32_t f2, uint32_t rd, uint32_t imm) {
  return static_cast<uint16_t>(4u << 13 | bit(imm, 5) << 12 | f2 << 10 | prime(rd) << 7 | field(imm, 4, 0) << 2 | 1);
}
constexpr uint16_t srli(uint32_t rd, uint32_t shamt) { return cb_alu(0, rd, shamt & 31); }  // shamt != 0
constexpr uint16_t srai(uint32_t rd, uint32_t shamt) { return cb_alu(1, rd, shamt & 31); }  // shamt != 0
constexpr uint16_t andi(uint32_t rd, int32_t imm) { return cb_alu(2, rd, static_cast<uint32_t>(imm)); }

// CA format: rd' op= rs2'.
constexpr uint16_t ca(uint32_t f2, uint32_t rd, uint32_t rs2) {
  return static_cast<uint16_t>(0x8c01u | prime(rd) << 7 | f2 << 5 | prime(rs2) << 2);
}
constexpr uint16_t sub(uint32_t rd, uint32_t rs2) { return ca(0, rd, rs2); }
constexpr uint16_t xor_(uint32_t rd, uint32_t rs2) { return ca(1, rd, rs2); }
constexpr uint16_t or_(uint32_t rd, uint32_t rs2) { return ca(2, rd, rs2); }
constexpr uint16_t and_(uint32_t rd, uint32_t rs2) { return ca(3, rd, rs2); }

// CR format (op = 10, funct3 = 100).
constexpr uint16_t cr(uint32_t b12, uint32_t rd, uint32_t rs2) {
  return static_cast<uint16_t>(4u << 13 | b12 << 12 | (rd & 31) << 7 | (rs2 & 31) << 2 | 2);
}
constexpr uint16_t mv(uint32_t rd, uint32_t rs2) { return cr(0, rd, rs2); }    // rd, rs2 != 0
constexpr uint16_t add(uint32_t rd, uint32_t rs2) { return cr(1, rd, rs2); }   // rd, rs2 != 0
constexpr uint16_t jr(uint32_t rs1) { return cr(0, rs1, 0); }                  // rs1 != 0
constexpr uint16_t jalr(uint32_t rs1) { return cr(1, rs1, 0); }                // rs1 != 0

// c.lw / c.sw: offset a multiple of 4 in [0, 124], base and data in x8..x15.
constexpr uint16_t cl(uint32_t f3, uint32_t reg, uint32_t base, uint32_t offset) {
  return static_cast<uint16_t>(f3 << 13 | field(offset, 5, 3) << 10 | prime(base) << 7 | bit(offset, 2) << 6 |
                               bit(offset, 6) << 5 | prime(reg) << 2);
}
constexpr uint16_t lw(uint32_t rd, uint32_t base, uint32_t offset) { return cl(2, rd, base, offset); }
constexpr uint16_t sw(uint32_t rs2, uint32_t base, uint32_t offset) { return cl(6, rs2, base, offset); }

// c.lwsp (rd != 0) / c.swsp: offset a multiple of 4 in [0, 252] from sp.
constexpr uint16_t lwsp(uint32_t rd, uint32_t offset) {
  return static_cast<uint16_t>(2u << 13 | bit(offset, 5) << 12 | (rd & 31) << 7 | field(offset, 4, 2) << 4 |
                               field(offset, 7, 6) << 2 | 2);
}
constexpr uint16_t swsp(uint32_t rs2, uint32_t offset) {
  return static_cast<uint16_t>(6u << 13 | field(offset, 5, 2) << 9 | field(offset, 7, 6) << 7 | (rs2 & 31) << 2 | 2);
}

// c.j / c.jal (RV32 only; links ra): offset even, in [-2048, 2046].
constexpr uint16_t cj_format(uint32_t f3, int32_t offset) {
  const uint32_t u = static_cast<uint32_t>(offset);
  return static_cast<uint16_t>(f3 << 13 | bit(u, 11) << 12 | bit(u, 4) << 11 | field(u, 9, 8) << 9 |
                               bit(u, 10) << 8 | bit(u, 6) << 7 | bit(u, 7) << 6 | field(u, 3, 1) << 3 |
                               bit(u, 5) << 2 | 1);
}
constexpr uint16_t j(int32_t offset) { return cj_format(5, offset); }
constexpr uint16_t jal(int32_t offset) { return cj_format(1, offset); }

// c.beqz / c.bnez on rs1' (x8..x15): offset even, in [-256, 254].
constexpr uint16_t cb_branch(uint32_t f3, uint32_t rs1, int32_t offset) {
  const uint32_t u = static_cast<uint32_t>(offset);
  return static_cast<uint16_t>(f3 << 13 | bit(u, 8) << 12 | field(u, 4, 3) << 10 | prime(rs1) << 7 |
                               field(u, 7, 6) << 5 | field(u, 2, 1) << 3 | bit(u, 5) << 2 | 1);
}
constexpr uint16_t beqz(uint32_t rs1, int32_t offset) { return cb_branch(6, rs1, offset); }
constexpr uint16_t bnez(uint32_t rs1, int32_t offset) { return cb_branch(7, rs1, offset); }

}  // namespace zkrv::difftest::c
