// One zkrv.sha256_compress call (two guest reads of 32 and 64 bytes, one 32-byte write) with the
// library loaded in process and in a sandboxed worker: the sandbox's cost per call, which is one
// socket round trip per guest access plus one for the call itself.
#include <benchmark/benchmark.h>

#include "precompiles/package/store.h"
#include "precompiles/testdata/test_memory.h"
#include "precompiles/testdata/test_packages.h"

namespace zkrv::precompiles {
namespace {

LoadedPrecompile open_sha256(bool sandboxed) {
  const Package package = make_package(testing::test_manifest("zkrv.sha256_compress", "1.0.0"),
                                       read_file_bytes(ZKRV_BENCH_SHA256_LIBRARY), std::nullopt, "libsha256.so");
  return sandboxed ? open_package_sandboxed(package, "bench", sandbox::default_worker_path(), {})
                   : open_package_library(package, "bench");
}

void BM_Sha256CompressCall(benchmark::State& state, bool sandboxed) {
  const LoadedPrecompile loaded = open_sha256(sandboxed);
  testing::TestMemory memory(0x1000, 256);
  zkrv_precompile_call call;
  for (auto _ : state) {
    if (memory.eval(loaded.call, 0x1000, 0x1040, &call) != ZKRV_PRECOMPILE_OK) {
      state.SkipWithError(call.error);
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_Sha256CompressCall, in_process, false);
BENCHMARK_CAPTURE(BM_Sha256CompressCall, sandboxed, true);

}  // namespace
}  // namespace zkrv::precompiles

BENCHMARK_MAIN();
