// End-to-end: small guest programs proven with the `fast` profile and verified through the
// library API, their statement checked against the VM's own run; refusals before proving; and the
// negative catalogue of malicious witnesses the verifier must reject.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>

#include <fmt/format.h>

#include "isa/encode.h"
#include "riscv_air/add_sub_columns.h"
#include "riscv_air/atomic_columns.h"
#include "riscv_air/div_columns.h"
#include "riscv_air/exit_air.h"
#include "riscv_air/fixed_tables.h"
#include "riscv_air/jump_columns.h"
#include "riscv_air/load_store_columns.h"
#include "riscv_air/machine_testing.h"
#include "riscv_air/zero_init_air.h"
#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "stark/air/checker.h"
#include "vm/testing/program.h"

namespace zkrv::riscv_air {
namespace {

using isa::Op;
using ::testing::HasSubstr;
using testing::debugger_report;
using testing::expect_report_names_only;
using testing::fast_setup;
using testing::image_row;
using testing::refusal_of_run;
using testing::verifier_rejection;
using vm::testing::TestProgram;
namespace enc = isa::encode;

// The slice's instructions: a store/load loop over zero-initialised memory, an image word, ADD,
// SUB, ADDI, LUI, AUIPC, JAL, JALR to an odd address (bit 0 cleared), every branch, compressed
// forms, then exit with the sum.
TestProgram slice_program() {
  TestProgram p;
  p.data() = {0x07, 0x00, 0x00, 0x00};  // one image word (7); the rest of the segment starts zero
  p.store_load_sum_loop(TestProgram::kData + 0x100, 10);  // x7 = 55
  p.li(12, TestProgram::kData);
  p.emit(enc::load(Op::LW, 13, 12, 0));                // 7 from the image
  p.emit(enc::op_reg(Op::SUB, 7, 7, 13));              // 48
  p.emit(enc::jal(1, 8));                              // skips the next instruction
  p.emit(enc::op_imm(Op::ADDI, 7, 7, 1000));
  p.emit(enc::auipc(11, 0));
  p.emit(enc::jalr(0, 11, 9));                         // target auipc + 9, bit 0 cleared: the next instruction
  p.emit(enc::op_reg(Op::SUB, 14, 0, 7));              // -48
  p.emit(enc::branch(Op::BLT, 7, 14, 8));              // 48 < -48: not taken
  p.emit(enc::branch(Op::BLT, 14, 7, 8));              // taken
  p.emit(enc::op_imm(Op::ADDI, 7, 7, 1000));
  p.emit(enc::branch(Op::BLTU, 14, 7, 8));             // 2^32 - 48 <u 48: not taken
  p.emit(enc::branch(Op::BGEU, 14, 7, 8));             // taken
  p.emit(enc::op_imm(Op::ADDI, 7, 7, 1000));
  p.emit(enc::branch(Op::BGE, 14, 7, 8));              // not taken
  p.emit(enc::branch(Op::BEQ, 7, 7, 8));               // taken
  p.emit(enc::op_imm(Op::ADDI, 7, 7, 1000));
  p.emit(enc::op_imm(Op::ADDI, 0, 7, 5));              // a write to x0 is discarded
  p.emit(enc::op_reg(Op::ADD, 7, 7, 0));
  p.emit(enc::lui(15, 0x12345));
  p.emit16(0x4505);                                    // c.li a0, 1
  p.emit16(0x951e);                                    // c.add a0, t2: a0 = 49
  p.li(17, 93);
  p.emit(enc::ecall());
  return p;
}

// The program runs to its exit on the VM, and its proof (under `fast`) states that run's exit code and
// steps and verifies.
void expect_proven_as_run(const TestProgram& p) {
  const elf::ElfImage image = p.image();
  const TestProgram::Outcome run = p.run();
  ASSERT_EQ(run.result.reason, vm::StopReason::kExit) << run.fault_message;
  const ProvingSetup s = fast_setup(image);
  const ProveOutput out = prove(s, image, {});
  EXPECT_EQ(out.statement.exit_code, run.result.exit_code);
  EXPECT_EQ(out.steps, run.result.instructions);
  EXPECT_EQ(verify(out.proof, program_id(s.key)).exit_code, run.result.exit_code);
}

TEST(RiscvMachine, ProvesAndVerifiesTheSlice) {
  const TestProgram p = slice_program();
  const elf::ElfImage image = p.image();
  const TestProgram::Outcome run = p.run();
  ASSERT_EQ(run.result.reason, vm::StopReason::kExit) << run.fault_message;
  ASSERT_EQ(run.result.exit_code, 49);
  const ProvingSetup s = fast_setup(image);
  const ProveOutput out = prove(s, image, {});
  EXPECT_EQ(out.statement.exit_code, run.result.exit_code);
  EXPECT_EQ(out.steps, run.result.instructions);
  const Statement verified = verify(out.proof, program_id(s.key));
  EXPECT_EQ(decode_proof_file(out.proof).parameter_set, 0);  // a short run: the profile's first set
  EXPECT_EQ(verified.exit_code, 49);
  EXPECT_EQ(verified.program_id, program_id(s.key));
}

// The verifier rebuilds the STARK verifying key of a proof under fast's second parameter set from the
// program key alone: the fixed tables' heights (the set reserves 208 random rows, the first 92, so a
// small fixed table is taller) as well as their commitment. A 2^22-step run is too large for a unit
// test; `make prove-max-long` proves and verifies one.
TEST(RiscvMachine, TheProgramKeyHoldsEveryParameterSetsVerifyingKey) {
  const ProvingSetup s = fast_setup(slice_program().image());
  ASSERT_EQ(s.other_sets.size(), 1u);
  const stark::protocol::VerifyingKey& second = s.other_sets[0].pk.vk;
  EXPECT_NE(second.preprocessed_log_heights, s.pk.vk.preprocessed_log_heights);
  EXPECT_EQ(parameter_set_vk(s.key, 0).hash(), s.pk.vk.hash());
  EXPECT_EQ(parameter_set_vk(s.key, 1).hash(), second.hash());
  EXPECT_EQ(parameter_set_vk(decode_proof_file(prove(s, slice_program().image(), {}).proof).key, 1).hash(),
            second.hash());
}

// Tall tables push the field-size terms of the security calculation below a profile's bar (measured:
// a 2^22-cycle hash under `fast`). prove() must refuse such a statement, and a table above the
// profile's height limit, before the proving work instead of handing out a proof every verifier
// rejects. The STARK prover makes that check first (check_provable, the one prove() calls; the
// statements here are too tall to generate), and refused_run says it of the run.
TEST(RiscvMachine, RefusesAStatementBelowTheProfilesSecurityBar) {
  const TestProgram program = slice_program();
  const elf::ElfImage image = program.image();
  auto refusal = [](const ProvingSetup& s, const std::vector<int>& log_heights) -> std::string {
    try {
      stark::prover::check_provable(s.params, s.machine, log_heights, 0);
    } catch (const stark::prover::RefusedStatement& e) {
      return refused_run(e).what();
    }
    return "";
  };
  // The tallest parameter set of each profile (fast's second, blowup 2; secure has one).
  const auto tallest = [](const ProvingSetup& s) {
    return s.other_sets.empty() ? s.params : s.other_sets.back().params;
  };
  for (const stark::SecurityProfile* profile : {&stark::fast_profile(), &stark::secure_profile()}) {
    ProvingSetup s = setup(image, *profile);
    const std::vector<int> short_run(s.machine.num_tables(), 12);
    EXPECT_EQ(refusal(s, short_run), "") << profile->name;
    s.params = tallest(s);
    const int limit = stark::protocol::max_log_height(s.params);
    std::vector<int> long_run(s.machine.num_tables(), 12);
    long_run[1] = limit + 1;
    EXPECT_THAT(refusal(s, long_run),
                HasSubstr(fmt::format("the run needs table {} of 2^{} rows, above the 2^{} rows one proof of profile {} allows",
                                      s.machine.analysis(1).info.name, limit + 1, limit, profile->name)));
  }
  // fast's first set (blowup 4) stops at 2^21 rows; a 2^22-row table is the second set's (blowup
  // 2), and the STARK prover refuses it under the first (parameter_set_for picks the second).
  {
    const ProvingSetup s = setup(image, stark::fast_profile());
    ASSERT_EQ(stark::protocol::max_log_height(s.params), 21);
    std::vector<int> run(s.machine.num_tables(), 12);
    run[1] = 22;
    EXPECT_THAT(refusal(s, run), HasSubstr(fmt::format("the run needs table {} of 2^22 rows, which profile fast proves "
                                                       "with blowup 2 and 100 queries, not blowup 4 and 42",
                                                       s.machine.analysis(1).info.name)));
  }
  // Under `fast` every table within the limit, but all of them tall: the conjectured field-size
  // term (summed over the tables' domains) falls below 100 bits under either set.
  ProvingSetup s = setup(image, stark::fast_profile());
  s.params = tallest(s);
  const int limit = stark::protocol::max_log_height(s.params);
  std::vector<int> tall(s.machine.num_tables(), limit - 1);
  tall[1] = limit;
  const std::string refused = refusal(s, tall);
  EXPECT_THAT(refused, HasSubstr(fmt::format("the run needs table {} of 2^{} rows, for which it has ",
                                             s.machine.analysis(1).info.name, limit)));
  EXPECT_THAT(refused, HasSubstr("conjectured bits, below profile fast's bar of 100 (weakest: FRI proximity (field "
                                 "size)): a proof of it would be rejected"));
}

// Bitwise and Lt, register and immediate forms, on operands with mixed signs; the exit code folds
// every result together.
TEST(RiscvMachine, ProvesBitwiseAndComparisons) {
  TestProgram p;
  p.li(5, 0xf0f01234u).li(6, 0x0ff0ff00u);
  p.emit(enc::op_reg(Op::XOR, 7, 5, 6));
  p.emit(enc::op_reg(Op::OR, 8, 5, 6));
  p.emit(enc::op_reg(Op::AND, 9, 5, 6));
  p.emit(enc::op_imm(Op::XORI, 10, 5, -1));
  p.emit(enc::op_imm(Op::ORI, 11, 5, 0x7ff));
  p.emit(enc::op_imm(Op::ANDI, 12, 5, -16));
  p.emit(enc::op_reg(Op::SLT, 13, 5, 6));     // negative < positive: 1
  p.emit(enc::op_reg(Op::SLTU, 14, 5, 6));    // 0
  p.emit(enc::op_imm(Op::SLTI, 15, 6, -1));   // 0
  p.emit(enc::op_imm(Op::SLTIU, 16, 6, -1));  // 1 (against 0xffffffff)
  p.emit(enc::op_reg(Op::XOR, 10, 10, 7)).emit(enc::op_reg(Op::ADD, 10, 10, 8)).emit(enc::op_reg(Op::SUB, 10, 10, 9));
  p.emit(enc::op_reg(Op::XOR, 10, 10, 11)).emit(enc::op_reg(Op::ADD, 10, 10, 12));
  p.emit(enc::op_reg(Op::ADD, 10, 10, 13)).emit(enc::op_reg(Op::ADD, 10, 10, 14));
  p.emit(enc::op_reg(Op::ADD, 10, 10, 15)).emit(enc::op_reg(Op::ADD, 10, 10, 16));
  p.li(17, 93).emit(enc::ecall());
  expect_proven_as_run(p);
}

// Shifts by every amount 0..31 (register forms) and a few immediates, logical and arithmetic, on
// a negative and a positive value; every result folds into the exit code.
TEST(RiscvMachine, ProvesShifts) {
  TestProgram p;
  p.li(5, 0x80f01235u).li(6, 0x7f0e1d2cu);
  p.emit(enc::op_imm(Op::ADDI, 10, 0, 0));
  p.emit(enc::op_imm(Op::ADDI, 7, 0, 0));  // amount
  const uint32_t loop = p.pc();
  for (const Op op : {Op::SLL, Op::SRL, Op::SRA}) {
    for (const uint32_t src : {5u, 6u}) {
      p.emit(enc::op_reg(op, 8, src, 7));
      p.emit(enc::op_reg(Op::XOR, 10, 10, 8));
      p.emit(enc::op_reg(Op::ADD, 10, 10, 10));
    }
  }
  p.emit(enc::op_imm(Op::ADDI, 7, 7, 1));
  p.emit(enc::op_imm(Op::SLTI, 9, 7, 32));
  p.emit(enc::branch(Op::BNE, 9, 0, static_cast<int32_t>(loop - p.pc())));
  p.emit(enc::op_imm(Op::SLLI, 8, 5, 31)).emit(enc::op_reg(Op::XOR, 10, 10, 8));
  p.emit(enc::op_imm(Op::SRAI, 8, 5, 7)).emit(enc::op_reg(Op::XOR, 10, 10, 8));
  p.emit(enc::op_imm(Op::SRLI, 8, 5, 0)).emit(enc::op_reg(Op::XOR, 10, 10, 8));
  p.li(7, 0xffffffe3u).emit(enc::op_reg(Op::SRA, 8, 5, 7)).emit(enc::op_reg(Op::XOR, 10, 10, 8));  // amount 3
  p.li(17, 93).emit(enc::ecall());
  expect_proven_as_run(p);
}

// Every narrow load and store at every offset, on an image word and on zero-initialised memory;
// the results fold into the exit code.
TEST(RiscvMachine, ProvesByteAndHalfwordAccesses) {
  TestProgram p;
  p.data() = {0x81, 0x7f, 0xff, 0x00, 0x34, 0x12, 0xcd, 0xab};
  p.li(5, TestProgram::kData).li(6, 0x9e8d7c6bu).li(10, 0);
  for (int32_t offset = 0; offset < 8; ++offset) {
    for (const Op op : {Op::LB, Op::LBU}) {
      p.emit(enc::load(op, 7, 5, offset)).emit(enc::op_reg(Op::ADD, 10, 10, 10)).emit(enc::op_reg(Op::XOR, 10, 10, 7));
    }
  }
  for (int32_t offset = 0; offset < 8; offset += 2) {
    for (const Op op : {Op::LH, Op::LHU}) {
      p.emit(enc::load(op, 7, 5, offset)).emit(enc::op_reg(Op::ADD, 10, 10, 10)).emit(enc::op_reg(Op::XOR, 10, 10, 7));
    }
  }
  // Stores into the image word and into zero memory, read back as words.
  for (const int32_t base : {0, 0x100}) {
    p.emit(enc::store(Op::SB, 6, 5, base + 1)).emit(enc::store(Op::SH, 6, 5, base + 2));
    p.emit(enc::store(Op::SB, 10, 5, base + 4)).emit(enc::store(Op::SH, 10, 5, base + 6));
    for (const int32_t offset : {base, base + 4}) {
      p.emit(enc::load(Op::LW, 7, 5, offset)).emit(enc::op_reg(Op::ADD, 10, 10, 10)).emit(enc::op_reg(Op::XOR, 10, 10, 7));
    }
  }
  p.li(17, 93).emit(enc::ecall());
  expect_proven_as_run(p);
}

// MUL, MULH, MULHSU, MULHU on sign and magnitude corners (0, 1, -1, INT_MIN, INT_MAX, mixed);
// every result folds into the exit code.
TEST(RiscvMachine, ProvesMultiplication) {
  TestProgram p;
  const uint32_t values[] = {0, 1, 0xffffffffu, 0x80000000u, 0x7fffffffu, 0x12345678u, 0xfedcba98u};
  p.li(10, 0);
  for (const uint32_t x : values) {
    for (const uint32_t y : {0xffffffffu, 0x80000000u, 0x7fffffffu, 0x9abcdef1u}) {
      p.li(5, x).li(6, y);
      for (const Op op : {Op::MUL, Op::MULH, Op::MULHSU, Op::MULHU}) {
        p.emit(enc::op_reg(op, 7, 5, 6)).emit(enc::op_reg(Op::ADD, 10, 10, 10)).emit(enc::op_reg(Op::XOR, 10, 10, 7));
      }
    }
  }
  p.li(17, 93).emit(enc::ecall());
  expect_proven_as_run(p);
}

// DIV, DIVU, REM, REMU on sign and magnitude corners, division by zero and -2^31 / -1 included;
// every result folds into the exit code.
TEST(RiscvMachine, ProvesDivision) {
  TestProgram p;
  const uint32_t values[] = {0, 1, 7, 0xffffffffu, 0x80000000u, 0x7fffffffu, 0xfffffff9u, 0x12345678u};
  p.li(10, 0);
  for (const uint32_t x : values) {
    for (const uint32_t y : {0u, 1u, 2u, 0xffffffffu, 0x80000000u, 0xfffffffeu, 0x00010001u}) {
      p.li(5, x).li(6, y);
      for (const Op op : {Op::DIV, Op::DIVU, Op::REM, Op::REMU}) {
        p.emit(enc::op_reg(op, 7, 5, 6)).emit(enc::op_reg(Op::ADD, 10, 10, 10)).emit(enc::op_reg(Op::XOR, 10, 10, 7));
      }
    }
  }
  p.li(17, 93).emit(enc::ecall());
  expect_proven_as_run(p);
}

// Loads from every kind of mapped word: an R segment's file bytes (Image, read-only) and its page's
// zero tail (ZeroInit, read-only), the RX text, and writable memory from Z on.
TEST(RiscvMachine, ProvesLoadsFromReadOnlyMemory) {
  TestProgram p;
  p.rodata() = {1, 2, 3, 4, 5, 6, 7, 8};  // no data bytes: Z is the end of rodata, its page tail starts zero
  p.li(5, TestProgram::kRodata).li(6, TestProgram::kCode).li(7, TestProgram::kData);
  p.emit(enc::load(Op::LW, 10, 5, 4));
  p.emit(enc::load(Op::LW, 11, 5, 0x7fc)).emit(enc::op_reg(Op::ADD, 10, 10, 11));
  p.emit(enc::load(Op::LBU, 11, 6, 0)).emit(enc::op_reg(Op::ADD, 10, 10, 11));
  p.emit(enc::store(Op::SW, 10, 7, 8)).emit(enc::load(Op::LW, 10, 7, 8));
  p.li(17, 93).emit(enc::ecall());
  const elf::ElfImage image = p.image();
  const TestProgram::Outcome run = p.run();
  ASSERT_EQ(run.result.reason, vm::StopReason::kExit) << run.fault_message;
  const ProvingSetup s = fast_setup(image);
  ASSERT_EQ(s.program.zero_ranges.size(), 2u);
  EXPECT_EQ(s.program.zero_ranges[0], (ZeroRange{kReadOnlySpace, (TestProgram::kRodata + 8) / 4, (TestProgram::kRodata + 4096) / 4}));
  EXPECT_EQ(s.program.zero_ranges[1], (ZeroRange{kMemorySpace, TestProgram::kData / 4, (TestProgram::kData + TestProgram::kDataSize) / 4}));
  const ProveOutput out = prove(s, image, {});
  EXPECT_EQ(out.statement.exit_code, run.result.exit_code);
  EXPECT_EQ(verify(out.proof, program_id(s.key)).exit_code, run.result.exit_code);
}

// LR.W is a load: the VM executes it on a read-only word (docs/abi.md), so it is proven there too,
// on an R segment's file bytes, its page's zero tail and the RX text; an SC.W to writable memory
// then fails (the reservation is on the read-only word) and an LR/SC pair on writable memory after
// it still succeeds.
TestProgram read_only_lr_program() {
  TestProgram p;
  p.rodata() = {1, 2, 3, 4, 5, 6, 7, 8};
  p.li(5, TestProgram::kRodata + 4).li(6, TestProgram::kRodata + 0x7fc).li(7, TestProgram::kCode);
  p.li(8, TestProgram::kData);
  p.emit(enc::amo(Op::LR_W, 10, 5, 0));
  p.emit(enc::amo(Op::LR_W, 11, 6, 0)).emit(enc::op_reg(Op::ADD, 10, 10, 11));
  p.emit(enc::amo(Op::LR_W, 11, 7, 0)).emit(enc::op_reg(Op::ADD, 10, 10, 11));
  p.emit(enc::amo(Op::SC_W, 11, 8, 5)).emit(enc::op_reg(Op::ADD, 10, 10, 11));  // fails: 1
  p.emit(enc::amo(Op::LR_W, 11, 8, 0));
  p.emit(enc::amo(Op::SC_W, 11, 8, 10)).emit(enc::op_reg(Op::ADD, 10, 10, 11));  // succeeds: 0
  p.li(17, 93).emit(enc::ecall());
  return p;
}

TEST(RiscvMachine, ProvesLrFromReadOnlyMemory) {
  const TestProgram p = read_only_lr_program();
  const ProvingSetup s = fast_setup(p.image());
  const MachineWitness w = run_witness(s, p.image(), {});
  const AtomicCols c = make_columns<AtomicCols>();
  for (size_t r = 0; r < 3; ++r) EXPECT_EQ(w.tables[kAtomicTable].main.at(r, c.read_only), Fp::one()) << r;
  expect_proven_as_run(p);
}

// The edge cases for the proven families, in one program (one proof): sign extension of
// immediates and narrow loads, x0 as rd for every family (the writes are dropped, x0 reads 0),
// wrap-around, DIV/REM by zero and -2^31 / -1, register shift amounts >= 32 (low 5 bits), JALR to an
// odd target (bit 0 cleared), the compressed links (c.jal and c.jalr link pc + 2), FENCE and
// FENCE.I. Every result folds into the exit code, which must be the VM's.
TEST(RiscvMachine, ProvesTheEdgeCases) {
  TestProgram p;
  p.data() = {0x80, 0xff, 0x7f, 0x80};
  p.li(10, 0);
  const auto fold = [&](uint32_t reg) { p.emit(enc::op_reg(Op::ADD, 10, 10, 10)).emit(enc::op_reg(Op::XOR, 10, 10, reg)); };
  // Sign extension.
  p.li(5, TestProgram::kData);
  for (const Op op : {Op::LB, Op::LBU}) p.emit(enc::load(op, 7, 5, 0)), fold(7);
  for (const Op op : {Op::LH, Op::LHU}) p.emit(enc::load(op, 7, 5, 2)), fold(7);
  p.emit(enc::op_imm(Op::ADDI, 7, 0, -2048)), fold(7);
  p.emit(enc::op_imm(Op::SLTIU, 7, 0, -1)), fold(7);  // 0 <u 0xffffffff
  p.emit(enc::op_imm(Op::XORI, 7, 5, -1)), fold(7);
  p.emit(enc::lui(7, 0x80000)), fold(7);
  // x0 as rd.
  p.li(6, 3);
  p.emit(enc::op_reg(Op::ADD, 0, 5, 6)).emit(enc::op_imm(Op::ADDI, 0, 0, 5)).emit(enc::op_reg(Op::XOR, 0, 5, 6));
  p.emit(enc::op_reg(Op::SLT, 0, 6, 5)).emit(enc::op_reg(Op::SLL, 0, 5, 6)).emit(enc::op_reg(Op::MUL, 0, 5, 6));
  p.emit(enc::op_reg(Op::DIV, 0, 5, 6)).emit(enc::op_reg(Op::REMU, 0, 5, 6)).emit(enc::load(Op::LW, 0, 5, 0));
  p.emit(enc::lui(0, 1)).emit(enc::auipc(0, 1)).emit(enc::jal(0, 4));
  p.emit(enc::op_reg(Op::ADD, 7, 0, 0)), fold(7);
  fold(0);
  // Wrap-around.
  p.li(5, 0x7fffffffu).li(6, 1);
  p.emit(enc::op_reg(Op::ADD, 7, 5, 6)), fold(7);
  p.emit(enc::op_reg(Op::MUL, 7, 5, 5)), fold(7);
  p.li(5, 0x80000000u);
  p.emit(enc::op_reg(Op::SUB, 7, 5, 6)), fold(7);
  p.emit(enc::op_imm(Op::ADDI, 7, 5, -1)), fold(7);
  // Division by zero and -2^31 / -1.
  for (const uint32_t divisor : {0u, 0xffffffffu}) {
    p.li(6, divisor);
    for (const Op op : {Op::DIV, Op::DIVU, Op::REM, Op::REMU}) p.emit(enc::op_reg(op, 7, 5, 6)), fold(7);
  }
  // Register shift amounts >= 32.
  p.li(5, 0x80f01235u);
  for (const uint32_t amount : {32u, 33u, 63u, 0xffffffe1u, 0x80000004u}) {
    p.li(6, amount);
    for (const Op op : {Op::SLL, Op::SRL, Op::SRA}) p.emit(enc::op_reg(op, 7, 5, 6)), fold(7);
  }
  // JALR to an odd target: auipc at X, jalr to X + 13 lands on X + 12, linking X + 8.
  p.emit(enc::auipc(11, 0)).emit(enc::jalr(1, 11, 13)).emit(enc::op_imm(Op::ADDI, 10, 10, 1000));
  fold(1);
  // c.jal +4 at Y links Y + 2 and skips the c.nop at Y + 2.
  const isa::DecodedInsn c_jal = isa::decode(0x2011), c_jalr = isa::decode(0x9282);
  ASSERT_TRUE(c_jal.op == Op::JAL && c_jal.rd == 1 && c_jal.imm == 4 && c_jal.length == 2);
  ASSERT_TRUE(c_jalr.op == Op::JALR && c_jalr.rd == 1 && c_jalr.rs1 == 5 && c_jalr.imm == 0 && c_jalr.length == 2);
  p.emit16(0x2011).emit16(0x0001);
  fold(1);
  // c.jalr t0 at W + 8 links W + 10 and lands on W + 12 (skipping a c.nop).
  p.emit(enc::auipc(5, 0)).emit(enc::op_imm(Op::ADDI, 5, 5, 12)).emit16(0x9282).emit16(0x0001);
  fold(1);
  p.emit(enc::fence()).emit(enc::fence_i());
  p.li(17, 93).emit(enc::ecall());
  expect_proven_as_run(p);
}

TEST(RiscvMachine, ANonZeroExitIsTheStatement) {
  TestProgram p;
  p.exit(3);
  const elf::ElfImage image = p.image();
  const ProvingSetup s = fast_setup(image);
  const ProveOutput out = prove(s, image, {});
  EXPECT_EQ(verify(out.proof, program_id(s.key)).exit_code, 3);
  EXPECT_EQ(p.run().result.exit_code, 3);
}

TEST(RiscvMachine, AProofForAnotherProgramIsRejected) {
  TestProgram a, b;
  a.exit(0);
  b.exit(1);
  const ProvingSetup sa = fast_setup(a.image()), sb = fast_setup(b.image());
  EXPECT_NE(program_id(sa.key), program_id(sb.key));
  const ProveOutput out = prove(sb, b.image(), {});
  try {
    verify(out.proof, program_id(sa.key));
    FAIL() << "accepted";
  } catch (const RejectedProof& e) {
    EXPECT_THAT(e.what(), HasSubstr("another program"));
  }
}

// --- Refused before proving -------------------------------------------------------------------

// A misaligned LR/SC/AMO faults in the VM (docs/abi.md), so the run is refused before any row.
TEST(RiscvMachineRefuses, AMisalignedAtomic) {
  TestProgram p;
  p.li(5, TestProgram::kData + 2);
  p.emit(enc::amo(Op::AMOADD_W, 6, 5, 0));
  p.exit(0);
  EXPECT_THAT(refusal_of_run(p.image()), HasSubstr("the run did not halt"));
}

TEST(RiscvMachineRefuses, ARunThatDidNotHalt) {
  TestProgram p;
  const uint32_t loop = p.pc();
  p.emit(enc::jal(0, static_cast<int32_t>(loop - p.pc())));
  vm::VmConfig config;
  config.max_cycles = 100;
  EXPECT_THAT(refusal_of_run(p.image(), config), HasSubstr("did not halt: cycle-limit"));
}

TEST(RiscvMachineRefuses, AnUnknownEcall) {
  TestProgram p;
  p.ecall(0x5A4B0004);
  p.exit(0);
  EXPECT_THAT(refusal_of_run(p.image()), HasSubstr("did not halt: unknown-syscall"));
}

// The A extension (docs/abi.md): every AMO on an image word, LR/SC success, SC failure without a
// reservation, SC to another address than the reservation's, SC after a plain store to the reserved
// word (which does not clear it), an AMO between LR and SC (which does not clear it either), AMOs
// on the last word of a zero-initialised page and with rd = x0. Each rd is folded into x20, each SC
// result into the bits of x21, and the exit code sums them with the words left behind.
TestProgram atomic_program() {
  TestProgram p;
  p.data().assign(0x108, 0);
  p.data()[0x100] = 0x05;
  p.data()[0x103] = 0x80;  // the word at 0x100: 0x80000005
  p.data()[0x104] = 0x11;  // the word at 0x104: 0x11
  p.li(5, TestProgram::kData + 0x100).li(6, 0x8000000fu).li(9, 0x12345678u);
  p.li(11, TestProgram::kData + 0x104).li(12, TestProgram::kData + 0x1000 - 4);
  const auto fold = [&p](uint32_t rd) { p.emit(enc::op_reg(Op::ADD, 20, 20, rd)); };
  const auto sc = [&p](uint32_t rs2, uint32_t rs1) {
    p.emit(enc::amo(Op::SC_W, 8, rs1, rs2));
    p.emit(enc::op_reg(Op::ADD, 21, 21, 21)).emit(enc::op_reg(Op::ADD, 21, 21, 8));
  };
  for (const auto& [op, rs2] : std::vector<std::pair<Op, uint32_t>>{
           {Op::AMOSWAP_W, 6}, {Op::AMOADD_W, 9}, {Op::AMOXOR_W, 9}, {Op::AMOAND_W, 6}, {Op::AMOOR_W, 9},
           {Op::AMOMIN_W, 6}, {Op::AMOMAX_W, 9}, {Op::AMOMINU_W, 6}, {Op::AMOMAXU_W, 6}, {Op::AMOMIN_W, 9},
           {Op::AMOMAX_W, 6}, {Op::AMOMINU_W, 9}, {Op::AMOADD_W, 6}}) {
    p.emit(enc::amo(op, 7, 5, rs2));
    fold(7);
  }
  p.emit(enc::amo(Op::AMOADD_W, 0, 5, 9));  // rd = x0: the word changes, no register does
  p.emit(enc::amo(Op::LR_W, 7, 5, 0));
  fold(7);
  sc(9, 5);   // success: 0
  sc(6, 5);   // the reservation is gone: 1
  p.emit(enc::amo(Op::LR_W, 7, 5, 0));
  sc(6, 11);  // another address: 1, and the word at 0x104 keeps 0x11
  sc(6, 5);   // that SC cleared the reservation: 1
  p.emit(enc::amo(Op::LR_W, 7, 5, 0));
  p.emit(enc::store(Op::SW, 6, 5, 0));
  sc(9, 5);   // a plain store keeps the reservation: 0
  p.emit(enc::amo(Op::LR_W, 7, 12, 0));
  p.emit(enc::amo(Op::AMOADD_W, 7, 12, 9));
  fold(7);
  sc(6, 12);  // an AMO keeps the reservation too: 0
  p.emit(enc::amo(Op::AMOSWAP_W, 7, 12, 9));
  fold(7);
  for (const uint32_t base : {5u, 11u, 12u}) {
    p.emit(enc::load(Op::LW, 7, base, 0));
    fold(7);
  }
  p.emit(enc::op_reg(Op::XOR, 10, 20, 21));
  p.ecall(93);
  return p;
}

TEST(RiscvMachine, ProvesTheAExtension) {
  expect_proven_as_run(atomic_program());
}

// The tables handed over to the prover (as prove() does, which frees them as it goes) give the same
// proof bytes as the tables lent (prove_witness), for the same zero-knowledge seed.
TEST(RiscvMachine, HandedOverTablesGiveTheSameProofBytes) {
  const TestProgram p = slice_program();
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  stark::prover::ProveOptions options;
  options.zk_test_seed = 7;
  const std::vector<uint8_t> lent = prove_witness(s, w, options);
  const stark::air::Machine machine = statement_machine(s, w);
  const stark::protocol::StarkProof handed_over =
      stark::prover::prove(s.params, machine, s.pk, std::move(w.tables), options).proof;
  // A short run: the profile's first parameter set (index 0).
  EXPECT_EQ(encode_proof_file({s.profile, 0, s.key,
                               stark::protocol::encode_stark_proof(s.params, machine, s.pk.vk, handed_over),
                               w.public_input, w.public_output}),
            lent);
}

// --- Malicious witnesses ----------------------------------------------------------------------

// Every forgery below is checked by the row checker and bus debugger (`debugger_report`, in
// machine_testing.h), which evaluates the same templated `eval` and the same bus sums the prover
// commits to and the verifier checks, naming the constraint or bus that fails. A full proof of the
// forged witness and its rejection by the verifier (`verifier_rejection`) costs about a second in
// Release and 30-130 s under AddressSanitizer, so it is made for one forgery per table and per bus,
// which keeps the verifier's path covered for each; the others name that test ("proven and
// rejected in ..."). The list is in docs/testing.md, "Forgery tests".

TEST(RiscvMachineForgery, AnHonestWitnessIsAccepted) {
  const TestProgram p = slice_program();
  const ProvingSetup s = fast_setup(p.image());
  const MachineWitness w = run_witness(s, p.image(), {});
  EXPECT_EQ(debugger_report(s, w), "");
  EXPECT_EQ(verifier_rejection(s, w), "");
}

TEST(RiscvMachineForgery, AForgedExitCodeIsRejected) {
  TestProgram p;
  p.exit(1);
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  w.tables[kExitTable].public_values[0] = Fp::zero();  // claim exit 0
  EXPECT_THAT(debugger_report(s, w), HasSubstr("exit"));
  EXPECT_THAT(verifier_rejection(s, w), HasSubstr("does not verify"));
}

TEST(RiscvMachineForgery, ARunThatStopsWithoutHaltingIsRejected) {
  TestProgram p;
  p.exit(0);
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  // Drop the exit row, and its accesses' final records with it: the last state is never consumed.
  for (size_t c = 0; c < w.tables[kExitTable].main.width(); ++c) w.tables[kExitTable].main.at(0, c) = Fp::zero();
  EXPECT_THAT(debugger_report(s, w), HasSubstr("state"));
  EXPECT_THAT(verifier_rejection(s, w), HasSubstr("does not verify"));
}

// The witness of a run of a different program (one instruction changed) under this program's key:
// every table is consistent with that run, but its instructions are not this program's.
TEST(RiscvMachineForgery, ARunOfAnotherProgramIsRejected) {
  TestProgram honest, other;
  honest.emit(enc::op_imm(Op::ADDI, 10, 0, 1)).li(17, 93).emit(enc::ecall());
  other.emit(enc::op_imm(Op::ADDI, 10, 0, 0)).li(17, 93).emit(enc::ecall());
  const ProvingSetup s = fast_setup(honest.image());
  const ProvingSetup forged_setup = fast_setup(other.image());
  MachineWitness w = run_witness(forged_setup, other.image(), {});
  // proven and rejected in AnInstructionThatIsNotTheProgramsIsRejected
  EXPECT_THAT(debugger_report(s, w), HasSubstr("program"));
}

// pc not bound to its instruction: the row at the entry claims `addi a0, zero, 0` where the program
// has `addi a0, zero, 1`; the arithmetic, the memory records and the exit all follow the claim, so
// only the PROGRAM lookup disagrees.
TEST(RiscvMachineForgery, AnInstructionThatIsNotTheProgramsIsRejected) {
  TestProgram p;
  p.emit(enc::op_imm(Op::ADDI, 10, 0, 1));
  p.li(17, 93).emit(enc::ecall());
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  const AddSubCols a = make_columns<AddSubCols>();
  stark::Matrix<Fp>& add = w.tables[kAddSubTable].main;
  ASSERT_EQ(add.at(0, a.core.pc), Fp::from_u32(TestProgram::kCode));
  add.at(0, a.core.imm_lo) = Fp::zero();
  add.at(0, a.core.imm) = Fp::zero();
  add.at(0, a.rs2.prev_lo) = Fp::zero();
  add.at(0, a.r_lo) = Fp::zero();
  const ExitCols e = make_columns<ExitCols>();
  w.tables[kExitTable].main.at(0, e.a0.prev_lo) = Fp::zero();
  w.tables[kExitTable].public_values = {Fp::zero(), Fp::zero()};
  w.tables[kImageTable].main.at(10, ImageTable::kFinalLo) = Fp::zero();
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  const std::string report = debugger_report(s, w);
  EXPECT_THAT(report, HasSubstr("bus 2 (program)"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("bus 3")));
  EXPECT_THAT(verifier_rejection(s, w), HasSubstr("does not verify"));
}

// x0 written: the forged program image says ADDI x0 writes its register; the memory argument is
// consistent with that write (x0's final record holds 6), only the Program row disagrees.
TEST(RiscvMachineForgery, AWriteToX0IsRejected) {
  TestProgram p;
  p.emit(enc::op_imm(Op::ADDI, 0, 0, 6));
  p.exit(0);
  const elf::ElfImage image = p.image();
  const ProvingSetup s = fast_setup(image);
  ProgramImage forged = s.program;
  forged.program[0].rd_w = true;
  vm::Vm vm(image, {});
  vm::Trace trace;
  const vm::RunResult result = vm.run_traced({}, &trace);
  const MachineWitness w =
      generate_witness(forged, s.machine, trace.steps, result, {}, {}, {}, stark::protocol::reserved_rows(s.params));
  // proven and rejected in AnInstructionThatIsNotTheProgramsIsRejected
  EXPECT_THAT(debugger_report(s, w), HasSubstr("program"));
}

// A padding row that writes a register: Jump's padding row (is_real = 0, so no state, no program
// lookup) claims rd_w = 1 and overwrites x7 with 0 between its write (1) and its read; every later
// record is edited to match, so the memory argument balances and the run "exits with 0". Only
// rd_w * (1 - is_real) = 0 stands in the way.
TEST(RiscvMachineForgery, APaddingRowThatWritesARegisterIsRejected) {
  TestProgram p;
  p.emit(enc::op_imm(Op::ADDI, 7, 0, 1));   // step 0, ts 4: x7 = 1, written at ts 7
  p.emit(enc::op_imm(Op::ADDI, 0, 0, 0));   // step 1, ts 8
  p.emit(enc::op_imm(Op::ADDI, 10, 7, 0));  // step 2, ts 12: a0 = x7, read at ts 12
  p.li(17, 93).emit(enc::ecall());
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  ASSERT_EQ(w.exit_code, 1);
  const JumpCols j = make_columns<JumpCols>();
  stark::Matrix<Fp>& jump = w.tables[kJumpTable].main;
  ASSERT_EQ(jump.at(1, j.core.is_real), Fp::zero());
  jump.at(1, j.core.rd_w) = Fp::one();
  jump.at(1, j.core.rd) = Fp::from_u32(7);
  jump.at(1, j.core.ts) = Fp::from_u32(5);  // writes at 5 + 3 = 8
  jump.at(1, j.rd.prev_ts) = Fp::from_u32(7);
  jump.at(1, j.rd.prev_lo) = Fp::one();
  // Step 2 now reads 0 from the forged record, and a0 = 0 flows to the exit.
  const AddSubCols a = make_columns<AddSubCols>();
  stark::Matrix<Fp>& add = w.tables[kAddSubTable].main;
  ASSERT_EQ(add.at(2, a.core.pc), Fp::from_u32(TestProgram::kCode + 8));
  add.at(2, a.rs1.prev_ts) = Fp::from_u32(8);
  add.at(2, a.rs1.prev_lo) = Fp::zero();
  add.at(2, a.rs1.d0) = Fp::from_u32(12 - 8 - 1);
  add.at(2, a.r_lo) = Fp::zero();
  const ExitCols e = make_columns<ExitCols>();
  w.tables[kExitTable].main.at(0, e.a0.prev_lo) = Fp::zero();
  w.tables[kExitTable].public_values = {Fp::zero(), Fp::zero()};
  w.tables[kImageTable].main.at(7, ImageTable::kFinalLo) = Fp::zero();
  w.tables[kImageTable].main.at(10, ImageTable::kFinalLo) = Fp::zero();
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  const std::string report = debugger_report(s, w);
  EXPECT_THAT(report, HasSubstr("padding writes no register"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("bus")));  // everything else is consistent
  EXPECT_THAT(verifier_rejection(s, w), HasSubstr("does not verify"));
}

// --- The A extension's malicious witnesses --------------------------------------------------------

// A program with the image words 0x80000005 at kData and 0x11 at kData + 4, x5 = kData,
// x11 = kData + 4, x6 = 0x8000000f, x9 = 0x12345678, then `body`, then exit(0).
template <class Body>
TestProgram atomic_forgery_program(Body body) {
  TestProgram p;
  p.data() = {0x05, 0x00, 0x00, 0x80, 0x11, 0x00, 0x00, 0x00};
  p.li(5, TestProgram::kData).li(11, TestProgram::kData + 4).li(6, 0x8000000fu).li(9, 0x12345678u);
  body(p);
  p.exit(0);
  return p;
}

// Atomic row `row` claims a memory access that leaves `value` in the image word at `addr` (whose
// initial record it consumes; no other step touches that word), and the Image table's final record
// follows: the memory argument balances whatever the row's multiplicity says it should.
void forge_atomic_write(const ProvingSetup& s, MachineWitness& w, size_t row, uint32_t addr, uint32_t value) {
  const AtomicCols c = make_columns<AtomicCols>();
  stark::Matrix<Fp>& t = w.tables[kAtomicTable].main;
  const uint32_t ts = t.at(row, c.core.ts).to_u32() + kSlotMemory;
  const size_t image = image_row(s.program, kMemorySpace, addr / 4);
  const uint32_t initial = s.program.image[image].value;
  t.at(row, c.mem.prev_ts) = Fp::zero();
  t.at(row, c.mem.prev_lo) = Fp::from_u32(initial & 0xffff);
  t.at(row, c.mem.prev_hi) = Fp::from_u32(initial >> 16);
  t.at(row, c.mem.d0) = Fp::from_u32((ts - 1) & 0xffff);
  t.at(row, c.mem.d1) = Fp::from_u32((ts - 1) >> 16);
  t.at(row, c.new_lo) = Fp::from_u32(value & 0xffff);
  t.at(row, c.new_hi) = Fp::from_u32(value >> 16);
  // The old word's bytes and its comparison with rs2, as an honest row with that old word has them.
  const uint32_t b = t.at(row, c.rs2.prev_lo).to_u32() | t.at(row, c.rs2.prev_hi).to_u32() << 16;
  for (int k = 0; k < 4; ++k) {
    t.at(row, c.a[k]) = Fp::from_u32(initial >> (8 * k) & 0xff);
    t.at(row, c.x[k]) = Fp::from_u32((initial ^ b) >> (8 * k) & 0xff);
  }
  const uint32_t br0 = (initial & 0xffff) < (b & 0xffff) ? 1 : 0;
  t.at(row, c.cmp.d_lo) = Fp::from_u32(((initial & 0xffff) - (b & 0xffff)) & 0xffff);
  t.at(row, c.cmp.d_hi) = Fp::from_u32(((initial >> 16) - (b >> 16) - br0) & 0xffff);
  t.at(row, c.cmp.br0) = Fp::from_u32(br0);
  t.at(row, c.cmp.br1) = Fp::from_u32(initial < b ? 1 : 0);
  t.at(row, c.cmp.sa) = Fp::from_u32(initial >> 31);
  t.at(row, c.cmp.ra) = Fp::from_u32(initial >> 16 & 0x7fff);
  t.at(row, c.cmp.lt) = Fp::from_u32(static_cast<int32_t>(initial) < static_cast<int32_t>(b) ? 1 : 0);
  stark::Matrix<Fp>& image_table = w.tables[kImageTable].main;
  image_table.at(image, ImageTable::kFinalTs) = Fp::from_u32(ts);
  image_table.at(image, ImageTable::kFinalLo) = Fp::from_u32(value & 0xffff);
  image_table.at(image, ImageTable::kFinalHi) = Fp::from_u32(value >> 16);
}

// SC.W with no reservation claims success: it stores rs2 and returns 0. The store is a consistent
// memory access; only the reservation match (the record holds 0, not rs1 + 1) stands in the way.
TEST(RiscvMachineForgery, AnScWithoutAReservationCannotSucceed) {
  const TestProgram p = atomic_forgery_program([](TestProgram& q) { q.emit(enc::amo(Op::SC_W, 0, 5, 6)); });
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  const AtomicCols c = make_columns<AtomicCols>();
  stark::Matrix<Fp>& t = w.tables[kAtomicTable].main;
  ASSERT_EQ(t.at(0, c.is_sc), Fp::one());
  t.at(0, c.eq) = Fp::one();
  t.at(0, c.inv_lo) = Fp::zero();
  t.at(0, c.inv_hi) = Fp::zero();
  t.at(0, c.r_lo) = Fp::zero();
  forge_atomic_write(s, w, 0, TestProgram::kData, 0x8000000fu);
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  const std::string report = debugger_report(s, w);
  expect_report_names_only(report, "constraint a match: ");  // both limbs: the record holds 0
  EXPECT_THAT(verifier_rejection(s, w), HasSubstr("does not verify"));
}

// A failed SC.W (rd = 1) that still stores: the memory access's multiplicity is the success bit, so
// the store's records are never sent or consumed and the memory argument does not balance.
TEST(RiscvMachineForgery, AFailedScThatStoresIsRejected) {
  const TestProgram p = atomic_forgery_program([](TestProgram& q) { q.emit(enc::amo(Op::SC_W, 0, 5, 6)); });
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  const AtomicCols c = make_columns<AtomicCols>();
  ASSERT_EQ(w.tables[kAtomicTable].main.at(0, c.eq), Fp::zero());
  forge_atomic_write(s, w, 0, TestProgram::kData, 0x8000000fu);
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  const std::string report = debugger_report(s, w);
  expect_report_names_only(report, "bus 3 (memory)");
  EXPECT_THAT(verifier_rejection(s, w), HasSubstr("does not verify"));
}

// SC.W to kData + 4 after LR.W on kData claims the reservation was on kData + 4: the row is
// consistent (the match holds against the claimed record), but LR never left that record.
TEST(RiscvMachineForgery, AForgedReservationAddressIsRejected) {
  const TestProgram p = atomic_forgery_program([](TestProgram& q) {
    q.emit(enc::amo(Op::LR_W, 0, 5, 0));
    q.emit(enc::amo(Op::SC_W, 0, 11, 6));
  });
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  const AtomicCols c = make_columns<AtomicCols>();
  stark::Matrix<Fp>& t = w.tables[kAtomicTable].main;
  ASSERT_EQ(t.at(1, c.is_sc), Fp::one());
  ASSERT_EQ(t.at(1, c.eq), Fp::zero());
  t.at(1, c.res.prev_lo) = Fp::from_u32((TestProgram::kData + 4 + 1) & 0xffff);
  t.at(1, c.eq) = Fp::one();
  t.at(1, c.inv_lo) = Fp::zero();
  t.at(1, c.inv_hi) = Fp::zero();
  t.at(1, c.r_lo) = Fp::zero();
  forge_atomic_write(s, w, 1, TestProgram::kData + 4, 0x8000000fu);
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  // proven and rejected in AFailedScThatStoresIsRejected
  expect_report_names_only(debugger_report(s, w), "bus 3 (memory)");
}

// Each AMO family leaves a word one bit off its result (0x80000005 op rs2), with the memory records
// following: only that family's constraint on the new word stands in the way. (The Atomic table's
// forgery proven and rejected: AnScWithoutAReservationCannotSucceed.)
TEST(RiscvMachineForgery, AForgedAmoResultIsRejected) {
  struct Case {
    Op op;
    uint32_t rs2;
    const char* constraint;
  };
  for (const Case& k : std::vector<Case>{{Op::AMOSWAP_W, 6, "SC and AMOSWAP store rs2: lo"},
                                         {Op::AMOADD_W, 9, "limb add: lo limb"},
                                         {Op::AMOXOR_W, 9, "AMO logic: lo"},
                                         {Op::AMOAND_W, 6, "AMO logic: lo"},
                                         {Op::AMOOR_W, 9, "AMO logic: lo"},
                                         {Op::AMOMAXU_W, 6, "min/max: lo"}}) {
    const TestProgram p = atomic_forgery_program([&](TestProgram& q) { q.emit(enc::amo(k.op, 0, 5, k.rs2)); });
    const ProvingSetup s = fast_setup(p.image());
    MachineWitness w = run_witness(s, p.image(), {});
    const AtomicCols c = make_columns<AtomicCols>();
    stark::Matrix<Fp>& t = w.tables[kAtomicTable].main;
    const uint32_t honest = t.at(0, c.new_lo).to_u32() | t.at(0, c.new_hi).to_u32() << 16;
    forge_atomic_write(s, w, 0, TestProgram::kData, honest ^ 1);
    fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
    expect_report_names_only(debugger_report(s, w), std::string("constraint ") + k.constraint);
  }
}

// AMOADD returns the old word in rd (a0, then the exit code): a forged rd that the register and the
// exit follow is caught by the row alone.
TEST(RiscvMachineForgery, AForgedAmoReturnValueIsRejected) {
  TestProgram p;
  p.data() = {0x05, 0x00, 0x00, 0x00};
  p.li(5, TestProgram::kData).li(9, 3);
  p.emit(enc::amo(Op::AMOADD_W, 10, 5, 9));  // a0 = 5, the word becomes 8
  p.li(17, 93).emit(enc::ecall());
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  ASSERT_EQ(w.exit_code, 5);
  const AtomicCols c = make_columns<AtomicCols>();
  w.tables[kAtomicTable].main.at(0, c.r_lo) = Fp::from_u32(8);
  const ExitCols e = make_columns<ExitCols>();
  w.tables[kExitTable].main.at(0, e.a0.prev_lo) = Fp::from_u32(8);
  w.tables[kExitTable].public_values = {Fp::from_u32(8), Fp::zero()};
  w.tables[kImageTable].main.at(10, ImageTable::kFinalLo) = Fp::from_u32(8);
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  // proven and rejected in AnScWithoutAReservationCannotSucceed
  expect_report_names_only(debugger_report(s, w), "constraint LR and AMOs return the old word: lo");
}

// AMOMIN on 0x80000005 and 0x12345678 keeps the old (negative) word; a row that keeps rs2, the
// unsigned minimum, contradicts the comparison's signed order.
TEST(RiscvMachineForgery, AnAmominWithTheUnsignedOrderIsRejected) {
  const TestProgram p = atomic_forgery_program([](TestProgram& q) { q.emit(enc::amo(Op::AMOMIN_W, 0, 5, 9)); });
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  const AtomicCols c = make_columns<AtomicCols>();
  stark::Matrix<Fp>& t = w.tables[kAtomicTable].main;
  ASSERT_EQ(t.at(0, c.pick_old), Fp::one());
  t.at(0, c.pick_old) = Fp::zero();
  forge_atomic_write(s, w, 0, TestProgram::kData, 0x12345678u);
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  // proven and rejected in AnScWithoutAReservationCannotSucceed
  expect_report_names_only(debugger_report(s, w), "constraint min/max: which word stays");
}

// An LR.W of a read-only word that claims the writable space consumes a record nobody sent; an AMO
// that claims the read-only space (to change a word the program cannot write) breaks its row: only
// LR.W may name that space.
TEST(RiscvMachineForgery, AnAtomicAccessInTheWrongSpaceIsRejected) {
  const AtomicCols c = make_columns<AtomicCols>();
  {
    const TestProgram p = read_only_lr_program();
    const ProvingSetup s = fast_setup(p.image());
    MachineWitness w = run_witness(s, p.image(), {});
    stark::Matrix<Fp>& t = w.tables[kAtomicTable].main;
    ASSERT_EQ(t.at(0, c.read_only), Fp::one());
    t.at(0, c.read_only) = Fp::zero();
    fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
    // proven and rejected in AFailedScThatStoresIsRejected
    expect_report_names_only(debugger_report(s, w), "bus 3 (memory)");
  }
  const TestProgram amo = atomic_forgery_program([](TestProgram& q) { q.emit(enc::amo(Op::AMOSWAP_W, 0, 5, 6)); });
  const ProvingSetup sa = fast_setup(amo.image());
  MachineWitness w = run_witness(sa, amo.image(), {});
  stark::Matrix<Fp>& t = w.tables[kAtomicTable].main;
  ASSERT_EQ(t.at(0, c.is_swap), Fp::one());
  t.at(0, c.read_only) = Fp::one();
  fill_lookup_counts(sa.program, sa.machine, w, stark::protocol::reserved_rows(sa.params));
  EXPECT_THAT(debugger_report(sa, w), HasSubstr("constraint only LR reads read-only memory"));
}

// A FENCE that jumps: its row claims next pc = pc + 8, skipping `addi a0, a0, 1`, whose row is
// dropped; the exit then runs a step earlier and reads a0 as 0 (its timestamps, records and the exit
// code edited to match). Only FENCE's pc + len stands in the way.
TEST(RiscvMachineForgery, AFenceThatSkipsAnInstructionIsRejected) {
  TestProgram p;
  p.li(17, 93);
  const uint32_t fence_pc = p.pc();
  p.emit(enc::fence()).emit(enc::op_imm(Op::ADDI, 10, 10, 1)).emit(enc::ecall());
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  ASSERT_EQ(w.exit_code, 1);
  const JumpCols j = make_columns<JumpCols>();
  stark::Matrix<Fp>& jump = w.tables[kJumpTable].main;
  size_t fence_row = 0;
  while (jump.at(fence_row, j.is_fence) != Fp::one()) ++fence_row;
  ASSERT_EQ(jump.at(fence_row, j.core.pc), Fp::from_u32(fence_pc));
  jump.at(fence_row, j.next_pc) = Fp::from_u32(fence_pc + 8);
  const AddSubCols a = make_columns<AddSubCols>();
  stark::Matrix<Fp>& add = w.tables[kAddSubTable].main;
  size_t add_row = 0;
  while (add.at(add_row, a.core.pc) != Fp::from_u32(fence_pc + 4)) ++add_row;
  for (size_t col = 0; col < add.width(); ++col) add.at(add_row, col) = Fp::zero();
  const ExitCols e = make_columns<ExitCols>();
  stark::Matrix<Fp>& exit = w.tables[kExitTable].main;
  const Fp four = Fp::from_u32(kTsPerStep);
  const Fp ts = exit.at(0, e.core.ts) - four;
  exit.at(0, e.core.ts) = ts;
  exit.at(0, e.a7.d0) = exit.at(0, e.a7.d0) - four;
  exit.at(0, e.a0.prev_ts) = Fp::zero();
  exit.at(0, e.a0.prev_lo) = Fp::zero();
  exit.at(0, e.a0.d0) = ts;  // read at ts + 1 from the initial record at 0
  w.tables[kExitTable].public_values = {Fp::zero(), Fp::zero()};
  stark::Matrix<Fp>& image = w.tables[kImageTable].main;
  image.at(17, ImageTable::kFinalTs) = ts;
  image.at(10, ImageTable::kFinalTs) = ts + Fp::one();
  image.at(10, ImageTable::kFinalLo) = Fp::zero();
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  // proven and rejected in APaddingRowThatWritesARegisterIsRejected
  const std::string report = debugger_report(s, w);
  EXPECT_THAT(report, HasSubstr("next pc"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("bus")));
}

// --- Malicious division rows ---------------------------------------------------------------------
// Each proves `op a0, t0, t1` on (a, b), exits with a0, and rewrites the Div row to claim quotient q
// and remainder m (every column derived from them made consistent: bytes, signs, |m|, the product's
// carries, |b| - |m| - 1), then carries the forged result into a0's later records and the exit code.
// Only the constraint named stands in the way. The Div table's forgery proven and rejected:
// ARemainderNotBelowTheDivisorIsRejected.

struct DivForgery {
  ProvingSetup setup;
  MachineWitness witness;
};

DivForgery forge_division(Op op, uint32_t a, uint32_t b, uint32_t q, uint32_t m, uint32_t overflow) {
  TestProgram p;
  p.li(5, a).li(6, b).emit(enc::op_reg(op, 10, 5, 6)).li(17, 93).emit(enc::ecall());
  DivForgery f{fast_setup(p.image()), {}};
  f.witness = run_witness(f.setup, p.image(), {});
  const DivCols c = make_columns<DivCols>();
  stark::Matrix<Fp>& row = f.witness.tables[kDivTable].main;
  const auto set = [&](int col, uint32_t v) { row.at(0, static_cast<size_t>(col)) = Fp::from_u32(v); };
  const bool is_signed = op == Op::DIV || op == Op::REM;
  const auto neg = [&](uint32_t v) -> uint32_t { return is_signed && (v >> 31) ? 1 : 0; };
  const auto bytes = [](uint32_t v, uint32_t ext) {
    std::array<uint32_t, 8> out{};
    for (int k = 0; k < 8; ++k) out[k] = k < 4 ? v >> (8 * k) & 0xff : 255 * ext;
    return out;
  };
  for (const auto& [w, v] : {std::pair{c.q, q}, std::pair{c.m, m}}) {
    for (int k = 0; k < 4; ++k) set(w.byte[k], v >> (8 * k) & 0xff);
    set(w.x[0], (v & 0xff) ^ (v >> 8 & 0xff));
    set(w.x[1], (v >> 16 & 0xff) ^ (v >> 24));
    set(w.sign, v >> 31);
    set(w.rest, v >> 24 & 0x7f);
  }
  set(c.neg_q, neg(q));
  set(c.neg_m, neg(m));
  set(c.overflow, overflow);
  const std::array<uint32_t, 8> x = bytes(q, neg(q) - overflow), y = bytes(b, neg(b)), add = bytes(m, neg(m));
  uint32_t carry = 0;
  for (int j = 0; j < 8; ++j) {
    uint32_t column = carry + add[j];
    for (int i = 0; i <= j; ++i) column += x[i] * y[j - i];
    carry = column >> 8;
    set(c.carry[j], carry);
  }
  const uint32_t abs_b = neg(b) ? 0u - b : b, abs_m = neg(m) ? 0u - m : m;
  set(c.abs_m_lo, abs_m & 0xffff);
  set(c.abs_m_hi, abs_m >> 16);
  set(c.km, neg(m) && (m & 0xffff) != 0 ? 1 : 0);
  if (b != 0) {
    // |b| - |m| - 1 with its borrow; a negative difference leaves the hi limb's constraint unmet.
    const uint32_t borrow = (abs_b & 0xffff) < (abs_m & 0xffff) + 1 ? 1 : 0;
    set(c.borrow, borrow);
    set(c.d_lo, ((abs_b & 0xffff) - (abs_m & 0xffff) - 1) & 0xffff);
    set(c.d_hi, abs_m < abs_b ? (abs_b - abs_m - 1) >> 16 : 0);
  }
  const uint32_t r = op == Op::DIV || op == Op::DIVU ? q : m;
  set(c.r_lo, r & 0xffff);
  set(c.r_hi, r >> 16);
  const ExitCols e = make_columns<ExitCols>();
  f.witness.tables[kExitTable].main.at(0, e.a0.prev_lo) = Fp::from_u32(r & 0xffff);
  f.witness.tables[kExitTable].main.at(0, e.a0.prev_hi) = Fp::from_u32(r >> 16);
  f.witness.tables[kExitTable].public_values = {Fp::from_u32(r & 0xffff), Fp::from_u32(r >> 16)};
  f.witness.tables[kImageTable].main.at(10, ImageTable::kFinalLo) = Fp::from_u32(r & 0xffff);
  f.witness.tables[kImageTable].main.at(10, ImageTable::kFinalHi) = Fp::from_u32(r >> 16);
  fill_lookup_counts(f.setup.program, f.setup.machine, f.witness, stark::protocol::reserved_rows(f.setup.params));
  return f;
}

TEST(RiscvMachineForgery, AnHonestDivisionRowRewrittenAsItselfIsAccepted) {
  // The forging helper with the honest answer: nothing to reject, so the rejections below are the
  // forged values' alone.
  const DivForgery f = forge_division(Op::DIV, 0xfffffff9u, 2, 0xfffffffdu, 0xffffffffu, 0);
  EXPECT_EQ(debugger_report(f.setup, f.witness), "");
}

// 7 / 0 claims quotient 0 (the product holds for any quotient when b = 0).
TEST(RiscvMachineForgery, AQuotientOtherThanAllOnesForADivisionByZeroIsRejected) {
  const DivForgery f = forge_division(Op::DIVU, 7, 0, 0, 7, 0);
  const std::string report = debugger_report(f.setup, f.witness);
  EXPECT_THAT(report, HasSubstr("zero: q lo = 0xffff"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("bus")));
}

// 7 / 2 as 2 b + 3: the product holds, the remainder is not below the divisor.
TEST(RiscvMachineForgery, ARemainderNotBelowTheDivisorIsRejected) {
  const DivForgery f = forge_division(Op::DIVU, 7, 2, 2, 3, 0);
  const std::string report = debugger_report(f.setup, f.witness);
  EXPECT_THAT(report, HasSubstr("|b| - |m| - 1: hi limb"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("bus")));
  EXPECT_THAT(verifier_rejection(f.setup, f.witness), HasSubstr("does not verify"));
}

// -7 rem 2 as -4 b + 1 (floor division): |1| < 2, but the remainder's sign is not the dividend's.
TEST(RiscvMachineForgery, ARemainderWithTheWrongSignIsRejected) {
  const DivForgery f = forge_division(Op::REM, 0xfffffff9u, 2, 0xfffffffcu, 1, 0);
  const std::string report = debugger_report(f.setup, f.witness);
  EXPECT_THAT(report, HasSubstr("m lo = 0 when a is negative and m is not"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("bus")));
}

// -2^31 / -1 read as a sign-extended quotient (no overflow claimed): no quotient satisfies the
// product, the honest one (-2^31) included.
TEST(RiscvMachineForgery, TheOverflowQuotientWithoutTheOverflowFlagIsRejected) {
  const DivForgery f = forge_division(Op::DIV, 0x80000000u, 0xffffffffu, 0x80000000u, 0, 0);
  const std::string report = debugger_report(f.setup, f.witness);
  EXPECT_THAT(report, HasSubstr("product byte column"));
}

// The overflow flag on another division (-2^31 / 1), q then read unsigned: refused by the flag's
// pins on a and b, and by the product too (div_air.h: the pins are defence in depth; no other
// (a, b) has an unsigned-q solution).
TEST(RiscvMachineForgery, TheOverflowFlagOnAnotherDivisionIsRejected) {
  const DivForgery f = forge_division(Op::DIV, 0x80000000u, 1, 0x80000000u, 0, 1);
  const std::string report = debugger_report(f.setup, f.witness);
  EXPECT_THAT(report, HasSubstr("overflow: b lo = 0xffff"));
  EXPECT_THAT(report, HasSubstr("product byte column"));
}

}  // namespace
}  // namespace zkrv::riscv_air
