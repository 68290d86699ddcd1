// Unit tests of the prover: setup, determinism and the pinned proof bytes of the toy machines,
// witness and shape rejection, and compute_quotient.
#include "stark/prover/prover.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "stark/air/symbolic.h"
#include "stark/field/buffer_pool.h"
#include "stark/ntt/ntt.h"
#include "stark/testing/toy_cases.h"

namespace zkrv::stark::prover {
namespace {

using ::testing::HasSubstr;
using air::Fp;

using testing::cpu_alu_case;
using testing::fibonacci_case;
using testing::range_check_case;
using testing::toy_fri_params;
using Case = testing::ToyCase;

// Zero knowledge in its deterministic test mode: the same seed, the same bytes.
std::vector<uint8_t> prove_bytes(const fri::FriParams& params, const Case& c) {
  const ProvingKey pk = setup(params, c.machine);
  ProveOptions options;
  options.zk_test_seed = 1;
  return protocol::encode_stark_proof(params, c.machine, pk.vk,
                                      prove(params, c.machine, pk, c.witnesses, options).proof);
}

uint64_t fnv1a(const std::vector<uint8_t>& bytes) {
  uint64_t h = 1469598103934665603ull;
  for (uint8_t b : bytes) {
    h ^= b;
    h *= 1099511628211ull;
  }
  return h;
}

TEST(ProverTest, SameInputsGiveTheSameProofBytes) {
  const fri::FriParams params = toy_fri_params();
  const Case c = cpu_alu_case();
  EXPECT_EQ(prove_bytes(params, c), prove_bytes(params, c));
}

// The proof bytes of the toy machines, pinned (zero knowledge in its deterministic test mode): a
// refactor of the prover, FRI, the transcript or the format must not change them (a deliberate
// format change updates these numbers; the last: hiding at degree n, proof format 5, whose
// reserved rows moved the toy witnesses to 2^6 and 2^7 rows and changed every committed column).
TEST(ProverTest, ProofBytesArePinned) {
  const fri::FriParams params = toy_fri_params();
  struct Pinned {
    const char* name;
    Case c;
    size_t size;
    uint64_t fnv;
  };
  const Pinned pinned[] = {{"fibonacci", fibonacci_case(), 12282, 0xaf9fb4819249ea08ull},
                           {"cpu_alu", cpu_alu_case(), 26439, 0x4d79a8316ce77581ull},
                           {"range_check", range_check_case(), 110459, 0x23bc8ff30b361097ull}};
  for (const Pinned& p : pinned) {
    const std::vector<uint8_t> bytes = prove_bytes(params, p.c);
    EXPECT_EQ(bytes.size(), p.size) << p.name;
    EXPECT_EQ(fnv1a(bytes), p.fnv) << p.name;
  }
}

// Witnesses handed over (which the prover changes in place and frees as it goes) give the bytes of
// the same proof from borrowed ones.
TEST(ProverTest, HandedOverWitnessesGiveTheSameProofBytes) {
  const fri::FriParams params = toy_fri_params();
  for (const Case& c : {fibonacci_case(), cpu_alu_case(), range_check_case()}) {
    const ProvingKey pk = setup(params, c.machine);
    ProveOptions options;
    options.zk_test_seed = 1;
    std::vector<air::TableWitness> handed_over = c.witnesses;
    const std::vector<uint8_t> bytes = protocol::encode_stark_proof(
        params, c.machine, pk.vk, prove(params, c.machine, pk, std::move(handed_over), options).proof);
    EXPECT_EQ(bytes, prove_bytes(params, c));
  }
}

// A kept context hands the buffers of one proof to the next; the proofs are the same bytes as
// without one, whichever machine came before.
TEST(ProverTest, AKeptContextGivesTheSameProofBytes) {
  const fri::FriParams params = toy_fri_params();
  const ProverContext context;
  for (const Case& c : {range_check_case(), cpu_alu_case(), range_check_case()}) {
    const ProvingKey pk = setup(params, c.machine);
    ProveOptions options;
    options.zk_test_seed = 1;
    const std::vector<uint8_t> with_context = protocol::encode_stark_proof(
        params, c.machine, pk.vk, prove(params, c.machine, pk, c.witnesses, options).proof);
    EXPECT_EQ(with_context, prove_bytes(params, c));
  }
}

// A context kept alive around a proof keeps its large buffers for the next one, and lets them go
// when it ends; a proof alone keeps none once it returns. (Tests run one after another and none
// keeps a context past its end, so the process-wide pool is this test's.)
TEST(ProverTest, AKeptContextKeepsTheLargeBuffersUntilItEnds) {
  const fri::FriParams params = toy_fri_params();
  const Case c = fibonacci_case(16);  // LDEs of 2^18 rows: buffers of 2 MiB and up
  const ProvingKey pk = setup(params, c.machine);
  prove(params, c.machine, pk, c.witnesses);
  EXPECT_EQ(BufferPool::instance().kept_buffers(), 0u);
  {
    const ProverContext context;
    prove(params, c.machine, pk, c.witnesses);
    EXPECT_GT(BufferPool::instance().kept_buffers(), 0u);
  }
  EXPECT_EQ(BufferPool::instance().kept_buffers(), 0u);
}

TEST(ProverTest, DifferentPublicValuesGiveDifferentProofs) {
  const fri::FriParams params = toy_fri_params();
  const size_t reserved = testing::toy_reserved_rows();
  const Case a{machines::fibonacci_machine(), {machines::fibonacci_witness(6, Fp::zero(), Fp::one(), reserved)}};
  const Case b{machines::fibonacci_machine(),
               {machines::fibonacci_witness(6, Fp::from_u32(2), Fp::from_u32(3), reserved)}};
  EXPECT_NE(prove_bytes(params, a), prove_bytes(params, b));
}

TEST(ProverTest, SetupCommitsPreprocessedColumnsOnlyWhenATableHasThem) {
  const fri::FriParams params = toy_fri_params();
  const Case fib = fibonacci_case();
  const ProvingKey plain = setup(params, fib.machine);
  EXPECT_FALSE(plain.committed.has_value());
  EXPECT_TRUE(plain.vk.preprocessed_cap.empty());
  EXPECT_EQ(plain.vk.preprocessed_log_heights, std::vector<int>{-1});
  EXPECT_EQ(plain.vk.constraint_digest, fib.machine.constraint_digest());

  const Case range = range_check_case();
  const ProvingKey with_fixed = setup(params, range.machine);
  ASSERT_TRUE(with_fixed.committed.has_value());
  EXPECT_FALSE(with_fixed.vk.preprocessed_cap.empty());
  EXPECT_EQ(with_fixed.vk.preprocessed_cap, with_fixed.committed->cap());
  int tables_with_fixed = 0;
  for (int h : with_fixed.vk.preprocessed_log_heights) tables_with_fixed += h >= 0;
  EXPECT_EQ(tables_with_fixed, 1);
}

TEST(ProverTest, RejectsAWitnessThatBreaksAConstraint) {
  const fri::FriParams params = toy_fri_params();
  Case c = fibonacci_case();
  c.witnesses[0].main.at(3, 0) += Fp::one();
  const ProvingKey pk = setup(params, c.machine);
  try {
    prove(params, c.machine, pk, c.witnesses);
    FAIL() << "a broken witness was proven";
  } catch (const WitnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("does not satisfy the constraints"));
    EXPECT_THAT(e.what(), HasSubstr("row"));
  }
}

// A statement whose proof every verifier would reject is refused before any commitment (the hook
// on the committed witnesses never runs), with the bar check the verifier makes: the secure
// profile's knobs with arity-16 folding at 2^20 rows reach 98 proven bits (as in verifier_test.cc,
// RejectsAStatementBelowItsProfilesBar). A table above the profile's height limit is refused too.
TEST(ProverTest, RefusesAStatementBelowItsProfilesBarBeforeCommitting) {
  const air::Machine machine = machines::fibonacci_machine();
  const std::string& table = machine.analysis(0).info.name;
  auto refusal = [&](const fri::FriParams& params, int log_rows) -> std::string {
    const ProvingKey pk = setup(params, machine);
    const std::vector<air::TableWitness> witnesses = {machines::fibonacci_witness(log_rows)};
    bool committed = false;
    ProveOptions options;
    options.tamper_committed_witness = [&](std::vector<air::TableWitness>&) { committed = true; };
    try {
      prove(params, machine, pk, witnesses, options);
    } catch (const RefusedStatement& e) {
      EXPECT_FALSE(committed) << "refused after the witnesses were committed";
      return e.what();
    }
    return "";
  };
  const fri::FriParams wide = fri::params_for_profile(secure_profile(), /*log_fold_arity=*/4);
  ASSERT_EQ(fri::profile_for_params(wide)->name, "secure");
  EXPECT_EQ(refusal(wide, 20), "the statement needs table " + table +
                                   " of 2^20 rows, for which it has 98.0 proven (UDR) bits, below profile secure's bar "
                                   "of 100 (weakest: FRI folding round 2): a proof of it would be rejected");
  const fri::FriParams secure = fri::params_for_profile(secure_profile());
  ASSERT_EQ(protocol::max_log_height(secure), 21);
  EXPECT_EQ(refusal(secure, 22),
            "the statement needs table " + table + " of 2^22 rows, above the 2^21 rows one proof of profile secure allows");
  // Under fast the statement's shape picks the parameter set: a small statement proven with the
  // blowup-2 set (which a 2^22-row one needs) is refused; the verifier would reject it.
  const fri::FriParams tall = fri::params_for_profile(profile_parameter_sets("fast")[1]);
  EXPECT_EQ(refusal(tall, 6), "the statement needs table " + table +
                                  " of 2^6 rows, which profile fast proves with blowup 4 and 42 queries, not blowup 2 "
                                  "and 100");
  // The same statement under parameters that name no profile has no bar: it is proven.
  const fri::FriParams params = toy_fri_params();
  const ProvingKey pk = setup(params, machine);
  const std::vector<air::TableWitness> small = {
      machines::fibonacci_witness(6, Fp::zero(), Fp::one(), testing::toy_reserved_rows())};
  EXPECT_NO_THROW(check_provable(params, machine, std::vector<int>{20}, 0));
  EXPECT_EQ(prove(params, machine, pk, small).security.unique_decoding.bits,
            check_provable(params, machine, std::vector<int>{6}, 0).unique_decoding.bits);
}

TEST(ProverTest, RejectsTheWrongNumberOfWitnesses) {
  const fri::FriParams params = toy_fri_params();
  const Case c = cpu_alu_case();
  const ProvingKey pk = setup(params, c.machine);
  const std::vector<air::TableWitness> one(c.witnesses.begin(), c.witnesses.begin() + 1);
  EXPECT_ANY_THROW(prove(params, c.machine, pk, one));
}

TEST(ProverTest, ComputeQuotientRefusesMoreChunksThanTheBlowup) {
  const Case c = cpu_alu_case();
  for (size_t t = 0; t < c.machine.num_tables(); ++t) {
    const air::TableAnalysis& analysis = c.machine.analysis(t);
    if (analysis.quotient_chunks() < 2) continue;
    QuotientInputs inputs;  // never read: the check comes first
    try {
      compute_quotient(c.machine.table(t), analysis, 3, /*log_blowup=*/0, inputs);
      FAIL() << "table " << analysis.info.name << " accepted blowup 1";
    } catch (const air::AirError& e) {
      EXPECT_THAT(e.what(), HasSubstr("quotient chunks, more than the blowup"));
    }
    return;
  }
  FAIL() << "no table of cpu_alu needs two quotient chunks";
}

// The quotient of an honest witness is the evaluation of a polynomial of degree < chunks * n on
// the quotient domain; a broken cell makes it high-degree. Checked through the committed
// proof: an honest trace proves, and the quotient helper's output changes with the witness.
TEST(ProverTest, ComputeQuotientDependsOnTheWitness) {
  const fri::FriParams params = toy_fri_params();
  const Case c = fibonacci_case();
  const air::TableAnalysis& analysis = c.machine.analysis(0);
  const int log_height = 5;
  auto quotient_of = [&](const Matrix<Fp>& trace) {
    const Matrix<Fp> lde =
        coset_lde_from_evaluations(trace, params.log_blowup, fri::lde_shift(), RowOrder::kBitReversed);
    QuotientInputs inputs;
    inputs.main_lde = &lde;
    inputs.public_values = c.witnesses[0].public_values;
    inputs.alpha = air::Ext(Fp::from_u32(7));
    return compute_quotient(c.machine.table(0), analysis, log_height, params.log_blowup, inputs);
  };
  const std::vector<air::Ext> honest = quotient_of(c.witnesses[0].main);
  EXPECT_EQ(honest.size(), static_cast<size_t>(analysis.quotient_chunks()) << log_height);
  EXPECT_EQ(honest, quotient_of(c.witnesses[0].main));
  Matrix<Fp> broken = c.witnesses[0].main;
  broken.at(4, 1) += Fp::one();
  EXPECT_NE(honest, quotient_of(broken));
}

}  // namespace
}  // namespace zkrv::stark::prover
