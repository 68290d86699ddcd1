// The ecalls of ABI v1 besides exit proven (write, the cycle regions, the cycle count), and the
// malicious witnesses the verifier must reject (a wrong return value, a wrong call number).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "isa/encode.h"
#include "riscv_air/ecall_air.h"
#include "riscv_air/exit_air.h"
#include "riscv_air/fixed_tables.h"
#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "stark/air/checker.h"
#include "vm/testing/program.h"

namespace zkrv::riscv_air {
namespace {

using isa::Op;
using ::testing::HasSubstr;
using vm::testing::TestProgram;
namespace enc = isa::encode;

ProvingSetup fast_setup(const elf::ElfImage& image) { return setup(image, stark::fast_profile()); }

// Every result folds into x20, which the program exits with.
TEST(RiscvMachineEcalls, ProvesWriteRegionsAndCycleCount) {
  TestProgram p;
  p.data() = {'h', 'e', 'l', 'l', 'o', 'r', 'g', 'n'};
  const auto fold = [&p] { p.emit(enc::op_reg(Op::XOR, 20, 20, 10)).emit(enc::op_imm(Op::SLLI, 20, 20, 1)); };
  for (const uint32_t fd : {1u, 2u, 3u, 0u, 0x10001u, 0x10002u, 0xffffffffu}) {
    p.li(10, fd).li(11, TestProgram::kData).li(12, 5).ecall(64);  // write: 5 or -9
    fold();
  }
  p.li(10, TestProgram::kData + 5).li(11, 3).ecall(0x5A4B0001);  // region "rgn"
  fold();
  p.ecall(0x5A4B0003);  // the cycle count: a0 and a1
  fold();
  p.emit(enc::op_reg(Op::XOR, 20, 20, 11));
  p.li(10, TestProgram::kData + 5).li(11, 3).ecall(0x5A4B0002);
  fold();
  p.ecall(0x5A4B0003);
  fold();
  p.exit_with(20);
  const elf::ElfImage image = p.image();
  const TestProgram::Outcome run = p.run();
  ASSERT_EQ(run.result.reason, vm::StopReason::kExit) << run.fault_message;
  ASSERT_EQ(run.stdout_log, "hello");
  ASSERT_EQ(run.stderr_log, "hello");
  const ProvingSetup s = fast_setup(image);
  const ProveOutput out = prove(s, image, {});
  EXPECT_EQ(out.statement.exit_code, run.result.exit_code);
  EXPECT_EQ(verify(out.proof, program_id(s.key)).exit_code, run.result.exit_code);
}

std::string rejection(const ProvingSetup& s, const MachineWitness& w) {
  stark::prover::ProveOptions options;
  options.check_witness = false;
  options.check_final_degree = false;
  const std::vector<uint8_t> proof = prove_witness(s, w, options);
  try {
    verify(proof, program_id(s.key));
  } catch (const RejectedProof& e) {
    return e.what();
  }
  return "";
}

// The row checker and bus debugger on the witness as the prover runs them: the key's fixed
// columns, the rows before the reserved ones.
std::string debugger_report(const ProvingSetup& s, const MachineWitness& w) {
  const stark::air::Machine machine = statement_machine(s, w);
  return stark::air::check_machine(machine, s.pk.preprocessed, w.tables, 16, stark::protocol::reserved_rows(s.params))
      .to_string(machine);
}

// a0 after the ecall flows straight to the exit: the forgery edits the exit's read of it, its
// public values and a0's final record, so only the ecall row's own constraints stand in the way.
void forge_exit_code(MachineWitness& w, uint32_t code) {
  const ExitCols e = make_columns<ExitCols>();
  w.tables[kExitTable].main.at(0, e.a0.prev_lo) = Fp::from_u32(code & 0xffff);
  w.tables[kExitTable].main.at(0, e.a0.prev_hi) = Fp::from_u32(code >> 16);
  w.tables[kExitTable].public_values = {Fp::from_u32(code & 0xffff), Fp::from_u32(code >> 16)};
  w.tables[kImageTable].main.at(10, ImageTable::kFinalLo) = Fp::from_u32(code & 0xffff);
  w.tables[kImageTable].main.at(10, ImageTable::kFinalHi) = Fp::from_u32(code >> 16);
  w.exit_code = static_cast<int32_t>(code);
}

// write(3, buf, 5) returns -9; the forgery claims fd 3 is a standard stream, so a0 = 5.
TEST(RiscvMachineEcallForgery, AWrongReturnValueIsRejected) {
  TestProgram p;
  p.li(10, 3).li(11, TestProgram::kData).li(12, 5).ecall(64);
  p.ecall(93);  // exits with a0 = -9
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  ASSERT_EQ(w.exit_code, -9);
  ASSERT_EQ(debugger_report(s, w), "");  // the honest witness: the rejection below is the forgery's
  const EcallCols c = make_columns<EcallCols>();
  stark::Matrix<Fp>& ecall = w.tables[kEcallTable].main;
  ASSERT_EQ(ecall.at(0, c.is_write_other), Fp::one());
  ecall.at(0, c.is_write_other) = Fp::zero();
  ecall.at(0, c.is_write_std) = Fp::one();
  ecall.at(0, c.t) = ecall.at(0, c.inv_lo) = ecall.at(0, c.inv_hi) = Fp::zero();
  forge_exit_code(w, 5);
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  const std::string report = debugger_report(s, w);
  EXPECT_THAT(report, HasSubstr("write to fd 1 or 2: fd lo is 1 or 2"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("bus")));
  EXPECT_THAT(rejection(s, w), HasSubstr("does not verify"));
}

// zkrv_region_begin (a0 = 0) proven as zkrv_cycle_count (a0 = the step index): every record is
// consistent with the claim (a1 written at the ecall), only a7's number is not the claimed call's.
TEST(RiscvMachineEcallForgery, AWrongCallNumberIsRejected) {
  TestProgram p;
  p.ecall(0x5A4B0001);  // region with a0 = a1 = 0: the empty name
  p.ecall(93);          // exits with a0 = 0
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  ASSERT_EQ(w.exit_code, 0);
  const EcallCols c = make_columns<EcallCols>();
  stark::Matrix<Fp>& ecall = w.tables[kEcallTable].main;
  ASSERT_EQ(ecall.at(0, c.is_region_begin), Fp::one());
  const uint32_t ts = ecall.at(0, c.core.ts).to_u32();
  const uint32_t index = ts / kTsPerStep - 1;
  ecall.at(0, c.is_region_begin) = Fp::zero();
  ecall.at(0, c.is_cycle_count) = Fp::one();
  ecall.at(0, c.cnt_lo) = Fp::from_u32(index);
  ecall.at(0, c.x.d0) = Fp::from_u32(ts + kSlotRs2 - 1);  // a1's initial record, at ts 0
  w.tables[kImageTable].main.at(11, ImageTable::kFinalTs) = Fp::from_u32(ts + kSlotRs2);
  forge_exit_code(w, index);
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  const std::string report = debugger_report(s, w);
  EXPECT_THAT(report, HasSubstr("a7 lo is the call's"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("bus")));  // proven and rejected in AWrongReturnValueIsRejected
}

}  // namespace
}  // namespace zkrv::riscv_air
