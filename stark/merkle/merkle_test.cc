#include "stark/merkle/merkle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <random>
#include <vector>

namespace zkrv::stark {
namespace {

using ::testing::HasSubstr;

std::vector<uint32_t> random_words(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint32_t> words(n);
  for (auto& w : words) w = rng();
  return words;
}

// The cap computed the obvious way, recursively, for comparison.
template <Hasher H>
MerkleCap reference_cap(const std::vector<std::vector<uint32_t>>& rows, size_t cap_height) {
  std::vector<Digest> layer;
  for (const auto& row : rows) layer.push_back(hash_row<H>(row));
  while (layer.size() > (size_t{1} << cap_height)) {
    std::vector<Digest> up;
    for (size_t i = 0; i < layer.size(); i += 2) up.push_back(H::hash_node(layer[i], layer[i + 1]));
    layer = up;
  }
  return layer;
}

template <Hasher H>
std::vector<std::vector<uint32_t>> opened_rows(const MerkleTree<H>& tree, std::span<const size_t> indices) {
  std::vector<std::vector<uint32_t>> rows;
  for (size_t i : indices) rows.push_back(tree.leaf_words(i));
  return rows;
}

template <typename H>
class MerkleTest : public ::testing::Test {};
using Hashers = ::testing::Types<Blake2sHasher, Sha256Hasher>;
TYPED_TEST_SUITE(MerkleTest, Hashers);

TYPED_TEST(MerkleTest, CapMatchesReferenceForEveryCapHeight) {
  for (size_t log_rows : {0, 1, 4, 10}) {
    const size_t rows = size_t{1} << log_rows;
    const std::vector<uint32_t> data = random_words(rows * 5, static_cast<uint32_t>(log_rows));
    std::vector<std::vector<uint32_t>> row_list;
    for (size_t i = 0; i < rows; ++i) row_list.emplace_back(data.begin() + 5 * i, data.begin() + 5 * (i + 1));
    for (size_t cap_height = 0; cap_height <= log_rows; ++cap_height) {
      MerkleTree<TypeParam> tree({MatrixView{data.data(), rows, 5}}, cap_height);
      EXPECT_EQ(tree.cap(), reference_cap<TypeParam>(row_list, cap_height)) << log_rows << " " << cap_height;
      EXPECT_EQ(tree.cap().size(), size_t{1} << cap_height);
    }
  }
}

TYPED_TEST(MerkleTest, HonestMultiOpeningsVerify) {
  const size_t log_rows = 8;
  const std::vector<uint32_t> data = random_words((size_t{1} << log_rows) * 7, 1);
  std::mt19937 rng(2);
  for (size_t cap_height : {0, 2, 4}) {
    MerkleTree<TypeParam> tree({MatrixView{data.data(), size_t{1} << log_rows, 7}}, cap_height);
    for (size_t count : {1, 2, 5, 40, 256}) {
      std::vector<size_t> indices;
      for (size_t k = 0; k < count; ++k) indices.push_back(rng() % tree.rows());
      const MerkleMultiProof proof = tree.open(indices);
      EXPECT_NO_THROW(verify_rows<TypeParam>(tree.cap(), log_rows, indices, opened_rows(tree, indices), proof));
    }
  }
}

TEST(Merkle, CapDoesNotDependOnTheThreadCount) {
  const std::vector<uint32_t> data = random_words((size_t{1} << 14) * 3, 8);
  auto cap_with = [&](size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return MerkleTree<>({MatrixView{data.data(), size_t{1} << 14, 3}}, 2).cap();
  };
  EXPECT_EQ(cap_with(1), cap_with(2));
}

TEST(Merkle, PrunedProofSendsEachNeededSiblingOnce) {
  const std::vector<uint32_t> data = random_words(16 * 2, 3);
  MerkleTree<> tree({MatrixView{data.data(), 16, 2}}, 0);
  // Leaves 0 and 1 are siblings: only one digest per layer above them is needed (3 layers).
  std::vector<size_t> pair = {0, 1};
  EXPECT_EQ(tree.open(pair).siblings.size(), 3u);
  std::vector<size_t> one = {5};
  EXPECT_EQ(tree.open(one).siblings.size(), 4u);
  std::vector<size_t> all(16);
  for (size_t i = 0; i < 16; ++i) all[i] = i;
  EXPECT_TRUE(tree.open(all).siblings.empty());
}

TEST(Merkle, SeveralMatricesOfEqualHeightHashRowsConcatenated) {
  const std::vector<uint32_t> a = random_words(32 * 3, 4);
  const std::vector<uint32_t> b = random_words(32 * 2, 5);
  std::vector<uint32_t> joined;
  for (size_t r = 0; r < 32; ++r) {
    joined.insert(joined.end(), a.begin() + 3 * r, a.begin() + 3 * r + 3);
    joined.insert(joined.end(), b.begin() + 2 * r, b.begin() + 2 * r + 2);
  }
  MerkleTree<> two({MatrixView{a.data(), 32, 3}, MatrixView{b.data(), 32, 2}}, 1);
  MerkleTree<> one({MatrixView{joined.data(), 32, 5}}, 1);
  EXPECT_EQ(two.cap(), one.cap());
  EXPECT_EQ(two.leaf_words(7), one.leaf_words(7));
  std::vector<size_t> indices = {7, 30};
  EXPECT_NO_THROW(verify_rows(two.cap(), 5, indices, opened_rows(two, indices), two.open(indices)));
}

// A stand-in for Montgomery-to-canonical conversion.
void complement_words(std::span<const uint32_t> in, std::span<uint32_t> out) {
  for (size_t i = 0; i < in.size(); ++i) out[i] = ~in[i];
}

TEST(Merkle, EncodedMatricesCommitToTheirCanonicalWords) {
  const std::vector<uint32_t> canonical = random_words(64 * 6, 9);
  std::vector<uint32_t> stored(canonical.size());
  complement_words(canonical, stored);
  const std::vector<uint32_t> other = random_words(64 * 2, 10);
  MerkleTree<> plain({MatrixView{canonical.data(), 64, 6}}, 1);
  MerkleTree<> encoded({MatrixView{stored.data(), 64, 6, complement_words}}, 1);
  EXPECT_EQ(encoded.cap(), plain.cap());
  EXPECT_EQ(encoded.leaf_words(9), plain.leaf_words(9));
  // Mixed with an unencoded matrix.
  MerkleTree<> plain_two({MatrixView{canonical.data(), 64, 6}, MatrixView{other.data(), 64, 2}}, 1);
  MerkleTree<> encoded_two({MatrixView{stored.data(), 64, 6, complement_words}, MatrixView{other.data(), 64, 2}}, 1);
  EXPECT_EQ(encoded_two.cap(), plain_two.cap());
  std::vector<size_t> indices = {0, 9, 63};
  EXPECT_NO_THROW(
      verify_rows(encoded_two.cap(), 6, indices, opened_rows(encoded_two, indices), encoded_two.open(indices)));
  // Without the encoder the stored words commit to something else.
  EXPECT_NE(MerkleTree<>({MatrixView{stored.data(), 64, 6}}, 1).cap(), plain.cap());
}

// Matrices of heights 16, 4, 4 and 2: leaves from A, B and C enter at layer 2, D at layer 3.
class MultiHeightTest : public ::testing::Test {
 protected:
  static constexpr size_t kLogRows = 4;
  MultiHeightTest()
      : a_(random_words(16 * 3, 20)), b_(random_words(4 * 2, 21)), c_(random_words(4 * 1, 22)),
        d_(random_words(2 * 2, 23)) {}

  std::vector<MatrixView> views() const {
    return {MatrixView{b_.data(), 4, 2}, MatrixView{a_.data(), 16, 3}, MatrixView{d_.data(), 2, 2},
            MatrixView{c_.data(), 4, 1}};
  }
  // The cap by the formula in merkle.h, written out directly.
  MerkleCap reference_cap(size_t cap_height) const {
    std::vector<Digest> layer;
    for (size_t i = 0; i < 16; ++i) layer.push_back(hash_row<Blake2sHasher>(std::span(a_).subspan(3 * i, 3)));
    for (size_t k = 1; k <= kLogRows - cap_height; ++k) {
      std::vector<Digest> up;
      for (size_t j = 0; j < layer.size() / 2; ++j) {
        Digest node = Blake2sHasher::hash_node(layer[2 * j], layer[2 * j + 1]);
        std::vector<uint32_t> words;
        if (k == 2) {  // B then C, in the order given
          words.insert(words.end(), b_.begin() + 2 * j, b_.begin() + 2 * j + 2);
          words.push_back(c_[j]);
        } else if (k == 3) {
          words.insert(words.end(), d_.begin() + 2 * j, d_.begin() + 2 * j + 2);
        }
        if (!words.empty()) node = Blake2sHasher::hash_node(node, hash_row<Blake2sHasher>(words));
        up.push_back(node);
      }
      layer = up;
    }
    return layer;
  }
  std::vector<std::vector<std::vector<uint32_t>>> openings(const MerkleTree<>& tree,
                                                           std::span<const size_t> indices) const {
    std::vector<std::vector<std::vector<uint32_t>>> out;
    for (size_t i : indices) out.push_back(tree.opening_words(i));
    return out;
  }

  std::vector<uint32_t> a_, b_, c_, d_;
  const std::vector<size_t> heights_ = {4, 2, 1};
};

TEST_F(MultiHeightTest, CapMatchesTheFormulaAndOpeningsVerify) {
  for (size_t cap_height : {0, 1}) {
    MerkleTree<> tree(views(), cap_height);
    EXPECT_EQ(tree.cap(), reference_cap(cap_height)) << cap_height;
    EXPECT_EQ(tree.group_log_heights(), heights_);
    const std::vector<std::vector<size_t>> index_sets = {
        {0}, {5, 6, 7}, {15, 0, 9, 9}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};
    for (const std::vector<size_t>& indices : index_sets) {
      EXPECT_NO_THROW(verify_openings(tree.cap(), heights_, indices, openings(tree, indices), tree.open(indices)))
          << cap_height << " " << indices.size();
    }
  }
}

TEST_F(MultiHeightTest, OpeningRevealsTheMatchingRowOfEveryHeight) {
  MerkleTree<> tree(views(), 0);
  const auto words = tree.opening_words(13);  // rows 13 of A, 3 of B and C, 1 of D
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[0], std::vector<uint32_t>(a_.begin() + 39, a_.begin() + 42));
  EXPECT_EQ(words[1], (std::vector<uint32_t>{b_[6], b_[7], c_[3]}));
  EXPECT_EQ(words[2], std::vector<uint32_t>(d_.begin() + 2, d_.begin() + 4));
  EXPECT_EQ(tree.leaf_words(13), words[0]);
}

TEST_F(MultiHeightTest, EveryTamperedWordBitSiblingBitCapBitAndIndexIsRejected) {
  MerkleTree<> tree(views(), 1);
  const std::vector<size_t> indices = {2, 3, 12};
  const auto honest = openings(tree, indices);
  const MerkleMultiProof proof = tree.open(indices);
  ASSERT_NO_THROW(verify_openings(tree.cap(), heights_, indices, honest, proof));
  for (size_t k = 0; k < honest.size(); ++k) {
    for (size_t g = 0; g < honest[k].size(); ++g) {
      for (size_t w = 0; w < honest[k][g].size(); ++w) {
        for (int bit = 0; bit < 32; ++bit) {
          auto tampered = honest;
          tampered[k][g][w] ^= 1u << bit;
          EXPECT_THROW(verify_openings(tree.cap(), heights_, indices, tampered, proof), MerkleError)
              << k << " " << g << " " << w << " " << bit;
        }
      }
    }
  }
  for (size_t s = 0; s < proof.siblings.size(); ++s) {
    for (size_t bit = 0; bit < 8 * kDigestBytes; ++bit) {
      MerkleMultiProof tampered = proof;
      tampered.siblings[s][bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      EXPECT_THROW(verify_openings(tree.cap(), heights_, indices, honest, tampered), MerkleError) << s << " " << bit;
    }
  }
  for (size_t c = 0; c < tree.cap().size(); ++c) {
    for (size_t bit = 0; bit < 8 * kDigestBytes; ++bit) {
      MerkleCap cap = tree.cap();
      cap[c][bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      EXPECT_THROW(verify_openings(cap, heights_, indices, honest, proof), MerkleError) << c << " " << bit;
    }
  }
  for (size_t k = 0; k < indices.size(); ++k) {
    for (size_t other = 0; other < 16; ++other) {
      if (other == indices[k]) continue;
      auto moved = indices;
      moved[k] = other;
      EXPECT_THROW(verify_openings(tree.cap(), heights_, moved, honest, proof), MerkleError) << k << " " << other;
    }
  }
  // The shape is part of the statement.
  const std::vector<size_t> wrong_heights = {4, 2};
  EXPECT_THROW(verify_openings(tree.cap(), wrong_heights, indices, honest, proof), MerkleError);
  const std::vector<size_t> not_decreasing = {4, 2, 2};
  EXPECT_THROW(verify_openings(tree.cap(), not_decreasing, indices, honest, proof), MerkleError);
}

TEST_F(MultiHeightTest, IndicesSharingAShorterRowMustAgreeOnIt) {
  MerkleTree<> tree(views(), 0);
  const std::vector<size_t> indices = {2, 3};  // both reach row 0 of B and C (2 >> 2 == 3 >> 2)
  auto opened = openings(tree, indices);
  opened[1][1][0] ^= 1;
  try {
    verify_openings(tree.cap(), heights_, indices, opened, tree.open(indices));
    FAIL() << "conflicting shorter rows accepted";
  } catch (const MerkleError& e) {
    EXPECT_THAT(e.what(), HasSubstr("row 0 (layer 2) is given twice with different values"));
  }
}

class TamperTest : public ::testing::Test {
 protected:
  static constexpr size_t kLogRows = 4;
  TamperTest() : data_(random_words(16 * 2, 6)), tree_({MatrixView{data_.data(), 16, 2}}, 1) {
    proof_ = tree_.open(indices_);
    rows_ = opened_rows(tree_, indices_);
  }
  void expect_rejected(const MerkleCap& cap, std::span<const size_t> indices,
                       const std::vector<std::vector<uint32_t>>& rows, const MerkleMultiProof& proof,
                       const std::string& what) {
    EXPECT_THROW(verify_rows(cap, kLogRows, indices, rows, proof), MerkleError) << what;
  }

  std::vector<uint32_t> data_;
  MerkleTree<> tree_;
  std::vector<size_t> indices_ = {1, 4, 5, 11};
  std::vector<std::vector<uint32_t>> rows_;
  MerkleMultiProof proof_;
};

TEST_F(TamperTest, HonestProofVerifies) {
  EXPECT_NO_THROW(verify_rows(tree_.cap(), kLogRows, indices_, rows_, proof_));
}

TEST_F(TamperTest, EveryBitOfEveryLeafWordIsBound) {
  for (size_t k = 0; k < rows_.size(); ++k) {
    for (size_t w = 0; w < rows_[k].size(); ++w) {
      for (int bit = 0; bit < 32; ++bit) {
        auto rows = rows_;
        rows[k][w] ^= 1u << bit;
        expect_rejected(tree_.cap(), indices_, rows, proof_,
                        "row " + std::to_string(k) + " bit " + std::to_string(bit));
      }
    }
  }
}

TEST_F(TamperTest, EveryBitOfEverySiblingIsBound) {
  ASSERT_FALSE(proof_.siblings.empty());
  for (size_t s = 0; s < proof_.siblings.size(); ++s) {
    for (size_t byte = 0; byte < kDigestBytes; ++byte) {
      for (int bit = 0; bit < 8; ++bit) {
        MerkleMultiProof proof = proof_;
        proof.siblings[s][byte] ^= static_cast<uint8_t>(1u << bit);
        expect_rejected(tree_.cap(), indices_, rows_, proof, "sibling " + std::to_string(s));
      }
    }
  }
}

TEST_F(TamperTest, EveryBitOfTheCapIsBound) {
  for (size_t c = 0; c < tree_.cap().size(); ++c) {
    for (size_t byte = 0; byte < kDigestBytes; ++byte) {
      for (int bit = 0; bit < 8; ++bit) {
        MerkleCap cap = tree_.cap();
        cap[c][byte] ^= static_cast<uint8_t>(1u << bit);
        expect_rejected(cap, indices_, rows_, proof_, "cap " + std::to_string(c));
      }
    }
  }
}

TEST_F(TamperTest, EveryOtherIndexIsRejected) {
  for (size_t k = 0; k < indices_.size(); ++k) {
    for (size_t other = 0; other < 16; ++other) {
      if (other == indices_[k]) continue;
      auto indices = indices_;
      indices[k] = other;
      expect_rejected(tree_.cap(), indices, rows_, proof_,
                      "index " + std::to_string(k) + " -> " + std::to_string(other));
    }
  }
}

TEST_F(TamperTest, ShortLongAndReorderedProofsAreRejected) {
  MerkleMultiProof shorter = proof_;
  shorter.siblings.pop_back();
  try {
    verify_rows(tree_.cap(), kLogRows, indices_, rows_, shorter);
    FAIL() << "short proof accepted";
  } catch (const MerkleError& e) {
    EXPECT_THAT(e.what(), HasSubstr("too short"));
  }
  MerkleMultiProof longer = proof_;
  longer.siblings.push_back(proof_.siblings[0]);
  try {
    verify_rows(tree_.cap(), kLogRows, indices_, rows_, longer);
    FAIL() << "long proof accepted";
  } catch (const MerkleError& e) {
    EXPECT_THAT(e.what(), HasSubstr("too long"));
  }
  MerkleMultiProof swapped = proof_;
  std::swap(swapped.siblings[0], swapped.siblings[1]);
  expect_rejected(tree_.cap(), indices_, rows_, swapped, "swapped siblings");
  // A valid proof for a different cap height is not a proof for this one (for leaf 1 alone it has
  // one more sibling; for indices_ the two proofs happen to coincide, since both cap nodes are
  // derived).
  std::vector<size_t> leaf1 = {1};
  expect_rejected(tree_.cap(), leaf1, opened_rows(tree_, leaf1),
                  MerkleTree<>({MatrixView{data_.data(), 16, 2}}, 0).open(leaf1), "proof for another cap height");
  EXPECT_NO_THROW(verify_rows(tree_.cap(), kLogRows, leaf1, opened_rows(tree_, leaf1), tree_.open(leaf1)));
}

TEST_F(TamperTest, OutOfRangeIndicesAreClearErrors) {
  std::vector<size_t> bad = {3, 16};
  try {
    tree_.open(bad);
    FAIL() << "opened index 16";
  } catch (const MerkleError& e) {
    EXPECT_THAT(e.what(), HasSubstr("index 16 (position 1) is out of range for a tree of 16 rows"));
  }
  auto rows = rows_;
  auto indices = indices_;
  indices[2] = 1000;
  try {
    verify_rows(tree_.cap(), kLogRows, indices, rows, proof_);
    FAIL() << "verified index 1000";
  } catch (const MerkleError& e) {
    EXPECT_THAT(e.what(), HasSubstr("index 1000 (position 2) is out of range"));
  }
  EXPECT_THROW(tree_.leaf_words(16), MerkleError);
}

TEST_F(TamperTest, DuplicateIndicesAreOpenedOnceAndMustAgree) {
  std::vector<size_t> with_duplicates = {11, 4, 1, 4, 5, 11};
  EXPECT_EQ(tree_.open(with_duplicates).siblings, proof_.siblings);
  auto rows = opened_rows(tree_, with_duplicates);
  EXPECT_NO_THROW(verify_rows(tree_.cap(), kLogRows, with_duplicates, rows, proof_));
  rows[3][0] ^= 1;  // the second copy of leaf 4 disagrees with the first
  try {
    verify_rows(tree_.cap(), kLogRows, with_duplicates, rows, proof_);
    FAIL() << "conflicting duplicate accepted";
  } catch (const MerkleError& e) {
    EXPECT_THAT(e.what(), HasSubstr("leaf index 4 is given twice with different values"));
  }
}

TEST_F(TamperTest, MismatchedShapesAreRejected) {
  auto rows = rows_;
  rows.pop_back();
  EXPECT_THROW(verify_rows(tree_.cap(), kLogRows, indices_, rows, proof_), MerkleError);
  MerkleCap three = {tree_.cap()[0], tree_.cap()[1], tree_.cap()[0]};
  EXPECT_THROW(verify_rows(three, kLogRows, indices_, rows_, proof_), MerkleError);
  EXPECT_THROW(verify_rows(tree_.cap(), kLogRows + 1, indices_, rows_, proof_), MerkleError);
}

TEST(Merkle, BadShapesAreClearErrors) {
  const std::vector<uint32_t> data = random_words(64, 7);
  auto message = [](auto&& make) {
    try {
      make();
    } catch (const MerkleError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_THAT(message([&] { MerkleTree<>({MatrixView{data.data(), 12, 2}}, 0); }),
              HasSubstr("matrix 0 height 12 is not a power of two"));
  EXPECT_THAT(message([&] { MerkleTree<>({MatrixView{data.data(), 16, 2}, MatrixView{data.data(), 2, 2}}, 2); }),
              HasSubstr("matrix 1 has 2 rows, fewer than the 2^2 cap entries"));
  EXPECT_THAT(message([&] { MerkleTree<>({MatrixView{data.data(), 16, 2}}, 5); }),
              HasSubstr("matrix 0 has 16 rows, fewer than the 2^5 cap entries"));
  EXPECT_THAT(message([&] { MerkleTree<>({}, 0); }), HasSubstr("at least one matrix"));
  EXPECT_THAT(message([&] { MerkleTree<>({MatrixView{data.data(), 16, 0}}, 0); }), HasSubstr("no columns"));
}

}  // namespace
}  // namespace zkrv::stark
