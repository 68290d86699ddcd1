// Instruction semantics, memory, tapes, syscalls and faults of guest ABI v1, on programs built in
// memory (vm/testing/program.h). Expected values are written out by hand from the RISC-V spec.
#include "vm/vm.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <climits>
#include <functional>

#include "isa/encode.h"
#include "vm/testing/program.h"

namespace zkrv::vm {
namespace {

using isa::Op;
using testing::TestProgram;
using ::testing::HasSubstr;
namespace enc = isa::encode;

constexpr uint32_t kT0 = 5, kT1 = 6, kT2 = 7, kA0 = 10, kA1 = 11, kA2 = 12, kSp = 2;

uint32_t eval_r(Op op, uint32_t a, uint32_t b) {
  TestProgram p;
  p.li(kT0, a).li(kT1, b).emit(enc::op_reg(op, kT2, kT0, kT1)).exit(0);
  auto out = p.run();
  EXPECT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  return out.result.registers[kT2];
}

uint32_t eval_i(Op op, uint32_t a, int32_t imm) {
  TestProgram p;
  p.li(kT0, a).emit(enc::op_imm(op, kT2, kT0, imm)).exit(0);
  auto out = p.run();
  EXPECT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  return out.result.registers[kT2];
}

TEST(VmArithmetic, AddSubWrapAround) {
  EXPECT_EQ(eval_r(Op::ADD, 0xffffffff, 1), 0u);
  EXPECT_EQ(eval_r(Op::ADD, 0x7fffffff, 1), 0x80000000u);
  EXPECT_EQ(eval_r(Op::SUB, 0, 1), 0xffffffffu);
  EXPECT_EQ(eval_r(Op::SUB, 0x80000000, 1), 0x7fffffffu);
  EXPECT_EQ(eval_i(Op::ADDI, 5, -6), 0xffffffffu);
  EXPECT_EQ(eval_i(Op::ADDI, 0, -2048), 0xfffff800u);
  EXPECT_EQ(eval_i(Op::ADDI, 0, 2047), 2047u);
}

TEST(VmArithmetic, Comparisons) {
  EXPECT_EQ(eval_r(Op::SLT, 0xffffffff, 0), 1u);   // -1 < 0
  EXPECT_EQ(eval_r(Op::SLTU, 0xffffffff, 0), 0u);  // 2^32-1 > 0
  EXPECT_EQ(eval_r(Op::SLT, 0x80000000, 0x7fffffff), 1u);
  EXPECT_EQ(eval_r(Op::SLTU, 0x80000000, 0x7fffffff), 0u);
  EXPECT_EQ(eval_r(Op::SLT, 5, 5), 0u);
  EXPECT_EQ(eval_i(Op::SLTI, 0xfffffffe, -1), 1u);
  // sltiu sign-extends the immediate, then compares unsigned: x < 0xffffffff for all x but the max.
  EXPECT_EQ(eval_i(Op::SLTIU, 0xfffffffe, -1), 1u);
  EXPECT_EQ(eval_i(Op::SLTIU, 0xffffffff, -1), 0u);
  EXPECT_EQ(eval_i(Op::SLTIU, 0, 1), 1u);  // seqz
}

TEST(VmArithmetic, Logic) {
  EXPECT_EQ(eval_r(Op::XOR, 0xf0f0f0f0, 0xff00ff00), 0x0ff00ff0u);
  EXPECT_EQ(eval_r(Op::OR, 0xf0f0f0f0, 0x0f000000), 0xfff0f0f0u);
  EXPECT_EQ(eval_r(Op::AND, 0xf0f0f0f0, 0xff00ff00), 0xf000f000u);
  EXPECT_EQ(eval_i(Op::XORI, 0x12345678, -1), 0xedcba987u);  // not
  EXPECT_EQ(eval_i(Op::ORI, 0x10, 0x7ff), 0x7ffu);
  EXPECT_EQ(eval_i(Op::ANDI, 0xffffffff, -2048), 0xfffff800u);
}

TEST(VmArithmetic, ShiftsMaskTheirAmount) {
  EXPECT_EQ(eval_r(Op::SLL, 1, 31), 0x80000000u);
  EXPECT_EQ(eval_r(Op::SLL, 1, 32), 1u);   // amount 32 & 31 = 0
  EXPECT_EQ(eval_r(Op::SLL, 1, 33), 2u);
  EXPECT_EQ(eval_r(Op::SRL, 0x80000000, 31), 1u);
  EXPECT_EQ(eval_r(Op::SRL, 0x80000000, 0xffffffe1), 0x40000000u);  // & 31 = 1
  EXPECT_EQ(eval_r(Op::SRA, 0x80000000, 31), 0xffffffffu);
  EXPECT_EQ(eval_r(Op::SRA, 0x80000000, 64), 0x80000000u);
  EXPECT_EQ(eval_r(Op::SRA, 0x40000000, 30), 1u);
  EXPECT_EQ(eval_i(Op::SLLI, 3, 30), 0xc0000000u);
  EXPECT_EQ(eval_i(Op::SRLI, 0xffffffff, 28), 0xfu);
  EXPECT_EQ(eval_i(Op::SRAI, 0xfffffff0, 2), 0xfffffffcu);
  EXPECT_EQ(eval_i(Op::SRAI, 0x7ffffff0, 4), 0x07ffffffu);
}

TEST(VmMultiply, MulhSignCombinations) {
  EXPECT_EQ(eval_r(Op::MUL, 0xffffffff, 0xffffffff), 1u);
  EXPECT_EQ(eval_r(Op::MUL, 0x10000, 0x10000), 0u);
  // (-1) * (-1) = 1: high word 0
  EXPECT_EQ(eval_r(Op::MULH, 0xffffffff, 0xffffffff), 0u);
  // (-1) signed * (2^32-1) unsigned = -(2^32-1): high word 0xffffffff
  EXPECT_EQ(eval_r(Op::MULHSU, 0xffffffff, 0xffffffff), 0xffffffffu);
  // (2^32-1)^2 = 2^64 - 2^33 + 1: high word 0xfffffffe
  EXPECT_EQ(eval_r(Op::MULHU, 0xffffffff, 0xffffffff), 0xfffffffeu);
  // INT_MIN * INT_MIN = 2^62
  EXPECT_EQ(eval_r(Op::MULH, 0x80000000, 0x80000000), 0x40000000u);
  // INT_MIN * -1 = 2^31 (fits in 64 bits signed): high word 0
  EXPECT_EQ(eval_r(Op::MULH, 0x80000000, 0xffffffff), 0u);
  // INT_MIN signed * 2 unsigned = -2^32: high word 0xffffffff
  EXPECT_EQ(eval_r(Op::MULHSU, 0x80000000, 2), 0xffffffffu);
  // positive signed * huge unsigned
  EXPECT_EQ(eval_r(Op::MULHSU, 2, 0x80000000), 1u);
  EXPECT_EQ(eval_r(Op::MULH, 7, 0xfffffffe), 0xffffffffu);  // 7 * -2 = -14
}

TEST(VmDivide, DivisionByZeroAndOverflow) {
  EXPECT_EQ(eval_r(Op::DIV, 7, 0), 0xffffffffu);
  EXPECT_EQ(eval_r(Op::DIVU, 7, 0), 0xffffffffu);
  EXPECT_EQ(eval_r(Op::REM, 7, 0), 7u);
  EXPECT_EQ(eval_r(Op::REMU, 7, 0), 7u);
  EXPECT_EQ(eval_r(Op::REM, 0x80000000, 0), 0x80000000u);
  EXPECT_EQ(eval_r(Op::DIV, 0x80000000, 0xffffffff), 0x80000000u);
  EXPECT_EQ(eval_r(Op::REM, 0x80000000, 0xffffffff), 0u);
  EXPECT_EQ(eval_r(Op::DIVU, 0x80000000, 0xffffffff), 0u);
  EXPECT_EQ(eval_r(Op::REMU, 0x80000000, 0xffffffff), 0x80000000u);
}

TEST(VmDivide, RoundsTowardZero) {
  EXPECT_EQ(eval_r(Op::DIV, static_cast<uint32_t>(-7), 2), static_cast<uint32_t>(-3));
  EXPECT_EQ(eval_r(Op::REM, static_cast<uint32_t>(-7), 2), static_cast<uint32_t>(-1));
  EXPECT_EQ(eval_r(Op::DIV, 7, static_cast<uint32_t>(-2)), static_cast<uint32_t>(-3));
  EXPECT_EQ(eval_r(Op::REM, 7, static_cast<uint32_t>(-2)), 1u);
  EXPECT_EQ(eval_r(Op::DIVU, static_cast<uint32_t>(-7), 2), 0x7ffffffcu);
  EXPECT_EQ(eval_r(Op::REMU, static_cast<uint32_t>(-7), 2), 1u);
}

TEST(VmRegisters, WritesToX0AreDiscarded) {
  TestProgram p;
  p.li(kT0, 1234).emit(enc::op_reg(Op::ADD, 0, kT0, kT0)).emit(enc::op_reg(Op::ADD, kT1, 0, 0)).emit(enc::lui(0, 5));
  p.emit(enc::jal(0, 4));  // jal x0 to the next instruction: link discarded
  p.exit(0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  EXPECT_EQ(out.result.registers[0], 0u);
  EXPECT_EQ(out.result.registers[kT1], 0u);
}

TEST(VmUpper, LuiAndAuipc) {
  TestProgram p;
  p.emit(enc::lui(kT0, 0xfffff));
  const uint32_t auipc_pc = p.pc();
  p.emit(enc::auipc(kT1, 0x1)).emit(enc::auipc(kT2, 0xfffff)).exit(0);
  auto out = p.run();
  EXPECT_EQ(out.result.registers[kT0], 0xfffff000u);
  EXPECT_EQ(out.result.registers[kT1], auipc_pc + 0x1000);
  EXPECT_EQ(out.result.registers[kT2], auipc_pc + 4 - 0x1000);
}

TEST(VmControl, BranchesTakenAndNotTaken) {
  struct Case {
    Op op;
    uint32_t a, b;
    bool taken;
  };
  const Case cases[] = {
      {Op::BEQ, 5, 5, true},       {Op::BEQ, 5, 6, false},      {Op::BNE, 5, 6, true},
      {Op::BNE, 5, 5, false},      {Op::BLT, 0xffffffff, 0, true}, {Op::BLT, 0, 0xffffffff, false},
      {Op::BGE, 0, 0xffffffff, true}, {Op::BGE, 3, 3, true},    {Op::BGE, 0x80000000, 0, false},
      {Op::BLTU, 0, 0xffffffff, true}, {Op::BLTU, 0xffffffff, 0, false}, {Op::BGEU, 0xffffffff, 0, true},
      {Op::BGEU, 3, 3, true},      {Op::BGEU, 0, 1, false},
  };
  for (const Case& c : cases) {
    TestProgram p;
    p.li(kT0, c.a).li(kT1, c.b).li(kA0, 0);
    p.emit(enc::branch(c.op, kT0, kT1, 8));       // skip the next instruction if taken
    p.emit(enc::op_imm(Op::ADDI, kA0, 0, 1));    // a0 = 1 if not taken
    p.ecall(93);
    auto out = p.run();
    EXPECT_EQ(out.result.exit_code, c.taken ? 0 : 1) << isa::mnemonic(c.op) << " " << c.a << " " << c.b;
  }
}

TEST(VmControl, BackwardBranchLoopCountsInstructions) {
  TestProgram p;
  p.li(kT0, 10).li(kT1, 0);                        // 4 instructions
  const uint32_t loop = p.pc();
  p.emit(enc::op_imm(Op::ADDI, kT1, kT1, 3));      // 10 times
  p.emit(enc::op_imm(Op::ADDI, kT0, kT0, -1));     // 10 times
  p.emit(enc::branch(Op::BNE, kT0, 0, static_cast<int32_t>(loop - p.pc())));  // 10 times
  p.exit_with(kT1);                               // addi + li(2) + ecall = 4
  auto out = p.run();
  EXPECT_EQ(out.result.exit_code, 30);
  EXPECT_EQ(out.result.instructions, 4u + 30u + 4u);
}

TEST(VmControl, JalrClearsLowBitAndLinksBeforeJumping) {
  TestProgram p;
  // t0 = address of the target + 1 (odd); jalr t0, 0(t0): target read before t0 is overwritten.
  const uint32_t start = p.pc();
  p.li(kT0, start + 32 + 1);                 // 8 bytes; exit(1) below is 20 bytes
  p.emit(enc::jalr(kT0, kT0, 0));             // at start+8, links start+12
  p.exit(1);                                // skipped (start+12 .. start+20)
  p.exit_with(kT0);                          // the target, at start + 32
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  EXPECT_EQ(static_cast<uint32_t>(out.result.exit_code), start + 12);
}

TEST(VmMemory, LoadsSignAndZeroExtend) {
  TestProgram p;
  p.data() = {0x80, 0xff, 0x7f, 0x00, 0x01, 0x80, 0x00, 0x00};
  p.li(kT0, TestProgram::kData);
  p.emit(enc::load(Op::LB, 20, kT0, 0)).emit(enc::load(Op::LBU, 21, kT0, 0));
  p.emit(enc::load(Op::LH, 22, kT0, 0)).emit(enc::load(Op::LHU, 23, kT0, 0));
  p.emit(enc::load(Op::LW, 24, kT0, 0)).emit(enc::load(Op::LH, 25, kT0, 4)).emit(enc::load(Op::LB, 26, kT0, 2));
  p.exit(0);
  auto r = p.run().result;
  EXPECT_EQ(r.registers[20], 0xffffff80u);
  EXPECT_EQ(r.registers[21], 0x80u);
  EXPECT_EQ(r.registers[22], 0xffffff80u);
  EXPECT_EQ(r.registers[23], 0xff80u);
  EXPECT_EQ(r.registers[24], 0x007fff80u);
  EXPECT_EQ(r.registers[25], 0xffff8001u);
  EXPECT_EQ(r.registers[26], 0x7fu);
  EXPECT_EQ(r.misaligned_accesses, 0u);
}

TEST(VmMemory, StoresWriteOnlyTheirWidth) {
  TestProgram p;
  p.li(kT0, TestProgram::kData).li(kT1, 0xa1b2c3d4);
  p.emit(enc::store(Op::SW, kT1, kT0, 0)).emit(enc::store(Op::SB, 0, kT0, 1)).emit(enc::store(Op::SH, kT1, kT0, 6));
  p.emit(enc::load(Op::LW, 20, kT0, 0)).emit(enc::load(Op::LW, 21, kT0, 4)).exit(0);
  auto r = p.run().result;
  EXPECT_EQ(r.registers[20], 0xa1b200d4u);
  EXPECT_EQ(r.registers[21], 0xc3d40000u);
}

TEST(VmMemory, NegativeOffsetsAndZeroBeyondFileSize) {
  TestProgram p;
  p.data() = {1, 2, 3, 4};
  p.li(kT0, TestProgram::kData + 0x800);
  p.emit(enc::load(Op::LW, 20, kT0, -0x800)).emit(enc::load(Op::LW, 21, kT0, 0x100)).exit(0);
  auto r = p.run().result;
  EXPECT_EQ(r.registers[20], 0x04030201u);
  EXPECT_EQ(r.registers[21], 0u);
}

TEST(VmMemory, MisalignedAccessesExecuteAndAreCounted) {
  TestProgram p;
  p.li(kT0, TestProgram::kData).li(kT1, 0x11223344);
  p.emit(enc::store(Op::SW, kT1, kT0, 1)).emit(enc::load(Op::LW, 20, kT0, 1)).emit(enc::load(Op::LHU, 21, kT0, 3));
  p.emit(enc::load(Op::LBU, 22, kT0, 1)).exit(0);  // byte accesses are never misaligned
  auto r = p.run().result;
  EXPECT_EQ(r.registers[20], 0x11223344u);
  EXPECT_EQ(r.registers[21], 0x1122u);
  EXPECT_EQ(r.registers[22], 0x44u);
  EXPECT_EQ(r.misaligned_accesses, 3u);
}

TEST(VmMemory, MisalignedAccessAcrossPages) {
  TestProgram p;
  const uint32_t boundary = TestProgram::kData + 0x1000;
  p.li(kT0, boundary - 2).li(kT1, 0xcafebabe);
  p.emit(enc::store(Op::SW, kT1, kT0, 0)).emit(enc::load(Op::LW, 20, kT0, 0)).emit(enc::load(Op::LHU, 21, kT0, 2));
  p.exit(0);
  auto r = p.run().result;
  EXPECT_EQ(r.reason, StopReason::kExit);
  EXPECT_EQ(r.registers[20], 0xcafebabeu);
  EXPECT_EQ(r.registers[21], 0xcafeu);
  EXPECT_EQ(r.misaligned_accesses, 2u);
}

TEST(VmMemory, MisalignedAccessIntoUnmappedPageFaults) {
  TestProgram p;
  const uint32_t end = TestProgram::kData + TestProgram::kDataSize;
  p.li(kT0, end - 2).emit(enc::load(Op::LW, 20, kT0, 0)).exit(0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kLoadFault);
  EXPECT_THAT(out.fault_message, HasSubstr("crosses into the next page"));
}

TEST(VmAtomics, LrScPairing) {
  TestProgram p;
  p.li(kT0, TestProgram::kData).li(kT1, 77);
  p.emit(enc::amo(Op::SC_W, 20, kT0, kT1));   // no reservation: fails (1), memory untouched
  p.emit(enc::amo(Op::LR_W, 21, kT0, 0));    // reserve
  p.emit(enc::amo(Op::SC_W, 22, kT0, kT1));   // succeeds (0)
  p.emit(enc::amo(Op::SC_W, 23, kT0, kT1));   // reservation consumed: fails (1)
  p.li(kT2, TestProgram::kData + 4);
  p.emit(enc::amo(Op::LR_W, 24, kT0, 0));    // reserve kData
  p.emit(enc::amo(Op::SC_W, 25, kT2, kT1));   // other address: fails, and clears the reservation
  p.emit(enc::amo(Op::SC_W, 26, kT0, kT1));   // fails
  p.emit(enc::load(Op::LW, 27, kT0, 0)).emit(enc::load(Op::LW, 28, kT2, 0)).exit(0);
  auto r = p.run().result;
  EXPECT_EQ(r.registers[20], 1u);
  EXPECT_EQ(r.registers[21], 0u);
  EXPECT_EQ(r.registers[22], 0u);
  EXPECT_EQ(r.registers[23], 1u);
  EXPECT_EQ(r.registers[24], 77u);
  EXPECT_EQ(r.registers[25], 1u);
  EXPECT_EQ(r.registers[26], 1u);
  EXPECT_EQ(r.registers[27], 77u);
  EXPECT_EQ(r.registers[28], 0u);
}

TEST(VmAtomics, AmoResultsAreOldValues) {
  struct Case {
    Op op;
    uint32_t mem, operand, expect_mem;
  };
  const Case cases[] = {
      {Op::AMOSWAP_W, 5, 9, 9},
      {Op::AMOADD_W, 0xffffffff, 2, 1},
      {Op::AMOXOR_W, 0xff00, 0x0ff0, 0xf0f0},
      {Op::AMOAND_W, 0xff00, 0x0ff0, 0x0f00},
      {Op::AMOOR_W, 0xff00, 0x0ff0, 0xfff0},
      {Op::AMOMIN_W, 0xffffffff, 1, 0xffffffff},
      {Op::AMOMAX_W, 0xffffffff, 1, 1},
      {Op::AMOMINU_W, 0xffffffff, 1, 1},
      {Op::AMOMAXU_W, 0xffffffff, 1, 0xffffffff},
      {Op::AMOMIN_W, 0x80000000, 0x7fffffff, 0x80000000},
  };
  for (const Case& c : cases) {
    TestProgram p;
    p.li(kT0, TestProgram::kData).li(kT1, c.mem).emit(enc::store(Op::SW, kT1, kT0, 0));
    p.li(kT1, c.operand).emit(enc::amo(c.op, kT2, kT0, kT1)).emit(enc::load(Op::LW, 20, kT0, 0)).exit(0);
    auto r = p.run().result;
    EXPECT_EQ(r.registers[kT2], c.mem) << isa::mnemonic(c.op);
    EXPECT_EQ(r.registers[20], c.expect_mem) << isa::mnemonic(c.op);
  }
}

TEST(VmAtomics, AmoWithRdEqualRs2UsesOperandBeforeWrite) {
  TestProgram p;
  p.li(kT0, TestProgram::kData).li(kT1, 10).emit(enc::store(Op::SW, kT1, kT0, 0));
  p.li(kT1, 5).emit(enc::amo(Op::AMOADD_W, kT1, kT0, kT1)).emit(enc::load(Op::LW, 20, kT0, 0)).exit(0);
  auto r = p.run().result;
  EXPECT_EQ(r.registers[kT1], 10u);
  EXPECT_EQ(r.registers[20], 15u);
}

TEST(VmAtomics, MisalignedAtomicFaults) {
  TestProgram p;
  p.li(kT0, TestProgram::kData + 2).emit(enc::amo(Op::AMOADD_W, kT1, kT0, kT1)).exit(0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kMisalignedAtomic);
  EXPECT_THAT(out.fault_message, HasSubstr("misaligned-atomic at pc 0x10008 (test_code+0x8): amoadd.w t1, t1, (t0)"));
}

TEST(VmCompressed, ArithmeticAndStackForms) {
  TestProgram p;
  p.emit16(0x4515);   // c.li a0, 5
  p.emit16(0x0505);   // c.addi a0, 1       -> 6
  p.emit16(0x85aa);   // c.mv a1, a0         -> a1 = 6
  p.emit16(0x95aa);   // c.add a1, a0        -> 12
  p.emit16(0x058e);   // c.slli a1, 3        -> 96
  p.emit16(0x8185);   // c.srli a1, 1        -> 48
  p.emit16(0x6605);   // c.lui a2, 1         -> 0x1000
  p.emit16(0x8e09);   // c.sub a2, a0        -> 0x1000 - 6
  p.exit_with(kA0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  EXPECT_EQ(out.result.registers[kA0], 6u);
  EXPECT_EQ(out.result.registers[kA1], 48u);
  EXPECT_EQ(out.result.registers[kA2], 0x1000u - 6);
  EXPECT_EQ(out.result.instructions, 8u + 4u);
}

TEST(VmCompressed, LoadStoreAndJumpForms) {
  TestProgram p;
  p.li(kSp, TestProgram::kData + 0x100).li(kA0, 0x5555aaaa);
  p.emit16(0xc02a);   // c.swsp a0, 0(sp)
  p.emit16(0x4582);   // c.lwsp a1, 0(sp)
  p.emit16(0x0050);   // c.addi4spn a2, sp, 4
  p.emit16(0xc20c);   // c.sw a1, 0(a2)
  p.emit16(0x4214);   // c.lw a3, 0(a2)
  p.emit16(0xa011);   // c.j +4 (skips the next halfword)
  p.emit16(0x0000);   // illegal, skipped
  p.exit(0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  EXPECT_EQ(out.result.registers[kA1], 0x5555aaaau);
  EXPECT_EQ(out.result.registers[kA2], TestProgram::kData + 0x104);
  EXPECT_EQ(out.result.registers[13], 0x5555aaaau);
}

TEST(VmCompressed, AllZeroHalfwordIsIllegal) {
  TestProgram p;
  p.emit16(0x0000).exit(0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kIllegalInstruction);
  EXPECT_THAT(out.fault_message, HasSubstr("illegal-instruction at pc 0x10000 (test_code): illegal 0x0000 [0000]"));
  EXPECT_EQ(out.result.instructions, 0u);
}

TEST(VmFaults, CsrAndEbreakAreIllegal) {
  for (uint32_t insn : {0xc0002573u /* rdcycle a0 */, 0x00100073u /* ebreak */, 0x30200073u /* mret */,
                        0x0000007bu /* custom-3 */, 0x0000202bu /* custom-1 funct3 2 */}) {
    TestProgram p;
    p.emit(insn).exit(0);
    auto out = p.run();
    ASSERT_EQ(out.result.reason, StopReason::kFault) << std::hex << insn;
    EXPECT_EQ(out.result.fault.kind, FaultKind::kIllegalInstruction) << std::hex << insn;
  }
}

TEST(VmFaults, LoadFromNullGuard) {
  TestProgram p;
  p.emit(enc::load(Op::LW, kA0, 0, 16)).exit(0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kLoadFault);
  EXPECT_EQ(out.result.fault.addr, 16u);
  EXPECT_EQ(out.fault_message, "load-fault at pc 0x10000 (test_code): lw a0, 16(zero) [01002503]: read of address 0x10, which is not mapped");
}

TEST(VmFaults, StoreToCodeAndRodata) {
  TestProgram p;
  p.rodata() = {1, 2, 3, 4};
  p.li(kT0, TestProgram::kRodata).emit(enc::store(Op::SB, kT0, kT0, 0)).exit(0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kStoreFault);
  EXPECT_THAT(out.fault_message, HasSubstr("write of address 0x100000, whose page is r--"));

  TestProgram q;
  q.li(kT0, TestProgram::kCode).emit(enc::store(Op::SW, kT0, kT0, 0)).exit(0);
  auto out2 = q.run();
  EXPECT_THAT(out2.fault_message, HasSubstr("whose page is r-x"));
}

TEST(VmFaults, FetchFromDataAndOffTheEnd) {
  TestProgram p;
  p.li(kT0, TestProgram::kData).emit(enc::jalr(0, kT0, 0));
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kFetchFault);
  EXPECT_EQ(out.result.fault.pc, TestProgram::kData);
  EXPECT_EQ(out.result.instructions, 3u);  // the jump retired

  TestProgram q;  // runs off the end of the code: the rest of the page is zero = illegal
  q.emit(enc::op_imm(Op::ADDI, kA0, 0, 1));
  auto out2 = q.run();
  EXPECT_EQ(out2.result.fault.kind, FaultKind::kIllegalInstruction);
  EXPECT_EQ(out2.result.fault.pc, TestProgram::kCode + 4);
}

TEST(VmFaults, CycleLimitIsExact) {
  TestProgram p;
  const uint32_t loop = p.pc();
  p.emit(enc::jal(0, static_cast<int32_t>(loop - p.pc())));  // spin forever
  VmConfig config;
  config.max_cycles = 1000;
  auto out = p.run({}, config);
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kCycleLimit);
  EXPECT_EQ(out.result.instructions, 1000u);
  EXPECT_THAT(out.fault_message, HasSubstr("limit of 1000 instructions"));
}

TEST(VmFaults, ExitExactlyAtTheCycleLimitIsAnExit) {
  TestProgram p;
  p.exit(0);  // 5 instructions: li a0 (2), li a7 (2), ecall
  VmConfig config;
  config.max_cycles = 5;
  EXPECT_EQ(p.run({}, config).result.reason, StopReason::kExit);
  config.max_cycles = 4;
  EXPECT_EQ(p.run({}, config).result.fault.kind, FaultKind::kCycleLimit);
}

TEST(VmFaults, CustomZeroIsReservedForDynamicPrecompiles) {
  TestProgram p;
  p.emit(enc::precompile(13, kA0, kA1, kA2)).exit(0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kUnsupportedPrecompile);
  EXPECT_THAT(out.fault_message, HasSubstr("custom-0 precompile #13"));
}

TEST(VmSyscalls, ExitCodeAndWrite) {
  TestProgram p;
  p.rodata() = {'h', 'i', '\n'};
  p.li(kA0, 1).li(kA1, TestProgram::kRodata).li(kA2, 3).ecall(64);
  p.li(kA0, 2).li(kA1, TestProgram::kRodata).li(kA2, 2).ecall(64);
  p.emit(enc::op_imm(Op::ADDI, 20, kA0, 0));
  p.li(kA0, 3).li(kA1, TestProgram::kRodata).li(kA2, 2).ecall(64);
  p.emit(enc::op_imm(Op::ADDI, 21, kA0, 0));
  p.exit(static_cast<uint32_t>(-5));
  auto out = p.run();
  EXPECT_EQ(out.result.reason, StopReason::kExit);
  EXPECT_EQ(out.result.exit_code, -5);
  EXPECT_EQ(out.stdout_log, "hi\n");
  EXPECT_EQ(out.stderr_log, "hi");
  EXPECT_EQ(out.result.registers[20], 2u);
  EXPECT_EQ(out.result.registers[21], static_cast<uint32_t>(-9));
}

TEST(VmSyscalls, WriteFromUnmappedBufferFaults) {
  TestProgram p;
  p.li(kA0, 1).li(kA1, 0x100).li(kA2, 4).ecall(64).exit(0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kBadSyscallArgument);
  EXPECT_THAT(out.fault_message, HasSubstr("write(fd=1, buf=0x100, len=4): the buffer is not readable"));
}

TEST(VmSyscalls, UnknownSyscallNamesTheNumber) {
  TestProgram p;
  p.ecall(222).exit(0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kUnknownSyscall);
  EXPECT_THAT(out.fault_message, HasSubstr("ecall number 222 (0xde) in a7"));
}

TEST(VmSyscalls, RegionsCountInstructions) {
  TestProgram p;
  p.rodata() = {'o', 'u', 't', 'e', 'r', 'i', 'n'};
  auto begin = [&](uint32_t off, uint32_t len) { p.li(kA0, TestProgram::kRodata + off).li(kA1, len).ecall(0x5A4B0001); };
  auto end = [&](uint32_t off, uint32_t len) { p.li(kA0, TestProgram::kRodata + off).li(kA1, len).ecall(0x5A4B0002); };
  begin(0, 5);                                             // "outer"
  for (int i = 0; i < 10; ++i) p.emit(enc::op_imm(Op::ADDI, kT0, kT0, 1));
  begin(5, 2);                                             // "in"
  for (int i = 0; i < 7; ++i) p.emit(enc::op_imm(Op::ADDI, kT0, kT0, 1));
  end(5, 2);
  end(0, 5);
  p.ecall(0x5A4B0003);
  p.exit_with(kA0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  ASSERT_EQ(out.result.regions.size(), 2u);
  EXPECT_EQ(out.result.regions[0].first, "outer");
  EXPECT_EQ(out.result.regions[1].first, "in");
  // A region counts from its begin ecall (included) to its end ecall (excluded). Each begin/end
  // is 7 instructions: li a0, li a1, li a7 (two each) and the ecall.
  EXPECT_EQ(out.result.regions[1].second, 1u + 7u + 6u);
  EXPECT_EQ(out.result.regions[0].second, 1u + 10u + 7u + 7u + 7u + 6u);
  EXPECT_EQ(out.result.exit_code, static_cast<int32_t>(out.result.instructions - 1 - 4));
}

// Ignored, not a fault: whether a region is open depends on the name's bytes, which the proof does
// not read (docs/abi.md, "System calls"). The call still returns 0 and the run goes on.
TEST(VmSyscalls, EndingARegionThatIsNotOpenIsIgnored) {
  TestProgram p;
  p.rodata() = {'x', '\n'};
  p.li(kA0, TestProgram::kRodata).li(kA1, 2).ecall(0x5A4B0002);
  p.li(kA0, TestProgram::kRodata).li(kA1, 1).ecall(0x5A4B0002).exit_with(kA0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  EXPECT_EQ(out.result.exit_code, 0);
  EXPECT_TRUE(out.result.regions.empty());
  EXPECT_EQ(out.result.ignored_region_calls, 2u);
  // The first one, on one printable line.
  EXPECT_THAT(out.result.first_ignored_region_call, HasSubstr("zkrv_region_end: region \"x?\" is not open"));
  EXPECT_THAT(out.result.first_ignored_region_call, HasSubstr("pc 0x"));
}

TEST(VmSyscalls, AnUnreadableOrOverlongRegionNameStillFaults) {
  for (const uint32_t number : {0x5A4B0001u, 0x5A4B0002u}) {
    TestProgram unreadable;
    unreadable.li(kA0, 0x100).li(kA1, 1).ecall(number).exit(0);
    auto out = unreadable.run();
    EXPECT_EQ(out.result.fault.kind, FaultKind::kBadSyscallArgument);
    EXPECT_THAT(out.fault_message, HasSubstr("is not readable or longer than 64 bytes"));
    TestProgram overlong;
    overlong.rodata().assign(65, 'x');
    overlong.li(kA0, TestProgram::kRodata).li(kA1, 65).ecall(number).exit(0);
    out = overlong.run();
    EXPECT_EQ(out.result.fault.kind, FaultKind::kBadSyscallArgument);
    EXPECT_THAT(out.fault_message, HasSubstr("(length 65) is not readable or longer than 64 bytes"));
  }
  TestProgram longest;
  longest.rodata().assign(64, 'x');
  longest.li(kA0, TestProgram::kRodata).li(kA1, 64).ecall(0x5A4B0001);
  longest.li(kA0, TestProgram::kRodata).ecall(0x5A4B0002).exit(0);
  auto out = longest.run();
  ASSERT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  ASSERT_EQ(out.result.regions.size(), 1u);
  EXPECT_EQ(out.result.regions[0].first, std::string(64, 'x'));
  EXPECT_EQ(out.result.ignored_region_calls, 0u);
}

TEST(VmTapes, ReadPublicAndPrivateInputs) {
  TestProgram p;
  p.emit(enc::rin(20, 0, 0)).emit(enc::rin(21, 0, 4)).emit(enc::rin(22, 0, 8)).emit(enc::rin(23, 0, 2044));
  p.emit(enc::hin(24, 0, 0)).emit(enc::hin(25, 0, 4));
  p.li(kT0, 0xfffffffc).emit(enc::rin(26, kT0, 8));  // offset wraps to 4
  p.exit(0);
  Inputs in;
  in.public_input = {1, 2, 3, 4, 5};
  in.private_input = {0xaa, 0xbb};
  auto r = p.run(in).result;
  EXPECT_EQ(r.registers[20], 5u);
  EXPECT_EQ(r.registers[21], 0x04030201u);
  EXPECT_EQ(r.registers[22], 0x05u);  // zero past the end
  EXPECT_EQ(r.registers[23], 0u);
  EXPECT_EQ(r.registers[24], 2u);
  EXPECT_EQ(r.registers[25], 0xbbaau);
  EXPECT_EQ(r.registers[26], 0x04030201u);
}

TEST(VmTapes, MisalignedTapeOffsetFaults) {
  TestProgram p;
  p.emit(enc::rin(20, 0, 2)).exit(0);
  auto out = p.run();
  EXPECT_EQ(out.result.fault.kind, FaultKind::kMisalignedTapeOffset);
  EXPECT_THAT(out.fault_message, HasSubstr("rin s4, 2(zero)"));
  TestProgram q;
  q.emit(enc::wou(20, 0, 6)).exit(0);
  EXPECT_EQ(q.run().result.fault.kind, FaultKind::kMisalignedTapeOffset);
}

TEST(VmTapes, PublicOutputIsTheLengthPrefixedTape) {
  TestProgram p;
  p.li(kT0, 6).emit(enc::wou(kT0, 0, 0)).li(kT0, 0x64636261).emit(enc::wou(kT0, 0, 4));
  p.li(kT0, 0x68676665).emit(enc::wou(kT0, 0, 8)).exit(0);
  auto r = p.run().result;
  EXPECT_EQ(std::string(r.public_output.begin(), r.public_output.end()), "abcdef");
}

TEST(VmTapes, NoLengthWordMeansEmptyOutput) {
  TestProgram p;
  p.li(kT0, 0x64636261).emit(enc::wou(kT0, 0, 4)).exit(0);
  EXPECT_TRUE(p.run().result.public_output.empty());
}

TEST(VmTapes, OutputLimits) {
  VmConfig config;
  config.max_output_bytes = 16;
  TestProgram p;
  p.emit(enc::wou(0, 0, 16)).emit(enc::wou(0, 0, 20)).exit(0);  // 16 is the last word of a 20-byte tape
  auto out = p.run({}, config);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kOutputLimit);
  EXPECT_EQ(out.result.fault.pc, TestProgram::kCode + 4);

  TestProgram q;  // a length word beyond the limit faults at exit
  q.li(kT0, 17).emit(enc::wou(kT0, 0, 0)).exit(0);
  auto out2 = q.run({}, config);
  EXPECT_EQ(out2.result.fault.kind, FaultKind::kOutputLimit);
  EXPECT_THAT(out2.fault_message, HasSubstr("says 17 bytes"));
}

TEST(VmLimits, TooLargeInputIsRejectedBeforeRunning) {
  VmConfig config;
  config.max_input_bytes = 3;
  TestProgram p;
  p.exit(0);
  Inputs in;
  in.private_input = {1, 2, 3, 4};
  EXPECT_THROW(
      {
        try {
          p.run(in, config);
        } catch (const LoadError& e) {
          EXPECT_STREQ(e.what(), "private input is 4 bytes, more than the limit of 3 bytes");
          throw;
        }
      },
      LoadError);
}

// Hostile guests (issue: guest-controlled sums, sizes and per-call host costs). Each case would
// crash, allocate gigabytes or take seconds of host time before the fix.
TEST(VmHostile, OutputWordAtTheTopOfTheTapeOffsetRangeFaultsCleanly) {
  VmConfig config;
  config.max_output_bytes = kMaxOutputBytesLimit;
  TestProgram p;
  p.li(kT0, 0xfffffffc).emit(enc::wou(0, kT0, 0)).exit(0);  // offset + 4 wraps to 0 in 32 bits
  auto out = p.run({}, config);
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kOutputLimit);
  EXPECT_THAT(out.fault_message, HasSubstr("output tape offset 0xfffffffc is beyond the maximum output"));
}

TEST(VmHostile, ConfigurationLimitsPastZkrvsMaximaAreRefused) {
  TestProgram p;
  p.exit(0);
  VmConfig output;
  output.max_output_bytes = kMaxOutputBytesLimit + 1;
  EXPECT_THROW(p.run({}, output), LoadError);
  VmConfig input;
  input.max_input_bytes = kMaxInputBytesLimit + 1;
  EXPECT_THROW(p.run({}, input), LoadError);
}

TEST(VmHostile, WriteOfFourGibibytesFaultsBeforeAllocating) {
  TestProgram p;  // the buffer starts in mapped rodata and runs far past it
  p.rodata() = {'x'};
  p.li(kA0, 1).li(kA1, TestProgram::kRodata).li(kA2, 0xffffffff).ecall(64).exit(0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kBadSyscallArgument);
  EXPECT_THAT(out.fault_message, HasSubstr("len=4294967295): the buffer is not readable guest memory"));
  EXPECT_EQ(out.stdout_log, "");  // nothing is logged from a buffer that is not wholly readable
}

TEST(VmHostile, LargeWriteIsStreamedWhole) {
  TestProgram p;  // 40 KiB of zeros from the data segment, more than one chunk of the log copy
  p.li(kA0, 1).li(kA1, TestProgram::kData).li(kA2, 0xa000).ecall(64).exit_with(kA0);
  auto out = p.run();
  ASSERT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  EXPECT_EQ(out.stdout_log, std::string(0xa000, '\0'));
  EXPECT_EQ(out.result.exit_code, 0xa000);
}

// A loop that begins and ends `count` regions named by a 4-byte counter, then exits 0.
TestProgram region_loop(uint32_t count, bool end_each) {
  TestProgram p;
  p.li(kT0, 0).li(kT1, count).li(kT2, TestProgram::kData);
  const uint32_t loop = p.pc();
  p.emit(enc::store(Op::SW, kT0, kT2, 0));
  p.emit(enc::op_imm(Op::ADDI, kA0, kT2, 0)).li(kA1, 4).ecall(0x5A4B0001);
  if (end_each) p.emit(enc::op_imm(Op::ADDI, kA0, kT2, 0)).li(kA1, 4).ecall(0x5A4B0002);
  p.emit(enc::op_imm(Op::ADDI, kT0, kT0, 1));
  p.emit(enc::branch(Op::BLTU, kT0, kT1, static_cast<int32_t>(loop - p.pc())));
  p.exit(0);
  return p;
}

TEST(VmHostile, DistinctRegionNamesAreBounded) {
  auto within = region_loop(4096, true).run();
  ASSERT_EQ(within.result.reason, StopReason::kExit) << within.fault_message;
  EXPECT_EQ(within.result.regions.size(), 4096u);
  EXPECT_EQ(within.result.ignored_region_calls, 0u);
  // Past the bound the begin call and its end are ignored (the name never opened): two per name.
  auto past = region_loop(200000, true).run();
  ASSERT_EQ(past.result.reason, StopReason::kExit) << past.fault_message;
  EXPECT_EQ(past.result.regions.size(), 4096u);
  EXPECT_EQ(past.result.ignored_region_calls, 2u * (200000 - 4096));
  EXPECT_THAT(past.result.first_ignored_region_call,
              HasSubstr("would be the run's 4097th distinct region; the limit is 4096"));
}

TEST(VmHostile, RegionNestingIsBounded) {
  auto past = region_loop(1000, false).run();
  ASSERT_EQ(past.result.reason, StopReason::kExit) << past.fault_message;
  EXPECT_EQ(past.result.regions.size(), 256u);  // the names past the depth never opened
  EXPECT_EQ(past.result.ignored_region_calls, 1000u - 256);
  EXPECT_THAT(past.result.first_ignored_region_call, HasSubstr("would nest 257 deep; the limit is 256"));
}

TEST(VmDeterminism, SameProgramSameResultAndMemory) {
  TestProgram p;
  p.li(kT0, TestProgram::kData).li(kT1, 0x1234567);
  const uint32_t loop = p.pc();
  p.emit(enc::store(Op::SW, kT1, kT0, 0)).emit(enc::op_imm(Op::ADDI, kT0, kT0, 4));
  p.emit(enc::op_reg(Op::MUL, kT1, kT1, kT1)).emit(enc::op_imm(Op::ADDI, kT1, kT1, 7));
  p.li(kT2, TestProgram::kData + 0x2000).emit(enc::branch(Op::BLTU, kT0, kT2, static_cast<int32_t>(loop - p.pc())));
  p.exit(0);
  auto a = p.run(), b = p.run();
  EXPECT_EQ(a.result.instructions, b.result.instructions);
  EXPECT_EQ(a.digest, b.digest);
  EXPECT_EQ(a.result.pages_touched, b.result.pages_touched);
  EXPECT_GE(a.result.pages_touched, 3u);

  TestProgram d;  // a program that stores nothing ends with different memory
  d.exit(0);
  EXPECT_NE(a.digest, d.run().digest);
}

}  // namespace
}  // namespace zkrv::vm

namespace zkrv::vm {
namespace {

// The catalogue: one program per fault kind, with the exact message a user sees.
TEST(VmFaultCatalogue, EveryKindHasItsExactMessage) {
  using isa::Op;
  namespace enc = isa::encode;
  struct Entry {
    FaultKind kind;
    std::function<void(testing::TestProgram&)> build;
    VmConfig config;
    std::string message;
  };
  const VmConfig defaults;
  VmConfig small_output;
  small_output.max_output_bytes = 8;
  VmConfig few_cycles;
  few_cycles.max_cycles = 2;
  const std::vector<Entry> entries = {
      {FaultKind::kIllegalInstruction, [](auto& p) { p.emit(0xc0002573u); }, defaults,
       "illegal-instruction at pc 0x10000 (test_code): illegal 0xc0002573 [c0002573]: not an instruction of guest ABI v1"},
      {FaultKind::kFetchFault, [](auto& p) { p.emit(enc::jal(0, 0x1000)); }, defaults,
       "fetch-fault at pc 0x11000 (test_code+0x1000): no executable memory at the jump target"},
      {FaultKind::kLoadFault, [](auto& p) { p.emit(enc::load(Op::LHU, 10, 0, -2)); }, defaults,
       "load-fault at pc 0x10000 (test_code): lhu a0, -2(zero) [ffe05503]: read of address 0xfffffffe, which is not mapped"},
      {FaultKind::kStoreFault, [](auto& p) { p.li(5, 0x10000).emit(enc::store(Op::SH, 0, 5, 2)); }, defaults,
       "store-fault at pc 0x10008 (test_code+0x8): sh zero, 2(t0) [00029123]: write of address 0x10002, whose page is r-x"},
      {FaultKind::kMisalignedAtomic, [](auto& p) { p.li(5, 0x200001).emit(enc::amo(Op::LR_W, 10, 5, 0)); }, defaults,
       "misaligned-atomic at pc 0x10008 (test_code+0x8): lr.w a0, (t0) [1002a52f]: atomic access to address 0x200001 is not 4-byte aligned"},
      {FaultKind::kMisalignedTapeOffset, [](auto& p) { p.emit(enc::hin(10, 0, 1)); }, defaults,
       "misaligned-tape-offset at pc 0x10000 (test_code): hin a0, 1(zero) [0010152b]: input tape offset 0x1 is not a multiple of 4"},
      {FaultKind::kOutputLimit, [](auto& p) { p.emit(enc::wou(0, 0, 12)); }, small_output,
       "output-limit at pc 0x10000 (test_code): wou zero, 12(zero) [0000065b]: output tape offset 0xc is beyond the maximum output of 8 bytes"},
      {FaultKind::kUnknownSyscall, [](auto& p) { p.ecall(0x5A4B00FF); }, defaults,
       "unknown-syscall at pc 0x10008 (test_code+0x8): ecall [00000073]: ecall number 1514864895 (0x5a4b00ff) in a7"},
      {FaultKind::kBadSyscallArgument, [](auto& p) { p.li(10, 0x200000).li(11, 65).ecall(0x5A4B0001); }, defaults,
       "bad-syscall-argument at pc 0x10018 (test_code+0x18): ecall [00000073]: zkrv_region_begin: the name at 0x200000 (length 65) is not readable or longer than 64 bytes"},
      {FaultKind::kUnsupportedPrecompile, [](auto& p) { p.emit(enc::precompile(1023, 10, 11, 12)); }, defaults,
       "unsupported-precompile at pc 0x10000 (test_code): precompile #1023 a0, a1, a2 [fec5f50b]: custom-0 precompile #1023: the program declares no precompile with this index"},
      {FaultKind::kCycleLimit, [](auto& p) { p.emit(enc::op_imm(Op::ADDI, 0, 0, 0)).emit(enc::jal(0, -4)); }, few_cycles,
       "cycle-limit at pc 0x10000 (test_code): addi zero, zero, 0 [00000013]: the run reached its limit of 2 instructions (--max-cycles)"},
  };
  for (const Entry& e : entries) {
    testing::TestProgram p;
    e.build(p);
    p.exit(0);
    const auto out = p.run({}, e.config);
    ASSERT_EQ(out.result.reason, StopReason::kFault) << fault_name(e.kind);
    EXPECT_EQ(out.result.fault.kind, e.kind) << out.fault_message;
    EXPECT_EQ(out.fault_message, e.message);
  }
}

}  // namespace
}  // namespace zkrv::vm
