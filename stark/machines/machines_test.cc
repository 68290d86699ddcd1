// End-to-end proofs of the toy machines, and the negative catalogue: every way a proof can be
// wrong that the verifier must reject.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stark/air/checker.h"
#include "stark/air/logup.h"
#include "stark/machines/cpu_alu.h"
#include "stark/machines/fibonacci.h"
#include "stark/machines/range_check.h"
#include "stark/prover/prover.h"
#include "stark/testing/toy_cases.h"
#include "stark/verifier/verifier.h"

namespace zkrv::stark::machines {
namespace {

using ::testing::HasSubstr;
using air::Fp;

using Case = testing::ToyCase;
fri::FriParams test_params() { return testing::toy_fri_params(); }
Case fibonacci(int log_rows = 6) { return testing::fibonacci_case(log_rows); }
Case cpu_alu(const fri::FriParams& params = test_params()) { return testing::cpu_alu_case(params); }
Case range_check() { return testing::range_check_case(); }

void prove_and_verify(const fri::FriParams& params, const Case& c) {
  const prover::ProvingKey pk = prover::setup(params, c.machine);
  prover::ProveOptions options;
  options.record_transcript = true;
  const prover::ProveResult result = prover::prove(params, c.machine, pk, c.witnesses, options);
  std::vector<TranscriptRecord> verifier_records;
  SecurityReport verified;
  EXPECT_NO_THROW(verified = verifier::verify(params, c.machine, pk.vk, result.proof, &verifier_records));
  EXPECT_FALSE(find_first_divergence(result.transcript, verifier_records).has_value());
  const std::vector<uint8_t> bytes = protocol::encode_stark_proof(params, c.machine, pk.vk, result.proof);
  EXPECT_EQ(protocol::decode_stark_proof(params, c.machine, pk.vk, bytes), result.proof);
  std::string error;
  SecurityReport accepted;
  EXPECT_TRUE(verifier::accepts_stark_proof(params, c.machine, pk.vk, bytes, &error, &accepted)) << error;
  // Prover and verifier compute the same security from the statement.
  for (const SecurityReport* r : {&verified, &accepted}) {
    EXPECT_EQ(format_report(*r), format_report(result.security));
    EXPECT_DOUBLE_EQ(r->conjectured_bits, result.security.conjectured_bits);
    EXPECT_DOUBLE_EQ(r->unique_decoding.bits, result.security.unique_decoding.bits);
  }
}

TEST(MachinesTest, FibonacciProvesAndVerifies) { prove_and_verify(test_params(), fibonacci()); }
TEST(MachinesTest, CpuAluProvesAndVerifies) { prove_and_verify(test_params(), cpu_alu()); }
TEST(MachinesTest, RangeCheckProvesAndVerifies) { prove_and_verify(test_params(), range_check()); }

TEST(MachinesTest, BothSecurityProfilesProveAndVerify) {
  // A statement this small takes each profile's first parameter set (FastPicksItsParameterSet...).
  for (const SecurityProfile& profile : {fast_profile(), secure_profile()}) {
    fri::FriParams params = fri::params_for_profile(profile);
    params.query_pow_bits = std::min(params.query_pow_bits, 8);  // keep the test quick; grinding is not what it checks
    prove_and_verify(params, cpu_alu(params));
  }
}

// Under AddressSanitizer (make test-asan) the test below checks the choice of parameter set but
// does not prove its 2^21- and 2^22-row statements: two minutes of the sanitizer run for field
// arithmetic over tall columns that the smaller proofs already show it; the Release run proves them.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kProveTallStatements = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kProveTallStatements = false;
#else
constexpr bool kProveTallStatements = true;
#endif
#else
constexpr bool kProveTallStatements = true;
#endif

// `fast` proves each statement with the first of its parameter sets that carries it: a 2^21-row
// table with blowup 4 and 42 queries, a 2^22-row one (whose 2^24-point domain leaves blowup 4 at
// 99.95 conjectured bits) with blowup 2 and 100 queries. Each proof verifies under its own set
// only: the other set is rejected from the statement's shape before any commitment is read.
TEST(MachinesTest, FastPicksItsParameterSetFromTheStatementsHeight) {
  const std::span<const SecurityProfile> sets = profile_parameter_sets("fast");
  ASSERT_EQ(sets.size(), 2u);
  for (const auto& [log_rows, index] : {std::pair{21, size_t{0}}, std::pair{22, size_t{1}}}) {
    SCOPED_TRACE(log_rows);
    const fri::FriParams params = fri::params_for_profile(sets[index]);
    const fri::FriParams other = fri::params_for_profile(sets[1 - index]);
    const Case c = testing::fibonacci_case(log_rows, params);
    const std::vector<int> heights = {log_rows};
    const std::vector<std::vector<Fp>> public_values = {c.witnesses[0].public_values};
    const size_t boundary = c.machine.boundary(public_values).size();
    EXPECT_EQ(protocol::required_params(params, c.machine, heights, boundary), params);
    EXPECT_EQ(protocol::required_params(other, c.machine, heights, boundary), params);
    if (!kProveTallStatements) continue;
    const prover::ProvingKey pk = prover::setup(params, c.machine);
    prover::ProveOptions options;
    options.check_witness = false;  // the row checker over 2^22 rows adds time, not coverage
    const prover::ProveResult result = prover::prove(params, c.machine, pk, c.witnesses, options);
    EXPECT_GE(result.security.conjectured_bits, 100);
    EXPECT_NO_THROW(verifier::verify(params, c.machine, pk.vk, result.proof));
    try {
      verifier::verify(other, c.machine, pk.vk, result.proof);
      FAIL() << "a proof was accepted under fast's other parameter set";
    } catch (const std::exception& e) {
      EXPECT_THAT(e.what(), HasSubstr(index == 0 ? "parameters: profile fast proves this statement with blowup 4 "
                                                   "and 42 queries, not blowup 2 and 100"
                                                 : "log height 22 outside [1, 21]"));
    }
  }
}

// A proof under the real `fast` profile reports its statement's security, LogUp term included:
// 1281 fractions in all (rows x interactions of the 2^7-row CPU and 2^8-row ALU, sized for the 92
// rows fast's first parameter set reserves, each with its two zero-knowledge mask interactions, plus
// the boundary term), tuples of at most 4 entries: 123.95 - log2(1281 * 6) = 111.05 bits, plus the
// profile's 16 bits of grinding before the LogUp challenges.
TEST(MachinesTest, ProofReportsItsStatementsSecurity) {
  const fri::FriParams params = fri::params_for_profile(fast_profile());
  const Case c = cpu_alu(params);
  const prover::ProvingKey pk = prover::setup(params, c.machine);
  const prover::ProveResult result = prover::prove(params, c.machine, pk, c.witnesses);
  const SecurityReport& r = result.security;
  const StatementShape shape =
      protocol::statement_shape(params, protocol::committed_machine(params, c.machine), result.proof.log_heights,
                                c.machine.boundary(result.proof.public_values).size());
  ASSERT_EQ(shape.tables.size(), 2u);
  EXPECT_EQ(shape.logup.num_fractions, 1281);
  EXPECT_EQ(shape.logup.max_tuple_length, 4);
  const double f = 4 * std::log2(2130706433.0);
  double logup = -1;
  for (const RoundSecurity& round : r.unique_decoding.rounds) {
    if (round.round == "LogUp challenges") logup = round.bits;
  }
  EXPECT_EQ(params.interaction_pow_bits, 16);
  EXPECT_NEAR(logup, f - std::log2(shape.logup.num_fractions * (shape.logup.max_tuple_length + 2)) + 16, 1e-9);
  EXPECT_NEAR(logup, 127.05, 0.05);
  EXPECT_GE(r.conjectured_bits, 100);  // fast's bar
  EXPECT_LT(r.unique_decoding.bits, 100);  // fast is not provably 100-bit
  EXPECT_THAT(format_report(r), HasSubstr("conjectured (ethSTARK): "));
  EXPECT_EQ(format_report(verifier::verify(params, c.machine, pk.vk, result.proof)), format_report(r));
}

// The grinding before zeta (secure) is checked, and its nonce is in the proof bytes.
TEST(MachinesTest, WrongDeepProofOfWorkIsRejected) {
  const fri::FriParams params = fri::params_for_profile(secure_profile());
  ASSERT_EQ(params.deep_pow_bits, 8);
  const Case c = cpu_alu(params);
  const prover::ProvingKey pk = prover::setup(params, c.machine);
  prover::ProveResult result = prover::prove(params, c.machine, pk, c.witnesses);
  EXPECT_NO_THROW(verifier::verify(params, c.machine, pk.vk, result.proof));
  const protocol::StarkProof decoded = protocol::decode_stark_proof(
      params, c.machine, pk.vk, protocol::encode_stark_proof(params, c.machine, pk.vk, result.proof));
  EXPECT_EQ(decoded.deep_pow_nonce, result.proof.deep_pow_nonce);
  result.proof.deep_pow_nonce += 1;
  try {
    verifier::verify(params, c.machine, pk.vk, result.proof);
    FAIL() << "a proof with another DEEP proof-of-work nonce was accepted";
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("deep pow"));
  }
}

// The grinding before the LogUp challenges is checked: a proof whose nonce is not the one found
// (with the challenges it leads to, which the proof's columns were not built for) is rejected.
TEST(MachinesTest, WrongLogUpProofOfWorkIsRejected) {
  const fri::FriParams params = fri::params_for_profile(fast_profile());
  ASSERT_EQ(params.interaction_pow_bits, 16);
  const Case c = cpu_alu(params);
  const prover::ProvingKey pk = prover::setup(params, c.machine);
  prover::ProveResult result = prover::prove(params, c.machine, pk, c.witnesses);
  EXPECT_NO_THROW(verifier::verify(params, c.machine, pk.vk, result.proof));
  result.proof.interaction_pow_nonce += 1;
  try {
    verifier::verify(params, c.machine, pk.vk, result.proof);
    FAIL() << "a proof with another LogUp proof-of-work nonce was accepted";
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("logup pow"));
  }
}

struct AluWithExtraConstraint : AluTable {
  template <class B>
  void eval(B& b) const {
    AluTable::eval(b);
    b.assert_zero("extra", b.main(kIsAdd) * b.constant(0));
  }
};

// ---- The negative catalogue -------------------------------------------------------------------

// The proof a malicious prover would send for `witnesses`: the prover's own checks are off.
protocol::StarkProof force_proof(const fri::FriParams& params, const air::Machine& machine, const prover::ProvingKey& pk,
                                std::span<const air::TableWitness> witnesses,
                                prover::ProveOptions options = prover::ProveOptions()) {
  options.check_witness = false;
  options.check_final_degree = false;
  return prover::prove(params, machine, pk, witnesses, options).proof;
}

bool rejects(const fri::FriParams& params, const air::Machine& machine, const protocol::VerifyingKey& vk,
             const protocol::StarkProof& proof, std::string* why = nullptr) {
  try {
    verifier::verify(params, machine, vk, proof);
    return false;
  } catch (const verifier::VerifyError& e) {
    if (why != nullptr) *why = e.what();
    return true;
  }
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  cases.push_back(fibonacci());
  cases.push_back(cpu_alu());
  cases.push_back(range_check());
  return cases;
}

TEST(NegativeCatalogue, HonestProverRefusesABadWitnessWithTheDebuggerReport) {
  Case c = cpu_alu();
  c.witnesses[1].main.at(2, AluTable::kResult) += Fp::one();
  const fri::FriParams params = test_params();
  const prover::ProvingKey pk = prover::setup(params, c.machine);
  try {
    prover::prove(params, c.machine, pk, c.witnesses);
    FAIL() << "bad witness proven";
  } catch (const prover::WitnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("table alu: constraint result fails at row 2"));
    EXPECT_THAT(e.what(), HasSubstr("bus 2 (alu)"));
  }
}

// Every column of every table: one corrupted cell is flagged by the row checker or the bus
// debugger, and the proof forced from it is rejected.
TEST(NegativeCatalogue, CorruptedTraceCellInEveryColumnIsRejected) {
  const fri::FriParams params = test_params();
  const size_t reserved = testing::toy_reserved_rows();
  for (const Case& honest : all_cases()) {
    const prover::ProvingKey pk = prover::setup(params, honest.machine);
    // The forced proof of an honest witness is accepted: rejections below are the corruption's.
    EXPECT_FALSE(rejects(params, honest.machine, pk.vk, force_proof(params, honest.machine, pk, honest.witnesses)));
    for (size_t t = 0; t < honest.machine.num_tables(); ++t) {
      const size_t width = honest.witnesses[t].main.width();
      for (size_t column = 0; column < width; ++column) {
        Case c = honest;
        // One of the first 8 rows, real or constrained padding in every case (the CPU's padding
        // rows further down leave op and b free); never a reserved row (ReservedRows below).
        const size_t row = (7 * column + 3) % std::min<size_t>(8, c.witnesses[t].main.rows() - reserved);
        c.witnesses[t].main.at(row, column) += Fp::from_u32(1 + static_cast<uint32_t>(column));
        const air::MachineCheck check = air::check_machine(c.machine, pk.preprocessed, c.witnesses, 16, reserved);
        EXPECT_FALSE(check.ok()) << c.machine.name() << " table " << t << " column " << column;
        const protocol::StarkProof proof = force_proof(params, c.machine, pk, c.witnesses);
        std::string why;
        EXPECT_TRUE(rejects(params, c.machine, pk.vk, proof, &why))
            << c.machine.name() << " table " << t << " column " << column << " row " << row;
      }
    }
  }
}

TEST(NegativeCatalogue, WrongPublicValueIsRejected) {
  const fri::FriParams params = test_params();
  for (const Case& c : all_cases()) {
    const prover::ProvingKey pk = prover::setup(params, c.machine);
    protocol::StarkProof proof = prover::prove(params, c.machine, pk, c.witnesses).proof;
    for (size_t t = 0; t < proof.public_values.size(); ++t) {
      for (size_t i = 0; i < proof.public_values[t].size(); ++i) {
        protocol::StarkProof edited = proof;
        edited.public_values[t][i] += Fp::one();
        EXPECT_TRUE(rejects(params, c.machine, pk.vk, edited)) << c.machine.name() << " public " << i;
      }
    }
  }
  // A prover that commits to the wrong output from the start (the output bus does not balance).
  Case c = cpu_alu();
  c.witnesses[0].public_values[1] += Fp::one();
  const prover::ProvingKey pk = prover::setup(params, c.machine);
  std::string why;
  EXPECT_TRUE(rejects(params, c.machine, pk.vk, force_proof(params, c.machine, pk, c.witnesses), &why));
  EXPECT_THAT(why, HasSubstr("buses do not balance"));
  // And Fibonacci's wrong claimed result (a last-row constraint, no bus).
  Case f = fibonacci();
  f.witnesses[0].public_values[2] += Fp::one();
  const prover::ProvingKey fpk = prover::setup(params, f.machine);
  EXPECT_TRUE(rejects(params, f.machine, fpk.vk, force_proof(params, f.machine, fpk, f.witnesses), &why));
}

// ---- The reserved rows (zero knowledge) --------------------------------------------------------

// The last active row is constrained: a Fibonacci b there that is not the claimed result (and not
// a + b of the row before) is rejected, while the same cell one row further (the first reserved
// row) is the prover's own.
TEST(ReservedRows, AConstraintBrokenOnTheLastActiveRowIsRejected) {
  const fri::FriParams params = test_params();
  const Case honest = fibonacci();
  const prover::ProvingKey pk = prover::setup(params, honest.machine);
  const size_t last = honest.witnesses[0].main.rows() - testing::toy_reserved_rows() - 1;
  prover::ProveOptions keep;
  keep.keep_reserved_rows = true;
  Case c = honest;
  c.witnesses[0].main.at(last, FibonacciTable::kB) += Fp::one();
  std::string why;
  EXPECT_TRUE(rejects(params, c.machine, pk.vk, force_proof(params, c.machine, pk, c.witnesses, keep), &why));
  EXPECT_THAT(why, HasSubstr("do not match the committed quotient"));
  c = honest;
  c.witnesses[0].main.at(last + 1, FibonacciTable::kB) += Fp::one();
  EXPECT_FALSE(rejects(params, c.machine, pk.vk, force_proof(params, c.machine, pk, c.witnesses, keep)));
}

// Values on reserved rows that break every constraint (committed as they are, not randomized) are
// accepted: no constraint holds there.
TEST(ReservedRows, AReservedRowBreakingTheConstraintsIsAccepted) {
  const fri::FriParams params = test_params();
  prover::ProveOptions keep;
  keep.keep_reserved_rows = true;
  for (const Case& honest : all_cases()) {
    const prover::ProvingKey pk = prover::setup(params, honest.machine);
    Case c = honest;
    for (air::TableWitness& w : c.witnesses) {
      const size_t row = w.main.rows() - testing::toy_reserved_rows();
      for (size_t column = 0; column < w.main.width(); ++column) {
        w.main.at(row, column) = Fp::from_u32(1000 + 7 * static_cast<uint32_t>(column));
        w.main.at(w.main.rows() - 1, column) = Fp::from_u32(3 + static_cast<uint32_t>(column));
      }
    }
    EXPECT_FALSE(air::check_machine(c.machine, pk.preprocessed, c.witnesses).ok()) << c.machine.name();
    std::string why;
    EXPECT_FALSE(rejects(params, c.machine, pk.vk, force_proof(params, c.machine, pk, c.witnesses, keep), &why))
        << c.machine.name() << ": " << why;
  }
}

// A reserved row carrying a real-looking bus message does not count: the ALU's receive of step 0
// moved from its real row to a reserved row leaves the bus unbalanced.
TEST(ReservedRows, ABusMessageOnAReservedRowDoesNotCount) {
  const fri::FriParams params = test_params();
  Case c = cpu_alu();
  const prover::ProvingKey pk = prover::setup(params, c.machine);
  auto& alu = c.witnesses[1].main;
  const size_t reserved_row = alu.rows() - 1;
  for (size_t column = 0; column < alu.width(); ++column) alu.at(reserved_row, column) = alu.at(0, column);
  alu.at(0, AluTable::kMultiplicity) = Fp::zero();
  // The debugger, reading the active rows as the verifier does, names the unmatched tuple.
  EXPECT_FALSE(air::find_bus_imbalances(c.machine, pk.preprocessed, c.witnesses, 16, testing::toy_reserved_rows())
                   .empty());
  prover::ProveOptions keep;
  keep.keep_reserved_rows = true;
  std::string why;
  EXPECT_TRUE(rejects(params, c.machine, pk.vk, force_proof(params, c.machine, pk, c.witnesses, keep), &why));
  EXPECT_THAT(why, HasSubstr("buses do not balance"));
}

TEST(NegativeCatalogue, DroppedAndDuplicatedBusInteractionsAreRejected) {
  const fri::FriParams params = test_params();
  const Case honest = cpu_alu();
  const prover::ProvingKey pk = prover::setup(params, honest.machine);
  // Dropped: the ALU does not receive one tuple (its multiplicity bit is cleared: rows stay valid).
  Case dropped = honest;
  dropped.witnesses[1].main.at(0, AluTable::kMultiplicity) = Fp::zero();
  const size_t reserved = testing::toy_reserved_rows();
  EXPECT_TRUE(air::check_machine(dropped.machine, pk.preprocessed, dropped.witnesses, 16, reserved).failures.empty());
  std::string why;
  EXPECT_TRUE(rejects(params, dropped.machine, pk.vk, force_proof(params, dropped.machine, pk, dropped.witnesses), &why));
  EXPECT_THAT(why, HasSubstr("buses do not balance"));
  // Duplicated: a padding row of the ALU (its last active one) receives a copy of a real row's tuple.
  Case duplicated = honest;
  auto& alu = duplicated.witnesses[1].main;
  for (size_t col = 0; col < alu.width(); ++col) alu.at(alu.rows() - reserved - 1, col) = alu.at(0, col);
  EXPECT_TRUE(
      air::check_machine(duplicated.machine, pk.preprocessed, duplicated.witnesses, 16, reserved).failures.empty());
  EXPECT_TRUE(rejects(params, duplicated.machine, pk.vk, force_proof(params, duplicated.machine, pk, duplicated.witnesses)));
}

TEST(NegativeCatalogue, ForgedClaimedSumsThatBalanceAreRejected) {
  // The dropped interaction again, with the ALU's claimed sum forged so that the claimed sums and
  // the boundary add to zero: the verifier's sum check passes, so the running-sum constraint (the
  // quotient, hence the opening) must catch it.
  const fri::FriParams params = test_params();
  Case dropped = cpu_alu();
  dropped.witnesses[1].main.at(0, AluTable::kMultiplicity) = Fp::zero();
  const prover::ProvingKey pk = prover::setup(params, dropped.machine);
  prover::ProveOptions lie;
  const std::vector<std::vector<Fp>> publics = {dropped.witnesses[0].public_values, dropped.witnesses[1].public_values};
  lie.tamper_claimed_sums = [&](const air::LogUpChallenges& challenges, std::vector<air::Ext>& sums) {
    const air::Ext boundary = air::boundary_sum(challenges, dropped.machine.boundary(publics));
    sums[1] = -(sums[0] + boundary);
  };
  const protocol::StarkProof forged = force_proof(params, dropped.machine, pk, dropped.witnesses, lie);
  air::Ext total = forged.claimed_sums[0] + forged.claimed_sums[1];
  EXPECT_FALSE(total.is_zero());  // (the boundary term makes it zero; checked by the verifier)
  std::string why;
  EXPECT_TRUE(rejects(params, dropped.machine, pk.vk, forged, &why));
  EXPECT_THAT(why, ::testing::Not(HasSubstr("buses do not balance")));
}

TEST(NegativeCatalogue, OmittedTableIsRejected) {
  const fri::FriParams params = test_params();
  const Case c = cpu_alu();
  const prover::ProvingKey pk = prover::setup(params, c.machine);
  const protocol::StarkProof proof = prover::prove(params, c.machine, pk, c.witnesses).proof;
  protocol::StarkProof omitted = proof;
  omitted.log_heights.pop_back();
  omitted.public_values.pop_back();
  omitted.claimed_sums.pop_back();
  EXPECT_TRUE(rejects(params, c.machine, pk.vk, omitted));
  // The machine without its ALU table: another table set, so another verifying key and proof.
  const air::Machine cpu_only("cpu-alu", {air::make_table(CpuTable{})}, {}, {});
  const prover::ProvingKey cpu_pk = prover::setup(params, cpu_only);
  EXPECT_TRUE(rejects(params, cpu_only, cpu_pk.vk, omitted));
  EXPECT_TRUE(rejects(params, cpu_only, pk.vk, omitted));
  // On the wire, the table count is fixed by the machine.
  std::vector<uint8_t> bytes = protocol::encode_stark_proof(params, c.machine, pk.vk, proof);
  EXPECT_FALSE(verifier::accepts_stark_proof(params, cpu_only, cpu_pk.vk, bytes));
}

TEST(NegativeCatalogue, ProofAgainstAnotherTableSetKeyOrParametersIsRejected) {
  const fri::FriParams params = test_params();
  const Case cpu = cpu_alu();
  const Case fib = fibonacci();
  const Case range = range_check();
  const prover::ProvingKey cpu_pk = prover::setup(params, cpu.machine);
  const prover::ProvingKey fib_pk = prover::setup(params, fib.machine);
  const prover::ProvingKey range_pk = prover::setup(params, range.machine);
  const protocol::StarkProof cpu_proof = prover::prove(params, cpu.machine, cpu_pk, cpu.witnesses).proof;
  const protocol::StarkProof range_proof = prover::prove(params, range.machine, range_pk, range.witnesses).proof;
  std::string why;
  // Another table set.
  EXPECT_TRUE(rejects(params, fib.machine, fib_pk.vk, cpu_proof, &why));
  // Another verifying key: the right machine with another machine's key, and a key whose
  // preprocessed commitment differs.
  EXPECT_TRUE(rejects(params, cpu.machine, fib_pk.vk, cpu_proof, &why));
  EXPECT_THAT(why, HasSubstr("another constraint system"));
  protocol::VerifyingKey other_vk = range_pk.vk;
  other_vk.preprocessed_cap[0][0] ^= 1;
  EXPECT_TRUE(rejects(params, range.machine, other_vk, range_proof));
  // A machine whose constraints differ in one place: same table names and shapes, other digest.
  const air::Machine altered("cpu-alu", {air::make_table(CpuTable{}), air::make_table(AluWithExtraConstraint{})},
                             {{kAluBus, "alu"}, {kOutputBus, "output"}}, {});
  EXPECT_TRUE(rejects(params, altered, prover::setup(params, altered).vk, cpu_proof));
  // Other parameters.
  fri::FriParams other = params;
  other.num_queries += 1;
  EXPECT_TRUE(rejects(other, cpu.machine, cpu_pk.vk, cpu_proof));
  other = params;
  other.log_blowup = 2;
  EXPECT_TRUE(rejects(other, cpu.machine, cpu_pk.vk, cpu_proof));
  const std::vector<uint8_t> bytes = protocol::encode_stark_proof(params, cpu.machine, cpu_pk.vk, cpu_proof);
  EXPECT_FALSE(verifier::accepts_stark_proof(other, cpu.machine, cpu_pk.vk, bytes, &why));
  EXPECT_THAT(why, HasSubstr("parameters hash"));
}

TEST(NegativeCatalogue, FlippedByteAnywhereTruncationAndExtensionAreRejected) {
  const fri::FriParams params = test_params();
  const Case c = cpu_alu();
  const prover::ProvingKey pk = prover::setup(params, c.machine);
  const std::vector<uint8_t> bytes =
      protocol::encode_stark_proof(params, c.machine, pk.vk, prover::prove(params, c.machine, pk, c.witnesses).proof);
  ASSERT_TRUE(verifier::accepts_stark_proof(params, c.machine, pk.vk, bytes));
  // Every byte of the header and statement, then a stride through the rest that still touches
  // every section (about 1500 verifications).
  const size_t stride = std::max<size_t>(1, bytes.size() / 1500);
  size_t checked = 0;
  for (size_t offset = 0; offset < bytes.size(); offset += offset < 256 ? 1 : stride) {
    std::vector<uint8_t> flipped = bytes;
    flipped[offset] ^= static_cast<uint8_t>(1u << (offset % 8));
    EXPECT_FALSE(verifier::accepts_stark_proof(params, c.machine, pk.vk, flipped)) << "flip at byte " << offset;
    ++checked;
  }
  EXPECT_GT(checked, 1000u);
  for (size_t cut : {size_t{1}, size_t{4}, bytes.size() / 2, bytes.size() - 1}) {
    std::vector<uint8_t> truncated(bytes.begin(), bytes.end() - static_cast<std::ptrdiff_t>(cut));
    std::string why;
    EXPECT_FALSE(verifier::accepts_stark_proof(params, c.machine, pk.vk, truncated, &why));
  }
  std::vector<uint8_t> extended = bytes;
  extended.push_back(0);
  std::string why;
  EXPECT_FALSE(verifier::accepts_stark_proof(params, c.machine, pk.vk, extended, &why));
  EXPECT_THAT(why, HasSubstr("end of proof"));
}

TEST(NegativeCatalogue, TamperedProofFieldsAreRejected) {
  const fri::FriParams params = test_params();
  const Case c = cpu_alu();
  const prover::ProvingKey pk = prover::setup(params, c.machine);
  const protocol::StarkProof proof = prover::prove(params, c.machine, pk, c.witnesses).proof;
  auto expect_rejected = [&](const std::function<void(protocol::StarkProof&)>& edit, const char* what) {
    protocol::StarkProof p = proof;
    edit(p);
    EXPECT_TRUE(rejects(params, c.machine, pk.vk, p)) << what;
  };
  expect_rejected([](auto& p) { p.main_cap[0][0] ^= 1; }, "main cap");
  expect_rejected([](auto& p) { p.interaction_cap[1][3] ^= 1; }, "interaction cap");
  expect_rejected([](auto& p) { p.quotient_cap[0][31] ^= 1; }, "quotient cap");
  expect_rejected([](auto& p) { p.claimed_sums[0] += air::Ext::one(); }, "claimed sum");
  expect_rejected([](auto& p) { p.claimed_sums[0] += air::Ext::one(); p.claimed_sums[1] -= air::Ext::one(); },
                  "claimed sums shifted between tables");
  expect_rejected([](auto& p) { p.opening.opened_values[0][0][0][0] += air::Ext::one(); }, "opened main value");
  expect_rejected([](auto& p) { p.opening.opened_values[2][1][0][5] += air::Ext::one(); }, "opened quotient value");
  expect_rejected([](auto& p) { p.log_heights[1] += 1; }, "table height");
}

}  // namespace
}  // namespace zkrv::stark::machines
