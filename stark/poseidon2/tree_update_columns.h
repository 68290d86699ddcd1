// Column layout of the tree-update table (tree_update_air.h): one row per node on the union of the
// paths of an update's changed leaves. The node is named by its heap number n = 2^level + index
// (the root is 1, the children of n are 2n and 2n + 1), committed as kMaxTreeDepth bits so that
// n < 2^depth is a constraint, not a promise; then the two child flags and two Poseidon2
// permutations: the old children's (inputs old_left || old_right, output's first 8 = old digest)
// and the new children's.
#pragma once

#include <cstddef>

#include "stark/poseidon2/poseidon2_columns.h"
#include "stark/poseidon2/sparse_tree.h"

namespace zkrv::stark::poseidon2 {

struct TreeUpdateColumns {
  static constexpr int kIsReal = 0;
  static constexpr int kNodeBitsStart = 1;  // bit k of n, k = 0 .. kMaxTreeDepth - 1
  static constexpr int kNodeInverse = kNodeBitsStart + kMaxTreeDepth;  // 1 / n: n is not 0
  static constexpr int kLeftTouched = kNodeInverse + 1;
  static constexpr int kRightTouched = kLeftTouched + 1;
  static constexpr int kOldHashStart = kRightTouched + 1;  // a Poseidon2Columns block
  static constexpr int kNewHashStart = kOldHashStart + Poseidon2Columns::kNumColumns;
  static constexpr int kNumColumns = kNewHashStart + Poseidon2Columns::kNumColumns;

  static constexpr int node_bit(size_t k) { return kNodeBitsStart + static_cast<int>(k); }
  // Element i (0..7) of a child's digest, and of the node's own digest, in the old or new block.
  static constexpr int left(int hash_start, size_t i) { return hash_start + Poseidon2Columns::input(i); }
  static constexpr int right(int hash_start, size_t i) { return hash_start + Poseidon2Columns::input(kDigestWidth + i); }
  static constexpr int digest(int hash_start, size_t i) { return hash_start + Poseidon2Columns::output(i); }
};

// 33 cells of node and flags, 2 x 164 of permutations.
static_assert(TreeUpdateColumns::kNumColumns == 361);

}  // namespace zkrv::stark::poseidon2
