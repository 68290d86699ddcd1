// Precompile calls proven end to end: guests that call zkrv.keccak_f1600 or zkrv.keccak_absorb
// (custom-0) once and several times prove and verify, their state as the VM leaves it; the
// refusals (no circuit, a misaligned state or block, aliased absorb buffers); and malicious
// witnesses the bus debugger names and the verifier rejects.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "isa/encode.h"
#include "precompile_air/keccak_absorb/absorb_air.h"
#include "precompile_air/keccak_f1600/keccak_air.h"
#include "riscv_air/key.h"
#include "riscv_air/machine_testing.h"
#include "riscv_air/precompile_call_air.h"
#include "riscv_air/precompile_testing.h"
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
namespace keccak = precompile_air::keccak_f1600;

constexpr uint32_t kKeccakIndex = 9;
constexpr uint32_t kWidgetIndex = 2;

using testing::debugger_report;
using testing::fast_setup;
using testing::precompile_config;
using testing::refusal_of_run;
using testing::verifier_rejection;

// A state of distinct bytes at kData (and a second one 0x400 above it).
TestProgram keccak_program() {
  TestProgram p;
  p.declare_precompile(kKeccakIndex, std::string(kKeccakF1600Name), "^1.0.0");
  p.data().resize(0x400 + 200);
  for (size_t i = 0; i < p.data().size(); ++i) p.data()[i] = static_cast<uint8_t>(i * 7 + 1);
  return p;
}

// Exit code: word 0 xor word 49 of the state at kData.
TestProgram& exit_with_state(TestProgram& p) {
  p.li(10, TestProgram::kData);
  p.emit(enc::load(Op::LW, 11, 10, 0));
  p.emit(enc::load(Op::LW, 12, 10, 196));
  p.emit(enc::op_reg(Op::XOR, 11, 11, 12));
  return p.exit_with(11);
}

TestProgram one_call_program() {
  TestProgram p = keccak_program();
  p.li(10, TestProgram::kData);
  p.emit(enc::precompile(kKeccakIndex, 0, 10, 0));
  return exit_with_state(p);
}

// Three calls on the state at kData in a loop, one on the second state (rd = x5, rs2 = x6).
TestProgram several_calls_program() {
  TestProgram p = keccak_program();
  p.li(10, TestProgram::kData);
  p.li(6, 3);
  const uint32_t loop = p.pc();
  p.emit(enc::precompile(kKeccakIndex, 0, 10, 0));
  p.emit(enc::op_imm(Op::ADDI, 6, 6, -1));
  p.emit(enc::branch(Op::BNE, 6, 0, static_cast<int32_t>(loop - p.pc())));
  p.li(13, TestProgram::kData + 0x400);
  p.emit(enc::precompile(kKeccakIndex, 5, 13, 6));
  return exit_with_state(p);
}

uint32_t expected_exit(size_t calls) {
  TestProgram p = keccak_program();
  keccak::State state{};
  std::memcpy(state.data(), p.data().data(), 200);
  for (size_t k = 0; k < calls; ++k) keccak::permute(state);
  return static_cast<uint32_t>(state[0]) ^ static_cast<uint32_t>(state[24] >> 32);
}

void expect_proven_as_run(const TestProgram& p, uint32_t exit_code) {
  const elf::ElfImage image = p.image();
  const TestProgram::Outcome run = p.run({}, precompile_config());
  ASSERT_EQ(run.result.reason, vm::StopReason::kExit) << run.fault_message;
  ASSERT_EQ(static_cast<uint32_t>(run.result.exit_code), exit_code);
  const ProvingSetup s = fast_setup(image);
  const ProveOutput out = prove(s, image, {}, precompile_config());
  EXPECT_EQ(out.statement.exit_code, run.result.exit_code);
  EXPECT_EQ(out.steps, run.result.instructions);
  EXPECT_EQ(verify(out.proof, program_id(s.key)).exit_code, run.result.exit_code);
}

TEST(PrecompileCalls, OneKeccakCallProvesAndVerifies) { expect_proven_as_run(one_call_program(), expected_exit(1)); }

TEST(PrecompileCalls, SeveralKeccakCallsProveAndVerify) {
  expect_proven_as_run(several_calls_program(), expected_exit(3));
}

// The machine has the keccak table only for a program that declares keccak-f, answering its index;
// the declaration is in the program key, so the id differs with the index.
TEST(PrecompileCalls, TheProgramKeyHoldsTheDeclaredPrecompiles) {
  const ProvingSetup s = fast_setup(one_call_program().image());
  EXPECT_EQ(s.machine.num_tables(), size_t{kNumTables} + 1);
  ASSERT_EQ(s.key.shape.precompiles.size(), 1u);
  EXPECT_EQ(s.key.shape.precompiles[0].index, kKeccakIndex);
  EXPECT_EQ(s.key.shape.precompiles[0].name, kKeccakF1600Name);
  TestProgram plain;
  plain.exit(0);
  EXPECT_EQ(fast_setup(plain.image()).machine.num_tables(), size_t{kNumTables});
  TestProgram other = keccak_program();
  other.precompile_note().clear();
  other.declare_precompile(kKeccakIndex + 1, std::string(kKeccakF1600Name), "^1.0.0");
  other.li(10, TestProgram::kData).emit(enc::precompile(kKeccakIndex, 0, 10, 0));
  exit_with_state(other);
  EXPECT_NE(program_id(fast_setup(other.image()).key), program_id(s.key));
  // The key round-trips through a proof file with its precompiles (the STARK proof's bytes aside).
  const ProofFile decoded = decode_proof_file(encode_proof_file({"fast", 0, s.key, {1}, {}, {}}));
  EXPECT_EQ(decoded.key.shape.precompiles, s.key.shape.precompiles);
  EXPECT_EQ(program_id(decoded.key), program_id(s.key));
}

std::string refusal(const TestProgram& p) { return refusal_of_run(p.image(), precompile_config()); }

TEST(PrecompileCalls, ACallToAPrecompileWithoutACircuitIsRefusedNamingIt) {
  TestProgram p = keccak_program();
  p.declare_precompile(kWidgetIndex, "acme.widget", "^1.0.0");
  p.li(10, 5);
  p.emit(enc::precompile(kWidgetIndex, 11, 10, 0));
  p.exit_with(11);
  ASSERT_EQ(p.run({}, precompile_config()).result.exit_code, 6);
  EXPECT_THAT(refusal(p), HasSubstr("precompile acme.widget (index 2) has no circuit"));
}

// The program id holds the declared requirement: a keccak-f it asks for in a version the circuit is
// not gets no table, and its calls are refused rather than proven against version 1.0.0.
TEST(PrecompileCalls, ACallToAVersionTheCircuitIsNotIsRefused) {
  EXPECT_TRUE(has_circuit(kKeccakF1600Name, "^1.0.0"));
  EXPECT_TRUE(has_circuit(kKeccakF1600Name, "*"));
  EXPECT_FALSE(has_circuit(kKeccakF1600Name, "^2.0.0"));
  EXPECT_FALSE(has_circuit(kKeccakF1600Name, "not a requirement"));
  EXPECT_FALSE(has_circuit("acme.widget", "*"));
  // What the CLI's refusal tells apart: no circuit at all, or one for another version.
  EXPECT_EQ(circuit_version(kKeccakF1600Name), std::optional<std::string_view>(kKeccakF1600Version));
  EXPECT_EQ(circuit_version("acme.widget"), std::nullopt);
  EXPECT_EQ(why_no_circuit("acme.widget", "*"), "no circuit proves it");
  TestProgram p;
  p.declare_precompile(kKeccakIndex, std::string(kKeccakF1600Name), "^2.0.0");
  p.data().resize(200);
  p.li(10, TestProgram::kData);
  p.emit(enc::precompile(kKeccakIndex, 0, 10, 0));
  p.exit(0);
  ASSERT_EQ(p.run({}, precompile_config()).result.reason, vm::StopReason::kExit);
  EXPECT_THAT(refusal(p), HasSubstr("precompile zkrv.keccak_f1600 (index 9) has no circuit: its calls are not "
                                    "proven (declared as version ^2.0.0, which the circuit this zkrv has for it "
                                    "(version 1.0.0) does not satisfy)"));
}

TEST(PrecompileCalls, AMisalignedStateIsRefused) {
  TestProgram p = keccak_program();
  p.li(10, TestProgram::kData + 2);
  p.emit(enc::precompile(kKeccakIndex, 0, 10, 0));
  p.exit(0);
  ASSERT_EQ(p.run({}, precompile_config()).result.reason, vm::StopReason::kExit);
  EXPECT_THAT(refusal(p), HasSubstr("is not word aligned"));
}

// keccak-f declared at two indices (the SDK's 1016 and a guest's own): a table for each, each
// answering its own index's calls.
TEST(PrecompileCalls, KeccakDeclaredAtTwoIndicesProvesCallsToBoth) {
  TestProgram p = keccak_program();
  p.declare_precompile(kKeccakIndex + 1, std::string(kKeccakF1600Name), "^1.0.0");
  p.li(10, TestProgram::kData);
  p.emit(enc::precompile(kKeccakIndex, 0, 10, 0));
  p.emit(enc::precompile(kKeccakIndex + 1, 0, 10, 0));
  exit_with_state(p);
  EXPECT_EQ(fast_setup(p.image()).machine.num_tables(), size_t{kNumTables} + 2);
  expect_proven_as_run(p, expected_exit(2));
}

// --- Malicious witnesses ------------------------------------------------------------------------

// As in machine_test.cc, the bus debugger decides each forgery and a proof of the forged witness is
// made for one per bus (PRECOMPILE, PRECOMPILE_WORD, keccak-f's call columns); under
// AddressSanitizer only the first of those and the honest one are proven (a proof with the
// 2,468-column keccak table is field arithmetic the sanitizers have nothing to see in).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kProveEveryForgery = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kProveEveryForgery = false;
#else
constexpr bool kProveEveryForgery = true;
#endif
#else
constexpr bool kProveEveryForgery = true;
#endif

struct Forgery {
  ProvingSetup setup;
  MachineWitness witness;
  size_t reserved = 0;
  stark::air::TableWitness& keccak() { return witness.tables[kNumTables]; }
  Fp& call(int column) { return witness.tables[kPrecompileCallTable].main.at(0, static_cast<size_t>(column)); }
  Fp& memory(size_t row, int column) { return witness.tables[kPrecompileMemoryTable].main.at(row, static_cast<size_t>(column)); }
  std::string report() {
    fill_lookup_counts(setup.program, setup.machine, witness, reserved);
    return debugger_report(setup, witness);
  }
};

Forgery forgery_of(const TestProgram& p) {
  Forgery f{fast_setup(p.image()), {}, 0};
  f.witness = run_witness(f.setup, p.image(), {}, precompile_config());
  f.reserved = stark::protocol::reserved_rows(f.setup.params);
  return f;
}

TEST(PrecompileCallsForgery, AnHonestWitnessIsAccepted) {
  Forgery f = forgery_of(one_call_program());
  EXPECT_EQ(f.report(), "");
  EXPECT_EQ(verifier_rejection(f.setup, f.witness), "");
}

// The keccak table answers no call: its permutation is a padding one (active = 0 on every row,
// every keccak constraint holds), so the call's message and the words' reads and writes are unmatched.
TEST(PrecompileCallsForgery, ACallWithNoTableRow) {
  Forgery f = forgery_of(one_call_program());
  f.keccak() = keccak::keccak_witness(std::vector<keccak::State>{keccak::State{}}, f.reserved);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(precompile_call row 0 sends x1)"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("constraint")));
  EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
}

// A permutation that answers a call no PrecompileCall row made (a second one at the first's ts).
TEST(PrecompileCallsForgery, ATableRowWithNoCall) {
  Forgery f = forgery_of(several_calls_program());
  const stark::air::TableWitness& honest = f.keccak();
  std::vector<keccak::Call> calls;
  for (size_t k = 0; k < 4; ++k) {
    const size_t row = k * keccak::kRounds;
    keccak::Call call;
    call.ts = honest.main.at(row, keccak::KeccakColumns::kTs).to_u32();
    call.ptr = honest.main.at(row, keccak::KeccakColumns::kPtrLo).to_u32() |
               honest.main.at(row, keccak::KeccakColumns::kPtrHi).to_u32() << 16;
    call.rs2 = honest.main.at(row, keccak::KeccakColumns::kRs2Lo).to_u32();
    for (size_t w = 0; w < keccak::kStateWords; ++w) {
      const uint64_t word = honest.main.at(row, keccak::KeccakColumns::word(w, 0)).to_u32() |
                            honest.main.at(row, keccak::KeccakColumns::word(w, 1)).to_u32() << 16;
      call.input[w / 2] |= word << (32 * (w % 2));
    }
    calls.push_back(call);
  }
  calls.push_back(calls.front());
  f.keccak() = keccak::keccak_call_witness(calls, f.reserved);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("keccak_f1600[9] row 96 receives x1)"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("constraint")));
}

// The call row names another index than its instruction's (the table answers only its own).
TEST(PrecompileCallsForgery, ARowAnsweringAnotherIndex) {
  Forgery f = forgery_of(one_call_program());
  const PrecompileCallCols c = make_columns<PrecompileCallCols>();
  f.call(c.core.imm) = Fp::from_u32(kKeccakIndex + 1);
  f.call(c.core.imm_lo) = Fp::from_u32(kKeccakIndex + 1);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(program)"));
  EXPECT_THAT(report, HasSubstr("(precompile)"));
}

// The memory row writes back a word the keccak table did not output.
TEST(PrecompileCallsForgery, AForgedOutputWord) {
  Forgery f = forgery_of(one_call_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  f.memory(7, m.after_lo) = f.memory(7, m.after_lo) + Fp::one();
  EXPECT_THAT(f.report(), HasSubstr("(precompile_word)"));
  if (kProveEveryForgery) {
    EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
  }
}

// The keccak table's output word differs from its round-23 output limbs (the memory row follows it).
TEST(PrecompileCallsForgery, AnOutputWordOtherThanThePermutations) {
  Forgery f = forgery_of(one_call_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  f.memory(3, m.after_lo) = f.memory(3, m.after_lo) + Fp::one();
  Fp& word = f.keccak().main.at(keccak::kRounds - 1, static_cast<size_t>(keccak::KeccakColumns::word(3, 0)));
  word = word + Fp::one();
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("constraint call: the output word fails at row 23"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("(precompile_word)")));
}

// A word access at a timestamp no later than its previous record's (the record of the previous
// call's write, reused): ts - prev_ts - 1 has no 24-bit limbs.
TEST(PrecompileCallsForgery, AnAccessAtAReusedTimestamp) {
  Forgery f = forgery_of(several_calls_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  // Row 50 is the second call's word 0: its previous record is the first call's write.
  ASSERT_EQ(f.memory(0, m.ts), f.memory(50, m.a.prev_ts));
  f.memory(50, m.a.prev_ts) = f.memory(50, m.ts);
  f.memory(50, m.a.d0) = Fp::zero();
  f.memory(50, m.a.d1) = Fp::zero();
  EXPECT_THAT(f.report(), HasSubstr("constraint an access comes after the record it consumes fails at row 50"));
}

// A word access outside its call's slots (at the next step's ts): the keccak table's messages name
// the call's ts + 2 and ts + 3 only.
TEST(PrecompileCallsForgery, AnAccessOutsideItsCallsWindow) {
  Forgery f = forgery_of(one_call_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  const Fp next = f.memory(5, m.ts) + Fp::from_u32(kTsPerStep);
  const Fp d = next - f.memory(5, m.a.prev_ts) - Fp::one();
  f.memory(5, m.ts) = next;
  f.memory(5, m.a.d0) = Fp::from_u32(d.to_u32() & 0xffff);
  f.memory(5, m.a.d1) = Fp::from_u32(d.to_u32() >> 16);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(precompile_word)"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("constraint")));
}

// A state pointer that is not word aligned: ptr_word = ptr_lo / 4 in the field is no 16-bit value.
TEST(PrecompileCallsForgery, AMisalignedPointer) {
  Forgery f = forgery_of(one_call_program());
  const Fp quarter = Fp::from_u32(4).inverse();
  for (size_t r = 0; r < keccak::kRounds; ++r) {
    Fp& lo = f.keccak().main.at(r, static_cast<size_t>(keccak::KeccakColumns::kPtrLo));
    lo = lo + Fp::from_u32(2);
    f.keccak().main.at(r, static_cast<size_t>(keccak::KeccakColumns::kPtrWord)) = lo * quarter;
  }
  const PrecompileCallCols c = make_columns<PrecompileCallCols>();
  f.call(c.rs1.prev_lo) = f.call(c.rs1.prev_lo) + Fp::from_u32(2);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(range16)"));
  if (kProveEveryForgery) {
    EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
  }
}

// A buffer that runs past the top of the address space: words at or above 2^30 have no record in
// any space, so the memory argument cannot balance their accesses.
TEST(PrecompileCallsForgery, AWrappingBuffer) {
  Forgery f = forgery_of(one_call_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  for (size_t w = 0; w < keccak::kStateWords; ++w) {
    f.memory(w, m.addr) = Fp::from_u32((1u << 30) - 25 + static_cast<uint32_t>(w));
  }
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(memory)"));
}


// --- zkrv.keccak_absorb -------------------------------------------------------------------------

constexpr uint32_t kAbsorbIndex = 12;
constexpr uint32_t kBlockOffset = 0x200;  // the block at kData + 0x200, a second one 0x100 above it

namespace absorb = precompile_air::keccak_absorb;

TestProgram absorb_program() {
  TestProgram p;
  p.declare_precompile(kAbsorbIndex, std::string(kKeccakAbsorbName), "^1.0.0");
  p.data().resize(kBlockOffset + 0x100 + 136);
  for (size_t i = 0; i < p.data().size(); ++i) p.data()[i] = static_cast<uint8_t>(i * 13 + 5);
  return p;
}

// `blocks` absorbs of the blocks at kBlockOffset, kBlockOffset + 0x100, ... into the state at kData.
uint32_t expected_absorb_exit(size_t blocks) {
  TestProgram p = absorb_program();
  keccak::State state{};
  std::memcpy(state.data(), p.data().data(), 200);
  for (size_t k = 0; k < blocks; ++k) {
    for (size_t i = 0; i < 17; ++i) {
      uint64_t lane = 0;
      std::memcpy(&lane, p.data().data() + kBlockOffset + 0x100 * k + 8 * i, 8);
      state[i] ^= lane;
    }
    keccak::permute(state);
  }
  return static_cast<uint32_t>(state[0]) ^ static_cast<uint32_t>(state[24] >> 32);
}

TestProgram one_absorb_program() {
  TestProgram p = absorb_program();
  p.li(10, TestProgram::kData).li(11, TestProgram::kData + kBlockOffset);
  p.emit(enc::precompile(kAbsorbIndex, 0, 10, 11));
  return exit_with_state(p);
}

// Two absorbs in a loop (rd = x5 on the second), the block pointer stepping by 0x100.
TestProgram two_absorbs_program() {
  TestProgram p = absorb_program();
  p.li(10, TestProgram::kData).li(11, TestProgram::kData + kBlockOffset).li(6, 2);
  const uint32_t loop = p.pc();
  p.emit(enc::precompile(kAbsorbIndex, 5, 10, 11));
  p.emit(enc::op_imm(Op::ADDI, 11, 11, 0x100));
  p.emit(enc::op_imm(Op::ADDI, 6, 6, -1));
  p.emit(enc::branch(Op::BNE, 6, 0, static_cast<int32_t>(loop - p.pc())));
  return exit_with_state(p);
}

TEST(KeccakAbsorbCalls, OneAbsorbProvesAndVerifies) { expect_proven_as_run(one_absorb_program(), expected_absorb_exit(1)); }

TEST(KeccakAbsorbCalls, SeveralAbsorbsProveAndVerify) {
  expect_proven_as_run(two_absorbs_program(), expected_absorb_exit(2));
}

// The block copied to read-only memory (kRodata): the call only reads it, so it proves.
TestProgram read_only_block_program() {
  TestProgram p = absorb_program();
  p.rodata().assign(p.data().begin() + kBlockOffset, p.data().begin() + kBlockOffset + 136);
  p.li(10, TestProgram::kData).li(11, TestProgram::kRodata);
  p.emit(enc::precompile(kAbsorbIndex, 0, 10, 11));
  return exit_with_state(p);
}

TEST(KeccakAbsorbCalls, AReadOnlyBlockProvesAndVerifies) {
  expect_proven_as_run(read_only_block_program(), expected_absorb_exit(1));
}

// Absorb and keccak-f in one program: each index has its own tables (keccak-f 1, absorb 2).
TEST(KeccakAbsorbCalls, AbsorbBesideKeccakF) {
  TestProgram p = absorb_program();
  p.declare_precompile(kKeccakIndex, std::string(kKeccakF1600Name), "^1.0.0");
  p.li(10, TestProgram::kData).li(11, TestProgram::kData + kBlockOffset);
  p.emit(enc::precompile(kAbsorbIndex, 0, 10, 11));
  p.emit(enc::precompile(kKeccakIndex, 0, 10, 0));
  exit_with_state(p);
  const ProvingSetup s = fast_setup(p.image());
  EXPECT_EQ(s.machine.num_tables(), size_t{kNumTables} + 3);
  EXPECT_EQ(precompile_table_count(s.key.shape.precompiles), 3u);
  TestProgram q = absorb_program();
  keccak::State state{};
  std::memcpy(state.data(), q.data().data(), 200);
  for (size_t i = 0; i < 17; ++i) {
    uint64_t lane = 0;
    std::memcpy(&lane, q.data().data() + kBlockOffset + 8 * i, 8);
    state[i] ^= lane;
  }
  keccak::permute(state);
  keccak::permute(state);
  expect_proven_as_run(p, static_cast<uint32_t>(state[0]) ^ static_cast<uint32_t>(state[24] >> 32));
}

// What an absorb costs the proof beyond its permutation: the absorb table's 50 rows (main, LogUp
// and quotient cells) against the keccak-f table's 24 (docs/precompiles.md).
TEST(KeccakAbsorbCalls, CellsPerCall) {
  const ProvingSetup s = fast_setup(one_absorb_program().image());
  const uint32_t keccak_cells = cells_per_row(s.machine, kNumTables) * static_cast<uint32_t>(keccak::kRounds);
  const uint32_t absorb_cells = cells_per_row(s.machine, kNumTables + 1) * static_cast<uint32_t>(keccak::kStateWords);
  std::printf("keccak absorb: %u cells per call in the keccak-f table, %u in the absorb table (%.1f %%)\n", keccak_cells,
              absorb_cells, 100.0 * absorb_cells / keccak_cells);
  EXPECT_LT(absorb_cells * 20, keccak_cells);  // under 5 %
}

TEST(KeccakAbsorbCalls, HasItsOwnCircuitVersion) {
  EXPECT_TRUE(has_circuit(kKeccakAbsorbName, "^1.0.0"));
  EXPECT_FALSE(has_circuit(kKeccakAbsorbName, "^2.0.0"));
  EXPECT_EQ(why_no_circuit(kKeccakAbsorbName, "^2.0.0"),
            "declared as version ^2.0.0, which the circuit this zkrv has for it (version 1.0.0) does not satisfy");
}

// Overlapping state and block: the precompile faults (docs/precompiles.md); a run that got past
// an implementation that allowed it is refused by the prover, whose circuit cannot prove it.
TEST(KeccakAbsorbCalls, OverlappingBuffersFaultAndAreRefused) {
  TestProgram p = absorb_program();
  p.li(10, TestProgram::kData).li(11, TestProgram::kData + 100);
  p.emit(enc::precompile(kAbsorbIndex, 0, 10, 11));
  p.exit(0);
  const TestProgram::Outcome run = p.run({}, precompile_config());
  ASSERT_EQ(run.result.reason, vm::StopReason::kFault);
  EXPECT_THAT(run.fault_message, HasSubstr("overlap"));
  const elf::ElfImage image = p.image();
  const ProvingSetup s = fast_setup(image);
  try {
    run_witness(s, image, {}, precompile_config(true));
    ADD_FAILURE() << "an aliased absorb was not refused";
  } catch (const RefusedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the keccak absorb state at 0x"));
    EXPECT_THAT(e.what(), HasSubstr("overlap"));
  }
}

TEST(KeccakAbsorbCalls, AMisalignedBlockIsRefused) {
  TestProgram p = absorb_program();
  p.li(10, TestProgram::kData).li(11, TestProgram::kData + kBlockOffset + 1);
  p.emit(enc::precompile(kAbsorbIndex, 0, 10, 11));
  p.exit(0);
  ASSERT_EQ(p.run({}, precompile_config()).result.reason, vm::StopReason::kExit);
  EXPECT_THAT(refusal(p), HasSubstr("the keccak absorb block at"));
}

// Forgeries on a one-absorb witness: tables kNumTables (keccak-f, absorb mode) and kNumTables + 1
// (the absorb table, word w of the call on row w).
stark::air::TableWitness& absorb_words(Forgery& f) { return f.witness.tables[kNumTables + 1]; }
Fp& absorb_word(Forgery& f, size_t row, int column) { return absorb_words(f).main.at(row, static_cast<size_t>(column)); }

using AbsorbColumns = absorb::AbsorbColumns;

// PrecompileMemory rows of one absorb: the 50 state words, then the 34 block words.
constexpr size_t kFirstAbsorbBlockRow = keccak::kStateWords;

TEST(KeccakAbsorbForgery, AnHonestWitnessIsAccepted) {
  Forgery f = forgery_of(one_absorb_program());
  EXPECT_EQ(f.report(), "");
  EXPECT_EQ(verifier_rejection(f.setup, f.witness), "");
  // The block's rows are reads; a read-only block's name the read-only space.
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  EXPECT_EQ(f.memory(kFirstAbsorbBlockRow, m.read), Fp::one());
  EXPECT_EQ(f.memory(kFirstAbsorbBlockRow, m.read_only), Fp::zero());
  EXPECT_EQ(f.memory(0, m.read), Fp::zero());
  Forgery read_only = forgery_of(read_only_block_program());
  EXPECT_EQ(read_only.memory(kFirstAbsorbBlockRow + 33, m.read), Fp::one());
  EXPECT_EQ(read_only.memory(kFirstAbsorbBlockRow + 33, m.read_only), Fp::one());
  EXPECT_EQ(read_only.report(), "");
}

// Neither table answers the call: a padding permutation and no absorb rows.
TEST(KeccakAbsorbForgery, ACallWithNoTableRow) {
  Forgery f = forgery_of(one_absorb_program());
  f.keccak() = keccak::keccak_witness(std::vector<keccak::State>{keccak::State{}}, f.reserved);
  absorb_words(f) = absorb::absorb_witness({}, f.reserved);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(precompile_call row 0 sends x1)"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("constraint")));
  EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
}

// A second absorb at the first's ts that no PrecompileCall row made, its words and all.
TEST(KeccakAbsorbForgery, ATableRowWithNoCall) {
  Forgery f = forgery_of(one_absorb_program());
  absorb::Call call;
  const auto& rows = absorb_words(f).main;
  call.ts = rows.at(0, AbsorbColumns::kTs).to_u32();
  call.ptr = rows.at(0, AbsorbColumns::kAddr).to_u32() * 4;
  call.block_ptr = rows.at(0, AbsorbColumns::kBlockAddr).to_u32() * 4;
  for (size_t w = 0; w < keccak::kStateWords; ++w) {
    uint64_t before = 0, block = 0;
    for (int k = 0; k < 4; ++k) {
      before |= uint64_t{rows.at(w, AbsorbColumns::before(k)).to_u32()} << (8 * k);
      block |= uint64_t{rows.at(w, AbsorbColumns::block(k)).to_u32()} << (8 * k);
    }
    call.state[w / 2] |= before << (32 * (w % 2));
    if (w < keccak::kAbsorbBlockWords) call.block[w / 2] |= block << (32 * (w % 2));
  }
  const std::vector<absorb::Call> calls = {call, call};
  absorb_words(f) = absorb::absorb_witness(calls, f.reserved);
  const std::vector<keccak::Call> permutations = {absorb::keccak_call(call), absorb::keccak_call(call)};
  f.keccak() = keccak::keccak_call_witness(permutations, f.reserved, 0, true);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("keccak_absorb_f1600[12] row 24 receives x1)"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("constraint")));
  if (kProveEveryForgery) {
    EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
  }
}

// The call row names another index (the absorb tables answer only their own).
TEST(KeccakAbsorbForgery, ARowAnsweringAnotherIndex) {
  Forgery f = forgery_of(one_absorb_program());
  const PrecompileCallCols c = make_columns<PrecompileCallCols>();
  f.call(c.core.imm) = Fp::from_u32(kAbsorbIndex + 1);
  f.call(c.core.imm_lo) = Fp::from_u32(kAbsorbIndex + 1);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(program)"));
  EXPECT_THAT(report, HasSubstr("(precompile)"));
}

// The XOR of a state byte and a block byte forged (the permutation's input with it): the byte
// XOR lookup has no such triple.
TEST(KeccakAbsorbForgery, AForgedXorResult) {
  Forgery f = forgery_of(one_absorb_program());
  Fp& input = absorb_word(f, 3, AbsorbColumns::input(1));
  input = Fp::from_u32(input.to_u32() ^ 0x10);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(byte_xor)"));
  if (kProveEveryForgery) {
    EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
  }
}

// A consistent forgery of the XOR: input byte and the keccak-f table's input both changed, so
// only the byte lookup can object.
TEST(KeccakAbsorbForgery, AForgedXorResultTheKeccakTableFollows) {
  Forgery f = forgery_of(one_absorb_program());
  const auto& rows = absorb_words(f).main;
  absorb::Call call;
  call.ts = rows.at(0, AbsorbColumns::kTs).to_u32();
  call.ptr = rows.at(0, AbsorbColumns::kAddr).to_u32() * 4;
  call.block_ptr = rows.at(0, AbsorbColumns::kBlockAddr).to_u32() * 4;
  for (size_t w = 0; w < keccak::kStateWords; ++w) {
    uint64_t before = 0, block = 0;
    for (int k = 0; k < 4; ++k) {
      before |= uint64_t{rows.at(w, AbsorbColumns::before(k)).to_u32()} << (8 * k);
      block |= uint64_t{rows.at(w, AbsorbColumns::block(k)).to_u32()} << (8 * k);
    }
    call.state[w / 2] |= before << (32 * (w % 2));
    if (w < keccak::kAbsorbBlockWords) call.block[w / 2] |= block << (32 * (w % 2));
  }
  keccak::Call permutation = absorb::keccak_call(call);
  permutation.input[1] ^= 0x100;  // word 2, byte 1
  f.keccak() = keccak::keccak_call_witness(std::vector<keccak::Call>{permutation}, f.reserved, 0, true);
  Fp& input = absorb_word(f, 2, AbsorbColumns::input(1));
  input = Fp::from_u32(input.to_u32() ^ 0x01);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(byte_xor)"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("constraint")));
}

// A block word other than memory's: the absorb table's read message differs from the one the
// memory row receives (table side), or the memory row reads a word the record does not hold
// (memory side, the record it consumes does not exist).
TEST(KeccakAbsorbForgery, AForgedBlockWord) {
  Forgery f = forgery_of(one_absorb_program());
  Fp& block = absorb_word(f, 5, AbsorbColumns::block(0));
  Fp& input = absorb_word(f, 5, AbsorbColumns::input(0));
  block = Fp::from_u32(block.to_u32() ^ 0x01);
  input = Fp::from_u32(input.to_u32() ^ 0x01);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(precompile_read)"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("(precompile_word)")));
  if (kProveEveryForgery) {
    EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
  }

  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  Forgery memory_side = forgery_of(read_only_block_program());
  const size_t row = kFirstAbsorbBlockRow + 5;
  memory_side.memory(row, m.a.prev_lo) = memory_side.memory(row, m.a.prev_lo) + Fp::one();
  memory_side.memory(row, m.after_lo) = memory_side.memory(row, m.after_lo) + Fp::one();
  EXPECT_THAT(memory_side.report(), HasSubstr("(precompile_read)"));
}

// A block word's row claims a write (read = 0): the absorb table sent it on the read bus, and no
// word-bus pair matches it.
TEST(KeccakAbsorbForgery, ABlockWordTakenForAWrite) {
  Forgery f = forgery_of(one_absorb_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  f.memory(kFirstAbsorbBlockRow + 2, m.read) = Fp::zero();
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(precompile_read)"));
  EXPECT_THAT(report, HasSubstr("(precompile_word)"));
}

// A block word changed by the call: a read must leave its word, and a write (read = 0) of it has
// no word-bus pair and may not name the read-only space.
TEST(KeccakAbsorbForgery, AChangedBlockWord) {
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  const size_t row = kFirstAbsorbBlockRow + 7;
  Forgery f = forgery_of(one_absorb_program());
  f.memory(row, m.after_lo) = f.memory(row, m.after_lo) + Fp::one();
  EXPECT_THAT(f.report(), HasSubstr("constraint a read leaves the word: lo fails at row " + std::to_string(row)));
  if (kProveEveryForgery) {
    EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
  }
  Forgery g = forgery_of(read_only_block_program());
  g.memory(row, m.read) = Fp::zero();
  g.memory(row, m.after_hi) = g.memory(row, m.after_hi) + Fp::one();
  const std::string report = g.report();
  EXPECT_THAT(report, HasSubstr("constraint only a read names the read-only space fails at row " + std::to_string(row)));
  EXPECT_THAT(report, HasSubstr("(precompile_read)"));
}

// A block byte on a word past the rate (w >= 34): has_block = 0 there forces it zero.
TEST(KeccakAbsorbForgery, ABlockBytePastTheRate) {
  Forgery f = forgery_of(one_absorb_program());
  Fp& block = absorb_word(f, 40, AbsorbColumns::block(2));
  Fp& input = absorb_word(f, 40, AbsorbColumns::input(2));
  block = Fp::from_u32(0x21);
  input = Fp::from_u32(input.to_u32() ^ 0x21);
  EXPECT_THAT(f.report(), HasSubstr("constraint absorb: no block byte past the rate fails at row 40"));
}

// has_block cleared on a word of the rate (skipping its XOR): the keccak-f table's message says 1.
TEST(KeccakAbsorbForgery, HasBlockClearedInTheRate) {
  Forgery f = forgery_of(one_absorb_program());
  absorb_word(f, 4, AbsorbColumns::kHasBlock) = Fp::zero();
  for (int k = 0; k < 4; ++k) {
    absorb_word(f, 4, AbsorbColumns::input(k)) = absorb_word(f, 4, AbsorbColumns::before(k));
    absorb_word(f, 4, AbsorbColumns::block(k)) = Fp::zero();
  }
  EXPECT_THAT(f.report(), HasSubstr("(keccak_absorb)"));
}

// The absorb row writes back a word the keccak-f table did not output.
TEST(KeccakAbsorbForgery, AForgedOutputWord) {
  Forgery f = forgery_of(one_absorb_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  f.memory(7, m.after_lo) = f.memory(7, m.after_lo) + Fp::one();
  absorb_word(f, 7, AbsorbColumns::kOutLo) = absorb_word(f, 7, AbsorbColumns::kOutLo) + Fp::one();
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(keccak_absorb)"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("(precompile_word)")));
  if (kProveEveryForgery) {
    EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
  }
}

// A block word's access at a timestamp no later than its previous record's.
TEST(KeccakAbsorbForgery, AnAccessAtAReusedTimestamp) {
  Forgery f = forgery_of(two_absorbs_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  // Rows 0-49: the first call's state words, 50-83 its block words; 84 on: the second call's.
  f.memory(84, m.a.prev_ts) = f.memory(84, m.ts);
  f.memory(84, m.a.d0) = Fp::zero();
  f.memory(84, m.a.d1) = Fp::zero();
  EXPECT_THAT(f.report(), HasSubstr("constraint an access comes after the record it consumes fails at row 84"));
}

// A block pointer that is not word aligned: rs2_word = rs2_lo / 4 in the field is no 16-bit value.
TEST(KeccakAbsorbForgery, AMisalignedBlockPointer) {
  Forgery f = forgery_of(one_absorb_program());
  const Fp quarter = Fp::from_u32(4).inverse();
  for (size_t r = 0; r < keccak::kRounds; ++r) {
    Fp& lo = f.keccak().main.at(r, static_cast<size_t>(keccak::KeccakColumns::kRs2Lo));
    lo = lo + Fp::from_u32(2);
    f.keccak().main.at(r, static_cast<size_t>(keccak::KeccakColumns::kRs2Word)) = lo * quarter;
  }
  const PrecompileCallCols c = make_columns<PrecompileCallCols>();
  f.call(c.rs2.prev_lo) = f.call(c.rs2.prev_lo) + Fp::from_u32(2);
  EXPECT_THAT(f.report(), HasSubstr("(range16)"));
}

// A block that runs past the top of the address space: no record of those words exists.
TEST(KeccakAbsorbForgery, AWrappingBlock) {
  Forgery f = forgery_of(one_absorb_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  for (size_t w = 0; w < keccak::kAbsorbBlockWords; ++w) {
    f.memory(keccak::kStateWords + w, m.addr) = Fp::from_u32((1u << 30) - 17 + static_cast<uint32_t>(w));
  }
  EXPECT_THAT(f.report(), HasSubstr("(memory)"));
}

// A block aliased onto the state: the block words' accesses at the state words' own addresses and
// slot. Each address is accessed twice at ts + 2, and the second access cannot come after the first.
TEST(KeccakAbsorbForgery, AnAliasedBlock) {
  Forgery f = forgery_of(one_absorb_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  for (size_t w = 0; w < keccak::kAbsorbBlockWords; ++w) {
    const size_t row = keccak::kStateWords + w;
    f.memory(row, m.addr) = f.memory(w, m.addr);
    f.memory(row, m.a.prev_ts) = f.memory(w, m.ts);
    f.memory(row, m.a.prev_lo) = f.memory(w, m.after_lo);
    f.memory(row, m.a.prev_hi) = f.memory(w, m.after_hi);
    f.memory(row, m.a.d0) = Fp::zero();
    f.memory(row, m.a.d1) = Fp::zero();
  }
  EXPECT_THAT(f.report(), HasSubstr("constraint an access comes after the record it consumes"));
}

}  // namespace
}  // namespace zkrv::riscv_air
