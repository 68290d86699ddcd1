// The zero-knowledge mask bus (stark/air/mask_bus.h, docs/proof-system.md "Zero knowledge" part 5):
// a table's claimed LogUp sum no longer reveals a function of the private tuples it puts on a bus,
// and a prover that commits to a mask other than the framework's is rejected.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "stark/air/logup.h"
#include "stark/air/mask_bus.h"
#include "stark/prover/prover.h"
#include "stark/testing/statistics.h"
#include "stark/testing/toy_cases.h"
#include "stark/verifier/verifier.h"

namespace zkrv::stark::prover {
namespace {

using air::Ext;
using air::Fp;

constexpr air::BusId kSecretBus = 1;

// One private value per row, sent on a bus and received by the other table: without the mask,
// the sender's claimed sum is sum_rows 1 / fp(value), a function of the private values.
struct SenderTable {
  air::TableInfo info() const { return {"sender", 1, 0, 0, {"secret"}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.send(kSecretBus, {b.main(0)}, b.constant(1));
  }
};
struct ReceiverTable {
  air::TableInfo info() const { return {"receiver", 1, 0, 0, {"secret"}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.receive(kSecretBus, {b.main(0)}, b.constant(1));
  }
};

air::Machine secret_machine() {
  return air::Machine("secret", {air::make_table(SenderTable{}), air::make_table(ReceiverTable{})},
                      {{kSecretBus, "secret"}});
}

// The values, then zeros, on the active rows of the smallest table `params` allows for them (the
// reserved rows are the prover's).
std::vector<air::TableWitness> secret_witness(const fri::FriParams& params, const std::vector<uint32_t>& values) {
  air::TableWitness w{Matrix<Fp>(size_t{1} << protocol::padded_log_height(params, values.size()), 1), {}};
  for (size_t r = 0; r < values.size(); ++r) w.main.at(r, 0) = Fp::from_u32(values[r]);
  return {w, w};
}

// The zeros secret_witness adds to the values on the active rows.
size_t padding_of(const fri::FriParams& params, const std::vector<uint32_t>& values) {
  return protocol::active_rows(params, protocol::padded_log_height(params, values.size())) - values.size();
}

const std::vector<uint32_t> kWitnessA = {3, 1, 4, 1, 5, 9, 2, 6};
const std::vector<uint32_t> kWitnessB = {2, 7, 1, 8, 2, 8, 1, 8};

// The LogUp challenges of a proof, replayed as the verifier draws them.
air::LogUpChallenges challenges_of(const fri::FriParams& params, const protocol::VerifyingKey& vk,
                                   const protocol::StarkProof& proof) {
  Transcript transcript = protocol::start_transcript(params, vk, proof.log_heights, proof.public_values);
  transcript.absorb_digests("main cap", proof.main_cap);
  transcript.verify_pow("logup pow", static_cast<unsigned>(params.interaction_pow_bits), proof.interaction_pow_nonce);
  const Ext z = transcript.squeeze_extension<Ext>("logup z");
  return {z, transcript.squeeze_extension<Ext>("logup beta")};
}

struct Proven {
  protocol::StarkProof proof;
  air::LogUpChallenges challenges;
  size_t padding = 0;  // zero rows after the values (secret_witness)
};

// What the sender's claimed sum would be without the mask, for a guessed witness (and the zero
// rows that pad it, which are public).
Ext unmasked_sum(const Proven& p, const std::vector<uint32_t>& values) {
  Ext sum = Ext::zero();
  for (uint32_t v : values) {
    const Fp tuple[] = {Fp::from_u32(v)};
    sum += air::fingerprint(p.challenges, kSecretBus, tuple).inverse();
  }
  const Fp zero[] = {Fp::zero()};
  sum += Ext(Fp::from_u64(p.padding)) * air::fingerprint(p.challenges, kSecretBus, zero).inverse();
  return sum;
}

Proven prove_secret(const fri::FriParams& params, const std::vector<uint32_t>& values, uint64_t seed,
                    const ProveOptions& base_options = {}) {
  const air::Machine machine = secret_machine();
  const ProvingKey pk = setup(params, machine);
  ProveOptions options = base_options;
  options.zk_test_seed = seed;
  ProveResult result = prove(params, machine, pk, secret_witness(params, values), options);
  const air::LogUpChallenges challenges = challenges_of(params, pk.vk, result.proof);
  return {std::move(result.proof), challenges, padding_of(params, values)};
}

TEST(MaskBusTest, ZeroKnowledgeAddsMaskColumnsOnlyToMachinesOfSeveralBusTables) {
  const air::Machine machine = secret_machine();
  const air::Machine& masked = machine.zk_machine();
  ASSERT_NE(&masked, &machine);
  EXPECT_EQ(&masked.zk_machine(), &masked);
  EXPECT_EQ(masked.constraint_digest(), machine.constraint_digest());
  for (size_t t = 0; t < 2; ++t) {
    EXPECT_EQ(masked.analysis(t).info.main_width, 1 + air::kMaskColumns);
    EXPECT_EQ(masked.mask_column(t), 1);
    ASSERT_EQ(masked.analysis(t).interactions.size(), 3u);
    for (size_t i : {1, 2}) {
      EXPECT_EQ(masked.analysis(t).interactions[i].bus, air::kMaskBus);
      EXPECT_EQ(masked.analysis(t).interactions[i].max_multiplicity, 1u);
    }
    EXPECT_EQ(masked.analysis(t).interactions[1].direction, air::Direction::kSend);
    EXPECT_EQ(masked.analysis(t).interactions[2].direction, air::Direction::kReceive);
    EXPECT_EQ(machine.mask_column(t), -1);
  }
  fri::FriParams params = testing::toy_fri_params();
  EXPECT_EQ(&protocol::committed_machine(params, machine), &masked);
  params.zk = false;
  EXPECT_EQ(&protocol::committed_machine(params, machine), &machine);
  // One table with buses: its claimed sum is fixed by the statement, nothing to mask.
  const testing::ToyCase fib = testing::fibonacci_case();
  EXPECT_EQ(&fib.machine.zk_machine(), &fib.machine);
}

struct Intruder {
  air::TableInfo info() const { return {"intruder", 1, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.send(air::kMaskBus, {b.main(0), b.main(0), b.main(0), b.main(0)}, b.constant(1));
  }
};

TEST(MaskBusTest, TablesOnTheReservedBusAreRefused) {
  EXPECT_THROW(air::Machine("m", {air::make_table(Intruder{})}), air::AirError);
  // Nor may the verifier's boundary terms go on it (the masked machine does have the bus).
  const air::Machine machine("secret", {air::make_table(SenderTable{}), air::make_table(ReceiverTable{})}, {},
                             [](std::span<const std::vector<Fp>>) {
                               return std::vector<air::BoundaryInteraction>{
                                   {air::kMaskBus, air::Direction::kSend, std::vector<Fp>(4, Fp::zero())}};
                             });
  const std::vector<std::vector<Fp>> no_public_values(2);
  EXPECT_THROW(machine.zk_machine().boundary(no_public_values), air::AirError);
}

// Without the mask (a prover committing to the machine without it: the verifier would reject the
// proof, but its claimed sums are what an unmasked proof shows) the sender's claimed sum is exactly
// the sum a verifier computes from a guessed witness, so guesses are tested; with the mask it never
// is, and the sums change with the prover's randomness for one witness.
TEST(MaskBusTest, ClaimedSumsAreNotTheUnmaskedSumsOfTheWitness) {
  const fri::FriParams params = testing::toy_fri_params();
  const air::Machine machine = secret_machine();
  std::vector<Ext> sums;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const Proven p = prove_secret(params, kWitnessA, seed);
    ASSERT_EQ(p.proof.claimed_sums.size(), 2u);
    EXPECT_NE(p.proof.claimed_sums[0], unmasked_sum(p, kWitnessA)) << seed;
    EXPECT_NE(p.proof.claimed_sums[0], unmasked_sum(p, kWitnessB)) << seed;
    EXPECT_EQ(p.proof.claimed_sums[0] + p.proof.claimed_sums[1], Ext::zero());
    sums.push_back(p.proof.claimed_sums[0]);
  }
  std::sort(sums.begin(), sums.end(), [](const Ext& a, const Ext& b) { return a[0].to_u32() < b[0].to_u32(); });
  EXPECT_EQ(std::adjacent_find(sums.begin(), sums.end()), sums.end());

  ProveOptions unmasked;
  unmasked.committed_machine_override = &machine;
  const Proven p = prove_secret(params, kWitnessA, 0, unmasked);
  EXPECT_EQ(p.proof.claimed_sums[0], unmasked_sum(p, kWitnessA));
}

// The distinguisher "sender's claimed sum minus the unmasked sum of witness A", as a number in
// [0, 1): always 0 on unmasked proofs of A, uniform on proofs of B. With the mask, proofs of A and
// of B give the same distribution (two-sample Kolmogorov-Smirnov at significance 1e-4); without it
// the test tells them apart.
double distinguisher(const Proven& p) {
  const Ext d = p.proof.claimed_sums[0] - unmasked_sum(p, kWitnessA);
  return static_cast<double>(d[0].to_u32()) / static_cast<double>(Fp::kModulus);
}

TEST(MaskBusTest, ClaimedSumsOfDifferentWitnessesAreIdenticallyDistributed) {
  constexpr size_t kProofs = 150;
  const double critical = testing::ks_critical_value(kProofs, 1e-4);
  fri::FriParams params = testing::toy_fri_params();
  params.num_queries = 2;
  const air::Machine machine = secret_machine();
  auto largest_ks = [&](const ProveOptions& options) {
    std::vector<double> a, b;
    for (uint64_t i = 0; i < kProofs; ++i) {
      a.push_back(distinguisher(prove_secret(params, kWitnessA, 2 * i, options)));
      b.push_back(distinguisher(prove_secret(params, kWitnessB, 2 * i + 1, options)));
    }
    return testing::ks_statistic(a, b);
  };
  EXPECT_LT(largest_ks({}), critical);
  ProveOptions unmasked;
  unmasked.committed_machine_override = &machine;
  EXPECT_GT(largest_ks(unmasked), critical);
}

// A mask wrapper like air::MaskedTable whose interactions use another multiplicity: a forged mask
// definition a cheating prover might commit to.
enum class ForgedMultiplicity { kOne, kLastRow };
class ForgedMaskTable final : public air::Table {
 public:
  ForgedMaskTable(std::shared_ptr<const air::Table> inner, ForgedMultiplicity m)
      : inner_(std::move(inner)), multiplicity_(m) {
    info_ = inner_->info();
    column_ = info_.main_width;
    info_.main_width += air::kMaskColumns;
    info_.main_names.clear();
  }
  air::TableInfo info() const override { return info_; }
  void eval(air::SymbolicBuilder& b) const override { run(b); }
  void eval(air::ValueBuilder<Fp>& b) const override { run(b); }
  void eval(air::ValueBuilder<Ext>& b) const override { run(b); }
  void eval(air::ValueBuilder<PackedKoalaBear>& b) const override { run(b); }
  Matrix<Fp> preprocessed() const override { return inner_->preprocessed(); }

 private:
  template <class B>
  void run(B& b) const {
    inner_->eval(b);
    const auto m = multiplicity_ == ForgedMultiplicity::kOne ? b.constant(1) : b.is_last_row();
    const int s = column_, r = column_ + 4;
    b.send(air::kMaskBus, {b.main(s), b.main(s + 1), b.main(s + 2), b.main(s + 3)}, m);
    b.receive(air::kMaskBus, {b.main(r), b.main(r + 1), b.main(r + 2), b.main(r + 3)}, m);
  }
  std::shared_ptr<const air::Table> inner_;
  air::TableInfo info_;
  int column_ = 0;
  ForgedMultiplicity multiplicity_;
};

class MaskForgery : public ::testing::Test {
 protected:
  fri::FriParams params_ = testing::toy_fri_params();
  air::Machine machine_ = secret_machine();
  ProvingKey pk_ = setup(params_, machine_);

  ProveResult forge(ProveOptions options) {
    options.check_witness = false;
    options.check_final_degree = false;
    options.zk_test_seed = 5;
    return prove(params_, machine_, pk_, secret_witness(params_, kWitnessA), options);
  }
  std::string rejection(const protocol::StarkProof& proof) {
    try {
      verifier::verify(params_, machine_, pk_.vk, proof);
    } catch (const verifier::VerifyError& e) {
      return e.what();
    }
    return "accepted";
  }
};

TEST_F(MaskForgery, TheHonestProofVerifies) { EXPECT_EQ(rejection(forge({}).proof), "accepted"); }

// Table 1 receives a mask nobody sent.
TEST_F(MaskForgery, AnUnbalancedMaskIsRejected) {
  ProveOptions options;
  options.tamper_committed_witness = [](std::vector<air::TableWitness>& w) {
    const size_t column = 1 + air::kMaskTupleSize;
    w[1].main.at(0, column) += Fp::one();
  };
  EXPECT_EQ(rejection(forge(options).proof),
            "the buses do not balance: the claimed LogUp sums plus the boundary terms are not zero");
  // The same with the claimed sums forged to balance: the running sum no longer matches them.
  options.tamper_claimed_sums = [](const air::LogUpChallenges&, std::vector<Ext>& sums) {
    sums[0] -= sums[0] + sums[1];
  };
  EXPECT_NE(rejection(forge(options).proof).find("do not match the committed quotient"), std::string::npos);
}

// A prover committing to mask interactions of another multiplicity; the proof is otherwise sound
// for the machine it was made for (the verifier accepts it against that machine), so only the
// verifier's own mask definition (multiplicity is_first_row) rejects it.
TEST_F(MaskForgery, AMaskOfAnotherMultiplicityIsRejected) {
  for (const ForgedMultiplicity m : {ForgedMultiplicity::kOne, ForgedMultiplicity::kLastRow}) {
    const air::Machine forged = machine_.with_mask_bus([m](std::shared_ptr<const air::Table> inner) {
      return std::make_shared<ForgedMaskTable>(std::move(inner), m);
    });
    ProveOptions options;
    options.committed_machine_override = &forged;
    if (m == ForgedMultiplicity::kLastRow) {
      options.tamper_committed_witness = [](std::vector<air::TableWitness>& w) {
        for (air::TableWitness& table : w) {
          const size_t last = table.main.rows() - testing::toy_reserved_rows() - 1;  // the last active row
          for (size_t c = 1; c < table.main.width(); ++c) std::swap(table.main.at(0, c), table.main.at(last, c));
        }
      };
    }
    const ProveResult result = forge(options);
    EXPECT_NO_THROW(verifier::verify(params_, forged, pk_.vk, result.proof));
    EXPECT_NE(rejection(result.proof).find("do not match the committed quotient"), std::string::npos)
        << static_cast<int>(m);
  }
}

// A prover committing to the tables without their mask columns.
TEST_F(MaskForgery, DroppedMaskColumnsAreRejected) {
  ProveOptions options;
  options.committed_machine_override = &machine_;
  const std::string why = rejection(forge(options).proof);
  EXPECT_NE(why.find("opened values of sender main are missing or have the wrong shape"), std::string::npos) << why;
}

}  // namespace
}  // namespace zkrv::stark::prover
