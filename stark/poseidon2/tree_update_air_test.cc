// The tree-update table on a tree of depth 5, with a small leaf table (this file) that sends the
// changed leaves: honest updates prove and verify; the negative catalogue (forged roots, a forged
// sibling, a forged path, a leaf sent twice or dropped, a row duplicated, a row at the leaf level)
// is named by the checker and rejected by the verifier; an under-constraint probe and a mutation
// sweep over every cell of the real rows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "stark/air/checker.h"
#include "stark/air/probe.h"
#include "stark/air/symbolic.h"
#include "stark/poseidon2/tree_update_air.h"
#include "stark/prover/prover.h"
#include "stark/testing/toy_cases.h"
#include "stark/verifier/verifier.h"

namespace zkrv::stark::poseidon2 {
namespace {

using ::testing::HasSubstr;
using Columns = TreeUpdateColumns;
using air::Fp;

constexpr air::BusId kTreeBus = 1;
constexpr int kDepth = 5;

// The owner of the leaves in this test: one row per changed leaf, sending (2^depth + index, 0,
// old) and (2^depth + index, 1, new). The index is committed as depth bits, so it stays inside
// the tree, as a real owner (the memory boundary) must ensure. A real owner must also range-check
// its leaves' limbs (tree_update_air.h: inverting compress yields random leaves); these tests
// forge only leaves that would pass such a check.
struct LeafTable {
  enum : int { kIsReal = 0, kIndexBits = 1, kOld = kIndexBits + kDepth, kNew = kOld + 8, kWidth = kNew + 8 };
  air::TableInfo info() const { return {"leaves", kWidth, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    using Expr = typename B::Expr;
    const Expr is_real = b.main(kIsReal);
    b.assert_bool("leaf is_real is a bit", is_real);
    Expr node = b.constant(1u << kDepth);
    for (int k = 0; k < kDepth; ++k) {
      b.assert_bool("leaf index bit", b.main(kIndexBits + k));
      node = node + b.constant(1u << k) * b.main(kIndexBits + k);
    }
    for (const int side : {0, 1}) {
      const int v = side == 0 ? kOld : kNew;
      b.send(kTreeBus,
             {node, b.constant(static_cast<uint32_t>(side)), b.main(v), b.main(v + 1), b.main(v + 2), b.main(v + 3),
              b.main(v + 4), b.main(v + 5), b.main(v + 6), b.main(v + 7)},
             is_real);
    }
  }
};

air::TableWitness leaf_witness(std::span<const LeafChange> changes, size_t rows) {
  air::TableWitness w;
  w.main = Matrix<Fp>(rows, LeafTable::kWidth);
  for (size_t r = 0; r < changes.size(); ++r) {
    w.main.at(r, LeafTable::kIsReal) = Fp::one();
    for (int k = 0; k < kDepth; ++k) w.main.at(r, LeafTable::kIndexBits + k) = Fp::from_u32((changes[r].index >> k) & 1);
    for (size_t i = 0; i < kDigestWidth; ++i) {
      w.main.at(r, LeafTable::kOld + static_cast<int>(i)) = changes[r].old_value[i];
      w.main.at(r, LeafTable::kNew + static_cast<int>(i)) = changes[r].new_value[i];
    }
  }
  return w;
}

air::Machine tree_machine() {
  air::BoundaryFunction boundary = [](std::span<const std::vector<Fp>> public_values) {
    return tree_root_boundary(kTreeBus, public_values, 0);
  };
  return air::Machine("tree-update-test", {air::make_table(TreeUpdateTable{kTreeBus, kDepth}), air::make_table(LeafTable{})},
                      {{kTreeBus, "tree"}}, boundary);
}

Digest random_leaf(std::mt19937& rng) {
  Digest d;
  for (KoalaBear& x : d) x = KoalaBear::from_u32(static_cast<uint32_t>(rng() & 0xFFFF));
  return d;
}

// An update of a tree of depth 5: neighbours 6 and 7, a default leaf 12, leaf 31 (the last).
struct Case {
  Digest root_in, root_out;
  std::vector<LeafChange> changes;
  std::vector<NodeUpdate> updates;
  std::vector<Leaf> old_leaves;
};

Case make_case() {
  std::mt19937 rng(11);
  Case c;
  for (uint64_t i = 0; i < 32; i += 2) c.old_leaves.push_back({i, random_leaf(rng)});
  c.old_leaves.push_back({7, random_leaf(rng)});
  c.old_leaves.push_back({31, random_leaf(rng)});
  SparseTree tree(kDepth, c.old_leaves);
  c.root_in = tree.root();
  for (const uint64_t i : {6u, 7u, 12u, 31u}) c.changes.push_back({i, tree.leaf(i), random_leaf(rng)});
  c.changes[2].old_value = tree.leaf(12);
  c.updates = tree.update(c.changes);
  c.root_out = tree.root();
  return c;
}

size_t reserved() { return testing::toy_reserved_rows(); }

std::vector<air::TableWitness> witnesses_for(const Case& c, std::span<const NodeUpdate> updates,
                                             std::span<const LeafChange> leaves) {
  std::vector<air::TableWitness> w;
  w.push_back(tree_update_witness(updates, kDepth, c.root_in, c.root_out, 6, reserved()));
  w.push_back(leaf_witness(leaves, w[0].main.rows()));
  return w;
}

air::MachineCheck check(const air::Machine& machine, const std::vector<air::TableWitness>& witnesses) {
  const std::vector<Matrix<Fp>> preprocessed(machine.num_tables());
  return air::check_machine(machine, preprocessed, witnesses, 16, reserved());
}

TEST(TreeUpdateAir, ShapeAndCellsPerTouchedNode) {
  const air::TableAnalysis analysis = air::analyze_table(TreeUpdateTable{kTreeBus, kDepth});
  EXPECT_EQ(analysis.info.main_width, 361);
  EXPECT_LE(analysis.max_degree, 3);
  EXPECT_TRUE(analysis.unused_main.empty());
  EXPECT_EQ(analysis.interactions.size(), 6u);
  const Case c = make_case();
  std::printf("tree update: %d cells per touched node; %zu nodes for %zu changed leaves at depth %d "
              "(%.1f cells per changed leaf here; at depth 29 a lone chunk costs 29 rows = %d cells)\n",
              analysis.info.main_width, c.updates.size(), c.changes.size(), kDepth,
              static_cast<double>(c.updates.size()) * analysis.info.main_width / static_cast<double>(c.changes.size()),
              29 * analysis.info.main_width);
}

TEST(TreeUpdateAir, HonestUpdateProvesAndVerifies) {
  const Case c = make_case();
  const air::Machine machine = tree_machine();
  const std::vector<air::TableWitness> honest = witnesses_for(c, c.updates, c.changes);
  const air::MachineCheck result = check(machine, honest);
  ASSERT_TRUE(result.ok()) << result.to_string(machine);

  const fri::FriParams params = testing::toy_fri_params();
  const prover::ProvingKey pk = prover::setup(params, machine);
  const prover::ProveResult proof = prover::prove(params, machine, pk, honest);
  EXPECT_NO_THROW(verifier::verify(params, machine, pk.vk, proof.proof));
}

// A forged witness: the checker's report contains `expected`, and the proof a malicious prover
// makes of it does not verify.
void expect_rejected(const std::vector<air::TableWitness>& witnesses, const std::string& expected) {
  const air::Machine machine = tree_machine();
  const air::MachineCheck result = check(machine, witnesses);
  ASSERT_FALSE(result.ok()) << expected;
  EXPECT_THAT(result.to_string(machine), HasSubstr(expected));
  const fri::FriParams params = testing::toy_fri_params();
  const prover::ProvingKey pk = prover::setup(params, machine);
  prover::ProveOptions malicious;
  malicious.check_witness = false;
  malicious.check_final_degree = false;
  const protocol::StarkProof proof = prover::prove(params, machine, pk, witnesses, malicious).proof;
  EXPECT_THROW(verifier::verify(params, machine, pk.vk, proof), verifier::VerifyError) << expected;
}

TEST(TreeUpdateAir, ForgedRootInOrRootOutIsRejected) {
  const Case c = make_case();
  for (const size_t side : {0u, 1u}) {
    std::vector<air::TableWitness> w = witnesses_for(c, c.updates, c.changes);
    w[0].public_values[side * kDigestWidth + 3] += Fp::one();
    expect_rejected(w, "(tree): tuple");
  }
}

TEST(TreeUpdateAir, ForgedSiblingIsNamedAndRejected) {
  const Case c = make_case();
  // The root's children are both on a path; a node lower down has an untouched sibling.
  size_t r = 0;
  while (c.updates[r].left_touched && c.updates[r].right_touched) ++r;
  std::vector<NodeUpdate> forged = c.updates;
  Digest& sibling = forged[r].left_touched ? forged[r].new_right : forged[r].new_left;
  sibling[0] += Fp::one();  // the new side sees another sibling than the old side
  expect_rejected(witnesses_for(c, forged, c.changes), "child keeps its value");
  // Flagging the sibling touched to escape the constraint asks the bus for a child nobody sends.
  std::vector<air::TableWitness> w = witnesses_for(c, forged, c.changes);
  w[0].main.at(r, forged[r].left_touched ? Columns::kRightTouched : Columns::kLeftTouched) = Fp::one();
  expect_rejected(w, "(tree): tuple");
}

TEST(TreeUpdateAir, ForgedPathIsRejected) {
  // The prover claims leaf 6 held something else: it recomputes every node above it from that
  // claim, so the old root it reaches is not root_in.
  Case c = make_case();
  std::vector<Leaf> lie = c.old_leaves;
  for (Leaf& l : lie) {
    if (l.index == 6) l.value[1] += Fp::one();
  }
  SparseTree tree(kDepth, lie);
  std::vector<LeafChange> changes = c.changes;
  changes[0].old_value = tree.leaf(6);
  const std::vector<NodeUpdate> updates = tree.update(changes);
  expect_rejected(witnesses_for(c, updates, changes), "(tree): tuple");
}

TEST(TreeUpdateAir, LeafSentTwiceOrDroppedIsRejected) {
  const Case c = make_case();
  std::vector<LeafChange> twice = c.changes;
  twice.push_back(c.changes[1]);  // chunk 7 initialised twice
  expect_rejected(witnesses_for(c, c.updates, twice), "(tree): tuple");
  std::vector<LeafChange> dropped = c.changes;
  dropped.erase(dropped.begin() + 2);
  expect_rejected(witnesses_for(c, c.updates, dropped), "(tree): tuple");
}

TEST(TreeUpdateAir, DuplicatedNodeRowIsRejected) {
  const Case c = make_case();
  for (const size_t r : {size_t{0}, c.updates.size() - 1}) {
    std::vector<NodeUpdate> updates = c.updates;
    updates.push_back(c.updates[r]);
    expect_rejected(witnesses_for(c, updates, c.changes), "(tree): tuple");
  }
}

TEST(TreeUpdateAir, NodeRowAtTheLeafLevelIsNamed) {
  // A row at node 2^5 + 6 would be a second sender of leaf 6 (and could stand in for the leaf
  // table's row): its bit 5 is refused.
  const Case c = make_case();
  std::vector<air::TableWitness> w = witnesses_for(c, c.updates, c.changes);
  const size_t r = c.updates.size();  // a padding row made real
  const uint64_t node = (uint64_t{1} << kDepth) + 6;
  w[0].main.at(r, Columns::kIsReal) = Fp::one();
  for (size_t k = 0; k < static_cast<size_t>(kMaxTreeDepth); ++k) {
    w[0].main.at(r, Columns::node_bit(k)) = Fp::from_u32(static_cast<uint32_t>((node >> k) & 1));
  }
  w[0].main.at(r, Columns::kNodeInverse) = Fp::from_u32(static_cast<uint32_t>(node)).inverse();
  expect_rejected(w, "node is below 2^depth");
  // Node 0 (whose left child would be itself) has no inverse.
  w = witnesses_for(c, c.updates, c.changes);
  w[0].main.at(r, Columns::kIsReal) = Fp::one();
  expect_rejected(w, "a real row's node is not 0");
}

TEST(TreeUpdateAir, CorruptedDigestCellIsNamed) {
  const Case c = make_case();
  const air::Machine machine = tree_machine();
  for (const bool new_side : {false, true}) {
    std::vector<air::TableWitness> w = witnesses_for(c, c.updates, c.changes);
    w[0].main.at(1, Columns::digest(new_side ? Columns::kNewHashStart : Columns::kOldHashStart, 2)) += Fp::one();
    const air::MachineCheck result = check(machine, w);
    ASSERT_FALSE(result.failures.empty());
    EXPECT_EQ(result.failures.front().constraint, new_side ? "new hash: full round 7[2]" : "old hash: full round 7[2]");
  }
}

// With the rest of a real row honest, its flags, node inverse and digests have exactly one value.
TEST(TreeUpdateAir, UnderConstraintProbeFindsOneValuePerCell) {
  const TreeUpdateTable table{kTreeBus, kDepth};
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  const Case c = make_case();
  const air::TableWitness witness = tree_update_witness(c.updates, kDepth, c.root_in, c.root_out);
  size_t r = 0;
  while (c.updates[r].left_touched && c.updates[r].right_touched) ++r;  // a row with an untouched child
  air::ProbeWindow window;
  window.local.assign(witness.main.row(r).begin(), witness.main.row(r).end());
  window.next.assign(witness.main.row(r + 1).begin(), witness.main.row(r + 1).end());
  const auto candidates = [&](int column) {
    std::vector<Fp> values;
    const Fp honest = window.local[column];
    for (uint32_t d = 0; d < 6; ++d) {
      values.push_back(honest + Fp::from_u32(d));
      values.push_back(honest - Fp::from_u32(d + 1));
      values.push_back(Fp::from_u32(d));
      values.push_back(-Fp::from_u32(d + 1));
    }
    std::sort(values.begin(), values.end(), [](Fp a, Fp b) { return a.to_u32() < b.to_u32(); });
    values.erase(std::unique(values.begin(), values.end()), values.end());  // the honest value once
    return values;
  };
  const int untouched_new = c.updates[r].left_touched ? Columns::right(Columns::kNewHashStart, 4)
                                                      : Columns::left(Columns::kNewHashStart, 4);
  for (const int column : {Columns::kNodeInverse, Columns::digest(Columns::kOldHashStart, 0),
                           Columns::digest(Columns::kNewHashStart, 7), Columns::node_bit(kDepth)}) {
    const auto results = air::probe_assignments(*erased, analysis, window, {{false, column, candidates(column)}});
    ASSERT_EQ(results.size(), 1u) << "column " << column;
    EXPECT_EQ(results[0].local[column], window.local[column]);
  }
  // The untouched child's new value cannot move, whatever its flag says (a flag set to 1 is a
  // receive nobody answers: the bus's business, not this row's).
  const int flag = c.updates[r].left_touched ? Columns::kRightTouched : Columns::kLeftTouched;
  const auto results = air::probe_assignments(*erased, analysis, window,
                                              {{false, untouched_new, candidates(untouched_new)},
                                               {false, flag, {Fp::zero(), Fp::one(), Fp::from_u32(2)}}});
  ASSERT_FALSE(results.empty());
  for (const air::ProbeResult& result : results) {
    EXPECT_EQ(result.local[untouched_new], window.local[untouched_new]);
  }
}

TEST(TreeUpdateAir, WitnessRefusesANodeOutsideTheInnerNodes) {
  std::vector<NodeUpdate> updates(1);
  updates[0].level = kDepth;  // a leaf's level
  EXPECT_THAT([&] { tree_update_witness(updates, kDepth, Digest{}, Digest{}); },
              ::testing::ThrowsMessage<air::AirError>(HasSubstr("update 0 names node (level 5, index 0)")));
  updates[0].level = 2;
  updates[0].index = 4;
  EXPECT_THAT([&] { tree_update_witness(updates, kDepth, Digest{}, Digest{}); },
              ::testing::ThrowsMessage<air::AirError>(HasSubstr("(level 2, index 4), outside the inner nodes")));
}

// An update that changes nothing has no rows: the verifier's root messages stay unmatched.
TEST(TreeUpdateAir, EmptyUpdateCannotBalanceTheRoot) {
  const Case c = make_case();
  const std::vector<air::TableWitness> w = witnesses_for(c, {}, {});
  const air::MachineCheck result = check(tree_machine(), w);
  EXPECT_THAT(result.to_string(tree_machine()), HasSubstr("boundary receives"));
}

// Every cell of every real row (both tables) changed in turn: no mutant satisfies all
// constraints and buses, so none of them is a don't-care.
TEST(TreeUpdateAir, MutationOfAnyRealCellIsCaught) {
  const Case c = make_case();
  const air::Machine machine = tree_machine();
  const std::vector<air::TableWitness> honest = witnesses_for(c, c.updates, c.changes);
  size_t mutants = 0, survivors = 0;
  for (size_t t = 0; t < honest.size(); ++t) {
    const size_t real_rows = t == 0 ? c.updates.size() : c.changes.size();
    for (size_t r = 0; r < real_rows; ++r) {
      for (size_t col = 0; col < honest[t].main.width(); ++col) {
        std::vector<air::TableWitness> w = honest;
        w[t].main.at(r, col) += Fp::one();
        ++mutants;
        if (check(machine, w).ok()) {
          ++survivors;
          ADD_FAILURE() << "table " << t << " row " << r << " column " << col << " survives";
        }
      }
    }
  }
  std::printf("tree update mutation: %zu mutants, %zu survive\n", mutants, survivors);
}

}  // namespace
}  // namespace zkrv::stark::poseidon2
