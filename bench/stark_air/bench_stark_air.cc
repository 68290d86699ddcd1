// The multi-table STARK on the toy machines: prove (witness checks off, as a production prover
// that trusts its own witness generation would run), encode, decode + verify, proof size and peak
// resident memory of the prove step, at the `fast` and `secure` profiles, 2^16 rows per table up
// to the profile's height limit (the verifier rejects taller tables), and each proof's own
// security (conj_bits, udr_bits, the bar's weakest round in the label). W is the number of committed base-field columns per row (main + LogUp interaction +
// quotient, summed over tables of the proof's height); ns_per_row_W compares the prover against
// the ~20 W ns per row bound of prover-design.md §2.3 on 2 cores. Each case runs with zero
// knowledge (the default, /zk) and without (/nozk) for the cost of zk; W counts the columns of
// the proof without zk in both, so ns_per_row_W compares the same work. Each case proves twice with
// one prover::ProverContext: the first proof (prove_s, ns_per_row_W) starts from fresh memory, the
// second (warm_*) reuses the first one's buffers.
#include <benchmark/benchmark.h>

#include <chrono>
#include <fstream>
#include <random>
#include <string>

#include "stark/machines/cpu_alu.h"
#include "stark/machines/fibonacci.h"
#include "stark/machines/range_check.h"
#include "stark/prover/prover.h"
#include "stark/verifier/verifier.h"

namespace zkrv::stark {
namespace {

using air::Fp;

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Peak resident set size since the last reset (Linux: /proc/self/clear_refs "5" resets VmHWM).
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }
double peak_rss_mi_b() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

struct Instance {
  air::Machine machine;
  std::vector<air::TableWitness> witnesses;
};

// Tables of 2^log_rows rows, the last `reserved` of them left to the prover (zero knowledge).
Instance make_instance(const std::string& name, int log_rows, size_t reserved) {
  std::mt19937_64 rng(1);
  if (name == "fibonacci") {
    return {machines::fibonacci_machine(), {machines::fibonacci_witness(log_rows, air::Fp::zero(), air::Fp::one(), reserved)}};
  }
  if (name == "cpu_alu") {
    std::vector<machines::CpuStep> program((size_t{1} << log_rows) - 1 - reserved);
    for (machines::CpuStep& step : program) {
      step.op = static_cast<machines::AluOp>(1 + rng() % 3);
      step.operand = static_cast<uint32_t>(rng() % 1000);
    }
    return {machines::cpu_alu_machine(), machines::cpu_alu_witness(program, 1, log_rows, log_rows, reserved)};
  }
  std::vector<std::pair<uint32_t, uint32_t>> pairs((size_t{1} << log_rows) - reserved);
  for (auto& [a, b] : pairs) {
    a = static_cast<uint32_t>(rng() & 0xFFFF);
    b = static_cast<uint32_t>(rng() & 0xFFFF);
  }
  return {machines::range_check_machine(), machines::range_check_witness(log_rows, pairs, reserved)};
}

void BM_Machine(benchmark::State& state, const std::string& name, const SecurityProfile& profile, bool zk) {
  const int log_rows = static_cast<int>(state.range(0));
  fri::FriParams params = fri::params_for_profile(profile);
  params.zk = zk;
  const Instance instance = make_instance(name, log_rows, protocol::reserved_rows(params));
  const prover::ProvingKey pk = prover::setup(params, instance.machine);
  int columns = 0;
  for (size_t t = 0; t < instance.machine.num_tables(); ++t) {
    const air::TableAnalysis& a = instance.machine.analysis(t);
    if (instance.witnesses[t].main.rows() != (size_t{1} << log_rows)) continue;  // the fixed range table
    columns += a.info.main_width + a.interaction_width() + 4 * a.quotient_chunks();
  }
  prover::ProveOptions options;
  options.check_witness = false;
  double prove_s = 0, warm_prove_s = 0, verify_s = 0, peak_mib = 0;
  size_t proof_bytes = 0;
  SecurityReport security;
  for (auto _ : state) {
    // The first proof of a context pays for fresh memory; a prover that keeps its context alive (as
    // one proving shard after shard would) pays that once, which the second proof shows.
    const prover::ProverContext context;
    reset_peak_rss();
    auto start = std::chrono::steady_clock::now();
    prover::ProveResult result;
    try {
      result = prover::prove(params, instance.machine, pk, instance.witnesses, options);
    } catch (const prover::RefusedStatement& e) {
      // Below the profile's bar: the prover refuses before any work, so there is nothing to time.
      state.SkipWithError(e.what());
      return;
    }
    const protocol::StarkProof& proof = result.proof;
    security = result.security;
    const std::vector<uint8_t> bytes = protocol::encode_stark_proof(params, instance.machine, pk.vk, proof);
    prove_s = seconds(start);
    peak_mib = peak_rss_mi_b();
    start = std::chrono::steady_clock::now();
    const protocol::StarkProof warm_proof =
        prover::prove(params, instance.machine, pk, instance.witnesses, options).proof;
    warm_prove_s = seconds(start);
    // Without zk the second proof must be the same bytes; with zk (fresh randomness) it must verify.
    const std::vector<uint8_t> warm_bytes = protocol::encode_stark_proof(params, instance.machine, pk.vk, warm_proof);
    std::string warm_error;
    const bool warm_accepted = verifier::accepts_stark_proof(params, instance.machine, pk.vk, warm_bytes, &warm_error);
    if (zk ? !warm_accepted : warm_bytes != bytes) {
      state.SkipWithError("the second proof is not what the first one was");
      return;
    }
    start = std::chrono::steady_clock::now();
    std::string error;
    if (!verifier::accepts_stark_proof(params, instance.machine, pk.vk, bytes, &error)) {
      state.SkipWithError(("proof rejected: " + error).c_str());
      return;
    }
    verify_s = seconds(start);
    proof_bytes = bytes.size();
  }
  const double rows = static_cast<double>(size_t{1} << log_rows);
  // The proof's own security (its statement: tables, heights, buses), as the verifier computes it.
  state.SetLabel(std::string(profile.name) + (zk ? " zk" : " no-zk") + " W=" + std::to_string(columns) +
                 " weakest(bar)=" + bar_weakest_round(profile, security));
  state.counters["prove_s"] = prove_s;
  state.counters["verify_ms"] = verify_s * 1e3;
  state.counters["proof_KiB"] = static_cast<double>(proof_bytes) / 1024.0;
  state.counters["peak_MiB"] = peak_mib;
  state.counters["W"] = columns;
  state.counters["ns_per_row"] = prove_s * 1e9 / rows;
  state.counters["ns_per_row_W"] = prove_s * 1e9 / rows / columns;
  state.counters["conj_bits"] = security.conjectured_bits;
  state.counters["udr_bits"] = security.unique_decoding.bits;
  state.counters["warm_prove_s"] = warm_prove_s;
  state.counters["warm_ns_per_row_W"] = warm_prove_s * 1e9 / rows / columns;
}

void register_benchmarks() {
  for (const char* name : {"fibonacci", "cpu_alu", "range_check"}) {
    for (const SecurityProfile* profile : {&fast_profile(), &secure_profile()}) {
      for (const bool zk : {true, false}) {
        const std::string label = std::string("BM_") + name + "/" + std::string(profile->name) + (zk ? "/zk" : "/nozk");
        benchmark::RegisterBenchmark(label.c_str(),
                                     [name, profile, zk](benchmark::State& s) { BM_Machine(s, name, *profile, zk); })
            // The verifier rejects taller tables (zero knowledge commits 2^h rows at 2^(h+1)).
            ->DenseRange(16, profile->max_log_trace_length - (zk ? 1 : 0), 2)
            ->Iterations(1)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
    }
  }
}

}  // namespace
}  // namespace zkrv::stark

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  zkrv::stark::register_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
