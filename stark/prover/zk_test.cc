// Zero knowledge (params.zk): proofs of one statement share nothing but the statement, the
// deterministic test mode is deterministic, and on a toy machine the openings of proofs for two
// different private witnesses are identically distributed (a two-sample Kolmogorov-Smirnov test
// over many proofs with the test seed varied), while without zk the same test tells them apart.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "stark/prover/prover.h"
#include "stark/testing/statistics.h"
#include "stark/testing/toy_cases.h"
#include "stark/verifier/verifier.h"

namespace zkrv::stark::prover {
namespace {

using air::Ext;
using air::Fp;

// A private bit per row and its running parity: the witness is not fixed by any public value.
struct ParityTable {
  enum Column { kBit, kParity, kWidth };
  air::TableInfo info() const { return {"parity", kWidth, 0, 0, {"bit", "parity"}, {}}; }
  template <class B>
  void eval(B& b) const {
    const auto bit = b.main(kBit);
    const auto parity = b.main(kParity);
    b.assert_bool("bit is 0 or 1", bit);
    b.assert_zero_first("parity starts at 0", parity);
    b.assert_zero_transition("next parity = parity xor bit",
                             b.main_next(kParity) - (parity + bit - b.constant(2) * parity * bit));
  }
};

air::Machine parity_machine() { return air::Machine("parity", {air::make_table(ParityTable{})}); }

// The bits, then zero bits, on the active rows of the smallest table `params` allows for them.
std::vector<air::TableWitness> parity_witness(const fri::FriParams& params, const std::vector<uint32_t>& bits) {
  const size_t rows = size_t{1} << protocol::padded_log_height(params, bits.size());
  const size_t active = rows - protocol::reserved_rows(params);
  air::TableWitness w{Matrix<Fp>(rows, ParityTable::kWidth), {}};
  uint32_t parity = 0;
  for (size_t r = 0; r < active; ++r) {
    const uint32_t bit = r < bits.size() ? bits[r] : 0;
    w.main.at(r, ParityTable::kBit) = Fp::from_u32(bit);
    w.main.at(r, ParityTable::kParity) = Fp::from_u32(parity);
    parity ^= bit;
  }
  return {w};
}

ProveResult prove_with(const fri::FriParams& params, const testing::ToyCase& c, std::optional<uint64_t> seed) {
  ProveOptions options;
  options.zk_test_seed = seed;
  const ProvingKey pk = setup(params, c.machine);
  ProveResult result = prove(params, c.machine, pk, c.witnesses, options);
  verifier::verify(params, c.machine, pk.vk, result.proof);
  return result;
}

TEST(ZkTest, TwoProofsOfOneStatementDifferInEveryCommitmentAndOpenedValue) {
  const fri::FriParams params = testing::toy_fri_params();
  const testing::ToyCase c = testing::range_check_case();
  const protocol::StarkProof a = prove_with(params, c, std::nullopt).proof;
  const protocol::StarkProof b = prove_with(params, c, std::nullopt).proof;
  EXPECT_NE(a.main_cap, b.main_cap);
  EXPECT_NE(a.interaction_cap, b.interaction_cap);
  EXPECT_NE(a.quotient_cap, b.quotient_cap);
  ASSERT_EQ(a.opening.fold_caps.size(), b.opening.fold_caps.size());
  for (size_t f = 0; f < a.opening.fold_caps.size(); ++f) EXPECT_NE(a.opening.fold_caps[f], b.opening.fold_caps[f]) << f;
  EXPECT_NE(a.opening.final_poly, b.opening.final_poly);
  size_t compared = 0;
  const auto& va = a.opening.opened_values;
  const auto& vb = b.opening.opened_values;
  ASSERT_EQ(va.size(), vb.size());
  for (size_t r = 0; r < va.size(); ++r) {
    for (size_t m = 0; m < va[r].size(); ++m) {
      for (size_t p = 0; p < va[r][m].size(); ++p) {
        for (size_t col = 0; col < va[r][m][p].size(); ++col) {
          EXPECT_NE(va[r][m][p][col], vb[r][m][p][col]) << r << " " << m << " " << p << " " << col;
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, 20u);
  // Every opened row of a private round (not the public preprocessed one, round 0) differs too.
  for (size_t r = 1; r < a.opening.input_openings.size(); ++r) {
    EXPECT_NE(a.opening.input_openings[r].rows, b.opening.input_openings[r].rows) << r;
  }
}

TEST(ZkTest, TheTestSeedMakesProofsDeterministic) {
  const fri::FriParams params = testing::toy_fri_params();
  const testing::ToyCase c = testing::cpu_alu_case();
  const ProvingKey pk = setup(params, c.machine);
  auto bytes = [&](uint64_t seed) {
    ProveOptions options;
    options.zk_test_seed = seed;
    return protocol::encode_stark_proof(params, c.machine, pk.vk,
                                        prove(params, c.machine, pk, c.witnesses, options).proof);
  };
  EXPECT_EQ(bytes(7), bytes(7));
  EXPECT_NE(bytes(7), bytes(8));
}

// Two equal private columns: constraints of degree 1 only, whose quotient C Z_R / Z_H has just
// h coefficients; it is still evaluated on (at least) the trace domain.
struct EqualTable {
  air::TableInfo info() const { return {"equal", 2, 0, 0, {"a", "b"}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.assert_zero("a = b", b.main(0) - b.main(1));
  }
};

TEST(ZkTest, ADegreeOneTableProves) {
  const fri::FriParams params = testing::toy_fri_params();
  const air::Machine machine("equal", {air::make_table(EqualTable{})});
  air::TableWitness w{Matrix<Fp>(size_t{1} << protocol::padded_log_height(params, 70), 2), {}};
  for (size_t r = 0; r < 70; ++r) w.main.at(r, 0) = w.main.at(r, 1) = Fp::from_u32(static_cast<uint32_t>(7 * r + 1));
  const ProvingKey pk = setup(params, machine);
  const ProveResult result = prove(params, machine, pk, std::vector<air::TableWitness>{w});
  EXPECT_NO_THROW(verifier::verify(params, machine, pk.vk, result.proof));
}

// Features of a proof that would expose the witness without zk: the opened values of the main
// trace at zeta and zeta * g and of the quotient at zeta, the first query's opened main row, and
// the first fold layer's first opened value; each as a number in [0, 1).
std::vector<double> features(const protocol::StarkProof& proof) {
  const auto& opened = proof.opening.opened_values;
  auto unit = [](Fp v) { return static_cast<double>(v.to_u32()) / static_cast<double>(Fp::kModulus); };
  return {unit(opened[0][0][0][ParityTable::kBit][0]),    unit(opened[0][0][0][ParityTable::kParity][1]),
          unit(opened[0][0][1][ParityTable::kBit][2]),    unit(opened[1][0][0][0][0]),
          unit(Fp::from_u32(proof.opening.input_openings[0].rows[0][0][ParityTable::kBit])),
          unit(Fp::from_u32(proof.opening.fold_openings[0].rows[0][0][1]))};
}

// The largest KS statistic over the features, proofs of witness A against proofs of witness B.
double largest_ks(const fri::FriParams& params, size_t proofs) {
  const testing::ToyCase a{parity_machine(), parity_witness(params, {0, 0, 0, 0, 0, 0, 0, 0})};
  const testing::ToyCase b{parity_machine(), parity_witness(params, {1, 0, 1, 1, 0, 1, 0, 0})};
  std::vector<std::vector<double>> fa, fb;
  for (size_t i = 0; i < proofs; ++i) {
    const std::vector<double> x = features(prove_with(params, a, 2 * i).proof);
    const std::vector<double> y = features(prove_with(params, b, 2 * i + 1).proof);
    fa.resize(x.size());
    fb.resize(y.size());
    for (size_t k = 0; k < x.size(); ++k) {
      fa[k].push_back(x[k]);
      fb[k].push_back(y[k]);
    }
  }
  double worst = 0;
  for (size_t k = 0; k < fa.size(); ++k) worst = std::max(worst, testing::ks_statistic(fa[k], fb[k]));
  return worst;
}

TEST(ZkTest, OpeningsOfDifferentPrivateWitnessesAreIdenticallyDistributed) {
  constexpr size_t kProofs = 200;
  // Critical value of the two-sample KS test at significance 1e-4 for 200 + 200 samples:
  // sqrt(ln(2 / 1e-4) / 2) * sqrt(2 / 200) = 0.22. The seeds are fixed, so the outcome is too.
  const double critical = testing::ks_critical_value(kProofs, 1e-4);
  fri::FriParams params = testing::toy_fri_params();
  params.num_queries = 4;
  EXPECT_LT(largest_ks(params, kProofs), critical);
  // The same test without zero knowledge tells the witnesses apart: it can fail.
  params.zk = false;
  EXPECT_GT(largest_ks(params, kProofs), critical);
}

}  // namespace
}  // namespace zkrv::stark::prover
