// FRI polynomial commitment at the two security profiles: commit (LDE + Merkle), open (DEEP
// evaluations and quotient, FRI folding, grinding, queries), verify, and the serialized proof
// size, for one random 2^log_rows x 64 trace opened at zeta and zeta * g (stark/proof's evaluation
// protocol). Every figure is printed with its profile and security level. The benchmark's time is
// the prover's wall time (commit + open + encode); the phases are counters, and prove_cpu_s is the
// process CPU time of the prover summed over its threads.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <chrono>
#include <ctime>
#include <random>
#include <string>

#include "stark/fri/pcs.h"
#include "stark/proof/proof.h"
#include "stark/security/security.h"

namespace zkrv::stark {
namespace {

using fri::Fp;

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Matrix<Fp> random_trace(size_t rows, size_t width) {
  Matrix<Fp> m(rows, width);
  std::mt19937_64 rng(7);
  for (Fp& x : m.values()) x = Fp::from_u64(rng());
  return m;
}

void BM_FriProveVerify(benchmark::State& state, const SecurityProfile& profile, int log_fold_arity) {
  const int log_rows = static_cast<int>(state.range(0));
  constexpr size_t kWidth = 64;
  const fri::FriParams params = fri::params_for_profile(profile, log_fold_arity);
  InstanceShape shape;
  shape.log_trace_length = log_rows;
  shape.num_columns = kWidth;
  shape.num_constraints = 1;
  SecurityParams security = make_security_params(profile, shape);
  security.log_final_poly_length = params.log_final_poly_len;
  const SecurityReport report = analyze_security(security);
  state.SetLabel(
      std::string("profile=") + std::string(profile.name) + " blowup=" + std::to_string(1 << params.log_blowup) +
      " queries=" + std::to_string(params.num_queries) + " pow=" + std::to_string(params.query_pow_bits) + " arity=2^" +
      std::to_string(params.log_first_fold_arity) + ",2^" + std::to_string(params.log_fold_arity) +
      " bits: conjectured " + std::to_string(static_cast<int>(report.conjectured_bits)) + ", proven(UDR) " +
      std::to_string(static_cast<int>(report.unique_decoding.bits)));

  const std::vector<std::vector<Matrix<Fp>>> rounds = {{random_trace(size_t{1} << log_rows, kWidth)}};
  double commit_s = 0, open_s = 0, verify_s = 0, prove_cpu_s = 0;
  size_t proof_bytes = 0;
  for (auto _ : state) {
    // Process CPU time (all threads): comparable across runs when other jobs share the cores.
    const std::clock_t cpu_start = std::clock();
    auto start = std::chrono::steady_clock::now();
    std::vector<fri::CommittedRound> committed;
    committed.push_back(fri::commit(params, rounds[0]));
    commit_s += seconds(start);

    start = std::chrono::steady_clock::now();
    proof::EvaluationProof evaluation;
    evaluation.rounds.push_back({committed[0].cap(), committed[0].shapes()});
    Transcript transcript = fri::new_transcript(params);
    const fri::OpeningPoints points = proof::draw_evaluation_points(evaluation.rounds, transcript);
    const fri::CommittedRound* pointers[] = {&committed[0]};
    evaluation.opening = fri::open(params, pointers, points, transcript);
    const std::vector<uint8_t> bytes = proof::encode_proof(params, evaluation);
    open_s += seconds(start);
    prove_cpu_s += static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    proof_bytes = bytes.size();

    state.PauseTiming();
    start = std::chrono::steady_clock::now();
    if (!proof::accepts_proof_bytes(params, bytes)) state.SkipWithError("the proof does not verify");
    verify_s += seconds(start);
    state.ResumeTiming();
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["commit_s"] = commit_s / n;
  state.counters["open_s"] = open_s / n;
  state.counters["prove_cpu_s"] = prove_cpu_s / n;
  state.counters["verify_ms"] = 1e3 * verify_s / n;
  state.counters["proof_KiB"] = static_cast<double>(proof_bytes) / 1024.0;
}

// The profiles as defined (arity 2 throughout), and `fast` with arity 2 then 8 for the size.
BENCHMARK_CAPTURE(BM_FriProveVerify, fast, fast_profile(), 1)
    ->Arg(16)
    ->Arg(20)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_FriProveVerify, secure, secure_profile(), 1)
    ->Arg(16)
    ->Arg(20)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_FriProveVerify, fast_arity8, fast_profile(), 3)
    ->Arg(20)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace zkrv::stark

BENCHMARK_MAIN();
