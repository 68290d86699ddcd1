// Poseidon2 over KoalaBear, width 16, one thread: permutations per second, one state after another
// (each permutation feeds the next, so this is latency-bound like a Merkle path) and over a batch
// of 4096 independent states (16 per SIMD group), and 2-to-1 compressions per second over 4096
// independent node pairs (a Merkle layer), one by one and batched.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "stark/poseidon2/poseidon2.h"

namespace zkrv::stark::poseidon2 {
namespace {

KoalaBear random_element(std::mt19937& rng) { return KoalaBear::from_u32(static_cast<uint32_t>(rng())); }

// Independent random inputs, the same for every benchmark (seed 42).
template <typename Array>
std::vector<Array> random_arrays(size_t count) {
  std::mt19937 rng(42);
  std::vector<Array> out(count);
  for (Array& a : out) {
    for (KoalaBear& x : a) x = random_element(rng);
  }
  return out;
}

void count_rate(benchmark::State& state, const char* name, size_t per_iteration) {
  state.counters[name] =
      benchmark::Counter(static_cast<double>(state.iterations() * per_iteration), benchmark::Counter::kIsRate);
}

void BM_Poseidon2PermuteChained(benchmark::State& state) {
  std::mt19937 rng(42);
  State s;
  for (KoalaBear& x : s) x = random_element(rng);
  for (auto _ : state) {
    permute(s);
    benchmark::DoNotOptimize(s);
  }
  count_rate(state, "perms/s", 1);
}
BENCHMARK(BM_Poseidon2PermuteChained);

void BM_Poseidon2PermuteBatch(benchmark::State& state) {
  constexpr size_t kStates = 4096;
  std::vector<State> states = random_arrays<State>(kStates);
  for (auto _ : state) {
    permute_batch(states);
    benchmark::DoNotOptimize(states.data());
    benchmark::ClobberMemory();
  }
  count_rate(state, "perms/s", kStates);
}
BENCHMARK(BM_Poseidon2PermuteBatch);

void BM_Poseidon2CompressOneByOne(benchmark::State& state) {
  constexpr size_t kPairs = 4096;
  const std::vector<Digest> children = random_arrays<Digest>(2 * kPairs);
  std::vector<Digest> parents(kPairs);
  for (auto _ : state) {
    for (size_t i = 0; i < kPairs; ++i) parents[i] = compress(children[2 * i], children[2 * i + 1]);
    benchmark::DoNotOptimize(parents.data());
    benchmark::ClobberMemory();
  }
  count_rate(state, "compressions/s", kPairs);
}
BENCHMARK(BM_Poseidon2CompressOneByOne);

void BM_Poseidon2CompressBatch(benchmark::State& state) {
  constexpr size_t kPairs = 4096;
  const std::vector<Digest> children = random_arrays<Digest>(2 * kPairs);
  std::vector<Digest> parents(kPairs);
  for (auto _ : state) {
    compress_batch(children, parents);
    benchmark::DoNotOptimize(parents.data());
    benchmark::ClobberMemory();
  }
  count_rate(state, "compressions/s", kPairs);
}
BENCHMARK(BM_Poseidon2CompressBatch);

}  // namespace
}  // namespace zkrv::stark::poseidon2

BENCHMARK_MAIN();
