// The keccak-f[1600] table (precompile_air/keccak_f1600): its cells per permutation (printed
// first, against Plonky3's keccak-air), witness generation in permutations per second, and
// proving a table of 2^k permutations under the `fast` profile with zero knowledge: prove time,
// permutations proven per second, verify time and proof size. Each prove case runs once
// (Iterations(1)); the witness is built before the clock starts.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "precompile_air/keccak_f1600/keccak_air.h"
#include "stark/air/symbolic.h"
#include "stark/prover/prover.h"
#include "stark/verifier/verifier.h"

namespace zkrv::precompile_air::keccak_f1600 {
namespace {

namespace air = stark::air;

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Independent random states, the same for every benchmark (seed 42).
std::vector<State> random_states(size_t count) {
  std::mt19937_64 rng(42);
  std::vector<State> states(count);
  for (State& s : states) {
    for (uint64_t& lane : s) lane = rng();
  }
  return states;
}

void BM_KeccakWitness(benchmark::State& state) {
  const std::vector<State> inputs = random_states(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    air::TableWitness witness = keccak_witness(inputs);
    benchmark::DoNotOptimize(witness.main.data());
  }
  state.counters["perms/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * inputs.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_KeccakWitness)->Arg(256)->Unit(benchmark::kMillisecond);

void BM_KeccakProve(benchmark::State& state) {
  const size_t permutations = size_t{1} << state.range(0);
  const stark::fri::FriParams params = stark::fri::params_for_profile(stark::fast_profile());
  const air::Machine machine = keccak_machine();
  const stark::prover::ProvingKey pk = stark::prover::setup(params, machine);
  const std::vector<air::TableWitness> witnesses = {
      keccak_witness(random_states(permutations), stark::protocol::reserved_rows(params))};
  stark::prover::ProveOptions options;
  options.check_witness = false;  // a production prover trusts its own witness generation
  double prove_s = 0, verify_s = 0;
  size_t proof_bytes = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    stark::prover::ProveResult result;
    try {
      result = stark::prover::prove(params, machine, pk, witnesses, options);
    } catch (const stark::prover::RefusedStatement& e) {
      state.SkipWithError(e.what());
      return;
    }
    const std::vector<uint8_t> bytes = stark::protocol::encode_stark_proof(params, machine, pk.vk, result.proof);
    prove_s = seconds(start);
    start = std::chrono::steady_clock::now();
    std::string error;
    if (!stark::verifier::accepts_stark_proof(params, machine, pk.vk, bytes, &error)) {
      state.SkipWithError(("proof rejected: " + error).c_str());
      return;
    }
    verify_s = seconds(start);
    proof_bytes = bytes.size();
  }
  state.SetLabel("fast zk, " + std::to_string(witnesses[0].main.rows()) + " rows");
  state.counters["perms"] = static_cast<double>(permutations);
  state.counters["prove_s"] = prove_s;
  state.counters["perms_per_s"] = static_cast<double>(permutations) / prove_s;
  state.counters["verify_ms"] = verify_s * 1e3;
  state.counters["proof_KiB"] = static_cast<double>(proof_bytes) / 1024.0;
}
BENCHMARK(BM_KeccakProve)->DenseRange(4, 8, 2)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace zkrv::precompile_air::keccak_f1600

int main(int argc, char** argv) {
  using namespace zkrv::precompile_air::keccak_f1600;
  const zkrv::stark::air::TableAnalysis analysis = zkrv::stark::air::analyze_table(KeccakTable{});
  std::printf("keccak-f[1600] table: %d columns x %zu rows = %zu cells per permutation "
              "(Plonky3 keccak-air: 2,532 columns, 60,768 cells; 2,632 and 63,168 with its input copy)\n",
              analysis.info.main_width, kRounds, static_cast<size_t>(analysis.info.main_width) * kRounds);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
