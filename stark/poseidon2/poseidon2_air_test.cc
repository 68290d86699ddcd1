// The Poseidon2 table: its shape against Plonky3's poseidon2-air, honest witnesses pass the row
// checker and prove, a corrupted cell of each constraint kind is named by the checker and rejected
// by the verifier, and an under-constraint probe finds exactly one value for probed cells.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <vector>

#include "stark/air/checker.h"
#include "stark/air/probe.h"
#include "stark/air/symbolic.h"
#include "stark/air/weakened.h"
#include "stark/poseidon2/poseidon2_air.h"
#include "stark/prover/prover.h"
#include "stark/testing/toy_cases.h"
#include "stark/verifier/verifier.h"

namespace zkrv::stark::poseidon2 {
namespace {

using ::testing::HasSubstr;
using Columns = Poseidon2Columns;

std::vector<State> random_inputs(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<State> inputs(count);
  for (State& s : inputs) {
    for (KoalaBear& x : s) x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
  }
  return inputs;
}

std::vector<air::ConstraintFailure> check(const air::TableWitness& witness) {
  const Poseidon2Table table;
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  return air::check_table_rows(*erased, analysis, Matrix<KoalaBear>(), witness);
}

TEST(Poseidon2Air, ShapeMatchesPlonky3Poseidon2Air) {
  const air::TableAnalysis analysis = air::analyze_table(Poseidon2Table{});
  // Plonky3 poseidon2-air, Poseidon2Cols<_, 16, 3, 0, 4, 20>: 16 + 4*16 + 20 + 4*16 cells.
  EXPECT_EQ(analysis.info.main_width, 164);
  EXPECT_EQ(analysis.constraints.size(), 2 * kHalfFullRounds * kWidth + kPartialRounds);
  EXPECT_EQ(analysis.max_degree, 3);
  EXPECT_TRUE(analysis.unused_main.empty());
  EXPECT_TRUE(analysis.interactions.empty());
  std::printf("poseidon2 table: %d cells per permutation, %zu constraints of degree <= %d\n",
              analysis.info.main_width, analysis.constraints.size(), analysis.max_degree);
}

TEST(Poseidon2Air, RowsHoldThePermutationAndPassTheChecker) {
  const std::vector<State> inputs = random_inputs(5, 1);
  const air::TableWitness witness = poseidon2_witness(inputs);
  ASSERT_EQ(witness.main.rows(), 8u);  // padded to a power of two
  for (size_t r = 0; r < witness.main.rows(); ++r) {
    State expected = r < inputs.size() ? inputs[r] : State{};
    permute(expected);
    for (size_t i = 0; i < kWidth; ++i) {
      EXPECT_EQ(witness.main.at(r, Columns::output(i)), expected[i]) << "row " << r << " element " << i;
    }
  }
  const std::vector<air::ConstraintFailure> failures = check(witness);
  EXPECT_TRUE(failures.empty()) << failures.front().constraint << " at row " << failures.front().row;
}

struct Corruption {
  int column;
  const char* constraint;  // the constraint that defines the cell
};

// One cell per kind of constraint: the first and a later beginning external round, an internal
// round's S-box, the ending external rounds (the last is an output).
const std::vector<Corruption>& corruptions() {
  static const std::vector<Corruption> kCorruptions = {
      {Columns::beginning_full(0, 0), "full round 0[0]"},
      {Columns::beginning_full(2, 9), "full round 2[9]"},
      {Columns::partial_sbox(0), "partial round 0 S-box"},
      {Columns::partial_sbox(13), "partial round 13 S-box"},
      {Columns::ending_full(0, 5), "full round 4[5]"},
      {Columns::output(15), "full round 7[15]"},
  };
  return kCorruptions;
}

TEST(Poseidon2Air, CorruptedCellOfEachConstraintKindIsNamedByTheChecker) {
  const air::TableWitness honest = poseidon2_witness(random_inputs(4, 2));
  for (const Corruption& corruption : corruptions()) {
    air::TableWitness witness = honest;
    witness.main.at(2, corruption.column) += KoalaBear::one();
    const std::vector<air::ConstraintFailure> failures = check(witness);
    ASSERT_FALSE(failures.empty()) << corruption.constraint;
    EXPECT_EQ(failures.front().constraint, corruption.constraint);
    EXPECT_EQ(failures.front().row, 2u);
  }
  // A changed input is another permutation's input: the first round no longer matches.
  air::TableWitness witness = honest;
  witness.main.at(1, Columns::input(7)) += KoalaBear::one();
  const std::vector<air::ConstraintFailure> failures = check(witness);
  ASSERT_FALSE(failures.empty());
  EXPECT_THAT(failures.front().constraint, HasSubstr("full round 0["));
  EXPECT_EQ(failures.front().row, 1u);
}

TEST(Poseidon2Air, ProvesAndVerifiesAndRejectsForcedProofsOfCorruptedCells) {
  const fri::FriParams params = testing::toy_fri_params();
  const air::Machine machine = poseidon2_machine();
  const prover::ProvingKey pk = prover::setup(params, machine);
  // 64 rows: zero knowledge reserves the last 2 q + 8 = 48 of them (protocol::reserved_rows).
  const std::vector<air::TableWitness> honest = {poseidon2_witness(random_inputs(6, 3), 6)};
  const prover::ProveResult result = prover::prove(params, machine, pk, honest);
  EXPECT_NO_THROW(verifier::verify(params, machine, pk.vk, result.proof));

  prover::ProveOptions malicious;
  malicious.check_witness = false;
  malicious.check_final_degree = false;
  for (const Corruption& corruption : corruptions()) {
    std::vector<air::TableWitness> witnesses = honest;
    witnesses[0].main.at(5, corruption.column) += KoalaBear::from_u32(3);
    const protocol::StarkProof proof = prover::prove(params, machine, pk, witnesses, malicious).proof;
    EXPECT_THROW(verifier::verify(params, machine, pk.vk, proof), verifier::VerifyError) << corruption.constraint;
  }
}

// With every other cell honest, each probed cell has exactly one satisfying value among the
// honest one, its neighbours, small values and values just below p; and two cells probed together
// (an internal S-box and an output it feeds) cannot compensate each other.
TEST(Poseidon2Air, UnderConstraintProbeFindsOneValuePerCell) {
  const Poseidon2Table table;
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  const air::TableWitness witness = poseidon2_witness(random_inputs(1, 4));
  air::ProbeWindow window;
  window.local.assign(witness.main.row(0).begin(), witness.main.row(0).end());
  window.next.assign(witness.main.row(1).begin(), witness.main.row(1).end());

  const auto candidates = [&](int column) {
    std::vector<KoalaBear> values;
    const KoalaBear honest = window.local[column];
    for (uint32_t d = 0; d < 8; ++d) {
      values.push_back(honest + KoalaBear::from_u32(d));
      values.push_back(honest - KoalaBear::from_u32(d + 1));
      values.push_back(KoalaBear::from_u32(d));
      values.push_back(-KoalaBear::from_u32(d + 1));
    }
    return values;
  };
  for (const Corruption& cell : corruptions()) {
    const auto results = air::probe_assignments(*erased, analysis, window, {{false, cell.column, candidates(cell.column)}});
    ASSERT_EQ(results.size(), 1u) << cell.constraint;
    EXPECT_EQ(results[0].local[cell.column], window.local[cell.column]) << cell.constraint;
  }
  const auto results = air::probe_assignments(
      *erased, analysis, window,
      {{false, Columns::partial_sbox(19), candidates(Columns::partial_sbox(19))},
       {false, Columns::output(0), candidates(Columns::output(0))}});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].local, window.local);
}

// The probe itself can fail: with the output constraint of one cell left out, that cell is free.
air::WithoutConstraint<Poseidon2Table> weakened_table() {
  return {Poseidon2Table{}, internal::full_round_name(2 * kHalfFullRounds - 1, kWidth - 1), "poseidon2-weakened"};
}

TEST(Poseidon2Air, UnderConstraintProbeFindsAFreeCellInAWeakenedTable) {
  const auto table = weakened_table();
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  const air::TableWitness witness = poseidon2_witness(random_inputs(1, 5));
  air::ProbeWindow window;
  window.local.assign(witness.main.row(0).begin(), witness.main.row(0).end());
  window.next.assign(witness.main.row(1).begin(), witness.main.row(1).end());
  std::vector<KoalaBear> candidates;
  for (uint32_t v = 0; v < 4; ++v) candidates.push_back(KoalaBear::from_u32(v));
  const auto results =
      air::probe_assignments(*erased, analysis, window, {{false, Columns::output(kWidth - 1), candidates}});
  EXPECT_EQ(results.size(), candidates.size());
}

}  // namespace
}  // namespace zkrv::stark::poseidon2
