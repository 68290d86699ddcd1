#include "riscv_air/memory_boundary_air.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "stark/poseidon2/sparse_tree.h"

namespace zkrv::riscv_air {

namespace {

// Word ranges [begin, end) of one space.
struct WordRun {
  uint32_t space = 0;
  uint64_t begin = 0, end = 0;
};

}  // namespace

std::vector<ChunkRange> mapped_chunk_ranges(const ProgramImage& program) {
  std::vector<WordRun> runs;
  for (const ImageWord& word : program.image) {
    if (word.space != kMemorySpace && word.space != kReadOnlySpace) continue;
    if (!runs.empty() && runs.back().space == word.space && runs.back().end == word.addr) {
      runs.back().end = uint64_t{word.addr} + 1;
    } else {
      runs.push_back({word.space, word.addr, uint64_t{word.addr} + 1});
    }
  }
  for (const ZeroRange& zero : program.zero_ranges) runs.push_back({zero.space, zero.begin, zero.end});
  std::sort(runs.begin(), runs.end(), [](const WordRun& a, const WordRun& b) { return a.begin < b.begin; });
  std::vector<WordRun> merged;
  for (const WordRun& run : runs) {
    if (!merged.empty() && merged.back().space == run.space && merged.back().end == run.begin) {
      merged.back().end = run.end;
    } else {
      merged.push_back(run);
    }
  }
  std::vector<ChunkRange> chunks;
  for (const WordRun& run : merged) {
    if (run.begin % kChunkWords != 0 || run.end % kChunkWords != 0) {
      throw RefusedError(fmt::format("memory boundary: the mapped bytes [{:#x}, {:#x}) of space {} are not whole "
                                     "16-byte chunks",
                                     run.begin * 4, run.end * 4, run.space));
    }
    chunks.push_back({run.space, static_cast<uint32_t>(run.begin / kChunkWords),
                      static_cast<uint32_t>(run.end / kChunkWords)});
  }
  return chunks;
}

MemoryBoundaryTable make_memory_boundary_table(const MemoryBoundaryBuses& buses, std::span<const ChunkRange> mapped,
                                               int depth, bool with_tapes) {
  if (depth < 2 || depth > stark::poseidon2::kMaxTreeDepth) {
    throw RefusedError(fmt::format("memory boundary: depth {} is outside [2, {}]", depth,
                                   stark::poseidon2::kMaxTreeDepth));
  }
  if (mapped.size() > kMaxMappedChunkRanges) {
    throw RefusedError(fmt::format("memory boundary: {} mapped ranges, more than {}", mapped.size(),
                                   kMaxMappedChunkRanges));
  }
  const uint64_t memory_end = uint64_t{1} << (depth - 1);
  MemoryBoundaryTable table;
  table.buses = buses;
  table.depth = depth;
  for (size_t k = 0; k < mapped.size(); ++k) {
    const ChunkRange& r = mapped[k];
    const uint32_t previous_end = k == 0 ? 0 : mapped[k - 1].end;
    if (r.space != kMemorySpace && r.space != kReadOnlySpace) {
      throw RefusedError(fmt::format("memory boundary: mapped range {} has space {}, not {} or {}", k, r.space,
                                     kMemorySpace, kReadOnlySpace));
    }
    if (r.begin >= r.end || r.begin < previous_end || r.end > memory_end) {
      throw RefusedError(fmt::format("memory boundary: mapped range {} (chunks [{}, {})) is empty, out of order or "
                                     "past the memory of a tree of depth {}",
                                     k, r.begin, r.end, depth));
    }
    table.regions.push_back({r.space, r.begin, r.end, 0, kChunkWords});
  }
  const auto registers = static_cast<uint32_t>(register_leaf(depth, 0));
  const auto reservation = static_cast<uint32_t>(reservation_leaf(depth));
  table.regions.push_back({kRegisterSpace, registers, reservation, registers, kChunkWords});
  // Word 0 of the reservation chunk is register 32: base registers gives 4 (leaf - base) = 32.
  table.regions.push_back({kRegisterSpace, reservation, reservation + 1, registers, 1});
  table.mapped_regions = mapped.size();
  if (with_tapes) {
    for (const uint32_t space : {kPublicInputSpace, kPrivateInputSpace, kOutputSpace}) {
      const auto first = static_cast<uint32_t>(tape_leaf(depth, space, 0));
      // The private input's last chunk is the salt: outside the region, so no row can take it.
      const auto end = static_cast<uint32_t>(first + tape_usable_chunks(depth, space));
      table.regions.push_back({space, first, end, first, kChunkWords});
    }
  }
  return table;
}

size_t MemoryBoundaryTable::region_of(uint64_t leaf) const {
  for (size_t k = 0; k < regions.size(); ++k) {
    if (regions[k].begin <= leaf && leaf < regions[k].end) return k;
  }
  return regions.size();
}

stark::air::TableInfo MemoryBoundaryTable::info() const {
  std::vector<std::string> names = {"is_real", "leaf", "e0", "e1", "f0", "f1", "g0", "g1"};
  for (int i = 0; i < kChunkLimbs; ++i) names.push_back(fmt::format("old_limb{}", i));
  for (int i = 0; i < kChunkLimbs; ++i) names.push_back(fmt::format("new_limb{}", i));
  for (uint32_t w = 0; w < kChunkWords; ++w) names.push_back(fmt::format("final_ts{}", w));
  for (size_t k = 0; k < mapped_regions; ++k) names.push_back(fmt::format("mapped{}", k));
  names.push_back("registers");
  names.push_back("reservation");
  if (has_tape_regions()) {
    names.push_back("public_input");
    names.push_back("private_input");
    names.push_back("output");
  }
  return {"memory_boundary", selector(regions.size()), 0, 0, std::move(names), {}};
}

}  // namespace zkrv::riscv_air
