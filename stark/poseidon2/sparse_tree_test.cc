// The sparse tree against a dense tree built naively (every node of a small depth compressed one
// by one), its update witness against the dense trees before and after, and its refusals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "stark/poseidon2/sparse_tree.h"

namespace zkrv::stark::poseidon2 {
namespace {

using ::testing::HasSubstr;

// levels[l][i]: the digest of node (l, i) of a tree whose leaves are `leaves` (2^depth of them).
std::vector<std::vector<Digest>> dense_tree(int depth, const std::vector<Digest>& leaves) {
  std::vector<std::vector<Digest>> levels(static_cast<size_t>(depth) + 1);
  levels[depth] = leaves;
  for (int l = depth - 1; l >= 0; --l) {
    levels[l].resize(size_t{1} << l);
    for (size_t i = 0; i < levels[l].size(); ++i) levels[l][i] = compress(levels[l + 1][2 * i], levels[l + 1][2 * i + 1]);
  }
  return levels;
}

Digest random_digest(std::mt19937& rng) {
  Digest d;
  for (KoalaBear& x : d) x = KoalaBear::from_u32(static_cast<uint32_t>(rng() & 0xFFFF));
  return d;
}

TEST(SparseTree, EmptyTreeIsTheDefaultDigests) {
  const SparseTree tree(5);
  const auto dense = dense_tree(5, std::vector<Digest>(32));
  EXPECT_EQ(tree.root(), dense[0][0]);
  for (int l = 0; l <= 5; ++l) EXPECT_EQ(tree.default_digest(l), dense[l][0]) << "level " << l;
  EXPECT_EQ(tree.stored_nodes(), 0u);
}

TEST(SparseTree, RootAndNodesMatchADenseTree) {
  std::mt19937 rng(7);
  for (int depth : {1, 2, 6}) {
    const size_t n = size_t{1} << depth;
    std::vector<Digest> leaves(n);
    std::vector<Leaf> given;
    for (size_t i = 0; i < n; ++i) {
      if (rng() % 3 == 0) continue;  // about a third stays default
      leaves[i] = random_digest(rng);
      given.push_back({i, leaves[i]});
    }
    std::shuffle(given.begin(), given.end(), rng);
    const SparseTree tree(depth, given);
    const auto dense = dense_tree(depth, leaves);
    EXPECT_EQ(tree.root(), dense[0][0]) << "depth " << depth;
    for (int l = 0; l <= depth; ++l) {
      for (size_t i = 0; i < dense[l].size(); ++i) ASSERT_EQ(tree.node(l, i), dense[l][i]) << l << " " << i;
    }
  }
}

TEST(SparseTree, UpdateWitnessHoldsTheUnionOfPathsAndTheNewRoot) {
  std::mt19937 rng(8);
  const int depth = 6;
  std::vector<Digest> leaves(64);
  std::vector<Leaf> given;
  for (size_t i = 0; i < 64; i += 3) {
    leaves[i] = random_digest(rng);
    given.push_back({i, leaves[i]});
  }
  SparseTree tree(depth, given);
  const auto before = dense_tree(depth, leaves);
  // Neighbours (10, 11), a default leaf made non-default (13), one made default again (63).
  std::vector<LeafChange> changes = {{10, leaves[10], random_digest(rng)}, {11, leaves[11], random_digest(rng)},
                                     {13, leaves[13], random_digest(rng)}, {63, leaves[63], Digest{}}};
  for (const LeafChange& c : changes) leaves[c.index] = c.new_value;
  const auto after = dense_tree(depth, leaves);

  const std::vector<NodeUpdate> updates = tree.update(changes);
  EXPECT_EQ(tree.root(), after[0][0]);
  ASSERT_FALSE(updates.empty());
  EXPECT_EQ(updates.front().level, 0);
  EXPECT_EQ(updates.front().old_digest, before[0][0]);
  EXPECT_EQ(updates.front().new_digest, after[0][0]);
  // The union of the paths of 10, 11, 13, 63: each node once, children as the dense trees hold them.
  // count[l][i]: how many changed leaves lie under node (l, i); level `depth` counts the leaves.
  size_t expected = 0;
  std::vector<std::vector<int>> count(depth + 1);
  for (int l = 0; l <= depth; ++l) count[l].assign(size_t{1} << l, 0);
  for (const LeafChange& c : changes) {
    ++count[depth][c.index];
    for (int l = depth - 1; l >= 0; --l) {
      if (count[l][c.index >> (depth - l)]++ == 0) ++expected;
    }
  }
  EXPECT_EQ(updates.size(), expected);
  int last_level = 0;
  for (const NodeUpdate& u : updates) {
    EXPECT_GE(u.level, last_level);  // root first, then level by level
    last_level = u.level;
    EXPECT_GT(count[u.level][u.index], 0) << u.level << " " << u.index;
    const size_t l = static_cast<size_t>(u.level) + 1;
    EXPECT_EQ(u.old_left, before[l][2 * u.index]);
    EXPECT_EQ(u.old_right, before[l][2 * u.index + 1]);
    EXPECT_EQ(u.new_left, after[l][2 * u.index]);
    EXPECT_EQ(u.new_right, after[l][2 * u.index + 1]);
    EXPECT_EQ(u.old_digest, before[u.level][u.index]);
    EXPECT_EQ(u.new_digest, after[u.level][u.index]);
    EXPECT_EQ(u.left_touched, count[l][2 * u.index] > 0);
    EXPECT_EQ(u.right_touched, count[l][2 * u.index + 1] > 0);
    if (!u.left_touched) {
      EXPECT_EQ(u.old_left, u.new_left);
    }
    if (!u.right_touched) {
      EXPECT_EQ(u.old_right, u.new_right);
    }
  }
  // A second update starts from the first one's tree.
  const std::vector<LeafChange> again = {{11, leaves[11], random_digest(rng)}};
  leaves[11] = again[0].new_value;
  const std::vector<NodeUpdate> second = tree.update(again);
  EXPECT_EQ(second.size(), static_cast<size_t>(depth));
  EXPECT_EQ(tree.root(), dense_tree(depth, leaves)[0][0]);
}

TEST(SparseTree, RefusesBadDepthsIndicesAndUpdates) {
  EXPECT_THAT([] { SparseTree(0); }, ::testing::ThrowsMessage<TreeError>(HasSubstr("depth 0 is outside [1, 29]")));
  EXPECT_THAT([] { SparseTree(30); }, ::testing::ThrowsMessage<TreeError>(HasSubstr("depth 30")));
  const std::vector<Leaf> outside = {{16, Digest{}}};
  EXPECT_THAT([&] { SparseTree(4, outside); },
              ::testing::ThrowsMessage<TreeError>(HasSubstr("leaf index 16 is outside a tree of 16 leaves")));
  Digest one{};
  one[0] = KoalaBear::one();
  const std::vector<Leaf> twice = {{3, one}, {3, one}};
  EXPECT_THAT([&] { SparseTree(4, twice); }, ::testing::ThrowsMessage<TreeError>(HasSubstr("leaf 3 is given twice")));

  SparseTree tree(4, std::vector<Leaf>{{5, one}});
  const Digest root = tree.root();
  const std::vector<LeafChange> wrong_old = {{5, Digest{}, one}};
  EXPECT_THAT([&] { tree.update(wrong_old); },
              ::testing::ThrowsMessage<TreeError>(HasSubstr("leaf 5 holds [1, 0, 0, 0, 0, 0, 0, 0], not the change's old value")));
  const std::vector<LeafChange> changed_twice = {{6, Digest{}, one}, {6, Digest{}, one}};
  EXPECT_THAT([&] { tree.update(changed_twice); },
              ::testing::ThrowsMessage<TreeError>(HasSubstr("leaf 6 is changed twice")));
  const std::vector<LeafChange> out_of_tree = {{1, Digest{}, one}, {99, Digest{}, one}};
  EXPECT_THAT([&] { tree.update(out_of_tree); },
              ::testing::ThrowsMessage<TreeError>(HasSubstr("changed leaf index 99")));
  EXPECT_EQ(tree.root(), root);  // a refused update changes nothing
  EXPECT_EQ(tree.leaf(1), Digest{});
}

}  // namespace
}  // namespace zkrv::stark::poseidon2
