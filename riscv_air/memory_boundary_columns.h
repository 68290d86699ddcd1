// The columns of the memory-boundary table (memory_boundary_air.h): one row per touched 16-byte
// chunk of the memory tree, with the chunk's leaf index, the limbs that prove which region of the
// tree it lies in and that leaves strictly increase, its 8 old and 8 new limbs (the leaf before
// and after the segment) and each word's final timestamp. The region selectors, one per region of
// the table, follow these columns (MemoryBoundaryTable::selector).
#pragma once

#include "riscv_air/columns.h"
#include "riscv_air/memory_tree.h"

namespace zkrv::riscv_air {

inline constexpr int kChunkLimbs = 2 * static_cast<int>(kChunkWords);  // (lo16, hi16) per word

struct MemoryBoundaryCols {
  int is_real;
  int leaf;    // the chunk's leaf index in the memory tree (memory_tree.h's layout)
  int e0, e1;  // leaf - begin = e0 + 2^16 e1, with e0 and 8 e1 16-bit (begin of the selected region)
  int f0, f1;  // end - 1 - leaf = f0 + 2^16 f1, likewise
  int g0, g1;  // next.leaf - leaf - 1 = g0 + 2^16 g1, likewise (zero unless the next row is real)
  int old_limbs[kChunkLimbs];  // the leaf before: lo16, hi16 of each word, in word order
  int new_limbs[kChunkLimbs];  // the leaf after
  int final_ts[kChunkWords];   // each word's final record's timestamp (0 for a word not accessed)
};

}  // namespace zkrv::riscv_air
