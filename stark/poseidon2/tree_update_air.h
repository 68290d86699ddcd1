// The tree-update table: proves that a sparse Merkle tree (sparse_tree.h) of root root_in becomes
// one of root root_out when some of its leaves change, without knowing what the leaves mean. One
// row per node on the union of the changed leaves' paths (columns in tree_update_columns.h); the
// row computes both compressions, old and new, with the Poseidon2 table's eval run twice on two
// blocks of its columns.
//
// Bus `bus`, tuples (node, side, d0..d7) with node = 2^level + index and side 0 for the old
// digest, 1 for the new one (one bus for both sides: the tuple cap is 16, and (level, index, old,
// new) would be 18). A real row
//   sends    (n, 0, old digest), (n, 1, new digest)                     multiplicity is_real
//   receives (2n, 0, old left), (2n, 1, new left)                       multiplicity left_touched
//   receives (2n + 1, 0, old right), (2n + 1, 1, new right)             multiplicity right_touched
// and an untouched child keeps its value (old = new, constrained). The verifier receives
// (1, 0, root_in) and (1, 1, root_out) from the table's public values (tree_root_boundary); the
// leaves, (2^depth + index, side, value), are sent by whatever table owns them, which must keep
// index < 2^depth itself. Rows have 1 <= n < 2^depth (bits above depth are zero, n has an
// inverse), so no row stands where a leaf does and leaves and rows never send the same node.
//
// Soundness (docs/proof-system.md, "The memory tree"): by level, top down. Node 1 is received
// once per side, by the verifier, so exactly one real row has n = 1, with digests root_in and
// root_out. A node m > 1 is received only by the rows at m / 2, at most one by induction, once per
// side when that row flags it; so at most one sender (a row or a leaf) has node m, and its old
// digest is the one the parent's compression took as input. With compress collision resistant,
// each sender's old digest is the old tree's node at m: a forged path or sibling would be a
// collision. compress is a truncated permutation, so it can be inverted with a free discarded
// half: walking down from a root that way ends at random leaves, which only the leaf owner's own
// constraints can refuse. Leaves are not hashed here, so the owner must give its leaves that
// redundancy (the memory tree's: 16-bit limbs, about 2^-120 per attempt). Hence no node and no leaf is sent twice (a leaf initialised twice, a duplicated row
// unbalance the bus), none is dropped (its parent's receive goes unmatched), every old leaf sent
// is the old tree's leaf, and, with the new side running through the same rows and the untouched
// children equal on both sides, root_out is the root of the old tree with exactly the sent leaves
// replaced by their new values.
#pragma once

#include <array>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "stark/air/machine.h"
#include "stark/air/witness.h"
#include "stark/poseidon2/poseidon2_air.h"
#include "stark/poseidon2/sparse_tree.h"
#include "stark/poseidon2/tree_update_columns.h"

namespace zkrv::stark::poseidon2 {

namespace internal {

// The Poseidon2 constraint names with "old hash: " or "new hash: " before them, so that the row
// checker says which permutation failed. Names outlive every builder.
const char* hash_constraint_name(const char* poseidon2_name, bool new_side);
const std::string& node_bit_name(size_t k);

// Runs an eval written for one Poseidon2 row on a block of a wider row: main column c is the
// row's column offset + c, and constraint names gain the block's prefix.
template <class B>
struct HashBlockBuilder {
  using Expr = typename B::Expr;
  B& inner;
  int offset;
  bool new_side;
  Expr main(int c) const { return inner.main(offset + c); }
  Expr constant(uint32_t v) const { return inner.constant(v); }
  void assert_zero(const char* name, const Expr& e) {
    // Only the row checker and the symbolic analysis (printing, the key's digest) read names: the
    // prover's quotient and the verifier's out-of-domain evaluation skip the lookup.
    if constexpr (std::is_same_v<B, air::ValueBuilder<PackedKoalaBear>> || std::is_same_v<B, air::ValueBuilder<air::Ext>>) {
      inner.assert_zero(name, e);
    } else {
      inner.assert_zero(hash_constraint_name(name, new_side), e);
    }
  }
};

}  // namespace internal

struct TreeUpdateTable {
  using Columns = TreeUpdateColumns;
  static constexpr int kNumPublicValues = 2 * static_cast<int>(kDigestWidth);  // root_in, root_out

  air::BusId bus = 0;
  int depth = kMaxTreeDepth;  // 1 .. kMaxTreeDepth; rows stand at levels 0 .. depth - 1

  air::TableInfo info() const;

  template <class B>
  void eval(B& b) const {
    using Expr = typename B::Expr;
    const Expr one = b.constant(1);
    const Expr is_real = b.main(Columns::kIsReal);
    const Expr left_touched = b.main(Columns::kLeftTouched);
    const Expr right_touched = b.main(Columns::kRightTouched);
    b.assert_bool("is_real is a bit", is_real);
    b.assert_bool("left_touched is a bit", left_touched);
    b.assert_bool("right_touched is a bit", right_touched);
    // A padding row receives nothing (its sends have multiplicity 0 already).
    b.assert_zero("only a real row has a touched child", (left_touched + right_touched) * (one - is_real));

    Expr node = b.constant(0);
    for (size_t k = 0; k < static_cast<size_t>(kMaxTreeDepth); ++k) {
      const Expr bit = b.main(Columns::node_bit(k));
      b.assert_bool(internal::node_bit_name(k).c_str(), bit);
      // A row at level depth or below would stand where a leaf does: its bits above depth are 0.
      if (k >= static_cast<size_t>(depth)) b.assert_zero("node is below 2^depth", bit);
      node = node + b.constant(1u << k) * bit;
    }
    b.assert_zero("a real row's node is not 0", is_real * (node * b.main(Columns::kNodeInverse) - one));

    for (const bool new_side : {false, true}) {
      internal::HashBlockBuilder<B> block{b, new_side ? Columns::kNewHashStart : Columns::kOldHashStart, new_side};
      Poseidon2Table{}.eval(block);
    }
    for (size_t i = 0; i < kDigestWidth; ++i) {
      b.assert_zero("an untouched left child keeps its value",
                    (one - left_touched) * (b.main(Columns::left(Columns::kOldHashStart, i)) -
                                            b.main(Columns::left(Columns::kNewHashStart, i))));
      b.assert_zero("an untouched right child keeps its value",
                    (one - right_touched) * (b.main(Columns::right(Columns::kOldHashStart, i)) -
                                             b.main(Columns::right(Columns::kNewHashStart, i))));
    }

    const Expr left_node = node + node;
    const Expr right_node = left_node + one;
    // Eight consecutive cells, the first at `first`: a digest.
    const auto digest_at = [&b](int first) {
      std::array<Expr, kDigestWidth> d;
      for (size_t i = 0; i < kDigestWidth; ++i) d[i] = b.main(first + static_cast<int>(i));
      return d;
    };
    for (const bool new_side : {false, true}) {
      const int hash = new_side ? Columns::kNewHashStart : Columns::kOldHashStart;
      const Expr side = b.constant(new_side ? 1 : 0);
      const auto own = digest_at(Columns::digest(hash, 0));
      const auto left = digest_at(Columns::left(hash, 0));
      const auto right = digest_at(Columns::right(hash, 0));
      b.send(bus, {node, side, own[0], own[1], own[2], own[3], own[4], own[5], own[6], own[7]}, is_real);
      b.receive(bus, {left_node, side, left[0], left[1], left[2], left[3], left[4], left[5], left[6], left[7]},
                left_touched);
      b.receive(bus, {right_node, side, right[0], right[1], right[2], right[3], right[4], right[5], right[6], right[7]},
                right_touched);
    }
  }
};

// The verifier's side of the root: receives (1, 0, root_in) and (1, 1, root_out), read from the
// public values of the machine's table `table` (a TreeUpdateTable). Nothing when that table's
// public values have the wrong size (the verifier refuses those before it gets here).
std::vector<air::BoundaryInteraction> tree_root_boundary(air::BusId bus, std::span<const std::vector<air::Fp>> public_values,
                                                         size_t table);

// The public values of a TreeUpdateTable: root_in then root_out.
std::vector<air::Fp> tree_update_public_values(const Digest& root_in, const Digest& root_out);

// One row per update (SparseTree::update's order), each row's digests computed from its children
// (NodeUpdate's old_digest / new_digest are not read), then padding rows (every flag 0, the
// permutations of zero) up to a power of two of at least 2^min_log_rows rows with `reserved_rows`
// rows left at the end for the prover. Throws AirError for a node outside the tree of `depth`.
air::TableWitness tree_update_witness(std::span<const NodeUpdate> updates, int depth, const Digest& root_in,
                                      const Digest& root_out, int min_log_rows = 1, size_t reserved_rows = 0);

}  // namespace zkrv::stark::poseidon2
