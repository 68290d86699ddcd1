// Unit tests of the verifier that need no prover: statements of the wrong shape, keys for another
// machine, and bytes that are not a proof. (Honest and tampered proofs are in
// stark/machines/machines_test.cc.) This binary links the verifier without the prover; the
// stark_verifier_links_no_prover test checks that with nm.
#include "stark/verifier/verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "stark/machines/cpu_alu.h"
#include "stark/machines/fibonacci.h"
#include "stark/testing/small_params.h"

namespace zkrv::stark::verifier {
namespace {

using ::testing::HasSubstr;

// The verifying key setup would give a machine without preprocessed columns.
protocol::VerifyingKey key_without_preprocessed(const air::Machine& machine) {
  protocol::VerifyingKey vk;
  vk.constraint_digest = machine.constraint_digest();
  vk.preprocessed_log_heights.assign(machine.num_tables(), -1);
  return vk;
}

// A statement of the right shape for the Fibonacci machine (the commitments are empty).
protocol::StarkProof fibonacci_statement(int log_height) {
  protocol::StarkProof proof;
  proof.log_heights = {log_height};
  const air::TableWitness w = machines::fibonacci_witness(log_height);
  proof.public_values = {w.public_values};
  return proof;
}

std::string verify_error(const air::Machine& machine, const protocol::VerifyingKey& vk,
                         const protocol::StarkProof& proof,
                         const fri::FriParams& params = testing::small_fri_params()) {
  try {
    verify(params, machine, vk, proof);
  } catch (const VerifyError& e) {
    return e.what();
  }
  return "";
}

TEST(VerifierTest, RejectsTheWrongTableCount) {
  const air::Machine machine = machines::fibonacci_machine();
  protocol::StarkProof proof = fibonacci_statement(5);
  proof.log_heights.push_back(5);
  proof.public_values.push_back(proof.public_values[0]);
  EXPECT_THAT(verify_error(machine, key_without_preprocessed(machine), proof),
              HasSubstr("proof has 2 table heights and 2 public-value lists, machine fibonacci has 1 tables"));
  proof.log_heights.clear();
  proof.public_values.clear();
  EXPECT_THAT(verify_error(machine, key_without_preprocessed(machine), proof), HasSubstr("proof has 0 table heights"));
}

TEST(VerifierTest, RejectsHeightsOutsideTheRange) {
  const air::Machine machine = machines::fibonacci_machine();
  protocol::StarkProof proof = fibonacci_statement(5);
  proof.log_heights[0] = 0;
  EXPECT_THAT(verify_error(machine, key_without_preprocessed(machine), proof), HasSubstr("log height 0 outside [1, "));
  proof.log_heights[0] = 30;
  EXPECT_THAT(verify_error(machine, key_without_preprocessed(machine), proof), HasSubstr("log height 30 outside [1, "));
}

// Under a profile's parameters a table may be no taller than the profile was analysed for (zero
// knowledge, the default, keeps the committed degree at the table's height: its reserved rows are
// inside it); the structural limit (two-adicity less the blowup) is further.
TEST(VerifierTest, RejectsAStatementTallerThanItsProfileAllows) {
  const air::Machine machine = machines::fibonacci_machine();
  const protocol::VerifyingKey vk = key_without_preprocessed(machine);
  protocol::StarkProof proof = fibonacci_statement(5);
  // fast's tallest parameter set (blowup 2); its first one (blowup 4) stops at 2^21.
  const fri::FriParams fast = fri::params_for_profile(profile_parameter_sets("fast")[1]);
  ASSERT_TRUE(fast.zk);
  EXPECT_EQ(protocol::max_log_height(fast), 22);
  EXPECT_EQ(protocol::max_log_height(fri::params_for_profile(fast_profile())), 21);
  EXPECT_EQ(protocol::max_log_height(fri::params_for_profile(secure_profile())), 21);
  fri::FriParams fast_without_zk = fast;
  fast_without_zk.zk = false;
  EXPECT_EQ(protocol::max_log_height(fast_without_zk), 22);
  proof.log_heights[0] = 23;
  EXPECT_THAT(verify_error(machine, vk, proof, fast),
              HasSubstr("table fibonacci: log height 23 outside [1, 22] (the tallest profile fast is analysed for)"));
  // At the limit the statement passes the height and security checks and fails at the commitments.
  proof.log_heights[0] = 22;
  const std::string at_limit = verify_error(machine, vk, proof, fast);
  EXPECT_NE(at_limit, "");
  EXPECT_THAT(at_limit, ::testing::Not(HasSubstr("log height")));
  EXPECT_THAT(at_limit, ::testing::Not(HasSubstr("security")));
  // Parameters that name no profile keep the structural limit.
  proof.log_heights[0] = 23;
  EXPECT_THAT(verify_error(machine, vk, proof), ::testing::Not(HasSubstr("log height")));
}

// fast's parameter set is the statement's to pick, not the prover's: a statement blowup 4 carries
// is rejected under blowup 2 (and the reverse is the height limit), before any commitment is read.
TEST(VerifierTest, RejectsAStatementUnderTheWrongFastParameterSet) {
  const air::Machine machine = machines::fibonacci_machine();
  const protocol::VerifyingKey vk = key_without_preprocessed(machine);
  const fri::FriParams first = fri::params_for_profile(fast_profile());
  const fri::FriParams tall = fri::params_for_profile(profile_parameter_sets("fast")[1]);
  ASSERT_EQ(fri::profile_for_params(tall)->name, "fast");
  for (int log_height : {9, 21}) {
    protocol::StarkProof proof = fibonacci_statement(5);
    proof.log_heights[0] = log_height;
    EXPECT_THAT(verify_error(machine, vk, proof, tall),
                HasSubstr("parameters: profile fast proves this statement with blowup 4 and 42 queries, not blowup 2 "
                          "and 100"))
        << log_height;
    EXPECT_THAT(verify_error(machine, vk, proof, first), ::testing::Not(HasSubstr("parameters")));
  }
  protocol::StarkProof proof = fibonacci_statement(5);
  proof.log_heights[0] = 22;
  EXPECT_THAT(verify_error(machine, vk, proof, tall), ::testing::Not(HasSubstr("parameters")));
  EXPECT_THAT(verify_error(machine, vk, proof, first), HasSubstr("log height 22 outside [1, 21]"));
}

// The secure profile's knobs with arity-16 folding after the first round: at 2^20 rows the UDR
// folding rounds fall below 100 bits, and the verifier says so
// before reading any commitment.
TEST(VerifierTest, RejectsAStatementBelowItsProfilesBar) {
  const air::Machine machine = machines::fibonacci_machine();
  const protocol::VerifyingKey vk = key_without_preprocessed(machine);
  protocol::StarkProof proof = fibonacci_statement(5);
  proof.log_heights[0] = 20;
  const fri::FriParams wide = fri::params_for_profile(secure_profile(), /*log_fold_arity=*/4);
  ASSERT_EQ(fri::profile_for_params(wide)->name, "secure");
  EXPECT_THAT(verify_error(machine, vk, proof, wide),
              HasSubstr("security: the statement has 98.0 proven (UDR) bits, below profile secure's bar of 100 "
                        "(weakest: FRI folding round 2)"));
  // Arity 2 throughout holds the bar at the same height: the failure is elsewhere.
  EXPECT_THAT(verify_error(machine, vk, proof, fri::params_for_profile(secure_profile())),
              ::testing::Not(HasSubstr("security")));
  // The same report, computed directly, agrees with the check.
  const SecurityReport report = protocol::statement_security(wide, machine, proof.log_heights, 0);
  EXPECT_LT(report.unique_decoding.bits, 100);
  EXPECT_THROW(check_security_bar(wide, report), VerifyError);
  EXPECT_NO_THROW(check_security_bar(testing::small_fri_params(), report));  // no profile, no bar
}

TEST(VerifierTest, RejectsAKeyForAnotherMachine) {
  const air::Machine fibonacci = machines::fibonacci_machine();
  const air::Machine cpu_alu = machines::cpu_alu_machine();
  EXPECT_THAT(verify_error(fibonacci, key_without_preprocessed(cpu_alu), fibonacci_statement(5)),
              HasSubstr("verifying key is for another constraint system than machine fibonacci"));
}

TEST(VerifierTest, RejectsTheWrongNumberOfPublicValues) {
  const air::Machine machine = machines::fibonacci_machine();
  protocol::StarkProof proof = fibonacci_statement(5);
  proof.public_values[0].push_back(air::Fp::one());
  EXPECT_THAT(verify_error(machine, key_without_preprocessed(machine), proof), HasSubstr("public values, the table declares"));
}

// A statement that passes the shape checks still fails at the commitments (here: empty caps).
TEST(VerifierTest, RejectsAWellShapedStatementWithoutCommitments) {
  const air::Machine machine = machines::fibonacci_machine();
  EXPECT_NE(verify_error(machine, key_without_preprocessed(machine), fibonacci_statement(5)), "");
}

TEST(VerifierTest, AcceptsStarkProofNeverThrowsAndSaysWhy) {
  const air::Machine machine = machines::fibonacci_machine();
  const protocol::VerifyingKey vk = key_without_preprocessed(machine);
  const fri::FriParams params = testing::small_fri_params();
  std::string error;
  EXPECT_FALSE(accepts_stark_proof(params, machine, vk, {}, &error));
  EXPECT_THAT(error, HasSubstr("magic"));
  const std::vector<uint8_t> garbage(300, 0xa5);
  error.clear();
  EXPECT_FALSE(accepts_stark_proof(params, machine, vk, garbage, &error));
  EXPECT_THAT(error, HasSubstr("magic at byte offset 0"));
  std::vector<uint8_t> magic_only = {'Z', 'K', 'R', 'V', 'S', 'T', 'K', protocol::kStarkFormatVersion};
  error.clear();
  EXPECT_FALSE(accepts_stark_proof(params, machine, vk, magic_only, &error));
  EXPECT_THAT(error, HasSubstr("byte offset 8"));
}

}  // namespace
}  // namespace zkrv::stark::verifier
