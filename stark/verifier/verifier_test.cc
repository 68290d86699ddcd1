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
                         const protocol::StarkProof& proof) {
  try {
    verify(testing::small_fri_params(), machine, vk, proof);
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
