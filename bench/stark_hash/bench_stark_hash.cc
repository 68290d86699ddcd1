// BLAKE2s throughput (bytes of message per second, one thread) for the scalar, AVX2 and AVX-512
// batch kernels on 64-byte messages (a Merkle node), plus one-shot OpenSSL for scale; and the time to
// commit a 2^20 x 64 u32 matrix to a Merkle tree with 1 and 2 threads.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <tbb/global_control.h>

#include <random>
#include <vector>

#include "stark/hash/blake2s.h"
#include "stark/hash/hasher.h"
#include "stark/merkle/merkle.h"

namespace zkrv::stark {
namespace {

std::vector<uint8_t> random_bytes(size_t n) {
  std::mt19937_64 rng(42);
  std::vector<uint8_t> bytes(n);
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  return bytes;
}

void BM_Blake2sBatch(benchmark::State& state, Blake2sBackend backend) {
  if (!backend_available(backend)) {
    state.SkipWithError("backend not supported by this CPU");
    return;
  }
  const size_t message_len = static_cast<size_t>(state.range(0));
  constexpr size_t kMessages = 4096;  // 256 KiB of 64-byte messages: stays in L2
  const std::vector<uint8_t> data = random_bytes(message_len * kMessages);
  std::vector<Digest> out(kMessages);
  for (auto _ : state) {
    blake2s_batch(data.data(), message_len, message_len, kMessages, out.data(), {}, backend);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kMessages * message_len));
  state.counters["hashes/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kMessages),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_Blake2sBatch, scalar, Blake2sBackend::kScalar)->Arg(64)->Arg(256);
BENCHMARK_CAPTURE(BM_Blake2sBatch, avx2_8lane, Blake2sBackend::kAvx2)->Arg(64)->Arg(256);
BENCHMARK_CAPTURE(BM_Blake2sBatch, avx512_16lane, Blake2sBackend::kAvx512)->Arg(64)->Arg(256);

void BM_OpenSslBlake2sOneShot(benchmark::State& state) {
  const std::vector<uint8_t> data = random_bytes(64);
  Digest out;
  unsigned int length = 0;
  for (auto _ : state) {
    EVP_Digest(data.data(), data.size(), out.data(), &length, EVP_blake2s256(), nullptr);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * 64));
}
BENCHMARK(BM_OpenSslBlake2sOneShot);

void BM_MerkleCommit(benchmark::State& state) {
  const size_t log_rows = static_cast<size_t>(state.range(0));
  const size_t columns = static_cast<size_t>(state.range(1));
  const int threads = static_cast<int>(state.range(2));
  const size_t rows = size_t{1} << log_rows;
  std::vector<uint32_t> matrix(rows * columns);
  std::mt19937 rng(1);
  for (auto& x : matrix) x = rng() % 0x7f000001u;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
  for (auto _ : state) {
    MerkleTree<Blake2sHasher> tree({MatrixView{matrix.data(), rows, columns}}, /*cap_height=*/4);
    benchmark::DoNotOptimize(tree.cap().data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * matrix.size() * sizeof(uint32_t)));
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(state.iterations() * rows),
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MerkleCommit)
    ->ArgNames({"log_rows", "cols", "threads"})
    ->Args({16, 64, 1})
    ->Args({20, 64, 1})
    ->Args({20, 64, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace zkrv::stark

BENCHMARK_MAIN();
