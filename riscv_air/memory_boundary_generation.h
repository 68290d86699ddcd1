// Witness generation for the memory-boundary table (memory_boundary_air.h) and the tree update it
// feeds: from the touched chunks of a segment (each chunk's words before and after, and its words'
// final timestamps) and the host memory tree of the segment's start.
#pragma once

#include <array>
#include <span>

#include "riscv_air/memory_boundary_air.h"
#include "riscv_air/memory_tree.h"
#include "stark/air/witness.h"

namespace zkrv::riscv_air {

// A chunk the segment touched: its leaf (memory_leaf, register_leaf or reservation_leaf), its
// words at the segment's start and end, and the timestamp of each word's final record (0 for a
// word the segment did not access: its final record is its initial one).
struct BoundaryChunk {
  uint64_t leaf = 0;
  ChunkWords old_words{}, new_words{};
  std::array<uint32_t, kChunkWords> final_ts{};
};

// The table's main trace: one row per chunk in leaf order, then padding (at least one row) up to a
// power of two with `reserved_rows` rows left at the end for the prover. Throws RefusedError for a
// chunk in no region, a chunk given twice, or a reservation chunk whose words 1..3 are not zero.
stark::Matrix<stark::air::Fp> memory_boundary_main(const MemoryBoundaryTable& table, std::span<const BoundaryChunk> chunks,
                                                   size_t reserved_rows = 0);

struct MemoryBoundaryWitness {
  stark::air::TableWitness boundary;     // the MemoryBoundaryTable's
  stark::air::TableWitness tree_update;  // the TreeUpdateTable's, with root_in and root_out public
  stark::poseidon2::Digest root_in{}, root_out{};
};

// Updates `tree` (the state at the segment's start, of the table's depth) with the chunks and
// returns both tables' witnesses. Throws RefusedError as memory_boundary_main does, or for a tree of
// another depth, and stark::poseidon2::TreeError when a chunk's old words are not the tree's
// (the tree is then unchanged).
MemoryBoundaryWitness memory_boundary_witness(const MemoryBoundaryTable& table, MemoryTree& tree,
                                              std::span<const BoundaryChunk> chunks, size_t reserved_rows = 0);

}  // namespace zkrv::riscv_air
