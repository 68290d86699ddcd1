#include "stark/hash/hasher.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>
#include <vector>

namespace zkrv::stark {
namespace {

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> bytes(n);
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  return bytes;
}

template <typename H>
class HasherTest : public ::testing::Test {};
using Hashers = ::testing::Types<Blake2sHasher, Sha256Hasher>;
TYPED_TEST_SUITE(HasherTest, Hashers);

TYPED_TEST(HasherTest, LeafAndNodeAreDomainSeparated) {
  const std::vector<uint8_t> bytes = random_bytes(64, 1);
  Digest left, right;
  std::copy_n(bytes.begin(), 32, left.begin());
  std::copy_n(bytes.begin() + 32, 32, right.begin());
  EXPECT_NE(TypeParam::hash_leaf(bytes), TypeParam::hash_node(left, right));
  EXPECT_NE(TypeParam::hash_node(left, right), TypeParam::hash_node(right, left));
}

TYPED_TEST(HasherTest, BatchedLeavesAndNodesMatchOneAtATime) {
  const std::vector<uint8_t> bytes = random_bytes(50 * 256, 2);
  std::vector<Digest> leaves(50);
  TypeParam::hash_leaves(bytes.data(), 200, 256, leaves.size(), leaves.data());
  for (size_t i = 0; i < leaves.size(); ++i) {
    EXPECT_EQ(leaves[i], TypeParam::hash_leaf({bytes.data() + 256 * i, 200})) << i;
  }
  std::vector<Digest> parents(25);
  TypeParam::hash_nodes(leaves.data(), parents.size(), parents.data());
  for (size_t i = 0; i < parents.size(); ++i) {
    EXPECT_EQ(parents[i], TypeParam::hash_node(leaves[2 * i], leaves[2 * i + 1])) << i;
  }
}

TEST(Sha256Hasher, IsPrefixedSha256) {
  const std::vector<uint8_t> bytes = random_bytes(77, 3);
  std::vector<uint8_t> prefixed = {Sha256Hasher::kLeafPrefix};
  prefixed.insert(prefixed.end(), bytes.begin(), bytes.end());
  Digest expected;
  unsigned int length = 0;
  ASSERT_EQ(EVP_Digest(prefixed.data(), prefixed.size(), expected.data(), &length, EVP_sha256(), nullptr), 1);
  EXPECT_EQ(Sha256Hasher::hash_leaf(bytes), expected);
}

TEST(Blake2sHasher, NodeIsPersonalizedBlake2sOfTheConcatenation) {
  const std::vector<uint8_t> bytes = random_bytes(64, 4);
  Digest left, right;
  std::copy_n(bytes.begin(), 32, left.begin());
  std::copy_n(bytes.begin() + 32, 32, right.begin());
  EXPECT_EQ(Blake2sHasher::hash_node(left, right), Blake2s::hash(bytes, Blake2sParams::personalized("zkrvnode")));
  EXPECT_EQ(Blake2sHasher::hash_leaf(bytes), Blake2s::hash(bytes, Blake2sParams::personalized("zkrvleaf")));
}

}  // namespace
}  // namespace zkrv::stark
