// A table interpreted from its circuit bytes (stark/circuit's InterpretedTable) against the same
// table compiled (its templated eval), proving the same trace under the `fast` profile with zero
// knowledge: whole-proof seconds and the quotient round's seconds (where the prover evaluates the
// constraints, 16 LDE points at a time), and their ratios. The proofs are identical (the seed is
// fixed), so the ratio is the interpreter's cost alone. Poseidon2 (164 columns, 148 constraints of
// degree 3, no buses) and the CPU/ALU toy machine (two tables on two buses).
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "stark/circuit/circuit.h"
#include "stark/circuit/interpreted_table.h"
#include "stark/machines/cpu_alu.h"
#include "stark/poseidon2/poseidon2_air.h"
#include "stark/prover/prover.h"
#include "stark/security/security.h"

namespace zkrv::stark {
namespace {

air::Machine interpreted(const air::Machine& compiled, std::vector<air::BusInfo> buses) {
  std::vector<std::shared_ptr<const air::Table>> tables;
  for (size_t t = 0; t < compiled.num_tables(); ++t) {
    const std::vector<uint8_t> bytes = circuit::encode_circuit(circuit::circuit_of(compiled.table(t)));
    tables.push_back(std::make_shared<circuit::InterpretedTable>(circuit::decode_circuit(bytes)));
  }
  auto original = std::make_shared<air::Machine>(compiled);
  return air::Machine(compiled.name(), std::move(tables), std::move(buses),
                      [original](std::span<const std::vector<air::Fp>> public_values) {
                        return original->boundary(public_values);
                      });
}

struct Timing {
  double prove_s = 0;
  double quotient_s = 0;
};

Timing prove_once(const fri::FriParams& params, const air::Machine& machine, const prover::ProvingKey& pk,
                  const std::vector<air::TableWitness>& witnesses) {
  prover::ProveOptions options;
  options.check_witness = false;
  options.zk_test_seed = 1;
  const auto start = std::chrono::steady_clock::now();
  const prover::ProveResult result = prover::prove(params, machine, pk, witnesses, options);
  Timing t;
  t.prove_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& [name, s] : result.phase_seconds) {
    if (name == "quotient") t.quotient_s = s;
  }
  benchmark::DoNotOptimize(result.proof);
  return t;
}

void compare(benchmark::State& state, const air::Machine& compiled, const air::Machine& interpreted,
             const std::vector<air::TableWitness>& witnesses, const fri::FriParams& params) {
  const prover::ProvingKey pk_c = prover::setup(params, compiled);
  const prover::ProvingKey pk_i = prover::setup(params, interpreted);
  Timing c, i;
  for (auto _ : state) {
    // Alternated, so that both see the same machine state; the best of the iterations is kept.
    const Timing tc = prove_once(params, compiled, pk_c, witnesses);
    const Timing ti = prove_once(params, interpreted, pk_i, witnesses);
    if (c.prove_s == 0 || tc.prove_s < c.prove_s) c = tc;
    if (i.prove_s == 0 || ti.prove_s < i.prove_s) i = ti;
  }
  state.counters["compiled_s"] = c.prove_s;
  state.counters["interpreted_s"] = i.prove_s;
  state.counters["ratio"] = i.prove_s / c.prove_s;
  state.counters["compiled_quotient_s"] = c.quotient_s;
  state.counters["interpreted_quotient_s"] = i.quotient_s;
  state.counters["quotient_ratio"] = i.quotient_s / c.quotient_s;
}

fri::FriParams params() { return fri::params_for_profile(fast_profile()); }

void BM_Poseidon2(benchmark::State& state) {
  const int log_rows = static_cast<int>(state.range(0));
  std::mt19937 rng(1);
  const size_t reserved = protocol::reserved_rows(params());
  std::vector<poseidon2::State> inputs((size_t{1} << log_rows) - reserved);
  for (poseidon2::State& s : inputs) {
    for (KoalaBear& x : s) x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
  }
  const std::vector<air::TableWitness> witnesses = {poseidon2::poseidon2_witness(inputs, log_rows)};
  const air::Machine compiled = poseidon2::poseidon2_machine();
  compare(state, compiled, interpreted(compiled, {}), witnesses, params());
}
BENCHMARK(BM_Poseidon2)->Arg(12)->Arg(14)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_CpuAlu(benchmark::State& state) {
  const int log_rows = static_cast<int>(state.range(0));
  const size_t reserved = protocol::reserved_rows(params());
  std::mt19937 rng(1);
  std::vector<machines::CpuStep> program((size_t{1} << log_rows) - 1 - reserved);
  for (machines::CpuStep& step : program) {
    step.op = static_cast<machines::AluOp>(1 + rng() % 3);
    step.operand = static_cast<uint32_t>(rng() % 1000);
  }
  const std::vector<air::TableWitness> witnesses =
      machines::cpu_alu_witness(program, 1, log_rows, log_rows, reserved);
  const air::Machine compiled = machines::cpu_alu_machine();
  compare(state, compiled,
          interpreted(compiled, {{machines::kAluBus, "alu"}, {machines::kOutputBus, "output"}}), witnesses,
          params());
}
BENCHMARK(BM_CpuAlu)->Arg(16)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace zkrv::stark

BENCHMARK_MAIN();
