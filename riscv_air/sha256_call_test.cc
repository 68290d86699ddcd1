// SHA-256 compression calls proven end to end: guests that call zkrv.sha256_compress (custom-0) once
// and several times, with a block in writable and in read-only memory, prove and verify, their state
// as the VM leaves it; the refusals (misaligned buffers) and the VM's fault on overlapping buffers;
// malicious witnesses the bus debugger names and the verifier rejects (the catalogue of issue 13:
// a call with no row, a row with no call, another index, forged output and block words, a reused
// slot, a misaligned or wrapping pointer, aliased buffers, a written word in read-only memory); and
// probes of the call's pointer and of PrecompileMemory's read flag.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "isa/encode.h"
#include "precompile_air/sha256_compress/sha256_air.h"
#include "riscv_air/key.h"
#include "riscv_air/machine_testing.h"
#include "riscv_air/precompile_call_air.h"
#include "riscv_air/precompile_testing.h"
#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "stark/air/checker.h"
#include "stark/air/probe.h"
#include "vm/testing/program.h"

namespace zkrv::riscv_air {
namespace {

namespace air = stark::air;
namespace enc = isa::encode;
namespace sha = precompile_air::sha256_compress;
using isa::Op;
using ::testing::HasSubstr;
using ::testing::Not;
using vm::testing::TestProgram;
using testing::debugger_report;
using testing::fast_setup;
using testing::precompile_config;
using testing::refusal_of_run;
using testing::verifier_rejection;

constexpr uint32_t kShaIndex = 17;
// The state at kData, two blocks after it in writable memory, one in read-only memory.
constexpr uint32_t kState = TestProgram::kData, kBlock = TestProgram::kData + 0x40, kBlock2 = TestProgram::kData + 0x80;
constexpr uint32_t kRodataBlock = TestProgram::kRodata;

// The block bytes at offset `at` of `bytes`, as FIPS 180-4's big-endian words.
sha::Block block_at(const std::vector<uint8_t>& bytes, size_t at) {
  sha::Block block{};
  for (size_t t = 0; t < sha::kBlockWords; ++t) {
    for (size_t j = 0; j < 4; ++j) block[t] = block[t] << 8 | bytes[at + 4 * t + j];
  }
  return block;
}

TestProgram sha_program() {
  TestProgram p;
  p.declare_precompile(kShaIndex, std::string(kSha256CompressName), "^1.0.0");
  p.data().resize(0xc0);
  std::memcpy(p.data().data(), sha::kInitialHashValue.data(), 32);  // little-endian words H0..H7
  for (size_t i = 0x40; i < p.data().size(); ++i) p.data()[i] = static_cast<uint8_t>(i * 7 + 1);
  p.rodata().resize(64);
  for (size_t i = 0; i < 64; ++i) p.rodata()[i] = static_cast<uint8_t>(i * 13 + 5);
  return p;
}

// Exit code: word 0 xor word 7 of the state.
TestProgram& exit_with_state(TestProgram& p) {
  p.li(10, kState);
  p.emit(enc::load(Op::LW, 11, 10, 0));
  p.emit(enc::load(Op::LW, 12, 10, 28));
  p.emit(enc::op_reg(Op::XOR, 11, 11, 12));
  return p.exit_with(11);
}

TestProgram& call(TestProgram& p, uint32_t state, uint32_t block, uint32_t rd = 0) {
  p.li(10, state).li(11, block);
  return p.emit(enc::precompile(kShaIndex, rd, 10, 11));
}

TestProgram one_call_program() {
  TestProgram p = sha_program();
  call(p, kState, kBlock);
  return exit_with_state(p);
}

// Three calls on the first block in a loop, one on the second (rd = x5), one on the read-only block.
TestProgram several_calls_program() {
  TestProgram p = sha_program();
  p.li(10, kState).li(11, kBlock).li(6, 3);
  const uint32_t loop = p.pc();
  p.emit(enc::precompile(kShaIndex, 0, 10, 11));
  p.emit(enc::op_imm(Op::ADDI, 6, 6, -1));
  p.emit(enc::branch(Op::BNE, 6, 0, static_cast<int32_t>(loop - p.pc())));
  call(p, kState, kBlock2, 5);
  call(p, kState, kRodataBlock);
  return exit_with_state(p);
}

// The exit code after compressing `blocks` (addresses) into H(0).
uint32_t expected_exit(std::initializer_list<uint32_t> blocks) {
  TestProgram p = sha_program();
  sha::ChainingValue state = sha::kInitialHashValue;
  for (const uint32_t at : blocks) {
    state = sha::compress(state, at == kRodataBlock ? block_at(p.rodata(), 0) : block_at(p.data(), at - kState));
  }
  return state[0] ^ state[7];
}

void expect_proven_as_run(const TestProgram& p, uint32_t exit_code) {
  const elf::ElfImage image = p.image();
  const TestProgram::Outcome run = p.run({}, precompile_config());
  ASSERT_EQ(run.result.reason, vm::StopReason::kExit) << run.fault_message;
  ASSERT_EQ(static_cast<uint32_t>(run.result.exit_code), exit_code);
  const ProvingSetup s = fast_setup(image);
  const ProveOutput out = prove(s, image, {}, precompile_config());
  EXPECT_EQ(out.statement.exit_code, run.result.exit_code);
  EXPECT_EQ(verify(out.proof, program_id(s.key)).exit_code, run.result.exit_code);
}

TEST(Sha256Calls, OneCallProvesAndVerifies) { expect_proven_as_run(one_call_program(), expected_exit({kBlock})); }

TEST(Sha256Calls, SeveralCallsWithAReadOnlyBlockProveAndVerify) {
  expect_proven_as_run(several_calls_program(), expected_exit({kBlock, kBlock, kBlock, kBlock2, kRodataBlock}));
}

TEST(Sha256Calls, TheProgramKeyHoldsTheSha256Table) {
  EXPECT_TRUE(has_circuit(kSha256CompressName, "^1.0.0"));
  EXPECT_TRUE(has_circuit(kSha256CompressName, "^1.0"));
  EXPECT_FALSE(has_circuit(kSha256CompressName, "^2.0.0"));
  EXPECT_THAT(why_no_circuit(kSha256CompressName, "^2.0.0"), HasSubstr("(version 1.0.0) does not satisfy"));
  const ProvingSetup s = fast_setup(one_call_program().image());
  ASSERT_EQ(s.machine.num_tables(), size_t{kNumTables} + 1);
  EXPECT_EQ(s.machine.table(kNumTables).info().name, "sha256_compress[17]");
  EXPECT_EQ(s.machine.table(kNumTables).info().main_width, sha::Sha256Columns::kNumColumns);
  // Cells a call costs (main and LogUp, before the quotient's chunks and padding): its table row,
  // its 24 PrecompileMemory rows (8 state words, 16 block words) and its PrecompileCall row.
  sha::Sha256Table table;
  table.buses = sha::Sha256Table::CallBuses{kPrecompileBus, kPrecompileWordBus, kPrecompileReadBus, kRange16Bus, kShaIndex};
  const auto cells = [](const air::TableAnalysis& a) { return static_cast<size_t>(a.info.main_width + a.interaction_width()); };
  const size_t row = cells(air::analyze_table(table)), word = cells(air::analyze_table(PrecompileMemoryTable{}));
  const size_t step = cells(air::analyze_table(PrecompileCallTable{}));
  std::printf("sha256_compress call: %zu (table row) + 24 x %zu (PrecompileMemory) + %zu (PrecompileCall) = %zu cells\n",
              row, word, step, row + 24 * word + step);
  EXPECT_LT(row, size_t{7968});  // with its LogUp columns, still below Plonky3's sha256-air row
}

// The VM accepts any alignment (the package reads bytes); the circuit's pointers are word aligned.
TEST(Sha256Calls, MisalignedBuffersAreRefused) {
  TestProgram block = sha_program();
  call(block, kState, kBlock + 1).exit(0);
  ASSERT_EQ(block.run({}, precompile_config()).result.reason, vm::StopReason::kExit);
  EXPECT_THAT(refusal_of_run(block.image(), precompile_config()), HasSubstr("the SHA-256 block at 0x200041 is not word aligned"));
  TestProgram state = sha_program();
  call(state, kState + 2, kBlock).exit(0);
  ASSERT_EQ(state.run({}, precompile_config()).result.reason, vm::StopReason::kExit);
  EXPECT_THAT(refusal_of_run(state.image(), precompile_config()), HasSubstr("the SHA-256 state at 0x200002 is not word aligned"));
}

// Overlapping buffers fault in the VM (as the package does), so no run with them reaches the prover.
TEST(Sha256Calls, OverlappingBuffersFault) {
  TestProgram p = sha_program();
  call(p, kState, kState + 0x1c).exit(0);
  const TestProgram::Outcome run = p.run({}, precompile_config());
  EXPECT_EQ(run.result.reason, vm::StopReason::kFault);
  EXPECT_THAT(run.fault_message, HasSubstr("overlap"));
}

// --- Malicious witnesses ------------------------------------------------------------------------

// As in precompile_test.cc, the bus debugger decides each forgery and a proof of the forged witness
// is made for one per bus; under AddressSanitizer only the honest one and the first forgery are
// proven (a proof with the 7,316-column table is field arithmetic the sanitizers have nothing to see in).
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
  air::TableWitness& sha256() { return witness.tables[kNumTables]; }
  Fp& table(size_t row, int column) { return sha256().main.at(row, static_cast<size_t>(column)); }
  Fp& call(int column) { return witness.tables[kPrecompileCallTable].main.at(0, static_cast<size_t>(column)); }
  Fp& memory(size_t row, int column) { return witness.tables[kPrecompileMemoryTable].main.at(row, static_cast<size_t>(column)); }
  std::string report() {
    fill_lookup_counts(setup.program, setup.machine, witness, reserved);
    return debugger_report(setup, witness, 256);
  }
};

Forgery forgery_of(const TestProgram& p, bool allow_overlap = false) {
  Forgery f{fast_setup(p.image()), {}, 0};
  f.witness = run_witness(f.setup, p.image(), {}, precompile_config(allow_overlap));
  f.reserved = stark::protocol::reserved_rows(f.setup.params);
  return f;
}

// The calls the honest table answers, read back from its rows.
std::vector<sha::Call> calls_of(const air::TableWitness& table) {
  using Columns = sha::Sha256Columns;
  std::vector<sha::Call> calls;
  for (size_t r = 0; r < table.main.rows() && table.main.at(r, Columns::kActive) == Fp::one(); ++r) {
    sha::Call c;
    const auto word = [&](int first) {
      uint32_t v = 0;
      for (size_t k = 0; k < sha::kWordBits; ++k) v |= table.main.at(r, static_cast<size_t>(first) + k).to_u32() << k;
      return v;
    };
    for (size_t i = 0; i < sha::kStateWords; ++i) c.input.state[i] = word(Columns::input(i, 0));
    for (size_t t = 0; t < sha::kBlockWords; ++t) c.input.block[t] = word(Columns::w(t, 0));
    c.ts = table.main.at(r, Columns::kTs).to_u32();
    c.state_ptr = table.main.at(r, Columns::kStateLo).to_u32() | table.main.at(r, Columns::kStateHi).to_u32() << 16;
    c.block_ptr = table.main.at(r, Columns::kBlockLo).to_u32() | table.main.at(r, Columns::kBlockHi).to_u32() << 16;
    calls.push_back(c);
  }
  return calls;
}

// PrecompileMemory rows of one call: the 8 state words, then the 16 block words.
constexpr size_t kFirstBlockRow = sha::kStateWords;

TEST(Sha256CallsForgery, AnHonestWitnessIsAccepted) {
  Forgery f = forgery_of(one_call_program());
  EXPECT_EQ(f.report(), "");
  EXPECT_EQ(verifier_rejection(f.setup, f.witness), "");
  // The read-only block's rows name the read-only space.
  Forgery several = forgery_of(several_calls_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  EXPECT_EQ(several.memory(4 * 24 + kFirstBlockRow, m.read_only), Fp::one());
  EXPECT_EQ(several.memory(4 * 24 + kFirstBlockRow, m.read), Fp::one());
  EXPECT_EQ(several.memory(kFirstBlockRow, m.read_only), Fp::zero());
  EXPECT_EQ(several.report(), "");
}

// The table answers no call: its row is a padding one, so the call and its words are unmatched.
TEST(Sha256CallsForgery, ACallWithNoTableRow) {
  Forgery f = forgery_of(one_call_program());
  f.sha256() = sha::sha256_call_witness({}, f.reserved);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(precompile_call row 0 sends x1)"));
  EXPECT_THAT(report, HasSubstr("(precompile_read)"));
  EXPECT_THAT(report, Not(HasSubstr("constraint")));
  EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
}

// A row that answers a call no PrecompileCall row made (the first call again).
TEST(Sha256CallsForgery, ATableRowWithNoCall) {
  Forgery f = forgery_of(several_calls_program());
  std::vector<sha::Call> calls = calls_of(f.sha256());
  ASSERT_EQ(calls.size(), 5u);
  calls.push_back(calls.front());
  f.sha256() = sha::sha256_call_witness(calls, f.reserved);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("sha256_compress[17] row 5 receives x1)"));
  EXPECT_THAT(report, Not(HasSubstr("constraint")));
}

// The call row names another index than its instruction's.
TEST(Sha256CallsForgery, ARowAnsweringAnotherIndex) {
  Forgery f = forgery_of(one_call_program());
  const PrecompileCallCols c = make_columns<PrecompileCallCols>();
  f.call(c.core.imm) = Fp::from_u32(kShaIndex + 1);
  f.call(c.core.imm_lo) = Fp::from_u32(kShaIndex + 1);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(program)"));
  EXPECT_THAT(report, HasSubstr("(precompile)"));
}

// The memory row writes back a state word the table did not output.
TEST(Sha256CallsForgery, AForgedOutputWord) {
  Forgery f = forgery_of(one_call_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  f.memory(5, m.after_hi) = f.memory(5, m.after_hi) + Fp::one();
  EXPECT_THAT(f.report(), HasSubstr("(precompile_word)"));
  if (kProveEveryForgery) {
    EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
  }
}

// The table's output bits differ from the compression (H'[5] bit 3 flipped): the feed-forward sum
// fails, though the memory row follows it.
TEST(Sha256CallsForgery, AnOutputWordOtherThanTheCompressions) {
  Forgery f = forgery_of(one_call_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  Fp& bit = f.table(0, sha::Sha256Columns::output(5, 3));
  const bool was_set = bit == Fp::one();
  bit = was_set ? Fp::zero() : Fp::one();
  f.memory(5, m.after_lo) = was_set ? f.memory(5, m.after_lo) - Fp::from_u32(8) : f.memory(5, m.after_lo) + Fp::from_u32(8);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("constraint feed-forward H'[5] limb 0 fails at row 0"));
  EXPECT_THAT(report, Not(HasSubstr("(precompile_word)")));
}

// A block word the table compressed that memory does not hold: the memory row reads the word the
// table claims (the record it consumes does not exist), or the table's bits disagree with the read.
TEST(Sha256CallsForgery, AForgedBlockWord) {
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  Forgery memory_side = forgery_of(one_call_program());
  memory_side.memory(kFirstBlockRow + 3, m.a.prev_lo) = memory_side.memory(kFirstBlockRow + 3, m.a.prev_lo) + Fp::one();
  memory_side.memory(kFirstBlockRow + 3, m.after_lo) = memory_side.memory(kFirstBlockRow + 3, m.after_lo) + Fp::one();
  EXPECT_THAT(memory_side.report(), HasSubstr("(precompile_read)"));
  if (kProveEveryForgery) {
    EXPECT_NE(verifier_rejection(memory_side.setup, memory_side.witness), "");
  }

  // The table compresses another block (its bits and every sum consistent): only the read bus sees it.
  Forgery table_side = forgery_of(one_call_program());
  std::vector<sha::Call> calls = calls_of(table_side.sha256());
  calls[0].input.block[3] ^= 0x01000000;
  table_side.sha256() = sha::sha256_call_witness(calls, table_side.reserved);
  const std::string report = table_side.report();
  EXPECT_THAT(report, HasSubstr("(precompile_read)"));
  EXPECT_THAT(report, Not(HasSubstr("constraint")));
}

// A block word's row claims a write (read = 0): the table sent it on the read bus, not the word bus.
TEST(Sha256CallsForgery, ABlockWordTakenForAWrite) {
  Forgery f = forgery_of(one_call_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  f.memory(kFirstBlockRow, m.read) = Fp::zero();
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(precompile_read)"));
  EXPECT_THAT(report, HasSubstr("(precompile_word)"));
}

// A written state word that names the read-only space (as a state in .rodata would need).
TEST(Sha256CallsForgery, AWriteToTheReadOnlySpace) {
  Forgery f = forgery_of(one_call_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  f.memory(2, m.read_only) = Fp::one();
  EXPECT_THAT(f.report(), HasSubstr("constraint only a read names the read-only space fails at row 2"));
  // A read that changes its word.
  Forgery g = forgery_of(one_call_program());
  g.memory(kFirstBlockRow, m.after_lo) = g.memory(kFirstBlockRow, m.after_lo) + Fp::one();
  EXPECT_THAT(g.report(), HasSubstr("constraint a read leaves the word: lo fails at row 8"));
}

// A word access at a timestamp no later than its previous record's (the previous call's write).
TEST(Sha256CallsForgery, AnAccessAtAReusedTimestamp) {
  Forgery f = forgery_of(several_calls_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  ASSERT_EQ(f.memory(0, m.ts), f.memory(24, m.a.prev_ts));  // row 24: the second call's H[0]
  f.memory(24, m.a.prev_ts) = f.memory(24, m.ts);
  f.memory(24, m.a.d0) = Fp::zero();
  f.memory(24, m.a.d1) = Fp::zero();
  EXPECT_THAT(f.report(), HasSubstr("constraint an access comes after the record it consumes fails at row 24"));
}

// A block pointer that is not word aligned: block_word = block_lo / 4 in the field is no 16-bit value.
TEST(Sha256CallsForgery, AMisalignedBlockPointer) {
  Forgery f = forgery_of(one_call_program());
  using Columns = sha::Sha256Columns;
  f.table(0, Columns::kBlockLo) = f.table(0, Columns::kBlockLo) + Fp::from_u32(2);
  f.table(0, Columns::kBlockWord) = f.table(0, Columns::kBlockLo) * Fp::from_u32(4).inverse();
  const PrecompileCallCols c = make_columns<PrecompileCallCols>();
  f.call(c.rs2.prev_lo) = f.call(c.rs2.prev_lo) + Fp::from_u32(2);
  EXPECT_THAT(f.report(), HasSubstr("(range16)"));
  if (kProveEveryForgery) {
    EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
  }
}

// A state that runs past the top of the address space: words at or above 2^30 have no record.
TEST(Sha256CallsForgery, AWrappingBuffer) {
  Forgery f = forgery_of(one_call_program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  for (size_t i = 0; i < sha::kStateWords; ++i) f.memory(i, m.addr) = Fp::from_u32((1u << 30) - 4 + static_cast<uint32_t>(i));
  EXPECT_THAT(f.report(), HasSubstr("(memory)"));
}

// Aliased buffers (the block starts at the state's word 4), from an implementation without the
// overlap fault: words 4..7 are both written and read at the call's ts + 2, and the read cannot come
// after the write's record. The prover's own check refuses the witness; forced, the proof is rejected.
TEST(Sha256CallsForgery, AliasedBuffers) {
  TestProgram p = sha_program();
  call(p, kState, kState + 16);
  exit_with_state(p);
  ASSERT_EQ(p.run({}, precompile_config(true)).result.reason, vm::StopReason::kExit);
  Forgery f = forgery_of(p, true);
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("constraint an access comes after the record it consumes fails at row 8"));
  if (kProveEveryForgery) {
    EXPECT_NE(verifier_rejection(f.setup, f.witness), "");
  }
  EXPECT_THROW(prove(f.setup, p.image(), {}, precompile_config(true)), stark::prover::WitnessError);
}

// --- Probes ---------------------------------------------------------------------------------------

const air::InteractionFilter kRange16Holds = [](air::BusId bus, air::Direction, const std::vector<Fp>& t, Fp) {
  return bus != kRange16Bus || t[0].to_u32() < (1u << 16);
};

// The table's call columns: block_lo / 4 is the only value of block_word the row admits, and a
// pointer that is not word aligned has none; active is a bit.
TEST(Sha256CallsProbe, PointersAreAlignedAndUniqueAndActiveIsABit) {
  using Columns = sha::Sha256Columns;
  sha::Sha256Table table;
  table.buses = sha::Sha256Table::CallBuses{kPrecompileBus, kPrecompileWordBus, kPrecompileReadBus, kRange16Bus, kShaIndex};
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  for (const uint32_t ptr : {0x200040u, 0x20fffcu, 0x200042u, 0x200041u}) {
    const air::TableWitness w = sha::sha256_call_witness(std::vector<sha::Call>{{{}, 400, kState, ptr & ~3u}});
    std::vector<Fp> local(w.main.row(0).begin(), w.main.row(0).end());
    local[Columns::kBlockLo] = Fp::from_u32(ptr & 0xffff);
    const uint32_t q = (ptr & 0xffff) >> 2;
    std::vector<Fp> candidates = {Fp::from_u32(q), Fp::from_u32(q + 1), Fp::from_u32(q + 16384), -Fp::one(),
                                  Fp::from_u32(ptr & 0xffff) * Fp::from_u32(4).inverse()};
    std::sort(candidates.begin(), candidates.end(), [](Fp a, Fp b) { return a.to_u32() < b.to_u32(); });
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    const auto results = air::probe_assignments(*erased, analysis, {local, std::vector<Fp>(local.size()), {}, false, false},
                                                {{false, Columns::kBlockWord, candidates}}, kRange16Holds);
    if (ptr % 4 != 0) {
      EXPECT_TRUE(results.empty()) << std::hex << ptr;
    } else {
      ASSERT_EQ(results.size(), 1u) << std::hex << ptr;
      EXPECT_EQ(results[0].local[Columns::kBlockWord], Fp::from_u32(q));
    }
  }
  const air::TableWitness w = sha::sha256_call_witness(std::vector<sha::Call>{{{}, 400, kState, kBlock}});
  std::vector<Fp> local(w.main.row(0).begin(), w.main.row(0).end());
  const auto results = air::probe_assignments(*erased, analysis, {local, std::vector<Fp>(local.size()), {}, false, false},
                                              {{false, Columns::kActive, {Fp::zero(), Fp::one(), Fp::from_u32(2), -Fp::one()}}},
                                              kRange16Holds);
  ASSERT_EQ(results.size(), 2u);  // 0 (a padding row, which sends nothing) and 1
}

// PrecompileMemory: a written word's row admits only the writable space; a read's leaves its word
// (after = before is the only choice) and admits either space, which its record decides.
TEST(Sha256CallsProbe, PrecompileMemoryReadFlag) {
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  const auto erased = air::make_table(PrecompileMemoryTable{});
  const air::TableAnalysis analysis = air::analyze_table(PrecompileMemoryTable{});
  std::vector<Fp> row(kWidth<PrecompileMemoryCols>);
  row[m.is_real] = Fp::one();
  row[m.ts] = Fp::from_u32(402);
  row[m.addr] = Fp::from_u32(kBlock / 4);
  row[m.a.prev_ts] = Fp::from_u32(100);
  row[m.a.d0] = Fp::from_u32(301);
  row[m.a.prev_lo] = Fp::from_u32(0x1234);
  row[m.a.prev_hi] = Fp::from_u32(0x5678);
  row[m.after_lo] = Fp::from_u32(0x1234);
  row[m.after_hi] = Fp::from_u32(0x5678);
  const std::vector<Fp> flags = {Fp::zero(), Fp::one(), Fp::from_u32(2), -Fp::one()};
  const std::vector<Fp> values = {Fp::zero(), Fp::from_u32(0x1234), Fp::from_u32(0x1235), Fp::from_u32(0xffff)};
  // read = 0: read_only is 0, any after (the word bus decides it).
  row[m.read] = Fp::zero();
  auto results = air::probe_assignments(*erased, analysis, {row, std::vector<Fp>(row.size()), {}, false, false},
                                        {{false, m.read_only, flags}}, kRange16Holds);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].local[m.read_only], Fp::zero());
  // read = 1: read_only 0 or 1, after_lo = before's.
  row[m.read] = Fp::one();
  results = air::probe_assignments(*erased, analysis, {row, std::vector<Fp>(row.size()), {}, false, false},
                                   {{false, m.read_only, flags}, {false, m.after_lo, values}}, kRange16Holds);
  ASSERT_EQ(results.size(), 2u);
  for (const air::ProbeResult& r : results) EXPECT_EQ(r.local[m.after_lo], Fp::from_u32(0x1234));
}

}  // namespace
}  // namespace zkrv::riscv_air
