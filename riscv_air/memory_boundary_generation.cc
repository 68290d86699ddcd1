#include "riscv_air/memory_boundary_generation.h"

#include <algorithm>
#include <bit>
#include <vector>

#include <fmt/format.h>

#include "stark/poseidon2/tree_update_air.h"

namespace zkrv::riscv_air {

namespace {

using stark::air::Fp;

Fp fp(uint64_t v) { return Fp::from_u32(static_cast<uint32_t>(v)); }

// Splits v < 2^29 into (v mod 2^16, v / 2^16), as the table's e, f and g limbs.
void put_limbs(std::span<Fp> row, int lo, int hi, uint64_t v) {
  row[static_cast<size_t>(lo)] = fp(v & 0xFFFF);
  row[static_cast<size_t>(hi)] = fp(v >> 16);
}

}  // namespace

stark::Matrix<Fp> memory_boundary_main(const MemoryBoundaryTable& table, std::span<const BoundaryChunk> chunks,
                                       size_t reserved_rows) {
  const MemoryBoundaryCols c = make_columns<MemoryBoundaryCols>();
  std::vector<const BoundaryChunk*> sorted;
  for (const BoundaryChunk& chunk : chunks) sorted.push_back(&chunk);
  std::sort(sorted.begin(), sorted.end(), [](const BoundaryChunk* a, const BoundaryChunk* b) { return a->leaf < b->leaf; });
  const size_t rows = std::max<size_t>(2, std::bit_ceil(sorted.size() + 1 + reserved_rows));
  const auto width = static_cast<size_t>(table.info().main_width);
  stark::Matrix<Fp> m(rows, width);
  for (size_t r = 0; r < sorted.size(); ++r) {
    const BoundaryChunk& chunk = *sorted[r];
    if (r + 1 < sorted.size() && sorted[r + 1]->leaf == chunk.leaf) {
      throw RefusedError(fmt::format("memory boundary: leaf {} is given twice", chunk.leaf));
    }
    const size_t k = table.region_of(chunk.leaf);
    if (k == table.regions.size()) {
      throw RefusedError(fmt::format("memory boundary: leaf {} (byte address {:#x} if memory) lies in no mapped range, "
                                     "nor the registers or the reservation",
                                     chunk.leaf, chunk.leaf * kChunkBytes));
    }
    const BoundaryRegion& region = table.regions[k];
    for (uint32_t w = region.words; w < kChunkWords; ++w) {
      if (chunk.old_words[w] != 0 || chunk.new_words[w] != 0 || chunk.final_ts[w] != 0) {
        throw RefusedError(fmt::format("memory boundary: word {} of leaf {} is outside its region's {} words but "
                                       "not zero",
                                       w, chunk.leaf, region.words));
      }
    }
    std::span<Fp> row(&m.at(r, 0), width);
    row[static_cast<size_t>(c.is_real)] = Fp::one();
    row[static_cast<size_t>(c.leaf)] = fp(chunk.leaf);
    put_limbs(row, c.e0, c.e1, chunk.leaf - region.begin);
    put_limbs(row, c.f0, c.f1, region.end - 1 - chunk.leaf);
    if (r + 1 < sorted.size()) put_limbs(row, c.g0, c.g1, sorted[r + 1]->leaf - chunk.leaf - 1);
    for (uint32_t w = 0; w < kChunkWords; ++w) {
      put_limbs(row, c.old_limbs[2 * w], c.old_limbs[2 * w + 1], chunk.old_words[w]);
      put_limbs(row, c.new_limbs[2 * w], c.new_limbs[2 * w + 1], chunk.new_words[w]);
      row[static_cast<size_t>(c.final_ts[w])] = fp(chunk.final_ts[w]);
    }
    row[static_cast<size_t>(table.selector(k))] = Fp::one();
  }
  return m;
}

MemoryBoundaryWitness memory_boundary_witness(const MemoryBoundaryTable& table, MemoryTree& tree,
                                              std::span<const BoundaryChunk> chunks, size_t reserved_rows) {
  if (tree.depth() != table.depth) {
    throw RefusedError(fmt::format("memory boundary: the tree has depth {}, the table {}", tree.depth(), table.depth));
  }
  MemoryBoundaryWitness out;
  out.boundary.main = memory_boundary_main(table, chunks, reserved_rows);  // refuses before the tree changes
  std::vector<ChunkChange> changes;
  for (const BoundaryChunk& chunk : chunks) changes.push_back({chunk.leaf, chunk.old_words, chunk.new_words});
  out.root_in = tree.root();
  const std::vector<stark::poseidon2::NodeUpdate> updates = tree.update(changes);
  out.root_out = tree.root();
  out.tree_update = stark::poseidon2::tree_update_witness(updates, table.depth, out.root_in, out.root_out, 1, reserved_rows);
  return out;
}

}  // namespace zkrv::riscv_air
