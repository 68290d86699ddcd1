// The BLAKE2s compression table, as the example package's circuit: its shape and cells per call,
// RFC 7693's BLAKE2s-256("abc") and random calls against the package's own blake2s.h through witness
// generation, honest rows pass the row checker; consistent forgeries of one G and forged cells of
// each kind are named by the checker and rejected by the verifier. On buses, in a small machine
// whose other tables stand in for the RISC-V machine's (the PrecompileCall row, PrecompileMemory,
// RANGE16): honest calls prove and verify; a forged output word, block word, counter or flag, a
// call with no row, a row with no call and a row for another index are named by the checker or
// the bus debugger and rejected by the verifier. An under-constraint probe, a mutation sweep of a
// call's row, and the circuit as data (circuit_of / encode round trip, its size).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "circuit/blake2s_air.h"
#include "src/blake2s.h"

#include "stark/air/checker.h"
#include "stark/air/probe.h"
#include "stark/air/symbolic.h"
#include "stark/air/weakened.h"
#include "stark/circuit/circuit.h"
#include "stark/circuit/interpreted_table.h"
#include "stark/machines/range_check.h"
#include "stark/prover/prover.h"
#include "stark/testing/toy_cases.h"
#include "stark/verifier/verifier.h"

namespace example::blake2s_circuit {
namespace {

namespace stark = zkrv::stark;
using air::Fp;
using ::testing::HasSubstr;
using Columns = Blake2sColumns;

// F as the package computes it (examples/precompiles/blake2s/src/blake2s.h), sharing nothing with
// the generation but the IV.
State native_compress(const Compression& call) {
  State h = call.state;
  blake2s_compress(h, call.block, call.counter, call.last);
  return h;
}

std::vector<Compression> random_calls(size_t count, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Compression> calls(count);
  for (Compression& call : calls) {
    for (uint32_t& word : call.state) word = static_cast<uint32_t>(rng());
    for (uint32_t& word : call.block) word = static_cast<uint32_t>(rng());
    call.counter = rng();
    call.last = (rng() & 1) != 0;
  }
  return calls;
}

const air::TableAnalysis& alone_analysis() {
  static const air::TableAnalysis kAnalysis = air::analyze_table(Blake2sTable{});
  return kAnalysis;
}

std::vector<air::ConstraintFailure> check(const air::TableWitness& witness, size_t reserved_rows = 0) {
  const auto erased = air::make_table(Blake2sTable{});
  return air::check_table_rows(*erased, alone_analysis(), stark::Matrix<Fp>(), witness, 64, reserved_rows);
}

std::string describe(const std::vector<air::ConstraintFailure>& failures) {
  std::string text;
  for (const air::ConstraintFailure& f : failures) text += f.constraint + " at row " + std::to_string(f.row) + "; ";
  return text;
}

bool names_one_of(const air::ConstraintFailure& failure, const std::vector<std::string>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& prefix) { return failure.constraint.rfind(prefix, 0) == 0; });
}

// The G prefix of a sum's constraint name ("round 4 G5: ").
std::string g_prefix(size_t mix) {
  return "round " + std::to_string(mix / kMixesPerRound) + " G" + std::to_string(mix % kMixesPerRound) + ": ";
}

// ---- the table alone ------------------------------------------------------------------------

constexpr air::BusId kRange16Bus = stark::machines::kRangeBus, kCallBus = 2, kWordBus = 3, kReadBus = 4;
constexpr uint32_t kIndex = 7;

Blake2sTable table_on_buses() {
  Blake2sTable table;
  table.buses = Blake2sTable::CallBuses{kCallBus, kWordBus, kReadBus, kRange16Bus, kIndex};
  return table;
}

TEST(Blake2sAir, ShapeAndCellsPerCall) {
  const air::TableAnalysis& analysis = alone_analysis();
  EXPECT_EQ(analysis.info.main_width, 11257);  // 11,249 for the compression, 8 for calls (README.md)
  EXPECT_EQ(analysis.max_degree, 3);
  // Alone, the call's ts and the pointers' high limbs are read by no constraint, only by messages.
  EXPECT_EQ(analysis.unused_main, (std::vector<int>{Columns::kTs, Columns::kStateHi, Columns::kBlockHi}));
  EXPECT_TRUE(analysis.interactions.empty());
  // On buses: the call, two pointer range checks, 8 state words read and written, 19 words read.
  const air::TableAnalysis bused = air::analyze_table(table_on_buses());
  EXPECT_EQ(bused.max_degree, 3);
  EXPECT_TRUE(bused.unused_main.empty());
  EXPECT_EQ(bused.interactions.size(), 1u + 2u + 16u + 19u);
  const int cells = bused.info.main_width + bused.interaction_width();
  std::printf("blake2s compression table: %d main cells per call (%d for the compression), %d LogUp cells, %d in all; "
              "%zu constraints of degree <= %d\n",
              bused.info.main_width, Columns::kCompressionColumns, bused.interaction_width(), cells, bused.constraints.size(),
              bused.max_degree);
  EXPECT_EQ(cells, 11257 + 80);
}

TEST(Blake2sAir, ScheduleRowsArePermutations) {
  for (size_t round = 0; round < kRounds; ++round) {
    std::vector<uint8_t> row(kSigma[round], kSigma[round] + kBlockWords);
    std::sort(row.begin(), row.end());
    for (size_t i = 0; i < kBlockWords; ++i) EXPECT_EQ(row[i], i) << "round " << round;
  }
  for (size_t g = 0; g < kMixesPerRound; ++g) {
    // Each G of a half-round touches one word of each row of the 4x4 work vector, all distinct.
    for (size_t k = 0; k < 4; ++k) EXPECT_EQ(kMixOperands[g][k] / 4, k) << "G" << g;
  }
}

std::string hex_digest(const State& h) {
  std::string text;
  char buffer[3];
  for (const uint32_t word : h) {
    for (int byte = 0; byte < 4; ++byte) {
      std::snprintf(buffer, sizeof buffer, "%02x", word >> (8 * byte) & 0xff);
      text += buffer;
    }
  }
  return text;
}

// RFC 7693 Appendix B: BLAKE2s-256("abc"), one block; and BLAKE2s-256(""), a zero block. The
// parameter block (no key, 32-byte digest) is xored into h[0].
TEST(Blake2sAir, Rfc7693VectorsAndRandomCallsThroughGeneration) {
  const struct {
    std::string message, digest;
  } cases[] = {
      {"abc", "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"},
      {"", "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message);
    Compression call;
    call.state = kBlake2sIv;
    call.state[0] ^= 0x01010000u ^ 32u;
    for (size_t i = 0; i < c.message.size(); ++i) call.block[i / 4] |= uint32_t{static_cast<uint8_t>(c.message[i])} << (8 * (i % 4));
    call.counter = c.message.size();
    call.last = true;
    // On row 1 after a random call, so the row index matters.
    const std::vector<Compression> calls = {random_calls(1, 11)[0], call};
    const air::TableWitness witness = blake2s_witness(calls);
    EXPECT_EQ(hex_digest(output_of(witness, 1)), c.digest);
    EXPECT_TRUE(check(witness).empty());
  }
  const std::vector<Compression> calls = random_calls(6, 12);
  const air::TableWitness witness = blake2s_witness(calls);
  for (size_t i = 0; i < calls.size(); ++i) {
    const State expected = native_compress(calls[i]);
    EXPECT_EQ(output_of(witness, i), expected) << "call " << i;
    EXPECT_EQ(compress(calls[i]), expected) << "call " << i;
  }
}

TEST(Blake2sAir, HonestRowsPassTheChecker) {
  const size_t reserved = stark::testing::toy_reserved_rows();
  // 5 calls and 48 reserved rows: 64 rows, rows 5..15 all zero (padding).
  const air::TableWitness witness = blake2s_witness(random_calls(5, 1), reserved);
  ASSERT_EQ(witness.main.rows(), 64u);
  std::vector<air::ConstraintFailure> failures = check(witness, reserved);
  EXPECT_TRUE(failures.empty()) << describe(failures);
  failures = check(blake2s_witness(random_calls(3, 2), 0, 3));
  EXPECT_TRUE(failures.empty()) << describe(failures);
}

TEST(Blake2sAir, WitnessRefusesMisalignedPointersAndBadRows) {
  std::vector<Call> calls = {{random_calls(1, 3)[0], 8, 0x20002, 0x20100}};
  EXPECT_THAT([&] { blake2s_call_witness(calls); },
              ::testing::ThrowsMessage<air::AirError>(HasSubstr("call 0: the state at 0x20002 and the parameter block at 0x20100")));
  const air::TableWitness witness = blake2s_witness(random_calls(1, 3));
  EXPECT_THAT([&] { output_of(witness, 1); }, ::testing::ThrowsMessage<air::AirError>(HasSubstr("row 1 is not in")));
}

// Consistent forgeries: one rotation of one G changed (or no feed-forward), every later step
// computed honestly from it, so only that G's sums (or the output) can see it.
struct StepForgery {
  const char* what;
  internal::Variant variant;
  std::vector<std::string> constraints;  // every failure's name starts with one of these
};

std::vector<StepForgery> step_forgeries() {
  return {
      {"round 0 G0: d' rotated by 15, not 16", {0, 0, 15, true}, {g_prefix(0)}},
      {"round 4 G5: b' rotated by 13, not 12", {37, 1, 13, true}, {g_prefix(37)}},
      {"round 6 G2: d'' rotated by 9, not 8", {50, 2, 9, true}, {g_prefix(50)}},
      {"round 9 G7: b'' rotated by 8, not 7", {79, 3, 8, true}, {g_prefix(79)}},
      {"no feed-forward of h", {kMixes, 0, 0, false}, {"output h'["}},
  };
}

air::TableWitness forged(const Compression& call, const internal::Variant& variant, size_t reserved) {
  air::TableWitness witness = blake2s_witness(std::vector<Compression>{call}, reserved);
  std::fill(witness.main.row(0).begin(), witness.main.row(0).end(), Fp::zero());
  internal::fill_row(call, witness.main.row(0), variant);
  witness.main.at(0, Columns::kActive) = Fp::one();  // the IV is gated on it
  return witness;
}

TEST(Blake2sAir, ConsistentForgeryOfOneStepFailsOnlyItsConstraints) {
  const size_t reserved = stark::testing::toy_reserved_rows();
  const Compression call = random_calls(1, 3)[0];
  for (const StepForgery& forgery : step_forgeries()) {
    const std::vector<air::ConstraintFailure> failures = check(forged(call, forgery.variant, reserved), reserved);
    ASSERT_FALSE(failures.empty()) << forgery.what;
    for (const air::ConstraintFailure& failure : failures) {
      EXPECT_TRUE(names_one_of(failure, forgery.constraints)) << forgery.what << ": " << failure.constraint;
      EXPECT_EQ(failure.row, 0u) << forgery.what;
    }
  }
  const std::vector<air::ConstraintFailure> failures = check(forged(call, {}, reserved), reserved);
  EXPECT_TRUE(failures.empty()) << describe(failures);
}

// Cell-level forgeries: one cell changed, the named constraint fails.
enum class Change { kFlip, kSet, kAdd };
struct CellForgery {
  const char* what;
  int column;
  Change change;
  uint32_t value;
  std::string constraint;
};

std::vector<CellForgery> cell_forgeries() {
  const internal::ConstraintNames& n = internal::constraint_names();
  return {
      {"input binding: a bit of h[5] (round 0 G1's b)", Columns::input(5, 3), Change::kFlip, 0, n.sum[1][0][0]},
      {"counter: bit 8 of t1 (round 0 G1's d)", Columns::counter(40), Change::kFlip, 0, n.sum[1][0][0]},
      {"final flag flipped (round 0 G2's d)", Columns::kFinal, Change::kFlip, 0, n.sum[2][0][0]},
      {"final flag of 2", Columns::kFinal, Change::kSet, 2, n.final_bit},
      {"block binding: m[0]'s low limb (round 0 G0's x)", Columns::message(0, 0), Change::kAdd, 1, n.sum[0][0][0]},
      {"block binding: m[14]'s high limb (round 1 G0's x)", Columns::message(14, 1), Change::kAdd, 1, n.sum[8][0][1]},
      {"G link: a bit of round 2 G4's a''", Columns::mix_word(20, MixWord::kA, 3), Change::kFlip, 0, n.sum[20][2][0]},
      {"G link: a bit of round 9 G7's d'' (v[14] of the output)", Columns::mix_word(79, MixWord::kD, 20), Change::kFlip, 0,
       n.sum[79][3][1]},
      {"carry: round 0 G5's c' low carry flipped", Columns::carry(5, 1, 0), Change::kFlip, 0, n.sum[5][1][0]},
      {"carry: a digit of 3", Columns::carry(12, 0, 1), Change::kSet, 3, n.carry_digit},
      {"carry: a two-term carry of 2", Columns::carry(12, 3, 0), Change::kSet, 2, n.carry_bit},
      {"output binding: h'[2]'s high limb", Columns::output(2, 1), Change::kAdd, 1, n.output[2][1]},
      {"a bit of 2", Columns::input(0, 0), Change::kSet, 2, n.input_bit},
      {"a G output bit of 2", Columns::mix_word(44, MixWord::kC, 31), Change::kSet, 2, n.mix_bit},
      {"a counter bit of 2", Columns::counter(63), Change::kSet, 2, n.counter_bit},
  };
}

void apply(air::TableWitness& witness, size_t row, const CellForgery& forgery) {
  Fp& cell = witness.main.at(row, forgery.column);
  switch (forgery.change) {
    case Change::kFlip: cell = Fp::one() - cell; break;
    case Change::kSet: cell = Fp::from_u32(forgery.value); break;
    case Change::kAdd: cell = cell + Fp::from_u32(forgery.value); break;
  }
}

TEST(Blake2sAir, ForgedCellOfEachKindIsNamedByTheChecker) {
  const size_t reserved = stark::testing::toy_reserved_rows();
  const air::TableWitness honest = blake2s_witness(random_calls(3, 4), reserved);
  for (const CellForgery& forgery : cell_forgeries()) {
    air::TableWitness witness = honest;
    apply(witness, 1, forgery);
    const std::vector<air::ConstraintFailure> failures = check(witness, reserved);
    bool named = false;
    for (const air::ConstraintFailure& failure : failures) {
      EXPECT_EQ(failure.row, 1u) << forgery.what;
      named = named || failure.constraint == forgery.constraint;
    }
    EXPECT_TRUE(named) << forgery.what << ": " << describe(failures);
  }
}

TEST(Blake2sAir, ProvesAndVerifiesAloneAndRejectsForcedProofsOfForgeries) {
  const stark::fri::FriParams params = stark::testing::toy_fri_params();
  const air::Machine machine = blake2s_machine();
  const stark::prover::ProvingKey pk = stark::prover::setup(params, machine);
  const size_t reserved = stark::protocol::reserved_rows(params);
  const std::vector<air::TableWitness> honest = {blake2s_witness(random_calls(4, 6), reserved)};
  const stark::prover::ProveResult result = stark::prover::prove(params, machine, pk, honest);
  EXPECT_NO_THROW(stark::verifier::verify(params, machine, pk.vk, result.proof));

  stark::prover::ProveOptions malicious;
  malicious.check_witness = false;
  malicious.check_final_degree = false;
  const auto rejected = [&](const air::TableWitness& witness) {
    const stark::protocol::StarkProof proof =
        stark::prover::prove(params, machine, pk, std::vector<air::TableWitness>{witness}, malicious).proof;
    EXPECT_THROW(stark::verifier::verify(params, machine, pk.vk, proof), stark::verifier::VerifyError);
  };
  // One forgery of each constraint kind: a sum, a bit, a carry digit, the output; and a G computed
  // with another rotation.
  const std::vector<CellForgery> forgeries = cell_forgeries();
  for (const size_t k : {0u, 3u, 9u, 11u}) {
    const CellForgery& forgery = forgeries[k];
    SCOPED_TRACE(forgery.what);
    air::TableWitness witness = honest[0];
    apply(witness, 2, forgery);
    rejected(witness);
  }
  rejected(forged(random_calls(1, 6)[0], step_forgeries()[2].variant, reserved));
}

// ---- on buses, with stand-ins for the RISC-V machine's tables -------------------------------

// Stands in for the PrecompileCall row: sends (index, ts, rs1 limbs, rs2 limbs, rd limbs) on the
// precompile bus.
struct CallerTable {
  enum Column : int { kIsReal, kIndexColumn, kTs, kRs1Lo, kRs1Hi, kRs2Lo, kRs2Hi, kRdLo, kRdHi, kWidth };
  air::TableInfo info() const {
    return {"caller", kWidth, 0, 0, {"is_real", "index", "ts", "rs1_lo", "rs1_hi", "rs2_lo", "rs2_hi", "rd_lo", "rd_hi"}, {}};
  }
  template <class B>
  void eval(B& b) const {
    const auto is_real = b.main(kIsReal);
    b.assert_bool("caller: is_real is a bit", is_real);
    b.send(kCallBus,
           {b.main(kIndexColumn), b.main(kTs), b.main(kRs1Lo), b.main(kRs1Hi), b.main(kRs2Lo), b.main(kRs2Hi), b.main(kRdLo),
            b.main(kRdHi)},
           is_real);
  }
};

// Stands in for PrecompileMemory: one row per word a call touches, receiving either its read and
// write (ts + 2 before, ts + 3 after) on the word bus or its one read on the read bus. Its values
// are memory's, whose limbs the RISC-V machine keeps below 2^16 (docs/proof-system.md, "Memory
// argument"): the row sends its value's limbs on RANGE16, the invariant the table relies on for
// the block's limbs.
struct MemoryTable {
  enum Column : int { kIsReal, kRead, kTs, kAddress, kBeforeLo, kBeforeHi, kAfterLo, kAfterHi, kWidth };
  air::TableInfo info() const {
    return {"memory", kWidth, 0, 0, {"is_real", "read", "ts", "address", "before_lo", "before_hi", "after_lo", "after_hi"}, {}};
  }
  template <class B>
  void eval(B& b) const {
    const auto is_real = b.main(kIsReal), read = b.main(kRead), one = b.constant(1);
    b.assert_bool("memory: is_real is a bit", is_real);
    b.assert_bool("memory: read is a bit", read);
    b.assert_zero("memory: read only on a real row", read * (one - is_real));
    const auto written = is_real - read, ts = b.main(kTs), address = b.main(kAddress);
    b.receive(kWordBus, {ts + b.constant(2), address, b.main(kBeforeLo), b.main(kBeforeHi)}, written);
    b.receive(kWordBus, {ts + b.constant(3), address, b.main(kAfterLo), b.main(kAfterHi)}, written);
    b.receive(kReadBus, {ts + b.constant(2), address, b.main(kBeforeLo), b.main(kBeforeHi)}, read);
    b.send(kRange16Bus, {b.main(kBeforeLo)}, is_real);
    b.send(kRange16Bus, {b.main(kBeforeHi)}, is_real);
  }
};

enum : size_t { kBlakeTable = 0, kCallerTable = 1, kMemoryTable = 2, kRangeTable = 3 };

air::Machine calls_machine() {
  return air::Machine("blake2s-calls",
                      {air::make_table(table_on_buses()), air::make_table(CallerTable{}), air::make_table(MemoryTable{}),
                       air::make_table(stark::machines::Range16Table{})},
                      {{kRange16Bus, "range16"}, {kCallBus, "precompile"}, {kWordBus, "precompile_word"}, {kReadBus, "precompile_read"}});
}

size_t height(size_t rows, size_t reserved) { return std::bit_ceil(std::max<size_t>(rows, 1) + reserved); }

void set_limbs(stark::Matrix<Fp>& m, size_t row, int lo, uint32_t value) {
  m.at(row, lo) = Fp::from_u32(value & 0xffff);
  m.at(row, lo + 1) = Fp::from_u32(value >> 16);
}

// The machine's witness for `calls`: the table's rows, one caller row a call, 27 memory rows a
// call (8 state words, then the block, the counter's words and the flag), the range counts.
struct CallsWitness {
  std::vector<air::TableWitness> tables;
  size_t reserved = 0;
  Fp& blake(size_t row, int column) { return tables[kBlakeTable].main.at(row, column); }
  Fp& caller(size_t row, int column) { return tables[kCallerTable].main.at(row, column); }
  Fp& memory(size_t row, int column) { return tables[kMemoryTable].main.at(row, column); }
  // The memory row of call c's state word i, or parameter word w (kStateWords + w).
  static size_t memory_row(size_t call, size_t word) { return call * (kStateWords + kParameterWords) + word; }

  // The range table's counts, from what the other tables send (values of 16 bits or more have no
  // row: their lookups stay unmatched).
  void count_ranges() {
    std::vector<uint32_t> counts(size_t{1} << stark::machines::kRangeLogRows, 0);
    const auto count = [&counts](Fp value) {
      if (value.to_u32() < counts.size()) ++counts[value.to_u32()];
    };
    const stark::Matrix<Fp>& b = tables[kBlakeTable].main;
    for (size_t r = 0; r + reserved < b.rows(); ++r) {
      if (b.at(r, Columns::kActive) != Fp::one()) continue;
      count(b.at(r, Columns::kStateWord));
      count(b.at(r, Columns::kBlockWord));
    }
    const stark::Matrix<Fp>& m = tables[kMemoryTable].main;
    for (size_t r = 0; r + reserved < m.rows(); ++r) {
      if (m.at(r, MemoryTable::kIsReal) != Fp::one()) continue;
      count(m.at(r, MemoryTable::kBeforeLo));
      count(m.at(r, MemoryTable::kBeforeHi));
    }
    stark::Matrix<Fp>& range = tables[kRangeTable].main;
    for (size_t v = 0; v < counts.size(); ++v) range.at(v, 0) = Fp::from_u32(counts[v]);
  }
};

CallsWitness calls_witness(const std::vector<Call>& calls, size_t reserved) {
  CallsWitness w;
  w.reserved = reserved;
  w.tables.push_back(blake2s_call_witness(calls, reserved));
  stark::Matrix<Fp> caller(height(calls.size(), reserved), CallerTable::kWidth);
  const size_t words = kStateWords + kParameterWords;
  stark::Matrix<Fp> memory(height(calls.size() * words, reserved), MemoryTable::kWidth);
  for (size_t c = 0; c < calls.size(); ++c) {
    const Call& call = calls[c];
    caller.at(c, CallerTable::kIsReal) = Fp::one();
    caller.at(c, CallerTable::kIndexColumn) = Fp::from_u32(kIndex);
    caller.at(c, CallerTable::kTs) = Fp::from_u32(call.ts);
    set_limbs(caller, c, CallerTable::kRs1Lo, call.state_ptr);
    set_limbs(caller, c, CallerTable::kRs2Lo, call.block_ptr);
    const State out = native_compress(call.input);
    std::vector<uint32_t> parameters(call.input.block.begin(), call.input.block.end());
    parameters.push_back(static_cast<uint32_t>(call.input.counter));
    parameters.push_back(static_cast<uint32_t>(call.input.counter >> 32));
    parameters.push_back(call.input.last ? 1 : 0);
    for (size_t word = 0; word < words; ++word) {
      const size_t r = CallsWitness::memory_row(c, word);
      const bool state = word < kStateWords;
      memory.at(r, MemoryTable::kIsReal) = Fp::one();
      memory.at(r, MemoryTable::kRead) = state ? Fp::zero() : Fp::one();
      memory.at(r, MemoryTable::kTs) = Fp::from_u32(call.ts);
      memory.at(r, MemoryTable::kAddress) =
          Fp::from_u32(state ? call.state_ptr / 4 + static_cast<uint32_t>(word) : call.block_ptr / 4 + static_cast<uint32_t>(word - kStateWords));
      const uint32_t before = state ? call.input.state[word] : parameters[word - kStateWords];
      set_limbs(memory, r, MemoryTable::kBeforeLo, before);
      set_limbs(memory, r, MemoryTable::kAfterLo, state ? out[word] : before);
    }
  }
  w.tables.push_back({std::move(caller), {}});
  w.tables.push_back({std::move(memory), {}});
  w.tables.push_back({stark::Matrix<Fp>(height(size_t{1} << stark::machines::kRangeLogRows, reserved), 1), {}});
  w.count_ranges();
  return w;
}

// Three calls at distinct timestamps, none with overlapping buffers (the memory argument could not
// order two accesses to one word at one slot); the second's pointers have a high limb, and its
// parameter block's words run past a 2^16 boundary (0x3fffc + 4w).
std::vector<Call> three_calls() {
  const std::vector<Compression> inputs = random_calls(3, 21);
  return {{inputs[0], 40, 0x2000, 0x2040}, {inputs[1], 80, 0x31000, 0x3fffc}, {inputs[2], 120, 0x2000, 0x2100}};
}

// What a machine proof needs once: the machine, its parameters and proving key (immutable).
struct MachineSetup {
  stark::fri::FriParams params = stark::testing::toy_fri_params();
  air::Machine machine = calls_machine();
  stark::prover::ProvingKey pk = stark::prover::setup(params, machine);
  size_t reserved = stark::protocol::reserved_rows(params);
};
const MachineSetup& machine_setup() {
  static const MachineSetup kSetup;
  return kSetup;
}

std::string checker_report(const CallsWitness& w) {
  const MachineSetup& s = machine_setup();
  return air::check_machine(s.machine, s.pk.preprocessed, w.tables, 64, w.reserved).to_string(s.machine);
}

void expect_rejected_by_verifier(const CallsWitness& w) {
  const MachineSetup& s = machine_setup();
  stark::prover::ProveOptions malicious;
  malicious.check_witness = false;
  malicious.check_final_degree = false;
  const stark::protocol::StarkProof proof = stark::prover::prove(s.params, s.machine, s.pk, w.tables, malicious).proof;
  EXPECT_THROW(stark::verifier::verify(s.params, s.machine, s.pk.vk, proof), stark::verifier::VerifyError);
}

TEST(Blake2sCalls, HonestCallsProveAndVerify) {
  const MachineSetup& s = machine_setup();
  const CallsWitness w = calls_witness(three_calls(), s.reserved);
  EXPECT_EQ(checker_report(w), "");
  const stark::prover::ProveResult result = stark::prover::prove(s.params, s.machine, s.pk, w.tables);
  EXPECT_NO_THROW(stark::verifier::verify(s.params, s.machine, s.pk.vk, result.proof));
}

// The negative catalogue of issue 13 that a table alone can face: each forged witness is named by
// the checker (a constraint) or the bus debugger (an unmatched message on the bus named), and the
// forced proof of one of each kind is rejected by the verifier (the table-alone test proves
// forgeries of each constraint kind).
struct CallForgery {
  const char* what;
  std::function<void(CallsWitness&)> forge;
  const char* named;  // in the checker's report
  bool prove = false;  // a forced proof too (one per kind: proofs of this machine take a while)
};

std::vector<CallForgery> call_forgeries() {
  const auto recompute = [](CallsWitness& w, size_t row, const Compression& input) {
    // The row computed honestly from other inputs, its call columns kept.
    std::vector<Fp> call(w.tables[kBlakeTable].main.row(row).begin() + Columns::kActive, w.tables[kBlakeTable].main.row(row).end());
    std::fill(w.tables[kBlakeTable].main.row(row).begin(), w.tables[kBlakeTable].main.row(row).end(), Fp::zero());
    internal::fill_row(input, w.tables[kBlakeTable].main.row(row));
    std::copy(call.begin(), call.end(), w.tables[kBlakeTable].main.row(row).begin() + Columns::kActive);
  };
  return {
      {"forged output word: memory is written another h'[3] than the row computes",
       [](CallsWitness& w) { w.memory(CallsWitness::memory_row(1, 3), MemoryTable::kAfterLo) += Fp::one(); }, "(precompile_word): tuple",
       true},
      {"forged output word in the row and memory alike",
       [](CallsWitness& w) {
         w.blake(1, Columns::output(3, 0)) += Fp::one();
         w.memory(CallsWitness::memory_row(1, 3), MemoryTable::kAfterLo) += Fp::one();
       },
       "constraint output h'[3] = h ^ v[3] ^ v[11] limb 0 fails"},
      {"forged block word: the row compresses another m[5] than memory holds",
       [recompute](CallsWitness& w) {
         Compression input = three_calls()[1].input;
         input.block[5] ^= 0x100;
         recompute(w, 1, input);
       },
       "(precompile_read): tuple", true},
      {"forged counter: the row compresses counter + 1",
       [recompute](CallsWitness& w) {
         Compression input = three_calls()[1].input;
         input.counter += 1;
         recompute(w, 1, input);
       },
       "(precompile_read): tuple"},
      {"forged flag: the row compresses the other final flag",
       [recompute](CallsWitness& w) {
         Compression input = three_calls()[1].input;
         input.last = !input.last;
         recompute(w, 1, input);
       },
       "(precompile_read): tuple"},
      {"forged input state: the row compresses another h[6]",
       [recompute](CallsWitness& w) {
         Compression input = three_calls()[1].input;
         input.state[6] += 1;
         recompute(w, 1, input);
       },
       "(precompile_word): tuple"},
      {"a call with no row: the row and its memory words dropped",
       [](CallsWitness& w) {
         for (int c = 0; c < Columns::kNumColumns; ++c) w.blake(2, c) = Fp::zero();
         for (size_t word = 0; word < kStateWords + kParameterWords; ++word) {
           w.memory(CallsWitness::memory_row(2, word), MemoryTable::kIsReal) = Fp::zero();
           w.memory(CallsWitness::memory_row(2, word), MemoryTable::kRead) = Fp::zero();
         }
       },
       "(precompile): tuple", true},
      {"a row with no call: the caller's row dropped", [](CallsWitness& w) { w.caller(0, CallerTable::kIsReal) = Fp::zero(); },
       "(precompile): tuple", true},
      {"a row for another index: the call names index 8",
       [](CallsWitness& w) { w.caller(0, CallerTable::kIndexColumn) = Fp::from_u32(kIndex + 1); }, "(precompile): tuple"},
      {"a misaligned state pointer: state_lo = 4 state_word + 1",
       [](CallsWitness& w) {
         w.blake(0, Columns::kStateLo) += Fp::one();
         w.caller(0, CallerTable::kRs1Lo) += Fp::one();
       },
       "constraint call: state_lo = 4 state_word fails"},
  };
}

TEST(Blake2sCalls, ForgeriesAreNamedByTheCheckerAndRejectedByTheVerifier) {
  const MachineSetup& s = machine_setup();
  const CallsWitness honest = calls_witness(three_calls(), s.reserved);
  for (const CallForgery& forgery : call_forgeries()) {
    SCOPED_TRACE(forgery.what);
    CallsWitness w = honest;
    forgery.forge(w);
    w.count_ranges();
    EXPECT_THAT(checker_report(w), HasSubstr(forgery.named));
    if (forgery.prove) expect_rejected_by_verifier(w);
  }
}

// The block's limbs are not range-checked by the table: the same word spelled with a low limb 2^16
// too large and a high limb one smaller, with the low carry of each of the ten sums it enters one
// larger, satisfies every constraint of the row. Only memory stops it: no memory word has such a
// limb (the stand-in range-checks its values, as the RISC-V machine's memory keeps them), so the
// read finds no record.
TEST(Blake2sCalls, ABlockWordSpelledWithALimbPastSixteenBitsNeedsAMemoryWordThatCannotExist) {
  const MachineSetup& s = machine_setup();
  CallsWitness w = calls_witness(three_calls(), s.reserved);
  // The sums block word t enters: it is x or y of one G a round.
  const auto sums_of = [](size_t t) {
    std::vector<std::pair<size_t, size_t>> sums;  // (mix, sum)
    for (size_t round = 0; round < kRounds; ++round) {
      for (size_t k = 0; k < kBlockWords; ++k) {
        if (kSigma[round][k] == t) sums.push_back({round * kMixesPerRound + k / 2, k % 2 == 0 ? 0 : 2});
      }
    }
    return sums;
  };
  bool found = false;
  for (size_t row = 0; row < 3 && !found; ++row) {
    for (size_t t = 0; t < kBlockWords && !found; ++t) {
      const auto sums = sums_of(t);
      ASSERT_EQ(sums.size(), kRounds);
      const bool room = w.blake(row, Columns::message(t, 1)) != Fp::zero() &&
                        std::all_of(sums.begin(), sums.end(), [&](const auto& sum) {
                          return w.blake(row, Columns::carry(sum.first, sum.second, 0)) != Fp::from_u32(2);
                        });
      if (!room) continue;
      found = true;
      const Fp limb_base = Fp::from_u32(1u << 16);
      w.blake(row, Columns::message(t, 0)) += limb_base;
      w.blake(row, Columns::message(t, 1)) -= Fp::one();
      for (const auto& [mix, sum] : sums) w.blake(row, Columns::carry(mix, sum, 0)) += Fp::one();
      const std::vector<air::ConstraintFailure> failures = air::check_table_rows(
          s.machine.table(kBlakeTable), s.machine.analysis(kBlakeTable), stark::Matrix<Fp>(), w.tables[kBlakeTable], 16, w.reserved);
      EXPECT_TRUE(failures.empty()) << describe(failures);
      EXPECT_THAT(checker_report(w), HasSubstr("(precompile_read): tuple"));
      // Memory holding the same spelling would need its low limb on RANGE16, which has no such row.
      const size_t memory_row = CallsWitness::memory_row(row, kStateWords + t);
      for (const int column : {MemoryTable::kBeforeLo, MemoryTable::kAfterLo}) w.memory(memory_row, column) += limb_base;
      for (const int column : {MemoryTable::kBeforeHi, MemoryTable::kAfterHi}) w.memory(memory_row, column) -= Fp::one();
      w.count_ranges();
      const std::string report = checker_report(w);
      EXPECT_THAT(report, HasSubstr("(range16): tuple"));
      EXPECT_THAT(report, ::testing::Not(HasSubstr("(precompile_read)")));
    }
  }
  ASSERT_TRUE(found);
}

// ---- probes, mutations, the circuit ---------------------------------------------------------

std::vector<Fp> candidates_around(Fp honest) {
  std::vector<Fp> values;
  for (uint32_t d = 0; d < 4; ++d) {
    values.push_back(honest + Fp::from_u32(d));
    values.push_back(honest - Fp::from_u32(d + 1));
    values.push_back(Fp::from_u32(d));
    values.push_back(-Fp::from_u32(d + 1));
    // A limb off by 2^16 with its carry off by one the other way: the wrap a range check stops.
    values.push_back(honest + Fp::from_u32(d << 16));
  }
  std::sort(values.begin(), values.end(), [](Fp a, Fp b) { return a.to_u32() < b.to_u32(); });
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

air::ProbeWindow window_of(const air::TableWitness& witness, size_t row) {
  air::ProbeWindow window;
  window.local.assign(witness.main.row(row).begin(), witness.main.row(row).end());
  window.next.assign(witness.main.row(row + 1).begin(), witness.main.row(row + 1).end());
  return window;
}

// With every other cell honest, each probed cell has exactly one satisfying value among the honest
// one, its neighbours, small values, values just below p and the honest value plus multiples of
// 2^16; a carry and the bit of the limb it balances, probed together, cannot compensate each other.
TEST(Blake2sAir, UnderConstraintProbeFindsOneValuePerCell) {
  const Blake2sTable table;
  const auto erased = air::make_table(table);
  const air::TableAnalysis& analysis = alone_analysis();
  const air::TableWitness witness = blake2s_witness(random_calls(2, 8));
  const air::ProbeWindow window = window_of(witness, 0);
  const std::vector<int> cells = {Columns::input(0, 0),   Columns::input(7, 31),  Columns::counter(0),
                                  Columns::counter(63),   Columns::kFinal,        Columns::message(9, 1),
                                  Columns::mix_word(0, MixWord::kA, 0),           Columns::mix_word(41, MixWord::kB, 17),
                                  Columns::mix_word(79, MixWord::kC, 31),         Columns::mix_word(66, MixWord::kD, 8),
                                  Columns::carry(0, 0, 0), Columns::carry(70, 1, 1), Columns::carry(33, 2, 1),
                                  Columns::carry(79, 3, 0), Columns::output(0, 0), Columns::output(7, 1)};
  for (const int column : cells) {
    SCOPED_TRACE(analysis.info.main_names[column]);
    const Fp honest = window.local[column];
    const auto results = air::probe_assignments(*erased, analysis, window, {{false, column, candidates_around(honest)}});
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].local[column], honest);
  }
  // Round 3 G6's a'': its low carry and bit 15 of a'' together.
  const int carry = Columns::carry(30, 2, 0), bit = Columns::mix_word(30, MixWord::kA, 15);
  const std::vector<Fp> small = {Fp::zero(), Fp::one(), Fp::from_u32(2), Fp::from_u32(3)};
  const auto results = air::probe_assignments(*erased, analysis, window, {{false, carry, small}, {false, bit, small}});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].local, window.local);
}

// The probe itself can fail: with the high-limb equation of round 5 G3's c' = c + d' left out, its
// carry is free.
air::WithoutConstraint<Blake2sTable> weakened_table() {
  return {Blake2sTable{}, internal::constraint_names().sum[43][1][1], "blake2s-weakened"};
}

TEST(Blake2sAir, UnderConstraintProbeFindsAFreeCellInAWeakenedTable) {
  const auto table = weakened_table();
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  const air::TableWitness witness = blake2s_witness(random_calls(2, 9));
  const air::ProbeWindow window = window_of(witness, 0);
  const auto results =
      air::probe_assignments(*erased, analysis, window, {{false, Columns::carry(43, 1, 1), {Fp::zero(), Fp::one()}}});
  EXPECT_EQ(results.size(), 2u);
}

// Every cell of a call's row changed in turn (+1, and a random value for every cell that is not a
// G's bit, where any value but 0 and 1 fails its bit check), on buses: no mutant satisfies the
// row's constraints with the same messages, so none is a don't-care. The row reads no other row,
// so each mutant re-evaluates its row only.
TEST(Blake2sAir, MutationOfAnyCellOfACallRowIsCaught) {
  const Blake2sTable table = table_on_buses();
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  const std::vector<Call> calls = three_calls();
  air::TableWitness witness = blake2s_call_witness(calls);
  const size_t row = 1;
  air::RowEvaluator evaluator(*erased, analysis, stark::Matrix<Fp>(), witness);
  const std::vector<Fp> honest_messages = evaluator.evaluate(row).interaction_values;
  std::mt19937 rng(5);
  size_t mutants = 0, survivors = 0;
  for (int column = 0; column < Columns::kNumColumns; ++column) {
    Fp& cell = witness.main.at(row, column);
    const Fp honest = cell;
    const bool g_bit = column >= Columns::kMixStart && column < Columns::kCarryStart;
    const Fp random = Fp::from_u32(static_cast<uint32_t>(rng() % 0x7f000001u));
    for (const Fp value : {honest + Fp::one(), g_bit ? honest : random}) {
      if (value == honest) continue;
      cell = value;
      ++mutants;
      const air::ValueBuilder<Fp>& v = evaluator.evaluate(row);
      const bool satisfied = std::all_of(v.constraint_values.begin(), v.constraint_values.end(), [](Fp c) { return c == Fp::zero(); });
      if (satisfied && v.interaction_values == honest_messages) {
        ++survivors;
        ADD_FAILURE() << analysis.info.main_names[column] << " = " << value.to_u32() << " survives";
      }
    }
    cell = honest;
  }
  std::printf("blake2s mutation: %zu mutants of one call's row, %zu survive\n", mutants, survivors);
}

// The circuit as data: what `zkrv precompile build` will ship for this table. It round-trips
// through bytes with identical constraints, the interpreted table checks an honest witness, and
// the blob is within the decoder's limits.
TEST(Blake2sCircuit, RoundTripsThroughBytes) {
  const Blake2sTable table = table_on_buses();
  const std::vector<uint8_t> bytes = stark::circuit::encode(table);
  const stark::circuit::Circuit decoded = stark::circuit::decode_circuit(bytes);
  EXPECT_EQ(stark::circuit::encode_circuit(decoded), bytes);
  EXPECT_EQ(decoded, stark::circuit::circuit_of_table(table));
  const stark::circuit::InterpretedTable interpreted(decoded);
  const air::TableAnalysis compiled = air::analyze_table(table), again = air::analyze_table(interpreted);
  EXPECT_EQ(again.describe(), compiled.describe());
  EXPECT_EQ(again.max_degree, 3);
  EXPECT_EQ(again.interactions.size(), compiled.interactions.size());
  EXPECT_EQ(stark::circuit::circuit_digest(bytes), stark::circuit::circuit_digest(stark::circuit::encode(table)));
  EXPECT_LT(bytes.size(), stark::circuit::kMaxCircuitBytes);
  EXPECT_LT(decoded.nodes.size(), size_t{stark::circuit::kMaxNodes});
  std::printf("blake2s circuit: %zu nodes, %zu constraints, %zu interactions, %zu bytes\n", decoded.nodes.size(),
              decoded.constraints.size(), decoded.interactions.size(), bytes.size());
  const air::TableWitness witness = blake2s_call_witness(three_calls(), 0, 3);
  const std::vector<air::ConstraintFailure> failures =
      air::check_table_rows(interpreted, again, stark::Matrix<Fp>(), witness, 16);
  EXPECT_TRUE(failures.empty()) << describe(failures);
  // Another index is another circuit (the index is a constant of the call's message).
  Blake2sTable other = table;
  other.buses->index = kIndex + 1;
  EXPECT_NE(stark::circuit::circuit_digest(stark::circuit::encode(other)), stark::circuit::circuit_digest(bytes));
}

}  // namespace
}  // namespace example::blake2s_circuit
