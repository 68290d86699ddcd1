#include <gtest/gtest.h>

#include <random>

#include "isa/encode.h"
#include "isa/isa.h"

namespace zkrv::isa {
namespace {

namespace enc = encode;

TEST(Decode, RoundTripsEveryEncoder) {
  std::mt19937 rng(7);
  const Op r_ops[] = {Op::ADD, Op::SUB, Op::SLL, Op::SLT, Op::SLTU, Op::XOR, Op::SRL, Op::SRA, Op::OR,
                      Op::AND, Op::MUL, Op::MULH, Op::MULHSU, Op::MULHU, Op::DIV, Op::DIVU, Op::REM, Op::REMU};
  for (int i = 0; i < 2000; ++i) {
    const uint32_t rd = rng() % 32, rs1 = rng() % 32, rs2 = rng() % 32;
    const int32_t imm12 = static_cast<int32_t>(rng() % 4096) - 2048;
    for (Op op : r_ops) {
      const DecodedInsn d = decode(enc::op_reg(op, rd, rs1, rs2));
      ASSERT_EQ(d.op, op);
      EXPECT_EQ(d.rd, rd);
      EXPECT_EQ(d.rs1, rs1);
      EXPECT_EQ(d.rs2, rs2);
      EXPECT_EQ(d.length, 4);
    }
    for (Op op : {Op::ADDI, Op::SLTI, Op::SLTIU, Op::XORI, Op::ORI, Op::ANDI}) {
      const DecodedInsn d = decode(enc::op_imm(op, rd, rs1, imm12));
      ASSERT_EQ(d.op, op);
      EXPECT_EQ(d.imm, imm12);
    }
    for (Op op : {Op::LB, Op::LH, Op::LW, Op::LBU, Op::LHU}) {
      const DecodedInsn d = decode(enc::load(op, rd, rs1, imm12));
      ASSERT_EQ(d.op, op);
      EXPECT_EQ(d.imm, imm12);
    }
    for (Op op : {Op::SB, Op::SH, Op::SW}) {
      const DecodedInsn d = decode(enc::store(op, rs2, rs1, imm12));
      ASSERT_EQ(d.op, op);
      EXPECT_EQ(d.imm, imm12);
      EXPECT_EQ(d.rs2, rs2);
    }
    const int32_t boff = (static_cast<int32_t>(rng() % 8192) - 4096) & ~1;
    for (Op op : {Op::BEQ, Op::BNE, Op::BLT, Op::BGE, Op::BLTU, Op::BGEU}) {
      const DecodedInsn d = decode(enc::branch(op, rs1, rs2, boff));
      ASSERT_EQ(d.op, op);
      EXPECT_EQ(d.imm, boff);
    }
    const int32_t joff = (static_cast<int32_t>(rng() % (1 << 21)) - (1 << 20)) & ~1;
    EXPECT_EQ(decode(enc::jal(rd, joff)).imm, joff);
    EXPECT_EQ(decode(enc::jalr(rd, rs1, imm12)).imm, imm12);
    const uint32_t imm20 = rng() & 0xfffff;
    EXPECT_EQ(static_cast<uint32_t>(decode(enc::lui(rd, imm20)).imm), imm20 << 12);
    EXPECT_EQ(decode(enc::rin(rd, rs1, imm12)).imm, imm12);
    EXPECT_EQ(decode(enc::wou(rs2, rs1, imm12)).op, Op::WOU);
    EXPECT_EQ(decode(enc::wou(rs2, rs1, imm12)).imm, imm12);
    const uint32_t index = rng() % 1024;
    EXPECT_EQ(decode(enc::precompile(index, rd, rs1, rs2)).imm, static_cast<int32_t>(index));
  }
}

TEST(Decode, ShiftImmediatesRejectReservedBits) {
  EXPECT_EQ(decode(0x02051513).op, Op::ILLEGAL);  // slli with imm[5] set (RV64 shamt)
  EXPECT_EQ(decode(0x40055513).op, Op::SRAI);
  EXPECT_EQ(decode(0x42055513).op, Op::ILLEGAL);
  EXPECT_EQ(decode(0x20055513).op, Op::ILLEGAL);  // bit 29 set in srli
}

TEST(Decode, OutsideAbiV1IsIllegal) {
  for (uint32_t w : {0x00000000u, 0xffffffffu, 0x00100073u, 0xc0002573u, 0x30200073u, 0x10500073u,
                     0x00002007u /* flw */, 0x0000007bu /* custom-3 */, 0x0000302bu, 0x0000105bu,
                     0x00003003u /* ld */, 0x0000001bu /* addiw */, 0x00001067u /* jalr f3=1 */,
                     0x1015202fu /* lr.w with rs2 != 0 */, 0x0000302fu /* amo.d */}) {
    EXPECT_EQ(decode(w).op, Op::ILLEGAL) << std::hex << w;
  }
}

TEST(DecodeCompressed, ExpandsToBaseInstructions) {
  struct Case {
    uint16_t bits;
    const char* text;
  };
  const Case cases[] = {
      {0x4515, "c.addi a0, zero, 5"},  {0x0505, "c.addi a0, a0, 1"},   {0x85aa, "c.add a1, zero, a0"},
      {0x95aa, "c.add a1, a1, a0"},    {0x058e, "c.slli a1, a1, 3"},   {0x8185, "c.srli a1, a1, 1"},
      {0x8585, "c.srai a1, a1, 1"},    {0x6605, "c.lui a2, 0x1"},      {0x8e09, "c.sub a2, a2, a0"},
      {0xc02a, "c.sw a0, 0(sp)"},      {0x4582, "c.lw a1, 0(sp)"},     {0x0050, "c.addi a2, sp, 4"},
      {0xc20c, "c.sw a1, 0(a2)"},      {0x4214, "c.lw a3, 0(a2)"},     {0xa011, "c.jal zero, 0x1004"},
      {0x8082, "c.jalr zero, 0(ra)"},  {0x9502, "c.jalr ra, 0(a0)"},   {0x1141, "c.addi sp, sp, -16"},
      {0xc111, "c.beq a0, zero, 0x1004"}, {0xe111, "c.bne a0, zero, 0x1004"}, {0x8d6d, "c.and a0, a0, a1"},
      {0x8d4d, "c.or a0, a0, a1"},     {0x8d2d, "c.xor a0, a0, a1"},   {0x897d, "c.andi a0, a0, 31"},
      {0x2005, "c.jal ra, 0x1020"},
  };
  for (const Case& c : cases) {
    const DecodedInsn d = decode(c.bits);
    EXPECT_EQ(d.length, 2);
    EXPECT_EQ(disassemble(d, 0x1000), c.text) << std::hex << c.bits;
  }
}

TEST(DecodeCompressed, ReservedEncodingsAreIllegal) {
  for (uint16_t h : {uint16_t{0x0000}, uint16_t{0x0001} /* c.nop is legal: checked below */, uint16_t{0x6101} /* c.addi16sp 0 */,
                     uint16_t{0x6081} /* c.lui ra, 0 */, uint16_t{0x4002} /* c.lwsp zero */, uint16_t{0x8002} /* c.jr zero */,
                     uint16_t{0x9002} /* c.ebreak */, uint16_t{0x2000} /* c.fld */, uint16_t{0x9d2d} /* c.subw (RV64) */,
                     uint16_t{0x1502} /* c.slli shamt[5] */, uint16_t{0x9105} /* c.srli shamt[5] */}) {
    if (h == 0x0001) {
      EXPECT_EQ(decode(h).op, Op::ADDI);
      continue;
    }
    EXPECT_EQ(decode(h).op, Op::ILLEGAL) << std::hex << h;
  }
}

TEST(Disassemble, BaseFormats) {
  EXPECT_EQ(disassemble(decode(enc::op_imm(Op::ADDI, 10, 2, 16)), 0), "addi a0, sp, 16");
  EXPECT_EQ(disassemble(decode(enc::load(Op::LW, 10, 11, -4)), 0), "lw a0, -4(a1)");
  EXPECT_EQ(disassemble(decode(enc::store(Op::SB, 5, 8, 3)), 0), "sb t0, 3(s0)");
  EXPECT_EQ(disassemble(decode(enc::branch(Op::BNE, 10, 0, -8)), 0x100), "bne a0, zero, 0xf8");
  EXPECT_EQ(disassemble(decode(enc::jal(1, 0x40)), 0x100), "jal ra, 0x140");
  EXPECT_EQ(disassemble(decode(enc::amo(Op::AMOADD_W, 10, 11, 12)), 0), "amoadd.w a0, a2, (a1)");
  EXPECT_EQ(disassemble(decode(enc::amo(Op::LR_W, 10, 11, 0)), 0), "lr.w a0, (a1)");
  EXPECT_EQ(disassemble(decode(enc::rin(10, 0, 4)), 0), "rin a0, 4(zero)");
  EXPECT_EQ(disassemble(decode(enc::wou(10, 11, 8)), 0), "wou a0, 8(a1)");
  EXPECT_EQ(disassemble(decode(enc::precompile(9, 10, 11, 12)), 0), "precompile #9 a0, a1, a2");
  EXPECT_EQ(disassemble(decode(enc::ecall()), 0), "ecall");
  EXPECT_EQ(disassemble(decode(0xffffffff), 0), "illegal 0xffffffff");
}

}  // namespace
}  // namespace zkrv::isa
