// The keccak-f[1600] table: its shape against Plonky3's keccak-air, FIPS 202's constants and
// known-answer vectors through witness generation, honest witnesses pass the row checker and
// prove, a forgery of each constraint kind is named by the checker and rejected by the verifier,
// and an under-constraint probe finds exactly one value for probed cells.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "precompile_air/keccak_f1600/keccak_air.h"
#include "stark/air/checker.h"
#include "stark/air/probe.h"
#include "stark/air/symbolic.h"
#include "stark/air/weakened.h"
#include "stark/prover/prover.h"
#include "stark/testing/toy_cases.h"
#include "stark/verifier/verifier.h"

namespace zkrv::precompile_air::keccak_f1600 {
namespace {

namespace air = stark::air;
using air::Fp;
using ::testing::HasSubstr;
using Columns = KeccakColumns;

std::vector<State> random_inputs(size_t count, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<State> inputs(count);
  for (State& s : inputs) {
    for (uint64_t& lane : s) lane = rng();
  }
  return inputs;
}

std::vector<air::ConstraintFailure> check(const air::TableWitness& witness, size_t reserved_rows = 0) {
  const KeccakTable table;
  const auto erased = air::make_table(table);
  static const air::TableAnalysis kAnalysis = air::analyze_table(table);
  return air::check_table_rows(*erased, kAnalysis, stark::Matrix<Fp>(), witness, 64, reserved_rows);
}

std::string describe(const std::vector<air::ConstraintFailure>& failures) {
  std::string text;
  for (const air::ConstraintFailure& f : failures) text += f.constraint + " at row " + std::to_string(f.row) + "; ";
  return text;
}

TEST(KeccakAir, ShapeBeatsPlonky3KeccakAir) {
  const air::TableAnalysis analysis = air::analyze_table(KeccakTable{});
  EXPECT_EQ(analysis.info.main_width, 2468);  // 2,358 for the permutation, 110 for calls (README.md)
  EXPECT_EQ(analysis.max_degree, 3);
  EXPECT_TRUE(analysis.unused_main.empty());
  EXPECT_TRUE(analysis.interactions.empty());
  const size_t cells = static_cast<size_t>(analysis.info.main_width) * kRounds;
  // Plonky3 keccak-air, 24 rows per permutation: KeccakCols is 2,532 columns, 2,632 in the versions
  // with the input copied on every row (README.md).
  EXPECT_LT(cells, size_t{2532} * kRounds);
  std::printf("keccak-f[1600] table: %d columns, %zu cells per permutation (Plonky3 keccak-air: %zu), "
              "%zu constraints of degree <= %d\n",
              analysis.info.main_width, cells, size_t{2532} * kRounds, analysis.constraints.size(),
              analysis.max_degree);
}

// FIPS 202 section 3.2.5: RC[ir] bit 2^j - 1 is rc(j + 7 ir), rc from Algorithm 5's LFSR; and
// rho's offsets of Table 2.
TEST(KeccakAir, ConstantsAreFips202s) {
  // R[k] is bit k of r; "R = 0 || R" shifts every bit up one place.
  const auto rc = [](size_t t) {
    uint32_t r = 1;
    for (size_t i = 1; i <= t % 255; ++i) {
      r <<= 1;
      if (r >> 8 & 1) r ^= 1u | 1u << 4 | 1u << 5 | 1u << 6;
      r &= 0xff;
    }
    return r & 1;
  };
  for (size_t ir = 0; ir < kRounds; ++ir) {
    uint64_t expected = 0;
    for (size_t j = 0; j <= 6; ++j) expected |= uint64_t{rc(j + 7 * ir)} << ((size_t{1} << j) - 1);
    EXPECT_EQ(kRoundConstants[ir], expected) << "round " << ir;
  }
  EXPECT_EQ(kRhoOffsets[0][0], 0u);
  EXPECT_EQ(kRhoOffsets[1][0], 1u);
  EXPECT_EQ(kRhoOffsets[0][1], 36u);
  EXPECT_EQ(kRhoOffsets[2][2], 43u);
  EXPECT_EQ(kRhoOffsets[4][4], 14u);
}

std::string digest_hex(const State& state, size_t bytes) {
  std::string hex;
  for (size_t i = 0; i < bytes; ++i) {
    char byte[3];
    std::snprintf(byte, sizeof byte, "%02x", static_cast<unsigned>(state[i / 8] >> (8 * (i % 8)) & 0xff));
    hex += byte;
  }
  return hex;
}

// One padded block of a short message: rate 136 bytes (SHA3-256, Keccak-256), domain byte
// 0x06 (SHA3) or 0x01 (original Keccak), pad10*1.
State one_block(const std::string& message, uint8_t domain) {
  State state{};
  const auto xor_byte = [&state](size_t i, uint8_t v) { state[i / 8] ^= uint64_t{v} << (8 * (i % 8)); };
  for (size_t i = 0; i < message.size(); ++i) xor_byte(i, static_cast<uint8_t>(message[i]));
  xor_byte(message.size(), domain);
  xor_byte(135, 0x80);
  return state;
}

TEST(KeccakAir, KnownAnswersThroughGeneration) {
  State zero_once{};
  permute(zero_once);
  const std::vector<State> inputs = {State{}, zero_once, one_block("", 0x06), one_block("abc", 0x06),
                                     one_block("", 0x01)};
  const air::TableWitness witness = keccak_witness(inputs);
  // The Keccak team's KeccakF-1600-IntermediateValues.txt: the all-zero state, permuted once and twice.
  EXPECT_EQ(output_of(witness, 0)[0], 0xf1258f7940e1dde7u);
  EXPECT_EQ(output_of(witness, 0)[1], 0x84d5ccf933c0478au);
  EXPECT_EQ(output_of(witness, 1)[0], 0x2d5c954df96ecb3cu);
  // FIPS 202 / NIST example values: SHA3-256("") and SHA3-256("abc"); Keccak-256("").
  EXPECT_EQ(digest_hex(output_of(witness, 2), 32), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  EXPECT_EQ(digest_hex(output_of(witness, 3), 32), "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  EXPECT_EQ(digest_hex(output_of(witness, 4), 32), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  // Every lane, on random states, as the native permutation computes it.
  const std::vector<State> random = random_inputs(3, 7);
  const air::TableWitness random_witness = keccak_witness(random);
  for (size_t p = 0; p < random.size(); ++p) {
    State expected = random[p];
    permute(expected);
    EXPECT_EQ(output_of(random_witness, p), expected) << "permutation " << p;
  }
}

TEST(KeccakAir, HonestRowsPassTheChecker) {
  const size_t reserved = stark::testing::toy_reserved_rows();
  // 3 permutations (72 rows) and 48 reserved rows: 128 rows, of which rows 72..79 start a padding
  // permutation that the reserved rows cut off.
  const air::TableWitness witness = keccak_witness(random_inputs(3, 1), reserved);
  ASSERT_EQ(witness.main.rows(), 128u);
  std::vector<air::ConstraintFailure> failures = check(witness, reserved);
  EXPECT_TRUE(failures.empty()) << describe(failures);
  // Without reserved rows the last row's next row is row 0, and the link flag is 0 there.
  failures = check(keccak_witness(random_inputs(2, 2), 0, 7));
  EXPECT_TRUE(failures.empty()) << describe(failures);
}

// A round computed another way, for forgeries that are consistent everywhere but in the step
// they change.
enum class Variant { kHonest, kWrongRho, kWrongPi, kChiWithAnd, kIotaOfAnotherRound, kNoIota };

State round_variant(const State& a, size_t round, Variant variant) {
  std::array<uint64_t, 5> c{}, d{};
  for (size_t x = 0; x < 5; ++x) {
    for (size_t y = 0; y < 5; ++y) c[x] ^= a[x + 5 * y];
  }
  for (size_t x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
  State b{};
  for (size_t x = 0; x < 5; ++x) {
    for (size_t y = 0; y < 5; ++y) {
      int offset = static_cast<int>(kRhoOffsets[x][y]);
      if (variant == Variant::kWrongRho && x == 1 && y == 0) offset += 1;
      size_t to_x = y, to_y = (2 * x + 3 * y) % 5;
      // (2, 1) and (4, 1) go to lanes (1, 2) and (1, 1): rows of B that leave lane (0, 0) alone.
      if (variant == Variant::kWrongPi && x == 2 && y == 1) to_y = 1;
      if (variant == Variant::kWrongPi && x == 4 && y == 1) to_y = 2;
      b[to_x + 5 * to_y] = std::rotl(a[x + 5 * y] ^ d[x], offset);
    }
  }
  State out{};
  for (size_t x = 0; x < 5; ++x) {
    for (size_t y = 0; y < 5; ++y) {
      const uint64_t b1 = b[(x + 1) % 5 + 5 * y], b2 = b[(x + 2) % 5 + 5 * y];
      out[x + 5 * y] = b[x + 5 * y] ^ ((variant == Variant::kChiWithAnd ? b1 : ~b1) & b2);
    }
  }
  if (variant == Variant::kIotaOfAnotherRound) {
    out[0] ^= kRoundConstants[(round + 1) % kRounds];
  } else if (variant != Variant::kNoIota) {
    out[0] ^= kRoundConstants[round];
  }
  return out;
}

// The rows of one permutation with round `round` replaced by `variant`, each later round
// computed honestly from the forged state: row `round` is the only row whose constraints can see it.
air::TableWitness forged_permutation(const State& input, size_t round, Variant variant, size_t reserved) {
  air::TableWitness witness = keccak_witness(std::vector<State>{input}, reserved);
  State state = input;
  for (size_t r = 0; r < kRounds; ++r) {
    const State honest_next = round_variant(state, r, Variant::kHonest);
    if (r < round) {
      state = honest_next;
      continue;
    }
    std::fill(witness.main.row(r).begin(), witness.main.row(r).end(), Fp::zero());
    const State written = internal::fill_round(state, r, r + 1 < kRounds, witness.main.row(r));
    EXPECT_EQ(written, honest_next);
    state = r == round ? round_variant(state, r, variant) : written;
    if (r == round) {
      // The forged output in the row's output limbs; the row's other cells stay honest.
      for (size_t lane = 0; lane < 25; ++lane) {
        for (size_t l = 0; l < kLimbsPerLane; ++l) {
          const uint64_t limb = state[lane] >> kLimbStart[l] & ((uint64_t{1} << (kLimbStart[l + 1] - kLimbStart[l])) - 1);
          witness.main.at(r, Columns::output(lane % 5, lane / 5, l)) = Fp::from_u32(static_cast<uint32_t>(limb));
        }
      }
    }
  }
  return witness;
}

struct Forgery {
  const char* what;
  size_t round;
  Variant variant;
  const char* constraint;  // every failure is this kind of constraint, on the forged row
};

const std::vector<Forgery>& forgeries() {
  static const std::vector<Forgery> kForgeries = {
      {"rho: lane (1, 0) rotated by 2", 3, Variant::kWrongRho, "chi output"},
      {"pi: lanes (2, 1) and (4, 1) swapped", 7, Variant::kWrongPi, "chi output"},
      {"chi: and instead of and-not", 11, Variant::kChiWithAnd, "chi"},
      {"iota: the next round's constant", 5, Variant::kIotaOfAnotherRound, "chi+iota output[0][0]"},
      {"iota: no constant", 0, Variant::kNoIota, "chi+iota output[0][0]"},
      {"output: the last round without iota", kRounds - 1, Variant::kNoIota, "chi+iota output[0][0]"},
  };
  return kForgeries;
}

TEST(KeccakAir, ConsistentForgeryOfEachRoundStepFailsOnlyItsRow) {
  const size_t reserved = stark::testing::toy_reserved_rows();
  const State input = random_inputs(1, 3)[0];
  for (const Forgery& forgery : forgeries()) {
    const air::TableWitness witness = forged_permutation(input, forgery.round, forgery.variant, reserved);
    const std::vector<air::ConstraintFailure> failures = check(witness, reserved);
    ASSERT_FALSE(failures.empty()) << forgery.what;
    for (const air::ConstraintFailure& failure : failures) {
      EXPECT_THAT(failure.constraint, HasSubstr(forgery.constraint)) << forgery.what;
      EXPECT_EQ(failure.row, forgery.round) << forgery.what << ": " << failure.constraint;
    }
  }
  // The honest variant of the same construction passes.
  const std::vector<air::ConstraintFailure> failures =
      check(forged_permutation(input, 9, Variant::kHonest, reserved), reserved);
  EXPECT_TRUE(failures.empty()) << describe(failures);
}

// Cell-level forgeries: one cell changed, the named constraint fails on the named row.
struct CellForgery {
  const char* what;
  size_t row;
  int column;
  uint32_t value;  // written instead of the honest value (a bit's complement: kFlip)
  const char* constraint;
  size_t failing_row;
};
constexpr uint32_t kFlip = 0xFFFFFFFF;

const std::vector<CellForgery>& cell_forgeries() {
  static const std::vector<CellForgery> kCells = {
      {"theta: a column parity flipped", 2, Columns::c_prime(1, 5), kFlip, "theta parity C'[1][5]", 2},
      {"theta: a D bit flipped", 4, Columns::d(3, 0), kFlip, "theta D[3][0]", 4},
      {"theta: an A' cell of 2", 6, Columns::a_prime(2, 4, 17), 2, "theta A' bit", 6},
      {"iota: a committed chi(0, 0) bit flipped", 8, Columns::iota(3), kFlip, "iota chi(0, 0) bit 7", 8},
      {"counter: the first row in round 1", 0, Columns::step(1), 1, "round step v[1] on the first row", 0},
      {"counter: the first row in group 1", 0, Columns::group(1), 1, "round group u[1] on the first row", 0},
      {"counter: a step skipped", 10, Columns::step(5), 1, "round step v[5] step", 9},
      {"counter: a group skipped", 13, Columns::group(3), 1, "round group u[3] step", 12},
      {"link: the flag cleared inside a permutation", 12, Columns::kLink, 0, "link flag", 12},
      {"link: the flag set on the last round", 23, Columns::kLink, 1, "link flag", 23},
      {"link: the next round's input changed", 15, Columns::a_prime(0, 3, 40), kFlip, "round link[0][3] limb 2", 14},
  };
  return kCells;
}

void apply(air::TableWitness& witness, const CellForgery& forgery) {
  Fp& cell = witness.main.at(forgery.row, forgery.column);
  cell = forgery.value == kFlip ? Fp::one() - cell : Fp::from_u32(forgery.value);
}

TEST(KeccakAir, ForgedCellOfEachConstraintKindIsNamedByTheChecker) {
  const size_t reserved = stark::testing::toy_reserved_rows();
  const air::TableWitness honest = keccak_witness(random_inputs(2, 4), reserved);
  for (const CellForgery& forgery : cell_forgeries()) {
    air::TableWitness witness = honest;
    apply(witness, forgery);
    const std::vector<air::ConstraintFailure> failures = check(witness, reserved);
    bool named = false;
    for (const air::ConstraintFailure& failure : failures) {
      named = named || (failure.constraint == forgery.constraint && failure.row == forgery.failing_row);
    }
    EXPECT_TRUE(named) << forgery.what << ": " << describe(failures);
  }
}

// The input binding: round 0's row of another input, the later rows unchanged.
air::TableWitness another_first_round(size_t reserved) {
  const std::vector<State> inputs = random_inputs(2, 5);
  air::TableWitness witness = keccak_witness(std::vector<State>{inputs[0]}, reserved);
  const air::TableWitness other = keccak_witness(std::vector<State>{inputs[1]}, reserved);
  std::copy(other.main.row(0).begin(), other.main.row(0).end(), witness.main.row(0).begin());
  return witness;
}

TEST(KeccakAir, AnotherInputOnTheFirstRoundIsNotLinked) {
  const std::vector<air::ConstraintFailure> failures = check(another_first_round(0));
  ASSERT_FALSE(failures.empty());
  for (const air::ConstraintFailure& failure : failures) {
    EXPECT_THAT(failure.constraint, HasSubstr("round link")) << describe(failures);
    EXPECT_EQ(failure.row, 0u);
  }
}

TEST(KeccakAir, ProvesAndVerifiesAndRejectsForcedProofsOfForgeries) {
  const stark::fri::FriParams params = stark::testing::toy_fri_params();
  const air::Machine machine = keccak_machine();
  const stark::prover::ProvingKey pk = stark::prover::setup(params, machine);
  // 2 permutations and the 48 reserved rows of zero knowledge: 128 rows.
  const size_t reserved = stark::protocol::reserved_rows(params);
  const std::vector<air::TableWitness> honest = {keccak_witness(random_inputs(2, 6), reserved)};
  ASSERT_EQ(honest[0].main.rows(), 128u);
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
    apply(witness, forgery);
    rejected(witness);
  }
  for (const Forgery& forgery : forgeries()) {
    SCOPED_TRACE(forgery.what);
    rejected(forged_permutation(random_inputs(1, 6)[0], forgery.round, forgery.variant, reserved));
  }
  SCOPED_TRACE("another input on round 0");
  rejected(another_first_round(reserved));
}

// A two-row window (rows r and r + 1 of a permutation) and candidates around each probed cell.
air::ProbeWindow window_at(const air::TableWitness& witness, size_t row) {
  air::ProbeWindow window;
  window.local.assign(witness.main.row(row).begin(), witness.main.row(row).end());
  window.next.assign(witness.main.row(row + 1).begin(), witness.main.row(row + 1).end());
  return window;
}

std::vector<Fp> candidates_around(Fp honest) {
  std::vector<Fp> values;
  for (uint32_t d = 0; d < 6; ++d) {
    values.push_back(honest + Fp::from_u32(d));
    values.push_back(honest - Fp::from_u32(d + 1));
    values.push_back(Fp::from_u32(d));
    values.push_back(-Fp::from_u32(d + 1));
  }
  // Bits and counters are small: the lists overlap, and each value must be tried once.
  std::sort(values.begin(), values.end(), [](Fp a, Fp b) { return a.to_u32() < b.to_u32(); });
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

struct ProbedCell {
  bool next_row;
  int column;
};

// With every other cell honest, each probed cell has exactly one satisfying value among the honest
// one, its neighbours, small values and values just below p; two cells probed together (an
// output limb and the next row's D bit it feeds) cannot compensate each other.
TEST(KeccakAir, UnderConstraintProbeFindsOneValuePerCell) {
  const KeccakTable table;
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  const air::TableWitness witness = keccak_witness(random_inputs(1, 8));
  for (const size_t row : {size_t{0}, size_t{5}, kRounds - 1}) {
    air::ProbeWindow window = window_at(witness, row);
    window.first_row = row == 0;
    const std::vector<ProbedCell> cells = {
        {false, Columns::output(0, 0, 0)}, {false, Columns::output(3, 2, 2)}, {false, Columns::a_prime(1, 1, 9)},
        {false, Columns::c_prime(4, 63)},  {false, Columns::d(2, 30)},       {false, Columns::iota(6)},
        {false, Columns::kLink},           {true, Columns::step(2)},         {true, Columns::group(1)},
        {true, Columns::a_prime(4, 0, 1)}, {true, Columns::d(0, 0)},
    };
    for (const ProbedCell& cell : cells) {
      SCOPED_TRACE("row " + std::to_string(row) + (cell.next_row ? " next " : " ") + analysis.info.main_names[cell.column]);
      const Fp honest = (cell.next_row ? window.next : window.local)[cell.column];
      const auto results = air::probe_assignments(*erased, analysis, window, {{cell.next_row, cell.column, candidates_around(honest)}});
      // The next row of the last round is another permutation's first: this window binds only
      // its counter (its state is the next permutation's input).
      if (cell.next_row && row == kRounds - 1 && cell.column >= Columns::kAPrimeStart) {
        EXPECT_EQ(results.size(), candidates_around(honest).size());
        continue;
      }
      ASSERT_EQ(results.size(), 1u);
      EXPECT_EQ((cell.next_row ? results[0].next : results[0].local)[cell.column], honest);
    }
  }
  const air::ProbeWindow window = window_at(witness, 5);
  const auto results = air::probe_assignments(
      *erased, analysis, window,
      {{false, Columns::output(0, 0, 0), candidates_around(window.local[Columns::output(0, 0, 0)])},
       {true, Columns::d(0, 3), {Fp::zero(), Fp::one()}}});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].local, window.local);
  EXPECT_EQ(results[0].next, window.next);
}

// The probe itself can fail: with one output limb's chi constraint left out, the limb is free on
// the last round (where no link binds it either).
air::WithoutConstraint<KeccakTable> weakened_table() {
  return {KeccakTable{}, internal::constraint_names().chi[3][2][2], "keccak-weakened"};
}

TEST(KeccakAir, UnderConstraintProbeFindsAFreeCellInAWeakenedTable) {
  const auto table = weakened_table();
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  const air::TableWitness witness = keccak_witness(random_inputs(1, 9));
  const air::ProbeWindow window = window_at(witness, kRounds - 1);
  std::vector<Fp> candidates;
  for (uint32_t v = 0; v < 4; ++v) candidates.push_back(Fp::from_u32(v));
  const auto results = air::probe_assignments(*erased, analysis, window, {{false, Columns::output(3, 2, 2), candidates}});
  EXPECT_EQ(results.size(), candidates.size());
}

}  // namespace
}  // namespace zkrv::precompile_air::keccak_f1600
