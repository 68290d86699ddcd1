// Field and NTT throughput. Run: bench_stark_field_ntt [--benchmark_filter=...]
// Figures and the machine they ran on are recorded in docs/benchmarks.md ("STARK: field and NTT").
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>
#include <time.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "stark/field/extension_field.h"
#include "stark/field/koalabear.h"
#include "stark/field/packed_koalabear.h"
#include "stark/ntt/ntt.h"

namespace zkrv::stark {
namespace {

constexpr size_t kFieldElements = 4096;  // 16 KiB per operand: stays in L1

std::vector<KoalaBear> random_elements(size_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<KoalaBear> v(count);
  for (KoalaBear& x : v) x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
  return v;
}

Matrix<KoalaBear> random_matrix(size_t rows, size_t width) {
  return Matrix<KoalaBear>(random_elements(rows * width, rows + width), width);
}

// acc[i] *= b[i] over an L1-resident array: independent multiplies, so this is throughput.
void BM_ScalarMul(benchmark::State& state) {
  std::vector<KoalaBear> acc = random_elements(kFieldElements, 1),
                         b = random_elements(kFieldElements, 2);
  for (auto _ : state) {
    for (size_t i = 0; i < kFieldElements; ++i) acc[i] *= b[i];
    benchmark::DoNotOptimize(acc.data());
  }
  state.counters["mul/s"] =
      benchmark::Counter(double(state.iterations()) * kFieldElements, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ScalarMul);

template <typename Packed>
void BM_PackedMul(benchmark::State& state) {
  std::vector<KoalaBear> acc = random_elements(kFieldElements, 1),
                         b = random_elements(kFieldElements, 2);
  for (auto _ : state) {
    for (size_t i = 0; i < kFieldElements; i += Packed::kWidth) {
      (Packed::load(&acc[i]) * Packed::load(&b[i])).store(&acc[i]);
    }
    benchmark::DoNotOptimize(acc.data());
  }
  state.counters["mul/s"] =
      benchmark::Counter(double(state.iterations()) * kFieldElements, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PackedMul<PackedKoalaBear>)->Name("BM_PackedMul/avx512_or_fallback");
BENCHMARK(BM_PackedMul<PackedKoalaBearScalar>)->Name("BM_PackedMul/portable");

void BM_Extension4Mul(benchmark::State& state) {
  std::vector<KoalaBear> raw = random_elements(8 * 1024, 3);
  std::vector<KoalaBear4> acc(1024), b(1024);
  for (size_t i = 0; i < 1024; ++i) {
    acc[i] = KoalaBear4({raw[8 * i], raw[8 * i + 1], raw[8 * i + 2], raw[8 * i + 3]});
    b[i] = KoalaBear4({raw[8 * i + 4], raw[8 * i + 5], raw[8 * i + 6], raw[8 * i + 7]});
  }
  for (auto _ : state) {
    for (size_t i = 0; i < acc.size(); ++i) acc[i] *= b[i];
    benchmark::DoNotOptimize(acc.data());
  }
  state.counters["mul/s"] =
      benchmark::Counter(double(state.iterations()) * acc.size(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Extension4Mul);

// The build machine is shared, so wall-clock rates undercount when other processes hold a core.
// Transform benchmarks therefore report two rates: per wall-clock second and per CPU-second of
// this process (all threads), which is the per-thread throughput whatever the machine load.
class RateMeter {
 public:
  RateMeter() : wall_start_(std::chrono::steady_clock::now()), cpu_start_(process_cpu_seconds()) {}

  void report(benchmark::State& state, const char* unit, double work_per_iteration) const {
    double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
    double cpu = process_cpu_seconds() - cpu_start_;
    double work = work_per_iteration * double(state.iterations());
    state.counters[std::string(unit) + "/s_wall"] = work / wall;
    state.counters[std::string(unit) + "/s_per_cpu"] = work / cpu;
  }

 private:
  static double process_cpu_seconds() {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
  }

  std::chrono::steady_clock::time_point wall_start_;
  double cpu_start_;
};

double butterflies(size_t rows, size_t width) {
  return double(rows / 2) * std::countr_zero(rows) * double(width);
}

// Args: log2 rows, columns, threads. Forward NTT with bit-reversed output (no permutation pass):
// the pure butterfly kernel.
void BM_NttBitReversedOutput(benchmark::State& state) {
  const size_t rows = size_t{1} << state.range(0), width = state.range(1);
  tbb::task_arena arena(static_cast<int>(state.range(2)));
  Matrix<KoalaBear> m = random_matrix(rows, width);
  RateMeter meter;
  for (auto _ : state) arena.execute([&] { forward_ntt(m, RowOrder::kBitReversed); });
  meter.report(state, "butterflies", butterflies(rows, width));
}

// Same with natural-order output (adds a row bit-reversal pass).
void BM_NttNaturalOutput(benchmark::State& state) {
  const size_t rows = size_t{1} << state.range(0), width = state.range(1);
  tbb::task_arena arena(static_cast<int>(state.range(2)));
  Matrix<KoalaBear> m = random_matrix(rows, width);
  RateMeter meter;
  for (auto _ : state) arena.execute([&] { forward_ntt(m); });
  meter.report(state, "butterflies", butterflies(rows, width));
}

// Unblocked radix-2 baseline (one pass over memory per layer), single thread.
void BM_NttRadix2Baseline(benchmark::State& state) {
  const size_t rows = size_t{1} << state.range(0), width = state.range(1);
  tbb::task_arena arena(1);
  Matrix<KoalaBear> m = random_matrix(rows, width);
  RateMeter meter;
  for (auto _ : state) arena.execute([&] { forward_ntt_radix2(m); });
  meter.report(state, "butterflies", butterflies(rows, width));
}

// Args: log2 rows, columns, log2 blowup, threads. Evaluations -> coset evaluations (natural),
// into an output buffer reused across iterations, as a prover reuses its LDE buffers.
void BM_CosetLde(benchmark::State& state) {
  const size_t rows = size_t{1} << state.range(0), width = state.range(1);
  const int log_blowup = static_cast<int>(state.range(2));
  tbb::task_arena arena(static_cast<int>(state.range(3)));
  Matrix<KoalaBear> evaluations = random_matrix(rows, width);
  Matrix<KoalaBear> lde(rows << log_blowup, width);
  const KoalaBear shift = KoalaBear::from_u32(KoalaBear::kGenerator);
  RateMeter meter;
  for (auto _ : state) {
    arena.execute([&] { coset_lde_from_evaluations(evaluations, log_blowup, shift, lde); });
    benchmark::DoNotOptimize(lde.data());
  }
  meter.report(state, "input_rows", double(rows));
}

// The same with bit-reversed output rows (the order FRI folds in): b size-n DIFs, no permutation.
void BM_CosetLdeBitReversed(benchmark::State& state) {
  const size_t rows = size_t{1} << state.range(0), width = state.range(1);
  const int log_blowup = static_cast<int>(state.range(2));
  tbb::task_arena arena(static_cast<int>(state.range(3)));
  Matrix<KoalaBear> evaluations = random_matrix(rows, width);
  Matrix<KoalaBear> lde(rows << log_blowup, width);
  const KoalaBear shift = KoalaBear::from_u32(KoalaBear::kGenerator);
  RateMeter meter;
  for (auto _ : state) {
    arena.execute([&] {
      coset_lde_from_evaluations(evaluations, log_blowup, shift, lde, RowOrder::kBitReversed);
    });
    benchmark::DoNotOptimize(lde.data());
  }
  meter.report(state, "input_rows", double(rows));
}

// The same with a freshly allocated result each time (includes first-touch page faults).
void BM_CosetLdeFreshOutput(benchmark::State& state) {
  const size_t rows = size_t{1} << state.range(0), width = state.range(1);
  const int log_blowup = static_cast<int>(state.range(2));
  tbb::task_arena arena(static_cast<int>(state.range(3)));
  Matrix<KoalaBear> evaluations = random_matrix(rows, width);
  const KoalaBear shift = KoalaBear::from_u32(KoalaBear::kGenerator);
  RateMeter meter;
  for (auto _ : state) {
    arena.execute([&] {
      Matrix<KoalaBear> lde = coset_lde_from_evaluations(evaluations, log_blowup, shift);
      benchmark::DoNotOptimize(lde.data());
    });
  }
  meter.report(state, "input_rows", double(rows));
}

void ntt_args(benchmark::internal::Benchmark* b) {
  for (int log_rows : {20, 22}) {
    for (int threads : {1, 2}) b->Args({log_rows, 16, threads});
  }
  b->ArgNames({"log_rows", "cols", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}
BENCHMARK(BM_NttBitReversedOutput)->Apply(ntt_args);
BENCHMARK(BM_NttNaturalOutput)->Apply(ntt_args);
BENCHMARK(BM_NttRadix2Baseline)
    ->Args({20, 16})
    ->ArgNames({"log_rows", "cols"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
void lde_args(benchmark::internal::Benchmark* b) {
  b->Args({20, 16, 1, 1})->Args({20, 16, 1, 2})->Args({20, 16, 2, 1})->Args({20, 16, 2, 2});
  b->ArgNames({"log_rows", "cols", "log_blowup", "threads"})
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}
BENCHMARK(BM_CosetLde)->Apply(lde_args);
BENCHMARK(BM_CosetLdeBitReversed)->Apply(lde_args);
BENCHMARK(BM_CosetLdeFreshOutput)
    ->Args({20, 16, 1, 2})
    ->ArgNames({"log_rows", "cols", "log_blowup", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace zkrv::stark

BENCHMARK_MAIN();
