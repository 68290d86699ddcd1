// InterpretedTable: a decoded circuit proves and verifies with the existing prover and verifier,
// its proof is byte for byte the compiled table's (same seed), and corrupted cells are refused by
// the checker and the verifier exactly as for the compiled table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "stark/air/checker.h"
#include "stark/air/machine.h"
#include "stark/circuit/circuit.h"
#include "stark/circuit/interpreted_table.h"
#include "stark/poseidon2/poseidon2_air.h"
#include "stark/prover/prover.h"
#include "stark/testing/toy_cases.h"
#include "stark/verifier/verifier.h"

namespace zkrv::stark::circuit {
namespace {

// The same machine with every table replaced by the interpretation of its circuit's bytes.
air::Machine interpreted(const air::Machine& compiled, std::vector<air::BusInfo> buses) {
  std::vector<std::shared_ptr<const air::Table>> tables;
  for (size_t t = 0; t < compiled.num_tables(); ++t) {
    const std::vector<uint8_t> bytes = encode_circuit(circuit_of(compiled.table(t)));
    tables.push_back(std::make_shared<InterpretedTable>(decode_circuit(bytes)));
  }
  auto original = std::make_shared<air::Machine>(compiled);
  return air::Machine(compiled.name(), std::move(tables), std::move(buses),
                      [original](std::span<const std::vector<air::Fp>> public_values) {
                        return original->boundary(public_values);
                      });
}

struct Pair {
  testing::ToyCase compiled;
  air::Machine interpreted;
};

std::vector<Pair> cases() {
  std::vector<Pair> out;
  testing::ToyCase fib = testing::fibonacci_case();
  air::Machine fib_i = interpreted(fib.machine, {});
  out.push_back({std::move(fib), std::move(fib_i)});
  testing::ToyCase cpu = testing::cpu_alu_case();
  air::Machine cpu_i = interpreted(cpu.machine, {{machines::kAluBus, "alu"}, {machines::kOutputBus, "output"}});
  out.push_back({std::move(cpu), std::move(cpu_i)});
  testing::ToyCase range = testing::range_check_case();
  air::Machine range_i = interpreted(range.machine, {{machines::kRangeBus, "range16"}});
  out.push_back({std::move(range), std::move(range_i)});
  return out;
}

std::vector<uint8_t> prove_bytes(const fri::FriParams& params, const air::Machine& machine,
                                 const std::vector<air::TableWitness>& witnesses, bool verify) {
  const prover::ProvingKey pk = prover::setup(params, machine);
  prover::ProveOptions options;
  options.zk_test_seed = 7;
  const prover::ProveResult result = prover::prove(params, machine, pk, witnesses, options);
  if (verify) {
    EXPECT_NO_THROW(verifier::verify(params, machine, pk.vk, result.proof)) << machine.name();
  }
  return protocol::encode_stark_proof(params, machine, pk.vk, result.proof);
}

TEST(InterpretedTable, ToyMachinesProveAndVerifyWithTheCompiledTablesProofBytes) {
  const fri::FriParams params = testing::toy_fri_params();
  for (const Pair& p : cases()) {
    EXPECT_EQ(p.interpreted.constraint_digest(), p.compiled.machine.constraint_digest()) << p.compiled.machine.name();
    const std::vector<uint8_t> interpreted = prove_bytes(params, p.interpreted, p.compiled.witnesses, true);
    const std::vector<uint8_t> compiled = prove_bytes(params, p.compiled.machine, p.compiled.witnesses, false);
    EXPECT_EQ(interpreted, compiled) << p.compiled.machine.name();
    // A proof made with the compiled table verifies against the interpreted one (same statement).
    const prover::ProvingKey pk = prover::setup(params, p.compiled.machine);
    const prover::ProveResult result = prover::prove(params, p.compiled.machine, pk, p.compiled.witnesses);
    EXPECT_NO_THROW(verifier::verify(params, p.interpreted, prover::setup(params, p.interpreted).vk, result.proof));
  }
}

std::vector<poseidon2::State> random_states(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<poseidon2::State> states(count);
  for (poseidon2::State& s : states) {
    for (KoalaBear& x : s) x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
  }
  return states;
}

TEST(InterpretedTable, Poseidon2ProvesAndVerifiesWithTheCompiledTablesProofBytes) {
  const fri::FriParams params = testing::toy_fri_params();
  const air::Machine compiled = poseidon2::poseidon2_machine();
  const air::Machine machine = interpreted(compiled, {});
  const std::vector<air::TableWitness> witnesses = {poseidon2::poseidon2_witness(random_states(6, 3), 6)};
  EXPECT_EQ(prove_bytes(params, machine, witnesses, true), prove_bytes(params, compiled, witnesses, false));
}

TEST(InterpretedTable, CorruptedCellsAreRefusedExactlyAsByTheCompiledTable) {
  const fri::FriParams params = testing::toy_fri_params();
  prover::ProveOptions malicious;
  malicious.check_witness = false;
  malicious.check_final_degree = false;
  malicious.zk_test_seed = 11;
  size_t failures = 0;
  for (const Pair& p : cases()) {
    const air::Machine& compiled = p.compiled.machine;
    const prover::ProvingKey pk_c = prover::setup(params, compiled);
    const prover::ProvingKey pk_i = prover::setup(params, p.interpreted);
    for (size_t t = 0; t < compiled.num_tables(); ++t) {
      const air::TableWitness& honest = p.compiled.witnesses[t];
      for (size_t column = 0; column < honest.main.width(); ++column) {
        std::vector<air::TableWitness> witnesses = p.compiled.witnesses;
        witnesses[t].main.at(3, column) += KoalaBear::from_u32(5);
        const std::vector<air::ConstraintFailure> expected = air::check_table_rows(
            compiled.table(t), compiled.analysis(t), pk_c.preprocessed[t], witnesses[t]);
        const std::vector<air::ConstraintFailure> got = air::check_table_rows(
            p.interpreted.table(t), p.interpreted.analysis(t), pk_i.preprocessed[t], witnesses[t]);
        failures += got.size();
        ASSERT_EQ(got.size(), expected.size()) << compiled.name() << " table " << t << " column " << column;
        for (size_t f = 0; f < got.size(); ++f) {
          EXPECT_EQ(got[f].table, expected[f].table);
          EXPECT_EQ(got[f].constraint, expected[f].constraint);
          EXPECT_EQ(got[f].row, expected[f].row);
          EXPECT_EQ(got[f].value, expected[f].value);
        }
        // The cell a proof cannot hide: a forced proof is refused against both, and is the same proof.
        if (column == 0 && t == 0) {
          const protocol::StarkProof forced_i = prover::prove(params, p.interpreted, pk_i, witnesses, malicious).proof;
          const protocol::StarkProof forced_c = prover::prove(params, compiled, pk_c, witnesses, malicious).proof;
          EXPECT_THROW(verifier::verify(params, p.interpreted, pk_i.vk, forced_i), verifier::VerifyError);
          EXPECT_THROW(verifier::verify(params, compiled, pk_c.vk, forced_c), verifier::VerifyError);
          EXPECT_EQ(protocol::encode_stark_proof(params, p.interpreted, pk_i.vk, forced_i),
                    protocol::encode_stark_proof(params, compiled, pk_c.vk, forced_c));
        }
      }
    }
  }
  EXPECT_GT(failures, 10u);  // the corruptions do break constraints
}

}  // namespace
}  // namespace zkrv::stark::circuit
