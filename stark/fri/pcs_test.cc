#include "stark/fri/pcs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <random>
#include <string>

#include "stark/fri/zk_random.h"
#include "stark/ntt/ntt.h"
#include "stark/testing/small_params.h"

namespace zkrv::stark::fri {
namespace {

Ext random_ext(std::mt19937_64& rng) {
  typename Ext::Coefficients c;
  for (auto& x : c) x = Fp::from_u64(rng());
  return Ext(c);
}

Matrix<Fp> random_matrix(size_t rows, size_t width, std::mt19937_64& rng) {
  Matrix<Fp> m(rows, width);
  for (Fp& x : m.values()) x = Fp::from_u64(rng());
  return m;
}

using testing::small_fri_params;

// The protocol every test runs: absorb the caps, draw zeta, open every matrix at zeta and at
// zeta * g (g the generator of its trace domain), as the STARK will.
struct Statement {
  std::vector<RoundClaim> rounds;
  OpeningPoints points;
};

Statement draw_points(const std::vector<RoundClaim>& rounds, Transcript& transcript) {
  Statement statement{rounds, {}};
  for (const RoundClaim& round : rounds) transcript.absorb_digests("round cap", round.cap);
  const Ext zeta = transcript.squeeze_extension<Ext>("zeta");
  for (const RoundClaim& round : rounds) {
    auto& round_points = statement.points.emplace_back();
    for (const MatrixShape& shape : round.shapes) {
      round_points.push_back({zeta, zeta * Fp::two_adic_generator(shape.log_height)});
    }
  }
  return statement;
}

struct Proven {
  Statement statement;
  FriProof proof;
  std::vector<TranscriptRecord> prover_records;
};

Proven prove_committed(const FriParams& params, const std::vector<CommittedRound>& committed,
                      const ProverOptions& options = {}) {
  std::vector<RoundClaim> claims;
  std::vector<const CommittedRound*> pointers;
  for (const CommittedRound& round : committed) {
    claims.push_back({round.cap(), round.shapes()});
    pointers.push_back(&round);
  }
  Transcript transcript = new_transcript(params, /*record=*/true);
  Proven proven{draw_points(claims, transcript), {}, {}};
  proven.proof = open(params, pointers, proven.statement.points, transcript, options);
  proven.prover_records = transcript.records();
  return proven;
}

Proven prove(const FriParams& params, const std::vector<std::vector<Matrix<Fp>>>& rounds) {
  std::vector<CommittedRound> committed;
  for (const auto& traces : rounds) committed.push_back(commit(params, traces));
  return prove_committed(params, committed);
}

// Replays the verifier's side of the protocol; throws on rejection.
std::vector<TranscriptRecord> verify_proof(const FriParams& params, const std::vector<RoundClaim>& rounds,
                                          const FriProof& proof) {
  Transcript transcript = new_transcript(params, /*record=*/true);
  const Statement statement = draw_points(rounds, transcript);
  verify(params, statement.rounds, statement.points, proof, transcript);
  return transcript.records();
}

bool accepts(const FriParams& params, const std::vector<RoundClaim>& rounds, const FriProof& proof) {
  try {
    verify_proof(params, rounds, proof);
    return true;
  } catch (const FriError&) {
  } catch (const MerkleError&) {
  } catch (const TranscriptError&) {
  }
  return false;
}

// Evaluates a trace column at z the slow way: coefficients by inverse NTT, then Horner.
Ext evaluate_column_directly(const Matrix<Fp>& trace, size_t column, const Ext& z) {
  Matrix<Fp> coefficients = trace;
  inverse_ntt(coefficients);
  Ext result;
  for (size_t i = coefficients.rows(); i-- > 0;) result = result * z + Ext(coefficients.at(i, column));
  return result;
}

struct RoundTripCase {
  int log_blowup;
  int log_first_arity;
  int log_arity;
  int log_final_poly_len;
  std::vector<std::vector<std::pair<int, int>>> rounds;  // (log height, width) per matrix
};

class PcsRoundTripTest : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(PcsRoundTripTest, HonestProofVerifiesAndClaimsAreTheEvaluations) {
  const RoundTripCase& c = GetParam();
  FriParams params = small_fri_params();
  params.log_blowup = c.log_blowup;
  params.log_first_fold_arity = c.log_first_arity;
  params.log_fold_arity = c.log_arity;
  params.log_final_poly_len = c.log_final_poly_len;
  params.cap_height = 2;
  std::mt19937_64 rng(c.log_blowup * 100 + c.log_arity);
  std::vector<std::vector<Matrix<Fp>>> traces;
  for (const auto& round : c.rounds) {
    auto& matrices = traces.emplace_back();
    for (auto [log_height, width] : round) matrices.push_back(random_matrix(size_t{1} << log_height, width, rng));
  }
  const Proven proven = prove(params, traces);
  const std::vector<TranscriptRecord> verifier_records = verify_proof(params, proven.statement.rounds, proven.proof);
  EXPECT_FALSE(find_first_divergence(proven.prover_records, verifier_records).has_value());

  for (size_t r = 0; r < traces.size(); ++r) {
    for (size_t m = 0; m < traces[r].size(); ++m) {
      for (size_t p = 0; p < proven.statement.points[r][m].size(); ++p) {
        const Ext z = proven.statement.points[r][m][p];
        for (size_t col = 0; col < traces[r][m].width(); ++col) {
          ASSERT_EQ(proven.proof.opened_values[r][m][p][col], evaluate_column_directly(traces[r][m], col, z))
              << "round " << r << " matrix " << m << " point " << p << " column " << col;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, PcsRoundTripTest,
    ::testing::Values(RoundTripCase{1, 1, 1, 0, {{{4, 3}}}}, RoundTripCase{1, 1, 1, 2, {{{8, 5}}}},
                      RoundTripCase{2, 1, 1, 1, {{{7, 2}}}}, RoundTripCase{3, 1, 1, 1, {{{6, 9}}}},
                      RoundTripCase{1, 1, 2, 1, {{{9, 4}}}}, RoundTripCase{2, 1, 3, 0, {{{10, 3}}}},
                      RoundTripCase{1, 2, 4, 2, {{{11, 2}}}}, RoundTripCase{1, 4, 4, 0, {{{9, 1}}}},
                      // Several heights in one round, and across rounds.
                      RoundTripCase{1, 1, 1, 1, {{{8, 3}, {5, 2}, {3, 4}, {8, 1}}}},
                      RoundTripCase{2, 1, 3, 2, {{{9, 3}, {6, 2}}, {{7, 5}, {9, 1}, {4, 2}}}},
                      RoundTripCase{3, 2, 4, 1, {{{10, 2}, {2, 3}}, {{5, 7}}}},
                      RoundTripCase{1, 1, 2, 3, {{{3, 2}, {1, 2}}}}, RoundTripCase{1, 1, 1, 0, {{{0, 2}, {2, 1}}}}));

// Zero knowledge at this layer: every opened row (input rounds and fold layers) ends with a salt
// the verifier hashes, random salts change the caps, and a changed salt is caught by Merkle.
TEST(PcsTest, SaltedLeavesRoundTripAndAreBound) {
  FriParams params = small_fri_params();
  params.zk = true;
  params.cap_height = 2;
  std::mt19937_64 rng(11);
  const std::vector<Matrix<Fp>> traces = {random_matrix(64, 3, rng), random_matrix(16, 2, rng)};
  const ZkRandom random_a = ZkRandom::from_test_seed(1), random_b = ZkRandom::from_test_seed(2);
  std::vector<CommittedRound> committed;
  committed.push_back(commit(params, traces, &random_a));
  EXPECT_NE(committed[0].cap(), commit(params, traces, &random_b).cap());
  EXPECT_EQ(commit(params, traces).cap(), commit(params, traces).cap());  // zero salts: public data
  ProverOptions options;
  options.random = &random_a;
  const Proven proven = prove_committed(params, committed, options);
  const std::vector<RoundClaim> claims = proven.statement.rounds;
  ASSERT_TRUE(accepts(params, claims, proven.proof));
  const TreeOpening& input = proven.proof.input_openings[0];
  ASSERT_EQ(input.rows[0].size(), 2u);  // two height groups
  EXPECT_EQ(input.rows[0][0].size(), 3 + kSaltElements);
  EXPECT_EQ(input.rows[0][1].size(), 2 + kSaltElements);
  EXPECT_EQ(proven.proof.fold_openings[0].rows[0][0].size(), 2 * Ext::kDegree + kSaltElements);

  FriProof bad_input = proven.proof;
  bad_input.input_openings[0].rows[0][1].back() ^= 1;
  EXPECT_FALSE(accepts(params, claims, bad_input));
  FriProof bad_fold = proven.proof;
  bad_fold.fold_openings[0].rows[0][0].back() ^= 1;
  EXPECT_FALSE(accepts(params, claims, bad_fold));
  // A proof without salts is not a zk proof.
  FriProof unsalted = proven.proof;
  unsalted.input_openings[0].rows[0][0].pop_back();
  EXPECT_FALSE(accepts(params, claims, unsalted));
}

TEST(PcsTest, OpensTheSameTraceAsEvaluateTraceAt) {
  std::mt19937_64 rng(5);
  const Matrix<Fp> trace = random_matrix(32, 3, rng);
  const Ext z = random_ext(rng);
  const std::vector<Ext> values = evaluate_trace_at(trace, z);
  for (size_t c = 0; c < 3; ++c) EXPECT_EQ(values[c], evaluate_column_directly(trace, c, z));
}

// Powers of one challenge instead of independent coefficients: same protocol otherwise.
TEST(PcsTest, PowersBatchingRoundTrip) {
  FriParams params = small_fri_params();
  params.batching = Batching::kPowers;
  std::mt19937_64 rng(10);
  const std::vector<std::vector<Matrix<Fp>>> traces = {{random_matrix(64, 5, rng), random_matrix(8, 2, rng)}};
  const Proven proven = prove(params, traces);
  EXPECT_TRUE(accepts(params, proven.statement.rounds, proven.proof));
  FriProof tampered = proven.proof;
  tampered.opened_values[0][1][1][0] += Ext::one();
  EXPECT_FALSE(accepts(params, proven.statement.rounds, tampered));
  // The batching mode is part of the statement: the other mode's verifier rejects.
  FriParams independent = params;
  independent.batching = Batching::kIndependent;
  EXPECT_FALSE(accepts(independent, proven.statement.rounds, proven.proof));
}

TEST(PcsTest, ProofsAreDeterministic) {
  FriParams params = small_fri_params();
  params.query_pow_bits = 6;
  std::mt19937_64 rng(6);
  const std::vector<std::vector<Matrix<Fp>>> traces = {{random_matrix(64, 4, rng), random_matrix(16, 2, rng)}};
  const Proven a = prove(params, traces);
  const Proven b = prove(params, traces);
  EXPECT_EQ(a.proof, b.proof);
  EXPECT_FALSE(find_first_divergence(a.prover_records, b.prover_records).has_value());
  // A different parameter set gives a different transcript, hence different challenges.
  FriParams other = params;
  other.num_queries = 9;
  EXPECT_NE(prove(other, traces).proof.final_poly, a.proof.final_poly);
}

// The statistical soundness tests: small parameters (8 queries, blowup 2, no grinding), many seeds.
constexpr int kTrials = 400;
constexpr int kMaxCheatingAcceptances = kTrials / 10;  // 10%; the expected rate is about (1/2)^8 = 0.4%

// Runs `trials` cheating proofs built from the LDE matrix `make_lde` returns and counts acceptances.
int count_acceptances(const FriParams& params, const std::function<Matrix<Fp>(std::mt19937_64&)>& make_lde) {
  int accepted = 0;
  for (int seed = 0; seed < kTrials; ++seed) {
    std::mt19937_64 rng(1000 + seed);
    std::vector<CommittedRound> committed;
    std::vector<Matrix<Fp>> ldes;
    ldes.push_back(make_lde(rng));
    committed.push_back(commit_ldes(params, std::move(ldes)));
    ProverOptions cheat;
    cheat.check_final_degree = false;
    const Proven proven = prove_committed(params, committed, cheat);
    if (accepts(params, proven.statement.rounds, proven.proof)) ++accepted;
  }
  std::cout << "    accepted " << accepted << " of " << kTrials << " proofs\n";
  return accepted;
}

// LDE (bit-reversed coset) of a random polynomial of degree < 2^log_degree_bound, in `width` columns.
Matrix<Fp> lde_of_degree(int log_lde_rows, int log_degree_bound, size_t width, std::mt19937_64& rng) {
  Matrix<Fp> coefficients = random_matrix(size_t{1} << log_degree_bound, width, rng);
  return coset_lde_from_coefficients(coefficients, log_lde_rows - log_degree_bound, lde_shift(), RowOrder::kBitReversed);
}

TEST(PcsSoundnessTest, HonestProofsAlwaysVerify) {
  const FriParams params = small_fri_params();
  const int accepted = count_acceptances(params, [](std::mt19937_64& rng) { return lde_of_degree(7, 6, 2, rng); });
  EXPECT_EQ(accepted, kTrials);
}

TEST(PcsSoundnessTest, RejectsTwiceTheDegreeBound) {
  // Claimed trace height 2^6 (degree bound d = 64) with blowup 2: the committed words are
  // evaluations of degree < 2d = 128 polynomials.
  const FriParams params = small_fri_params();
  const int accepted = count_acceptances(params, [](std::mt19937_64& rng) { return lde_of_degree(7, 7, 2, rng); });
  EXPECT_LE(accepted, kMaxCheatingAcceptances);
}

TEST(PcsSoundnessTest, RejectsTwiceTheDegreeBoundAtBlowupFour) {
  FriParams params = small_fri_params();
  params.log_blowup = 2;
  const int accepted = count_acceptances(params, [](std::mt19937_64& rng) { return lde_of_degree(8, 7, 2, rng); });
  EXPECT_LE(accepted, kMaxCheatingAcceptances);
}

TEST(PcsSoundnessTest, RejectsRandomWords) {
  FriParams params = small_fri_params();
  params.log_fold_arity = 2;
  const int accepted = count_acceptances(params, [](std::mt19937_64& rng) { return random_matrix(128, 3, rng); });
  EXPECT_LE(accepted, kMaxCheatingAcceptances);
}

TEST(PcsSoundnessTest, RejectsADegreeJustAboveTheBound) {
  // Degree exactly d: one coefficient too many. Less far from the code than the cases above, so
  // the bound is looser, but most proofs must still fail.
  const FriParams params = small_fri_params();
  const int accepted = count_acceptances(params, [](std::mt19937_64& rng) {
    Matrix<Fp> coefficients = random_matrix(65, 1, rng);
    Matrix<Fp> padded(128, 1);
    for (size_t i = 0; i < 65; ++i) padded.at(i, 0) = coefficients.at(i, 0);
    forward_ntt(padded, RowOrder::kBitReversed);  // evaluations over H_128, not the coset: still degree 64
    return padded;
  });
  EXPECT_LE(accepted, kTrials / 4);
}

// The best simple attack on a word at distance 1/2 from the code: commit to an LDE with half of its
// rows replaced by garbage, and run DEEP and FRI honestly on the uncorrupted LDE. A query then
// passes exactly when it lands on an intact row, so the acceptance rate is (1/2)^queries: the
// soundness the parameters promise, measured. Returns the number of accepted proofs.
int count_half_corrupted_acceptances(const FriParams& params, int trials) {
  int accepted = 0;
  for (int seed = 0; seed < trials; ++seed) {
    std::mt19937_64 rng(5000 + seed);
    const int log_rows = 6 + params.log_blowup;
    Matrix<Fp> intact = lde_of_degree(log_rows, 6, 2, rng);
    Matrix<Fp> corrupted = intact;
    std::vector<size_t> rows(corrupted.rows());
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    std::shuffle(rows.begin(), rows.end(), rng);
    for (size_t k = 0; k < rows.size() / 2; ++k) {
      for (Fp& x : corrupted.row(rows[k])) x = Fp::from_u64(rng());
    }
    std::vector<Matrix<Fp>> intact_ldes, corrupted_ldes;
    intact_ldes.push_back(std::move(intact));
    corrupted_ldes.push_back(std::move(corrupted));
    const CommittedRound honest = commit_ldes(params, std::move(intact_ldes));
    const CommittedRound committed = commit_ldes(params, std::move(corrupted_ldes));
    const std::vector<RoundClaim> claims = {{committed.cap(), committed.shapes()}};

    Transcript transcript = new_transcript(params);
    const Statement statement = draw_points(claims, transcript);
    const CommittedRound* rounds[] = {&honest};
    FriProof proof = open(params, rounds, statement.points, transcript);
    // Answer the queries from the committed tree instead: find each queried row by its contents.
    std::vector<size_t> indices;
    TreeOpening opening;
    for (const auto& opened : proof.input_openings[0].rows) {
      size_t index = 0;
      while (honest.tree().opening_words(index) != opened) ++index;
      indices.push_back(index);
      opening.rows.push_back(committed.tree().opening_words(index));
    }
    opening.proof = committed.tree().open(indices);
    proof.input_openings[0] = opening;
    if (accepts(params, claims, proof)) ++accepted;
  }
  std::cout << "    " << params.num_queries << " queries: accepted " << accepted << " of " << trials << "\n";
  return accepted;
}

TEST(PcsSoundnessTest, HalfCorruptedWordPassesAboutHalfToTheQueries) {
  FriParams params = small_fri_params();
  for (int queries = 1; queries <= 3; ++queries) {
    params.num_queries = queries;
    const int accepted = count_half_corrupted_acceptances(params, kTrials);
    const double expected = kTrials * std::pow(0.5, queries);
    EXPECT_GT(accepted, expected / 2) << queries << " queries";
    EXPECT_LT(accepted, expected * 1.5) << queries << " queries";
  }
  params.num_queries = 8;
  EXPECT_LE(count_half_corrupted_acceptances(params, kTrials), kMaxCheatingAcceptances);
}

TEST(PcsTest, HonestProverRefusesDataAboveTheDegreeBound) {
  const FriParams params = small_fri_params();
  std::mt19937_64 rng(7);
  std::vector<Matrix<Fp>> ldes;
  ldes.push_back(random_matrix(128, 2, rng));
  std::vector<CommittedRound> committed;
  committed.push_back(commit_ldes(params, std::move(ldes)));
  EXPECT_THROW(prove_committed(params, committed), FriError);
}

class PcsTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    params_ = small_fri_params();
    params_.query_pow_bits = 8;
    params_.log_fold_arity = 2;
    std::mt19937_64 rng(8);
    proven_ = prove(params_, {{random_matrix(64, 3, rng), random_matrix(16, 2, rng)}, {random_matrix(32, 2, rng)}});
    ASSERT_TRUE(accepts(params_, proven_.statement.rounds, proven_.proof));
  }

  bool accepts_modified(const std::function<void(FriProof&)>& modify) const {
    FriProof proof = proven_.proof;
    modify(proof);
    return accepts(params_, proven_.statement.rounds, proof);
  }

  FriParams params_;
  Proven proven_;
};

TEST_F(PcsTamperTest, WrongOpenedValues) {
  const auto& values = proven_.proof.opened_values;
  for (size_t r = 0; r < values.size(); ++r) {
    for (size_t m = 0; m < values[r].size(); ++m) {
      for (size_t p = 0; p < values[r][m].size(); ++p) {
        for (size_t c = 0; c < values[r][m][p].size(); ++c) {
          EXPECT_FALSE(accepts_modified([&](FriProof& proof) { proof.opened_values[r][m][p][c] += Ext::one(); }))
              << r << " " << m << " " << p << " " << c;
        }
      }
    }
  }
}

TEST_F(PcsTamperTest, WrongFinalPolynomial) {
  for (size_t i = 0; i < proven_.proof.final_poly.size(); ++i) {
    EXPECT_FALSE(accepts_modified([&](FriProof& proof) { proof.final_poly[i] += Ext::x(); })) << i;
  }
  EXPECT_FALSE(accepts_modified([](FriProof& proof) { proof.final_poly.push_back(Ext::zero()); }));
}

TEST_F(PcsTamperTest, WrongPowNonce) {
  for (uint64_t delta = 1; delta <= 4; ++delta) {
    EXPECT_FALSE(accepts_modified([&](FriProof& proof) { proof.pow_nonce += delta; })) << delta;
  }
}

TEST_F(PcsTamperTest, TamperedMerklePathsAndRows) {
  auto all_openings = [](FriProof& proof) {
    std::vector<TreeOpening*> openings;
    for (TreeOpening& o : proof.input_openings) openings.push_back(&o);
    for (TreeOpening& o : proof.fold_openings) openings.push_back(&o);
    return openings;
  };
  FriProof copy = proven_.proof;
  const std::vector<TreeOpening*> openings = all_openings(copy);
  for (size_t t = 0; t < openings.size(); ++t) {
    for (size_t s = 0; s < openings[t]->proof.siblings.size(); ++s) {
      EXPECT_FALSE(accepts_modified([&](FriProof& proof) { all_openings(proof)[t]->proof.siblings[s][s % 32] ^= 1; }))
          << "tree " << t << " sibling " << s;
    }
    for (size_t q = 0; q < openings[t]->rows.size(); ++q) {
      for (size_t g = 0; g < openings[t]->rows[q].size(); ++g) {
        EXPECT_FALSE(accepts_modified([&](FriProof& proof) {
          uint32_t& word = all_openings(proof)[t]->rows[q][g][q % openings[t]->rows[q][g].size()];
          word = (word + 1) % Fp::kModulus;
        })) << "tree "
            << t << " query " << q << " group " << g;
      }
    }
    if (!openings[t]->proof.siblings.empty()) {
      EXPECT_FALSE(accepts_modified([&](FriProof& proof) { all_openings(proof)[t]->proof.siblings.pop_back(); }));
    }
    EXPECT_FALSE(accepts_modified([&](FriProof& proof) { all_openings(proof)[t]->proof.siblings.push_back({}); }));
  }
  EXPECT_FALSE(accepts_modified([](FriProof& proof) { proof.fold_caps[0][0][0] ^= 0x80; }));
}

TEST_F(PcsTamperTest, AnnotationPinpointsTheTamperedItem) {
  FriProof proof = proven_.proof;
  proof.final_poly[0] += Ext::one();
  Transcript transcript = new_transcript(params_, /*record=*/true);
  const Statement statement = draw_points(proven_.statement.rounds, transcript);
  EXPECT_ANY_THROW(verify(params_, statement.rounds, statement.points, proof, transcript));
  const auto divergence = find_first_divergence(proven_.prover_records, transcript.records());
  ASSERT_TRUE(divergence.has_value());
  EXPECT_EQ(divergence->label, "final poly");
}

TEST_F(PcsTamperTest, WrongShapesOrPointsAreRejected) {
  std::vector<RoundClaim> rounds = proven_.statement.rounds;
  rounds[0].shapes[1].width = 3;
  EXPECT_FALSE(accepts(params_, rounds, proven_.proof));
  rounds = proven_.statement.rounds;
  rounds[1].shapes[0].log_height = 4;
  EXPECT_FALSE(accepts(params_, rounds, proven_.proof));
  // Claims at other points.
  Transcript transcript = new_transcript(params_);
  Statement statement = draw_points(proven_.statement.rounds, transcript);
  statement.points[0][0][1] += Ext::one();
  EXPECT_THROW(verify(params_, statement.rounds, statement.points, proven_.proof, transcript), FriError);
}

TEST(PcsTest, PointInTheDomainIsAnError) {
  const FriParams params = small_fri_params();
  std::mt19937_64 rng(9);
  const Matrix<Fp> trace = random_matrix(16, 2, rng);
  const CommittedRound round = commit(params, std::span(&trace, 1));
  const CommittedRound* rounds[] = {&round};
  Transcript transcript = new_transcript(params);
  const OpeningPoints in_domain = {{{Ext(lde_shift() * Fp::two_adic_generator(5).pow(3))}}};
  EXPECT_THROW(open(params, rounds, in_domain, transcript), FriError);
  const OpeningPoints none = {{{}}};
  EXPECT_THROW(open(params, rounds, none, transcript), FriError);
}

}  // namespace
}  // namespace zkrv::stark::fri
