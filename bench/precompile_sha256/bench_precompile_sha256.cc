// The SHA-256 compression table (precompile_air/sha256_compress): its cells per compression
// (printed first, against Plonky3's sha256-air), witness generation in compressions per second, and
// proving a table of 2^k compressions under the `fast` profile with zero knowledge: prove time,
// compressions proven per second, verify time and proof size. Each prove case runs once
// (Iterations(1)); the witness is built before the clock starts.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "precompile_air/sha256_compress/sha256_air.h"
#include "stark/air/symbolic.h"
#include "stark/prover/prover.h"
#include "stark/verifier/verifier.h"

namespace zkrv::precompile_air::sha256_compress {
namespace {

namespace air = stark::air;

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Independent random calls, the same for every benchmark (seed 42).
std::vector<Compression> random_calls(size_t count) {
  std::mt19937 rng(42);
  std::vector<Compression> calls(count);
  for (Compression& call : calls) {
    for (uint32_t& word : call.state) word = rng();
    for (uint32_t& word : call.block) word = rng();
  }
  return calls;
}

void BM_Sha256Witness(benchmark::State& state) {
  const std::vector<Compression> calls = random_calls(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    air::TableWitness witness = sha256_witness(calls);
    benchmark::DoNotOptimize(witness.main.data());
  }
  state.counters["calls/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * calls.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Sha256Witness)->Arg(1024)->Unit(benchmark::kMillisecond);

void BM_Sha256Prove(benchmark::State& state) {
  const size_t calls = size_t{1} << state.range(0);
  const stark::fri::FriParams params = stark::fri::params_for_profile(stark::fast_profile());
  const air::Machine machine = sha256_machine();
  const stark::prover::ProvingKey pk = stark::prover::setup(params, machine);
  const std::vector<air::TableWitness> witnesses = {
      sha256_witness(random_calls(calls), stark::protocol::reserved_rows(params))};
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
  state.counters["calls"] = static_cast<double>(calls);
  state.counters["prove_s"] = prove_s;
  state.counters["calls_per_s"] = static_cast<double>(calls) / prove_s;
  state.counters["verify_ms"] = verify_s * 1e3;
  state.counters["proof_KiB"] = static_cast<double>(proof_bytes) / 1024.0;
}
BENCHMARK(BM_Sha256Prove)->DenseRange(6, 10, 2)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace zkrv::precompile_air::sha256_compress

int main(int argc, char** argv) {
  using namespace zkrv::precompile_air::sha256_compress;
  const zkrv::stark::air::TableAnalysis analysis = zkrv::stark::air::analyze_table(Sha256Table{});
  std::printf("SHA-256 compression table: %d columns x 1 row = %d cells per compression "
              "(Plonky3 sha256-air: 7,968; SP1 compress + extend chips: about 29,000)\n",
              analysis.info.main_width, analysis.info.main_width);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
