// A sparse Merkle tree of fixed depth over 8-element leaves, its nodes compressed with Poseidon2
// (compress, the 2-to-1 TruncatedPermutation), and the witness of an update that the tree-update
// table (tree_update_air.h) proves: every node on the paths of the changed leaves, with the old and
// new values of both its children.
//
// Positions: level 0 is the root, level `depth` the leaves; the node at (level, index) has the
// children (level + 1, 2 index) and (level + 1, 2 index + 1). A leaf's digest is the leaf itself
// (no hash): the depth is fixed, so a leaf can only ever stand at level `depth`, and a position
// binds what is there. An all-zero leaf is the default; a subtree of default leaves has the
// default digest of its level, precomputed once, so only the paths of non-default leaves are
// stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "stark/poseidon2/poseidon2.h"

namespace zkrv::stark::poseidon2 {

// The deepest tree: leaf positions 2^depth + index stay below 2^30 < p, so the tree-update table
// can name a node by one field element (tree_update_columns.h).
inline constexpr int kMaxTreeDepth = 29;

// A bad depth, a leaf index outside the tree, an update whose old leaf is not the tree's, a leaf
// changed twice in one update. The message names the leaf and the values.
class TreeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Leaf {
  uint64_t index = 0;
  Digest value{};
};

struct LeafChange {
  uint64_t index = 0;
  Digest old_value{};
  Digest new_value{};
};

// One inner node on the union of the changed leaves' paths: its children before and after the
// update, and its own digests (compress of each pair). A child off every path is untouched: its
// old and new values are equal.
struct NodeUpdate {
  int level = 0;  // 0 (root) .. depth - 1
  uint64_t index = 0;
  bool left_touched = false, right_touched = false;
  Digest old_left{}, old_right{}, new_left{}, new_right{};
  Digest old_digest{}, new_digest{};
};

class SparseTree {
 public:
  // An all-default tree. Throws TreeError unless 1 <= depth <= kMaxTreeDepth.
  explicit SparseTree(int depth);
  // The tree holding `leaves` (any order; default leaves may be left out), the rest default.
  // Throws TreeError for an index outside the tree or an index given twice.
  SparseTree(int depth, std::span<const Leaf> leaves);

  int depth() const { return depth_; }
  Digest root() const;
  Digest leaf(uint64_t index) const;
  // The digest of the node at (level, index), default or not.
  Digest node(int level, uint64_t index) const;
  // The digest of a subtree of default leaves whose root is at `level`.
  const Digest& default_digest(int level) const { return defaults_.at(static_cast<size_t>(level)); }
  // Stored (non-default or on a non-default path) nodes, over all levels.
  size_t stored_nodes() const;

  // Applies the changes and returns one NodeUpdate per node on the union of their paths, root
  // first, then level by level in index order. Throws TreeError (and changes nothing) when an
  // index is outside the tree or changed twice, or a change's old value is not the leaf's.
  std::vector<NodeUpdate> update(std::span<const LeafChange> changes);

 private:
  using Level = std::vector<std::pair<uint64_t, Digest>>;  // sorted by index

  void check_index(uint64_t index, const char* what) const;
  const Digest* find(int level, uint64_t index) const;

  int depth_ = 0;
  std::vector<Digest> defaults_;  // per level 0..depth
  std::vector<Level> levels_;     // per level 0..depth: the non-default-path nodes
};

}  // namespace zkrv::stark::poseidon2
