// Decoding of RV32IMAC + Zifencei + zkrv custom opcodes (docs/abi.md). Reserved encodings, hints
// that the spec leaves undefined for RV32, and everything outside ABI v1 become Op::ILLEGAL.
#include "isa/isa.h"

namespace zkrv::isa {
namespace {

constexpr uint32_t bits(uint32_t value, int hi, int lo) { return (value >> lo) & ((1u << (hi - lo + 1)) - 1); }

constexpr int32_t sign_extend(uint32_t value, int width) {
  const uint32_t m = 1u << (width - 1);
  return static_cast<int32_t>((value ^ m) - m);
}

DecodedInsn make(Op op, uint32_t rd, uint32_t rs1, uint32_t rs2, int32_t imm) {
  DecodedInsn d;
  d.op = op;
  d.rd = static_cast<uint8_t>(rd);
  d.rs1 = static_cast<uint8_t>(rs1);
  d.rs2 = static_cast<uint8_t>(rs2);
  d.imm = imm;
  return d;
}

int32_t imm_i(uint32_t w) { return sign_extend(bits(w, 31, 20), 12); }
int32_t imm_s(uint32_t w) { return sign_extend(bits(w, 31, 25) << 5 | bits(w, 11, 7), 12); }
int32_t imm_b(uint32_t w) {
  return sign_extend(bits(w, 31, 31) << 12 | bits(w, 7, 7) << 11 | bits(w, 30, 25) << 5 | bits(w, 11, 8) << 1, 13);
}
int32_t imm_u(uint32_t w) { return static_cast<int32_t>(w & 0xfffff000u); }
int32_t imm_j(uint32_t w) {
  return sign_extend(bits(w, 31, 31) << 20 | bits(w, 19, 12) << 12 | bits(w, 20, 20) << 11 | bits(w, 30, 21) << 1, 21);
}

DecodedInsn decode32(uint32_t w) {
  const uint32_t rd = bits(w, 11, 7), rs1 = bits(w, 19, 15), rs2 = bits(w, 24, 20);
  const uint32_t f3 = bits(w, 14, 12), f7 = bits(w, 31, 25);
  DecodedInsn illegal;
  switch (bits(w, 6, 0)) {
    case 0x37: return make(Op::LUI, rd, 0, 0, imm_u(w));
    case 0x17: return make(Op::AUIPC, rd, 0, 0, imm_u(w));
    case 0x6f: return make(Op::JAL, rd, 0, 0, imm_j(w));
    case 0x67:
      if (f3 != 0) return illegal;
      return make(Op::JALR, rd, rs1, 0, imm_i(w));
    case 0x63: {
      static constexpr Op kBranch[8] = {Op::BEQ, Op::BNE, Op::ILLEGAL, Op::ILLEGAL,
                                        Op::BLT, Op::BGE, Op::BLTU, Op::BGEU};
      if (kBranch[f3] == Op::ILLEGAL) return illegal;
      return make(kBranch[f3], 0, rs1, rs2, imm_b(w));
    }
    case 0x03: {
      static constexpr Op kLoad[8] = {Op::LB, Op::LH, Op::LW, Op::ILLEGAL,
                                      Op::LBU, Op::LHU, Op::ILLEGAL, Op::ILLEGAL};
      if (kLoad[f3] == Op::ILLEGAL) return illegal;
      return make(kLoad[f3], rd, rs1, 0, imm_i(w));
    }
    case 0x23: {
      static constexpr Op kStore[8] = {Op::SB, Op::SH, Op::SW, Op::ILLEGAL,
                                       Op::ILLEGAL, Op::ILLEGAL, Op::ILLEGAL, Op::ILLEGAL};
      if (kStore[f3] == Op::ILLEGAL) return illegal;
      return make(kStore[f3], 0, rs1, rs2, imm_s(w));
    }
    case 0x13:
      switch (f3) {
        case 0: return make(Op::ADDI, rd, rs1, 0, imm_i(w));
        case 2: return make(Op::SLTI, rd, rs1, 0, imm_i(w));
        case 3: return make(Op::SLTIU, rd, rs1, 0, imm_i(w));
        case 4: return make(Op::XORI, rd, rs1, 0, imm_i(w));
        case 6: return make(Op::ORI, rd, rs1, 0, imm_i(w));
        case 7: return make(Op::ANDI, rd, rs1, 0, imm_i(w));
        case 1:
          if (f7 != 0) return illegal;
          return make(Op::SLLI, rd, rs1, 0, static_cast<int32_t>(rs2));
        case 5:
          if (f7 == 0) return make(Op::SRLI, rd, rs1, 0, static_cast<int32_t>(rs2));
          if (f7 == 0x20) return make(Op::SRAI, rd, rs1, 0, static_cast<int32_t>(rs2));
          return illegal;
      }
      return illegal;
    case 0x33: {
      static constexpr Op kBase[8] = {Op::ADD, Op::SLL, Op::SLT, Op::SLTU, Op::XOR, Op::SRL, Op::OR, Op::AND};
      static constexpr Op kMul[8] = {Op::MUL, Op::MULH, Op::MULHSU, Op::MULHU,
                                     Op::DIV, Op::DIVU, Op::REM, Op::REMU};
      if (f7 == 0) return make(kBase[f3], rd, rs1, rs2, 0);
      if (f7 == 1) return make(kMul[f3], rd, rs1, rs2, 0);
      if (f7 == 0x20 && f3 == 0) return make(Op::SUB, rd, rs1, rs2, 0);
      if (f7 == 0x20 && f3 == 5) return make(Op::SRA, rd, rs1, rs2, 0);
      return illegal;
    }
    case 0x0f:
      // FENCE's fm/pred/succ and its reserved rd/rs1 fields are hints: every variant is a no-op.
      if (f3 == 0) return make(Op::FENCE, 0, 0, 0, 0);
      if (f3 == 1) return make(Op::FENCE_I, 0, 0, 0, 0);
      return illegal;
    case 0x73:
      if (w == 0x00000073) return make(Op::ECALL, 0, 0, 0, 0);
      return illegal;  // EBREAK, xRET, WFI, every CSR instruction
    case 0x2f: {
      if (f3 != 2) return illegal;
      Op op;
      switch (bits(w, 31, 27)) {
        case 0x02:
          if (rs2 != 0) return illegal;
          op = Op::LR_W;
          break;
        case 0x03: op = Op::SC_W; break;
        case 0x01: op = Op::AMOSWAP_W; break;
        case 0x00: op = Op::AMOADD_W; break;
        case 0x04: op = Op::AMOXOR_W; break;
        case 0x0c: op = Op::AMOAND_W; break;
        case 0x08: op = Op::AMOOR_W; break;
        case 0x10: op = Op::AMOMIN_W; break;
        case 0x14: op = Op::AMOMAX_W; break;
        case 0x18: op = Op::AMOMINU_W; break;
        case 0x1c: op = Op::AMOMAXU_W; break;
        default: return illegal;
      }
      return make(op, rd, rs1, rs2, 0);
    }
    case 0x0b:  // custom-0: dynamic precompile, index = fn7 << 3 | fn3
      return make(Op::PRECOMPILE, rd, rs1, rs2, static_cast<int32_t>(f7 << 3 | f3));
    case 0x2b:  // custom-1: rin / hin
      if (f3 == 0) return make(Op::RIN, rd, rs1, 0, imm_i(w));
      if (f3 == 1) return make(Op::HIN, rd, rs1, 0, imm_i(w));
      return illegal;
    case 0x5b:  // custom-2: wou
      if (f3 == 0) return make(Op::WOU, 0, rs1, rs2, imm_s(w));
      return illegal;
    default:
      return illegal;  // includes custom-3 (0x7b)
  }
}

}  // namespace

DecodedInsn decode_compressed(uint16_t h) {
  const uint32_t c = h;
  const uint32_t f3 = bits(c, 15, 13);
  const uint32_t rd = bits(c, 11, 7), rs2 = bits(c, 6, 2);
  const uint32_t rdp = bits(c, 4, 2) + 8, rs1p = bits(c, 9, 7) + 8;  // the x8..x15 "prime" registers
  const int32_t imm6 = sign_extend(bits(c, 12, 12) << 5 | bits(c, 6, 2), 6);
  DecodedInsn illegal;
  DecodedInsn d;
  switch (c & 3) {
    case 0:
      switch (f3) {
        case 0: {  // C.ADDI4SPN
          const uint32_t imm = bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 3;
          if (imm == 0) return illegal;  // also catches the all-zero halfword
          d = make(Op::ADDI, rdp, 2, 0, static_cast<int32_t>(imm));
          break;
        }
        case 2:  // C.LW
          d = make(Op::LW, rdp, rs1p, 0,
                   static_cast<int32_t>(bits(c, 12, 10) << 3 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 6));
          break;
        case 6:  // C.SW
          d = make(Op::SW, 0, rs1p, rdp,
                   static_cast<int32_t>(bits(c, 12, 10) << 3 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 6));
          break;
        default: return illegal;  // floating point and reserved
      }
      break;
    case 1:
      switch (f3) {
        case 0: d = make(Op::ADDI, rd, rd, 0, imm6); break;  // C.ADDI / C.NOP
        case 1:                                              // C.JAL
        case 5: {                                            // C.J
          const int32_t imm = sign_extend(bits(c, 12, 12) << 11 | bits(c, 11, 11) << 4 | bits(c, 10, 9) << 8 |
                                              bits(c, 8, 8) << 10 | bits(c, 7, 7) << 6 | bits(c, 6, 6) << 7 |
                                              bits(c, 5, 3) << 1 | bits(c, 2, 2) << 5,
                                          12);
          d = make(Op::JAL, f3 == 1 ? 1 : 0, 0, 0, imm);
          break;
        }
        case 2: d = make(Op::ADDI, rd, 0, 0, imm6); break;  // C.LI
        case 3:
          if (rd == 2) {  // C.ADDI16SP
            const int32_t imm = sign_extend(bits(c, 12, 12) << 9 | bits(c, 6, 6) << 4 | bits(c, 5, 5) << 6 |
                                                bits(c, 4, 3) << 7 | bits(c, 2, 2) << 5,
                                            10);
            if (imm == 0) return illegal;
            d = make(Op::ADDI, 2, 2, 0, imm);
          } else {  // C.LUI
            if (imm6 == 0) return illegal;
            d = make(Op::LUI, rd, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(imm6) << 12));
          }
          break;
        case 4:
          switch (bits(c, 11, 10)) {
            case 0:  // C.SRLI; shamt[5] = 1 is reserved on RV32
              if (bits(c, 12, 12)) return illegal;
              d = make(Op::SRLI, rs1p, rs1p, 0, static_cast<int32_t>(bits(c, 6, 2)));
              break;
            case 1:  // C.SRAI
              if (bits(c, 12, 12)) return illegal;
              d = make(Op::SRAI, rs1p, rs1p, 0, static_cast<int32_t>(bits(c, 6, 2)));
              break;
            case 2: d = make(Op::ANDI, rs1p, rs1p, 0, imm6); break;  // C.ANDI
            case 3: {
              if (bits(c, 12, 12)) return illegal;  // C.SUBW / C.ADDW are RV64 only
              static constexpr Op kOps[4] = {Op::SUB, Op::XOR, Op::OR, Op::AND};
              d = make(kOps[bits(c, 6, 5)], rs1p, rs1p, rdp, 0);
              break;
            }
          }
          break;
        case 6:  // C.BEQZ
        case 7: {  // C.BNEZ
          const int32_t imm = sign_extend(bits(c, 12, 12) << 8 | bits(c, 11, 10) << 3 | bits(c, 6, 5) << 6 |
                                              bits(c, 4, 3) << 1 | bits(c, 2, 2) << 5,
                                          9);
          d = make(f3 == 6 ? Op::BEQ : Op::BNE, 0, rs1p, 0, imm);
          break;
        }
      }
      break;
    case 2:
      switch (f3) {
        case 0:  // C.SLLI
          if (bits(c, 12, 12)) return illegal;
          d = make(Op::SLLI, rd, rd, 0, static_cast<int32_t>(bits(c, 6, 2)));
          break;
        case 2: {  // C.LWSP
          if (rd == 0) return illegal;
          const uint32_t imm = bits(c, 12, 12) << 5 | bits(c, 6, 4) << 2 | bits(c, 3, 2) << 6;
          d = make(Op::LW, rd, 2, 0, static_cast<int32_t>(imm));
          break;
        }
        case 4:
          if (bits(c, 12, 12) == 0) {
            if (rs2 == 0) {  // C.JR
              if (rd == 0) return illegal;
              d = make(Op::JALR, 0, rd, 0, 0);
            } else {  // C.MV
              d = make(Op::ADD, rd, 0, rs2, 0);
            }
          } else {
            if (rs2 == 0) {
              if (rd == 0) return illegal;  // C.EBREAK: not part of ABI v1
              d = make(Op::JALR, 1, rd, 0, 0);  // C.JALR
            } else {
              d = make(Op::ADD, rd, rd, rs2, 0);  // C.ADD
            }
          }
          break;
        case 6: {  // C.SWSP
          const uint32_t imm = bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6;
          d = make(Op::SW, 0, 2, rs2, static_cast<int32_t>(imm));
          break;
        }
        default: return illegal;
      }
      break;
    default:
      return illegal;  // not a compressed encoding
  }
  d.length = 2;
  d.raw = c;
  return d;
}

DecodedInsn decode(uint32_t word) {
  if (is_compressed(word)) {
    DecodedInsn d = decode_compressed(static_cast<uint16_t>(word));
    d.length = 2;
    d.raw = word & 0xffff;
    return d;
  }
  DecodedInsn d = decode32(word);
  d.length = 4;
  d.raw = word;
  return d;
}

}  // namespace zkrv::isa
