// The I/O tapes proven: rin, hin and wou end to end with the statement's public input and output,
// a guest reading past its hint's length, and the malicious witnesses the verifier must reject (a
// forged input word, output, length, a hint read twice with two values, hint bytes past the length).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "isa/encode.h"
#include "riscv_air/exit_air.h"
#include "riscv_air/fixed_tables.h"
#include "riscv_air/machine_testing.h"
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
using testing::debugger_report;
using testing::fast_setup;
using testing::verifier_rejection;
using vm::testing::TestProgram;
namespace enc = isa::encode;

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

// Reads its hint's length, then words 1 (payload), 2 (the boundary: byte 4 is the payload's last,
// bytes 5..7 past it), 3 (wholly past) and one far past (offset 0x1000); writes the four payload-side
// words to the output and exits with their sum.
TestProgram hint_past_length_program() {
  TestProgram p;
  p.emit(enc::hin(5, 0, 0));
  p.emit(enc::hin(6, 0, 4));
  p.emit(enc::hin(7, 0, 8));
  p.emit(enc::hin(8, 0, 12));
  p.li(9, 0x1000).emit(enc::hin(9, 9, 0));
  p.li(13, 16).emit(enc::wou(13, 0, 0));
  p.emit(enc::wou(5, 0, 4)).emit(enc::wou(6, 0, 8)).emit(enc::wou(7, 0, 12)).emit(enc::wou(8, 0, 16));
  p.emit(enc::op_reg(Op::ADD, 10, 5, 6));
  p.emit(enc::op_reg(Op::ADD, 10, 10, 7));
  p.emit(enc::op_reg(Op::ADD, 10, 10, 8));
  p.emit(enc::op_reg(Op::ADD, 10, 10, 9));
  p.li(17, 93).emit(enc::ecall());
  return p;
}

// The VM reads zero past the hint's length (docs/abi.md); the proof states what the run output.
TEST(RiscvMachineTapes, AGuestReadingPastItsHintLengthProves) {
  for (const std::vector<uint8_t>& hint : {std::vector<uint8_t>{0x11, 0x22, 0x33, 0x44, 0x55},
                                           std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7}, std::vector<uint8_t>{}}) {
    const TestProgram p = hint_past_length_program();
    const vm::Inputs inputs{{}, hint};
    const TestProgram::Outcome run = p.run(inputs);
    ASSERT_EQ(run.result.reason, vm::StopReason::kExit) << run.fault_message;
    const ProvingSetup s = fast_setup(p.image());
    const Statement verified = verify(prove(s, p.image(), inputs).proof, program_id(s.key));
    EXPECT_EQ(verified.exit_code, run.result.exit_code);
    EXPECT_EQ(verified.public_output, run.result.public_output);
    if (hint.size() == 5) {
      EXPECT_EQ(run.result.public_output,
                (std::vector<uint8_t>{5, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0, 0, 0, 0, 0, 0}));
    }
  }
}

// --- Malicious witnesses ----------------------------------------------------------------------

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
  EXPECT_THAT(verifier_rejection(t.setup, t.witness), HasSubstr("does not verify"));
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
  // "ZKRVRV", version, profile name "fast", parameter set, then the public input's length and bytes.
  const size_t input_bytes = 6 + 1 + 1 + 4 + 1 + 4;
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
  ASSERT_EQ(hints.at(1, w.addr), Fp::one());  // row 0 is word 0, the length
  hints.at(1, w.final_lo) = Fp::from_u32(2);
  t.witness.tables[kImageTable].main.at(12, ImageTable::kFinalLo) = Fp::from_u32(2);
  fill_lookup_counts(t.setup.program, t.setup.machine, t.witness, stark::protocol::reserved_rows(t.setup.params));
  // proven and rejected in RiscvMachineForgery.AFailedScThatStoresIsRejected
  EXPECT_THAT(debugger_report(t.setup, t.witness), HasSubstr("bus 3 (memory)"));
}

// A hint of 5 bytes (word 2 is the boundary: byte 4 below the length, bytes 5..7 past it), read
// past its length into registers nothing reads: a forged value changes only the word's records,
// the read, and the register's final record.
struct HintCase {
  TestProgram program = [] {
    TestProgram p;
    p.emit(enc::hin(12, 0, 8));   // word 2, the boundary
    p.emit(enc::hin(13, 0, 12));  // word 3, past the length
    p.exit(0);
    return p;
  }();
  ProvingSetup setup = fast_setup(program.image());
  MachineWitness witness = run_witness(setup, program.image(), {{}, {1, 2, 3, 4, 5}});

  // Tape row `step` reads private word `word` (row `word` - 1 of PrivateInput: words 0, 2, 3) into
  // register `reg`: all now `value`.
  void forge(size_t step, uint32_t word, uint32_t reg, uint32_t value) {
    const TapeCols c = make_columns<TapeCols>();
    const TapeWordsCols w = make_columns<TapeWordsCols>();
    stark::Matrix<Fp>& tape = witness.tables[kTapeTable].main;
    stark::Matrix<Fp>& hints = witness.tables[kPrivateInputTable].main;
    const size_t row = word - 1;
    ASSERT_EQ(hints.at(row, w.addr), Fp::from_u32(word));
    ASSERT_EQ(tape.at(step, c.r_lo), hints.at(row, w.init_lo));
    const Fp lo = Fp::from_u32(value & 0xffff), hi = Fp::from_u32(value >> 16);
    tape.at(step, c.tape.prev_lo) = tape.at(step, c.r_lo) = hints.at(row, w.init_lo) = hints.at(row, w.final_lo) = lo;
    tape.at(step, c.tape.prev_hi) = tape.at(step, c.r_hi) = hints.at(row, w.init_hi) = hints.at(row, w.final_hi) = hi;
    witness.tables[kImageTable].main.at(reg, ImageTable::kFinalLo) = lo;
    witness.tables[kImageTable].main.at(reg, ImageTable::kFinalHi) = hi;
    fill_lookup_counts(setup.program, setup.machine, witness, stark::protocol::reserved_rows(setup.params));
  }
};

TEST(RiscvMachineTapeForgery, AnHonestHintCaseIsAccepted) {
  HintCase t;
  EXPECT_EQ(debugger_report(t.setup, t.witness), "");
  t.forge(0, 2, 12, 5);  // the word's own value: still honest
  t.forge(1, 3, 13, 0);
  EXPECT_EQ(debugger_report(t.setup, t.witness), "");
}

// Word 3 holds no byte below the length: a nonzero value there is what a guest hashing whole words
// would be proven with if the table let the prover choose it.
TEST(RiscvMachineTapeForgery, AHintWordPastTheLengthIsRejected) {
  HintCase t;
  t.forge(1, 3, 13, 0x100);
  EXPECT_THAT(debugger_report(t.setup, t.witness), HasSubstr("past the boundary the input is zero: lo"));
  EXPECT_THAT(verifier_rejection(t.setup, t.witness), HasSubstr("does not verify"));
}

// The boundary word keeps its one byte below the length (5); byte 2 set is past it. (Byte 1 fails
// the low limb's 8-bit lookup: RiscvTablesProbe.PrivateInputBoundaryWordKeepsItsBytesBelowTheLength.)
TEST(RiscvMachineTapeForgery, AHintByteInTheLastWordPastTheLengthIsRejected) {
  HintCase t;
  t.forge(0, 2, 12, 0x00010005);
  // proven and rejected in AHintWordPastTheLengthIsRejected
  EXPECT_THAT(debugger_report(t.setup, t.witness), HasSubstr("the boundary word's hi is zero unless L mod 4 = 3"));
}

// The table claims no row is past the length (so no boundary, no zero words): the last real row must
// be past, which is what makes the boundary word a row of every proof.
TEST(RiscvMachineTapeForgery, AHintTableThatNeverPassesTheLengthIsRejected) {
  HintCase t;
  const PrivateLengthCols l = make_columns<PrivateWordsCols>().len;
  stark::Matrix<Fp>& hints = t.witness.tables[kPrivateInputTable].main;
  for (size_t r = 0; r < hints.rows(); ++r) hints.at(r, l.past) = hints.at(r, l.boundary) = Fp::zero();
  t.forge(1, 3, 13, 0x100);
  // proven and rejected in AHintWordPastTheLengthIsRejected
  EXPECT_EQ(debugger_report(t.setup, t.witness),
            "table private_input: constraint the last real row is past fails at row 2 (value 1)\n");
}

}  // namespace
}  // namespace zkrv::riscv_air
