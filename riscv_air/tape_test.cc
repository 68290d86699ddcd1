// The I/O tapes proven: rin, hin and wou end to end with the statement's public input and output,
// and the malicious witnesses the verifier must reject (a forged input word, output, length, a
// hint read twice with two values).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "isa/encode.h"
#include "riscv_air/exit_air.h"
#include "riscv_air/fixed_tables.h"
#include "riscv_air/prover.h"
#include "riscv_air/tape_columns.h"
#include "riscv_air/tape_words_air.h"
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

// Reads the public input's length and first word (one through an offset that wraps modulo 2^32)
// and a word past the payload, a hint word twice (the second read into x12, which goes nowhere), then writes a 5-byte output whose last word has
// bytes past the length, and a word past the output. Exits with the sum of what it read.
TestProgram tape_program() {
  TestProgram p;
  p.emit(enc::rin(5, 0, 0));      // the length
  p.li(6, 0xfffffffcu);
  p.emit(enc::rin(7, 6, 8));      // offset 0xfffffffc + 8 = 4: the first payload word
  p.emit(enc::rin(8, 0, 0x400));  // far past the payload: zero
  p.emit(enc::hin(9, 0, 4));
  p.emit(enc::hin(12, 0, 4));     // the same hint word again
  p.emit(enc::op_reg(Op::ADD, 10, 5, 7));
  p.emit(enc::op_reg(Op::ADD, 10, 10, 8));
  p.emit(enc::op_reg(Op::ADD, 10, 10, 9));
  p.li(13, 5).emit(enc::wou(13, 0, 0));           // output length 5
  p.li(13, 0x44332211u).emit(enc::wou(13, 0, 4));
  p.li(13, 0xaabbcc55u).emit(enc::wou(13, 0, 8));  // byte 0x55 is the output's; 0xaabbcc is past it
  p.li(13, 7).emit(enc::wou(13, 0, 40));          // beyond the output
  p.li(17, 93).emit(enc::ecall());
  return p;
}

vm::Inputs tape_inputs() { return {{0x10, 0x20, 0x30, 0x40, 0x50, 0x60}, {1, 0, 0, 0, 9, 0, 0, 0}}; }

TEST(RiscvMachineTapes, ProvesInputsAndOutput) {
  const TestProgram p = tape_program();
  const elf::ElfImage image = p.image();
  const TestProgram::Outcome run = p.run(tape_inputs());
  ASSERT_EQ(run.result.reason, vm::StopReason::kExit) << run.fault_message;
  ASSERT_EQ(run.result.exit_code, 6 + 0x40302010 + 1);
  ASSERT_EQ(run.result.public_output, (std::vector<uint8_t>{0x11, 0x22, 0x33, 0x44, 0x55}));
  const ProvingSetup s = fast_setup(image);
  const ProveOutput out = prove(s, image, tape_inputs());
  EXPECT_EQ(out.statement.public_input, tape_inputs().public_input);
  EXPECT_EQ(out.statement.public_output, run.result.public_output);
  const Statement verified = verify(out.proof, program_id(s.key));
  EXPECT_EQ(verified.exit_code, run.result.exit_code);
  EXPECT_EQ(verified.public_input, tape_inputs().public_input);
  EXPECT_EQ(verified.public_output, run.result.public_output);
}

TEST(RiscvMachineTapes, AnEmptyOutputAndInputProve) {
  TestProgram p;
  p.exit(0);
  const ProvingSetup s = fast_setup(p.image());
  const ProveOutput out = prove(s, p.image(), {});
  const Statement verified = verify(out.proof, program_id(s.key));
  EXPECT_TRUE(verified.public_input.empty());
  EXPECT_TRUE(verified.public_output.empty());
}

// --- Malicious witnesses ----------------------------------------------------------------------

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

std::string debugger_report(const ProvingSetup& s, const MachineWitness& w) {
  std::vector<stark::Matrix<Fp>> fixed;
  for (size_t t = 0; t < s.machine.num_tables(); ++t) fixed.push_back(s.machine.table(t).preprocessed());
  const stark::air::Machine machine = statement_machine(s, w);
  return stark::air::check_machine(machine, fixed, w.tables).to_string(machine);
}

struct TapeCase {
  TestProgram program = tape_program();
  ProvingSetup setup = fast_setup(program.image());
  MachineWitness witness = run_witness(setup, program.image(), tape_inputs());
};

// (RiscvMachineTapes.ProvesInputsAndOutput proves and verifies this witness's statement.)
TEST(RiscvMachineTapeForgery, AnHonestWitnessIsAccepted) {
  const TapeCase t;
  EXPECT_EQ(debugger_report(t.setup, t.witness), "");
}

// The statement claims another public input (its digest updated to match): the tables still hold
// the input the run read, which is not the statement's.
TEST(RiscvMachineTapeForgery, AForgedPublicInputWordIsRejected) {
  TapeCase t;
  t.witness.public_input[1] ^= 1;
  t.witness.tables[kPublicInputTable].public_values = io_digest(t.witness.public_input, false);
  EXPECT_THAT(debugger_report(t.setup, t.witness), HasSubstr("bus 7 (io)"));
  EXPECT_THAT(rejection(t.setup, t.witness), HasSubstr("does not verify"));
}

void forge_output(MachineWitness& w, std::vector<uint8_t> output) {
  w.public_output = std::move(output);
  std::vector<Fp>& values = w.tables[kOutputTable].public_values;
  const std::vector<Fp> tail(values.end() - 2, values.end());
  values = io_digest(w.public_output, true);
  values.insert(values.end(), tail.begin(), tail.end());
}

TEST(RiscvMachineTapeForgery, AForgedOutputIsRejected) {
  TapeCase t;
  std::vector<uint8_t> output = t.witness.public_output;
  output[4] ^= 0x80;
  forge_output(t.witness, output);
  // proven and rejected in AForgedPublicInputWordIsRejected
  EXPECT_THAT(debugger_report(t.setup, t.witness), HasSubstr("bus 7 (io)"));
}

// Bytes dropped: a 4-byte output (word 0 would say 4, the run's says 5); the tail left as it was.
TEST(RiscvMachineTapeForgery, AForgedLengthIsRejected) {
  TapeCase t;
  std::vector<uint8_t> output = t.witness.public_output;
  output.pop_back();
  forge_output(t.witness, output);
  t.witness.tables[kOutputTable].public_values[kIoDigestLimbs] = Fp::zero();
  t.witness.tables[kOutputTable].public_values[kIoDigestLimbs + 1] = Fp::zero();
  // proven and rejected in AForgedPublicInputWordIsRejected
  EXPECT_THAT(debugger_report(t.setup, t.witness), HasSubstr("bus 7 (io)"));
}

// The proof file's statement edited after proving: its digest no longer matches the proof's.
TEST(RiscvMachineTapeForgery, AnEditedStatementInTheProofFileIsRejected) {
  const TapeCase t;
  std::vector<uint8_t> proof = prove_witness(t.setup, t.witness);
  // "ZKRVRV", version, profile name "fast", then the public input's length and bytes.
  const size_t input_bytes = 6 + 1 + 1 + 4 + 4;
  ASSERT_EQ(proof[input_bytes], t.witness.public_input[0]);
  proof[input_bytes] ^= 1;
  std::string why;
  try {
    verify(proof, program_id(t.setup.key));
  } catch (const RejectedProof& e) {
    why = e.what();
  }
  EXPECT_THAT(why, HasSubstr("public input"));
}

// The second `hin` of the same word returns another value: everything downstream follows the
// forged value (the register, the word's final record), so only the memory argument disagrees.
TEST(RiscvMachineTapeForgery, AHintWordReadTwiceWithTwoValuesIsRejected) {
  TapeCase t;
  const TapeCols c = make_columns<TapeCols>();
  stark::Matrix<Fp>& tape = t.witness.tables[kTapeTable].main;
  const size_t second = 4;  // rin, rin, rin, hin, hin
  ASSERT_EQ(tape.at(second, c.is_hin), Fp::one());
  ASSERT_EQ(tape.at(second, c.r_lo), Fp::from_u32(1));
  tape.at(second, c.tape.prev_lo) = Fp::from_u32(2);
  tape.at(second, c.r_lo) = Fp::from_u32(2);
  const TapeWordsCols w = make_columns<TapeWordsCols>();
  stark::Matrix<Fp>& hints = t.witness.tables[kPrivateInputTable].main;
  ASSERT_EQ(hints.at(0, w.addr), Fp::one());
  hints.at(0, w.final_lo) = Fp::from_u32(2);
  t.witness.tables[kImageTable].main.at(12, ImageTable::kFinalLo) = Fp::from_u32(2);
  fill_lookup_counts(t.setup.program, t.setup.machine, t.witness);
  // proven and rejected in RiscvMachineForgery.AFailedScThatStoresIsRejected
  EXPECT_THAT(debugger_report(t.setup, t.witness), HasSubstr("bus 3 (memory)"));
}

}  // namespace
}  // namespace zkrv::riscv_air
