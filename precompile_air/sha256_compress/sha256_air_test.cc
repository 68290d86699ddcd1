// The SHA-256 compression table: its shape against Plonky3's sha256-air, FIPS 180-4's constants
// and known answers through witness generation (and random blocks against a plain reference
// written here), honest rows pass the row checker and prove, a forgery of each constraint kind is
// named by the checker and rejected by the verifier, and an under-constraint probe finds exactly
// one value for probed cells.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "precompile_air/sha256_compress/sha256_air.h"
#include "stark/air/checker.h"
#include "stark/air/probe.h"
#include "stark/air/symbolic.h"
#include "stark/air/weakened.h"
#include "stark/prover/prover.h"
#include "stark/testing/toy_cases.h"
#include "stark/verifier/verifier.h"

namespace zkrv::precompile_air::sha256_compress {
namespace {

namespace air = stark::air;
using air::Fp;
using ::testing::HasSubstr;
using Columns = Sha256Columns;

// FIPS 180-4 section 6.2.2 as the standard writes it, sharing nothing with the generation.
ChainingValue reference_compress(const ChainingValue& h, const Block& block) {
  const auto rotr = [](uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  uint32_t w[64];
  for (int t = 0; t < 16; ++t) w[t] = block[t];
  for (int t = 16; t < 64; ++t) {
    const uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    const uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = s1 + w[t - 7] + s0 + w[t - 16];
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int t = 0; t < 64; ++t) {
    const uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kRoundConstants[t] + w[t];
    const uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  return {h[0] + a, h[1] + b, h[2] + c, h[3] + d, h[4] + e, h[5] + f, h[6] + g, h[7] + hh};
}

std::vector<Compression> random_calls(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Compression> calls(count);
  for (Compression& call : calls) {
    for (uint32_t& word : call.state) word = rng();
    for (uint32_t& word : call.block) word = rng();
  }
  return calls;
}

std::vector<air::ConstraintFailure> check(const air::TableWitness& witness, size_t reserved_rows = 0) {
  const Sha256Table table;
  const auto erased = air::make_table(table);
  static const air::TableAnalysis kAnalysis = air::analyze_table(table);
  return air::check_table_rows(*erased, kAnalysis, stark::Matrix<Fp>(), witness, 64, reserved_rows);
}

std::string describe(const std::vector<air::ConstraintFailure>& failures) {
  std::string text;
  for (const air::ConstraintFailure& f : failures) text += f.constraint + " at row " + std::to_string(f.row) + "; ";
  return text;
}

// Plonky3's sha256-air (sha256-air/src/columns.rs, Sha256Cols): one compression a row, 7,968 columns.
constexpr size_t kPlonky3Cells = 7968;

TEST(Sha256Air, ShapeBeatsPlonky3Sha256Air) {
  const air::TableAnalysis analysis = air::analyze_table(Sha256Table{});
  EXPECT_EQ(analysis.info.main_width, 7316);  // 7,308 for the compression, 8 for calls (README.md)
  EXPECT_EQ(analysis.max_degree, 3);
  // Alone, the call's ts and the pointers' high limbs are read by no constraint, only by messages.
  EXPECT_EQ(analysis.unused_main, (std::vector<int>{Sha256Columns::kTs, Sha256Columns::kStateHi, Sha256Columns::kBlockHi}));
  EXPECT_TRUE(analysis.interactions.empty());
  EXPECT_LT(static_cast<size_t>(analysis.info.main_width), kPlonky3Cells);
  // On buses: the call, two pointer range checks, 8 state words read and written, 16 block words read.
  Sha256Table on_buses;
  on_buses.buses = Sha256Table::CallBuses{1, 2, 3, 4, 7};
  const air::TableAnalysis bused = air::analyze_table(on_buses);
  EXPECT_EQ(bused.max_degree, 3);
  EXPECT_TRUE(bused.unused_main.empty());
  EXPECT_EQ(bused.interactions.size(), 1u + 2u + 16u + 16u);
  std::printf("sha256 compression table: %d cells per compression (Plonky3 sha256-air: %zu), %zu constraints of "
              "degree <= %d\n",
              analysis.info.main_width, kPlonky3Cells, analysis.constraints.size(), analysis.max_degree);
}

// K[t] is the first 32 bits of the fractional part of the cube root of the t-th prime, H(0)[i] of
// the square root of the i-th (FIPS 180-4 sections 4.2.2, 5.3.3): x = floor(root * 2^32) is the
// integer with x^3 <= p 2^96 < (x + 1)^3 (x^2 <= p 2^64 < (x + 1)^2), checked exactly.
TEST(Sha256Air, ConstantsAreFips180s) {
  __extension__ using U128 = unsigned __int128;
  std::vector<uint64_t> primes;
  for (uint64_t n = 2; primes.size() < kRounds; ++n) {
    bool prime = true;
    for (const uint64_t p : primes) prime = prime && n % p != 0;
    if (prime) primes.push_back(n);
  }
  for (size_t t = 0; t < kRounds; ++t) {
    const uint64_t p = primes[t];
    uint64_t root = 1;  // floor(cbrt(p)), then the 32 fraction bits below it
    while ((root + 1) * (root + 1) * (root + 1) <= p) ++root;
    const U128 bound = U128{p} << 96;
    uint64_t x = root << 32;
    for (int bit = 31; bit >= 0; --bit) {
      const uint64_t candidate = x | uint64_t{1} << bit;
      if (U128{candidate} * candidate * candidate <= bound) x = candidate;
    }
    EXPECT_EQ(kRoundConstants[t], static_cast<uint32_t>(x)) << "K[" << t << "]";
  }
  for (size_t i = 0; i < kStateWords; ++i) {
    const uint64_t p = primes[i];
    uint64_t x = 0;
    for (int bit = 35; bit >= 0; --bit) {
      const uint64_t candidate = x | uint64_t{1} << bit;
      if (U128{candidate} * candidate <= U128{p} << 64) x = candidate;
    }
    EXPECT_EQ(kInitialHashValue[i], static_cast<uint32_t>(x)) << "H(0)[" << i << "]";
  }
}

// A short message's padded blocks (FIPS 180-4 section 5.1.1), as big-endian words.
std::vector<Block> padded(const std::string& message) {
  std::vector<uint8_t> bytes(message.begin(), message.end());
  const uint64_t bits = uint64_t{bytes.size()} * 8;
  bytes.push_back(0x80);
  while (bytes.size() % 64 != 56) bytes.push_back(0);
  for (int i = 7; i >= 0; --i) bytes.push_back(static_cast<uint8_t>(bits >> (8 * i)));
  std::vector<Block> blocks(bytes.size() / 64);
  for (size_t i = 0; i < bytes.size(); ++i) blocks[i / 64][i % 64 / 4] |= uint32_t{bytes[i]} << (24 - 8 * (i % 4));
  return blocks;
}

std::string hex(const ChainingValue& digest) {
  std::string text;
  for (const uint32_t word : digest) {
    char buffer[9];
    std::snprintf(buffer, sizeof buffer, "%08x", word);
    text += buffer;
  }
  return text;
}

// The digests of FIPS 180-4's examples (NIST's "SHA256.pdf" example values): "abc" (one block),
// the 448-bit message (two blocks: the second call's input is the first call's output, read back
// from the table) and "".
TEST(Sha256Air, KnownAnswersThroughGeneration) {
  const struct {
    std::string message, digest;
  } cases[] = {
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message);
    ChainingValue state = kInitialHashValue;
    for (const Block& block : padded(c.message)) {
      // Each block in its own table, on row 1 after a random call, so the row index matters.
      const std::vector<Compression> calls = {random_calls(1, 11)[0], {state, block}};
      const air::TableWitness witness = sha256_witness(calls);
      state = output_of(witness, 1);
      EXPECT_TRUE(check(witness).empty());
    }
    EXPECT_EQ(hex(state), c.digest);
  }
  const std::vector<Compression> calls = random_calls(6, 12);
  const air::TableWitness witness = sha256_witness(calls);
  for (size_t i = 0; i < calls.size(); ++i) {
    const ChainingValue expected = reference_compress(calls[i].state, calls[i].block);
    EXPECT_EQ(output_of(witness, i), expected) << "call " << i;
    EXPECT_EQ(compress(calls[i].state, calls[i].block), expected) << "call " << i;
  }
}

TEST(Sha256Air, HonestRowsPassTheChecker) {
  const size_t reserved = stark::testing::toy_reserved_rows();
  // 5 calls and 48 reserved rows: 64 rows, rows 5..15 compressions of zeros.
  const air::TableWitness witness = sha256_witness(random_calls(5, 1), reserved);
  ASSERT_EQ(witness.main.rows(), 64u);
  std::vector<air::ConstraintFailure> failures = check(witness, reserved);
  EXPECT_TRUE(failures.empty()) << describe(failures);
  failures = check(sha256_witness(random_calls(3, 2), 0, 3));
  EXPECT_TRUE(failures.empty()) << describe(failures);
}

// Consistent forgeries: one step computed another way (a rotation off by one, and instead of and-not,
// no feed-forward), every later step computed honestly from it, so only that step's sums can see it.
struct StepForgery {
  const char* what;
  internal::Steps steps;
  std::vector<const char*> constraints;  // every failure names one of these
};

const std::vector<StepForgery>& step_forgeries() {
  const internal::Steps& fips = internal::fips_steps();
  const auto with = [&fips](auto change) {
    internal::Steps steps = fips;
    change(steps);
    return steps;
  };
  static const std::vector<StepForgery> kForgeries = {
      {"schedule: sigma0 of W[5] for W[20] rotated by 8, not 7", with([](internal::Steps& s) {
         s.small_sigma0 = [](size_t t, uint32_t x) {
           return std::rotr(x, t == 20 ? 8 : 7) ^ std::rotr(x, 18) ^ (x >> 3);
         };
       }),
       {"schedule W[20] "}},
      {"schedule: sigma1 of W[38] for W[40] shifted by 11, not 10", with([](internal::Steps& s) {
         s.small_sigma1 = [](size_t t, uint32_t x) {
           return std::rotr(x, 17) ^ std::rotr(x, 19) ^ (x >> (t == 40 ? 11 : 10));
         };
       }),
       {"schedule W[40] "}},
      {"Sigma0 of round 10 rotated by 3, not 2", with([](internal::Steps& s) {
         s.big_sigma0 = [](size_t t, uint32_t x) {
           return std::rotr(x, t == 10 ? 3 : 2) ^ std::rotr(x, 13) ^ std::rotr(x, 22);
         };
       }),
       {"round 10 new a "}},
      {"Sigma1 of round 30 rotated by 12, not 11", with([](internal::Steps& s) {
         s.big_sigma1 = [](size_t t, uint32_t x) {
           return std::rotr(x, 6) ^ std::rotr(x, t == 30 ? 12 : 11) ^ std::rotr(x, 25);
         };
       }),
       {"round 30 new a ", "round 30 new e "}},
      {"Ch of round 50: e and g, not (not e) and g", with([](internal::Steps& s) {
         s.ch = [](size_t t, uint32_t e, uint32_t f, uint32_t g) { return (e & f) ^ ((t == 50 ? e : ~e) & g); };
       }),
       {"round 50 new a ", "round 50 new e "}},
      {"Maj of round 7: b and c left out", with([](internal::Steps& s) {
         s.maj = [](size_t t, uint32_t a, uint32_t b, uint32_t c) { return (a & b) ^ (a & c) ^ (t == 7 ? 0 : b & c); };
       }),
       {"round 7 new a "}},
      {"round 63: Sigma0 rotated by 3", with([](internal::Steps& s) {
         s.big_sigma0 = [](size_t t, uint32_t x) {
           return std::rotr(x, t == 63 ? 3 : 2) ^ std::rotr(x, 13) ^ std::rotr(x, 22);
         };
       }),
       {"round 63 new a + H[0] = H'[0]"}},
      {"feed-forward: the final state without H added", with([](internal::Steps& s) { s.feed_forward = false; }),
       {"feed-forward H'[", "round 63 new a + H[0]", "round 63 new e + H[4]"}},
  };
  return kForgeries;
}

air::TableWitness forged(const Compression& call, const internal::Steps& steps, size_t reserved) {
  air::TableWitness witness = sha256_witness(std::vector<Compression>{call}, reserved);
  std::fill(witness.main.row(0).begin(), witness.main.row(0).end(), Fp::zero());
  internal::fill_row(call, witness.main.row(0), steps);
  return witness;
}

TEST(Sha256Air, ConsistentForgeryOfEachStepFailsOnlyItsSums) {
  const size_t reserved = stark::testing::toy_reserved_rows();
  const Compression call = random_calls(1, 3)[0];
  for (const StepForgery& forgery : step_forgeries()) {
    const std::vector<air::ConstraintFailure> failures = check(forged(call, forgery.steps, reserved), reserved);
    ASSERT_FALSE(failures.empty()) << forgery.what;
    for (const air::ConstraintFailure& failure : failures) {
      const bool named = std::any_of(forgery.constraints.begin(), forgery.constraints.end(),
                                     [&](const char* name) { return failure.constraint.find(name) != std::string::npos; });
      EXPECT_TRUE(named) << forgery.what << ": " << failure.constraint;
      EXPECT_EQ(failure.row, 0u) << forgery.what;
    }
  }
  const std::vector<air::ConstraintFailure> failures = check(forged(call, internal::fips_steps(), reserved), reserved);
  EXPECT_TRUE(failures.empty()) << describe(failures);
}

// Cell-level forgeries: one cell changed, the named constraint fails.
constexpr uint32_t kFlip = 0xFFFFFFFF;
struct CellForgery {
  const char* what;
  int column;
  uint32_t value;  // written instead of the honest value (a bit's complement: kFlip)
  const char* constraint;
};

const std::vector<CellForgery>& cell_forgeries() {
  static const std::vector<CellForgery> kCells = {
      {"input binding: a bit of H[3] (round 0's d)", Columns::input(3, 5), kFlip, "round 0 new e limb 0"},
      {"input binding: a bit of the block's W[0]", Columns::w(0, 20), kFlip, "round 0 new a limb 1"},
      {"output binding: a bit of H'[6]", Columns::output(6, 3), kFlip, "feed-forward H'[6] limb 0"},
      {"output binding: a bit of H'[0]", Columns::output(0, 17), kFlip, "round 63 new a + H[0] = H'[0] limb 1"},
      {"round link: a bit of round 5's new a", Columns::a(5, 0), kFlip, "round 5 new a limb 0"},
      {"round link: a bit of round 40's new e, read by rounds 41..44", Columns::e(40, 31), kFlip, "round 41 new e limb 0"},
      {"schedule: a bit of W[30]", Columns::w(30, 9), kFlip, "schedule W[30] limb 0"},
      {"schedule carry: a bit of W[33]'s low carry", Columns::schedule_carry(33, 0, 1), kFlip, "schedule W[33] limb 0"},
      {"round carry: round 12's new a low carry digit", Columns::round_carry(12, 0, 0, 0), 7, "round 12 new a limb 0"},
      {"round carry: a digit of 3", Columns::round_carry(20, 1, 1, 0), 3, "round carry digit"},
      {"feed-forward carry flipped", Columns::output_carry(1, 0), kFlip, "feed-forward H'[2] limb 0"},
      {"a bit of 2", Columns::w(3, 0), 2, "schedule W bit"},
      {"a carry bit of 2", Columns::schedule_carry(17, 1, 0), 2, "schedule carry bit"},
  };
  return kCells;
}

void apply(air::TableWitness& witness, size_t row, const CellForgery& forgery) {
  Fp& cell = witness.main.at(row, forgery.column);
  cell = forgery.value == kFlip ? Fp::one() - cell : Fp::from_u32(forgery.value);
}

TEST(Sha256Air, ForgedCellOfEachConstraintKindIsNamedByTheChecker) {
  const size_t reserved = stark::testing::toy_reserved_rows();
  const air::TableWitness honest = sha256_witness(random_calls(3, 4), reserved);
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

TEST(Sha256Air, ProvesAndVerifiesAndRejectsForcedProofsOfForgeries) {
  const stark::fri::FriParams params = stark::testing::toy_fri_params();
  const air::Machine machine = sha256_machine();
  const stark::prover::ProvingKey pk = stark::prover::setup(params, machine);
  // 4 compressions and the 48 reserved rows of zero knowledge: 64 rows.
  const size_t reserved = stark::protocol::reserved_rows(params);
  const std::vector<air::TableWitness> honest = {sha256_witness(random_calls(4, 6), reserved)};
  ASSERT_EQ(honest[0].main.rows(), 64u);
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
  for (const CellForgery& forgery : cell_forgeries()) {
    SCOPED_TRACE(forgery.what);
    air::TableWitness witness = honest[0];
    apply(witness, 2, forgery);
    rejected(witness);
  }
  for (const StepForgery& forgery : step_forgeries()) {
    SCOPED_TRACE(forgery.what);
    rejected(forged(random_calls(1, 6)[0], forgery.steps, reserved));
  }
}

std::vector<Fp> candidates_around(Fp honest) {
  std::vector<Fp> values;
  for (uint32_t d = 0; d < 6; ++d) {
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
// 2^16; a carry digit and the limb it balances, probed together, cannot compensate each other.
TEST(Sha256Air, UnderConstraintProbeFindsOneValuePerCell) {
  const Sha256Table table;
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  const air::TableWitness witness = sha256_witness(random_calls(2, 8));
  const air::ProbeWindow window = window_of(witness, 0);
  const std::vector<int> cells = {Columns::input(0, 0),       Columns::input(7, 31),     Columns::w(0, 16),
                                  Columns::w(63, 5),          Columns::a(0, 0),          Columns::e(62, 15),
                                  Columns::output(0, 16),     Columns::output(7, 0),     Columns::schedule_carry(63, 1, 1),
                                  Columns::round_carry(63, 0, 1, 1), Columns::round_carry(0, 1, 0, 0),
                                  Columns::output_carry(5, 1)};
  for (const int column : cells) {
    SCOPED_TRACE(analysis.info.main_names[column]);
    const Fp honest = window.local[column];
    const auto results = air::probe_assignments(*erased, analysis, window, {{false, column, candidates_around(honest)}});
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].local[column], honest);
  }
  // Round 5's new a: its low carry's digits and bit 15 of the low limb together.
  const int digit0 = Columns::round_carry(5, 0, 0, 0), digit1 = Columns::round_carry(5, 0, 0, 1);
  const std::vector<Fp> small = {Fp::zero(), Fp::one(), Fp::from_u32(2), Fp::from_u32(3)};
  const auto results = air::probe_assignments(*erased, analysis, window,
                                              {{false, digit0, small}, {false, digit1, small}, {false, Columns::a(5, 15), small}});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].local, window.local);
}

// The probe itself can fail: with the high-limb equation of H'[6] left out, its bits are free.
air::WithoutConstraint<Sha256Table> weakened_table() {
  return {Sha256Table{}, internal::constraint_names().feed_forward[6][1], "sha256-weakened"};
}

TEST(Sha256Air, UnderConstraintProbeFindsAFreeCellInAWeakenedTable) {
  const auto table = weakened_table();
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  const air::TableWitness witness = sha256_witness(random_calls(2, 9));
  const air::ProbeWindow window = window_of(witness, 0);
  const auto results =
      air::probe_assignments(*erased, analysis, window, {{false, Columns::output(6, 20), {Fp::zero(), Fp::one()}}});
  EXPECT_EQ(results.size(), 2u);
}

}  // namespace
}  // namespace zkrv::precompile_air::sha256_compress
