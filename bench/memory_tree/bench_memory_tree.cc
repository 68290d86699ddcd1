// The memory tree's host side, one thread, depth 29: the root of a state whose memory is N MiB of
// non-zero pages (every chunk a leaf: the worst case for its size), and the update witness for
// 4096 changed chunks, scattered (one per page, 4096 paths that share only their top levels) or
// contiguous (64 KiB: the paths merge after 12 levels).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "riscv_air/memory_tree.h"

namespace zkrv::riscv_air {
namespace {

constexpr uint32_t kFirstPage = 0x10;  // memory from 64 KiB up

std::vector<std::array<uint8_t, kStatePageBytes>> random_pages(size_t count) {
  std::mt19937 rng(42);
  std::vector<std::array<uint8_t, kStatePageBytes>> pages(count);
  for (auto& page : pages) {
    for (uint8_t& b : page) b = static_cast<uint8_t>(rng() | 1);
  }
  return pages;
}

MemoryTree tree_of(const std::vector<std::array<uint8_t, kStatePageBytes>>& bytes) {
  std::vector<StatePage> pages;
  for (size_t p = 0; p < bytes.size(); ++p) pages.push_back({kFirstPage + static_cast<uint32_t>(p), bytes[p]});
  return MemoryTree::from_state(ProgramImage{}, pages, {}, 0);
}

void BM_MemoryTreeRoot(benchmark::State& state) {
  const size_t mib = static_cast<size_t>(state.range(0));
  const auto bytes = random_pages(mib * 256);
  size_t nodes = 0;
  for (auto _ : state) {
    const MemoryTree tree = tree_of(bytes);
    benchmark::DoNotOptimize(tree.root());
    nodes = tree.tree().stored_nodes();
  }
  state.counters["MiB/s"] = benchmark::Counter(static_cast<double>(state.iterations() * mib), benchmark::Counter::kIsRate);
  state.counters["stored_nodes"] = static_cast<double>(nodes);
}
BENCHMARK(BM_MemoryTreeRoot)->Arg(1)->Arg(4)->Arg(16)->Unit(benchmark::kMillisecond);

void BM_MemoryTreeUpdate(benchmark::State& state) {
  const bool scattered = state.range(0) != 0;
  constexpr size_t kChanges = 4096;
  const auto bytes = random_pages(scattered ? kChanges : 16);
  const MemoryTree base = tree_of(bytes);
  std::vector<ChunkChange> changes(kChanges);
  for (size_t k = 0; k < kChanges; ++k) {
    const uint64_t chunk = scattered ? (kFirstPage + k) * (kStatePageBytes / kChunkBytes) : kFirstPage * 256 + k;
    ChunkChange& c = changes[k];
    c.leaf = memory_leaf(kMemoryTreeDepth, chunk);
    const size_t at = (chunk - kFirstPage * 256) * kChunkBytes;
    for (uint32_t w = 0; w < kChunkWords; ++w) {
      const uint8_t* b = bytes[at / kStatePageBytes].data() + at % kStatePageBytes + 4 * w;
      c.old_words[w] = uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
      c.new_words[w] = c.old_words[w] + 1;
    }
  }
  size_t witness_rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    MemoryTree tree = base;
    state.ResumeTiming();
    const auto updates = tree.update(changes);
    witness_rows = updates.size();
    benchmark::DoNotOptimize(updates.data());
  }
  state.counters["chunks/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kChanges), benchmark::Counter::kIsRate);
  state.counters["rows"] = static_cast<double>(witness_rows);
  state.counters["rows/chunk"] = static_cast<double>(witness_rows) / kChanges;
}
BENCHMARK(BM_MemoryTreeUpdate)->ArgName("scattered")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace zkrv::riscv_air

BENCHMARK_MAIN();
