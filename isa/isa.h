// isa/: what a zkrv guest instruction *is*: the RV32IMAC + Zifencei encodings of guest ABI v1, the
// zkrv custom opcodes (rin/hin/wou on custom-1/2, dynamic precompiles on custom-0), decoding of
// 32-bit and compressed forms into one DecodedInsn, the disassembler, and the semantics of each
// instruction, one file per instruction in insns/ (written against the names of insn_contract.h).
// Depends on nothing else in zkrv.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zkrv::isa {

// X(enum name, mnemonic, operand format). The order is free: the interpreter's handlers and its
// dispatch table are generated from this list by name, and each op's semantics is in
// insns/<enum name in lower case>.h.
#define ZKRV_ISA_OPS(X)                                                                    \
  X(ILLEGAL, "illegal", None)                                                              \
  X(LUI, "lui", U) X(AUIPC, "auipc", U) X(JAL, "jal", J) X(JALR, "jalr", Jalr)             \
  X(BEQ, "beq", Branch) X(BNE, "bne", Branch) X(BLT, "blt", Branch) X(BGE, "bge", Branch)  \
  X(BLTU, "bltu", Branch) X(BGEU, "bgeu", Branch)                                          \
  X(LB, "lb", Load) X(LH, "lh", Load) X(LW, "lw", Load) X(LBU, "lbu", Load)                \
  X(LHU, "lhu", Load) X(SB, "sb", Store) X(SH, "sh", Store) X(SW, "sw", Store)             \
  X(ADDI, "addi", I) X(SLTI, "slti", I) X(SLTIU, "sltiu", I) X(XORI, "xori", I)            \
  X(ORI, "ori", I) X(ANDI, "andi", I) X(SLLI, "slli", Shift) X(SRLI, "srli", Shift)        \
  X(SRAI, "srai", Shift)                                                                   \
  X(ADD, "add", R) X(SUB, "sub", R) X(SLL, "sll", R) X(SLT, "slt", R) X(SLTU, "sltu", R)   \
  X(XOR, "xor", R) X(SRL, "srl", R) X(SRA, "sra", R) X(OR, "or", R) X(AND, "and", R)       \
  X(MUL, "mul", R) X(MULH, "mulh", R) X(MULHSU, "mulhsu", R) X(MULHU, "mulhu", R)          \
  X(DIV, "div", R) X(DIVU, "divu", R) X(REM, "rem", R) X(REMU, "remu", R)                  \
  X(FENCE, "fence", None) X(FENCE_I, "fence.i", None) X(ECALL, "ecall", None)              \
  X(LR_W, "lr.w", Lr) X(SC_W, "sc.w", Amo) X(AMOSWAP_W, "amoswap.w", Amo)                  \
  X(AMOADD_W, "amoadd.w", Amo) X(AMOXOR_W, "amoxor.w", Amo) X(AMOAND_W, "amoand.w", Amo)   \
  X(AMOOR_W, "amoor.w", Amo) X(AMOMIN_W, "amomin.w", Amo) X(AMOMAX_W, "amomax.w", Amo)     \
  X(AMOMINU_W, "amominu.w", Amo) X(AMOMAXU_W, "amomaxu.w", Amo)                            \
  X(RIN, "rin", Load) X(HIN, "hin", Load) X(WOU, "wou", Store)                             \
  X(PRECOMPILE, "precompile", Custom)

enum class Op : uint8_t {
#define ZKRV_ISA_ENUM(name, mnemonic, format) name,
  ZKRV_ISA_OPS(ZKRV_ISA_ENUM)
#undef ZKRV_ISA_ENUM
      kCount
};

enum class Format : uint8_t { kNone, kU, kJ, kJalr, kBranch, kLoad, kStore, kI, kShift, kR, kLr, kAmo, kCustom };

std::string_view mnemonic(Op op);
Format format(Op op);

// One decoded instruction. Compressed instructions decode to their 32-bit equivalent with
// length == 2; `raw` keeps the original bits (16 or 32 of them).
struct DecodedInsn {
  Op op = Op::ILLEGAL;
  uint8_t rd = 0;
  uint8_t rs1 = 0;
  uint8_t rs2 = 0;
  uint8_t length = 4;   // bytes: 2 (compressed) or 4
  int32_t imm = 0;      // sign-extended immediate; for PRECOMPILE, the index fn7 << 3 | fn3
  uint32_t raw = 0;
};

inline bool is_compressed(uint32_t low_halfword) { return (low_halfword & 3) != 3; }

// Decodes the instruction whose first bytes are `bits` (for a compressed instruction only the low
// 16 bits are used). Anything outside guest ABI v1 decodes to Op::ILLEGAL.
DecodedInsn decode(uint32_t bits);
DecodedInsn decode_compressed(uint16_t bits);

// "addi a0, sp, 16"; branch and jump targets are shown as absolute addresses computed from pc.
std::string disassemble(const DecodedInsn& insn, uint32_t pc);

// ABI register name ("zero", "ra", "sp", ..., "t6").
std::string_view reg_name(unsigned reg);

}  // namespace zkrv::isa
