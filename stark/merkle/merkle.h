// Merkle commitments to the rows of row-major matrices of u32 words (canonical field encodings,
// hashed little-endian). Instead of one root the tree publishes its cap: the 2^cap_height nodes of
// layer log_rows - cap_height (cap_height 0 gives the root), so openings stop cap_height layers
// early. Openings of several rows share one pruned multi-proof: a sibling that the verifier can
// compute itself (because both children are opened, or derived) is never sent. The verifier is a
// free function that needs only the cap, the shape and the proof.
//
// Matrices of different power-of-two heights share one tree. The tallest ones (2^log_rows rows)
// form the leaves: leaf i hashes row i of each of them, concatenated in the order given. A matrix
// group of height 2^(log_rows - k) enters at layer k: there, node j becomes
//     hash_node(hash_node(child 2j, child 2j + 1), hash_leaf(row j of each matrix of the group))
// so opening leaf i also opens row i >> (log_rows - log_height) of every shorter matrix. With equal
// heights this is the plain row tree.
//
// Every error (bad shapes, out-of-range indices, a proof that does not verify) is a MerkleError whose
// message says what and where.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "stark/hash/digest.h"
#include "stark/hash/hasher.h"
#include "stark/merkle/layer_allocator.h"

namespace zkrv::stark {

class MerkleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Turns stored words into their canonical encodings (out.size() == in.size()), e.g. KoalaBear
// Montgomery form to integers in [0, p), so a prover can commit its matrices without first
// converting a copy. The conversion then happens chunk by chunk just before hashing.
using WordEncoder = void (*)(std::span<const uint32_t> in, std::span<uint32_t> out);

// A borrowed row-major matrix: row i is data[i * columns, (i + 1) * columns). Leaves hash the
// canonical words: the stored words themselves, or encode(stored words) when encode is set.
struct MatrixView {
  const uint32_t* data = nullptr;
  size_t rows = 0;
  size_t columns = 0;
  WordEncoder encode = nullptr;

  std::span<const uint32_t> row(size_t i) const { return {data + i * columns, columns}; }
};

// The published commitment: 2^cap_height digests, left to right.
using MerkleCap = std::vector<Digest>;

// Sibling digests in the order the verifier consumes them: layer by layer from the leaves up, and
// within a layer by increasing node index.
struct MerkleMultiProof {
  std::vector<Digest> siblings;
};

namespace internal {

// Checks shapes and returns log2 of the tallest height. Throws MerkleError.
size_t check_matrices(std::span<const MatrixView> matrices, size_t cap_height);
// Throws MerkleError unless the group heights are strictly decreasing, start at log_rows and stay
// at or above cap_height.
void check_group_heights(std::span<const size_t> group_log_heights, size_t log_rows, size_t cap_height);
// Checks that every index is < rows; returns them sorted and deduplicated. Throws MerkleError.
std::vector<size_t> sorted_unique_indices(std::span<const size_t> indices, size_t rows, const char* what);
// Throws MerkleError unless the cap has a power-of-two size of at most 2^log_rows; returns its log2.
size_t check_cap(const MerkleCap& cap, size_t log_rows);

std::span<const uint8_t> as_bytes(std::span<const uint32_t> words);

}  // namespace internal

// The digest of opened words: a leaf (the tallest group's rows) or an injected shorter group.
template <Hasher H>
Digest hash_row(std::span<const uint32_t> words) {
  return H::hash_leaf(internal::as_bytes(words));
}

template <Hasher H = Blake2sHasher>
class MerkleTree {
 public:
  using Layer = std::vector<Digest, internal::LayerAllocator<Digest>>;

  // Commits to the rows of `matrices` (power-of-two heights, each at least 2^cap_height). The
  // matrices are borrowed: they must outlive the tree, which reads them again to answer openings.
  // Hashing runs on the TBB task arena of the caller.
  MerkleTree(std::vector<MatrixView> matrices, size_t cap_height);

  size_t log_rows() const { return log_rows_; }
  size_t rows() const { return size_t{1} << log_rows_; }
  size_t cap_height() const { return cap_height_; }
  const MerkleCap& cap() const { return cap_; }
  const std::vector<MatrixView>& matrices() const { return matrices_; }
  // log2 of each distinct matrix height, tallest first (front() == log_rows()).
  std::vector<size_t> group_log_heights() const;

  // The words hashed into leaf `index`: row `index` of every tallest matrix, encoded, concatenated.
  // With equal heights this is everything an opening of `index` reveals.
  std::vector<uint32_t> leaf_words(size_t index) const;
  // Everything an opening of leaf `index` reveals: per height group (tallest first), the encoded
  // rows index >> (log_rows - log_height) of that group's matrices, concatenated.
  std::vector<std::vector<uint32_t>> opening_words(size_t index) const;

  // The pruned multi-proof for `indices` (any order; duplicates are allowed and opened once).
  // Throws MerkleError for an index >= rows().
  MerkleMultiProof open(std::span<const size_t> indices) const;

 private:
  // out[r] = hash_leaf(encoded rows r of the group's matrices), r < out.size().
  void hash_group_rows(const std::vector<size_t>& group, Layer& out) const;
  void hash_layer(const Layer& children, size_t layer, Layer& parents) const;
  std::vector<uint32_t> group_words(const std::vector<size_t>& group, size_t row) const;

  std::vector<MatrixView> matrices_;
  size_t log_rows_;
  size_t cap_height_;
  std::vector<std::vector<size_t>> groups_;  // groups_[k]: matrices entering at layer k
  std::vector<Layer> layers_;                // [0] = leaf digests ... back() = the cap layer
  MerkleCap cap_;
};

// The general verifier. For a tree whose height groups have these log heights (tallest first),
// group_digests[k * groups + g] is the hash_row of what opening_words(indices[k])[g] returned.
// Indices may repeat (with equal data) and come in any order. Throws MerkleError on failure.
template <Hasher H = Blake2sHasher>
void verify_group_digests(const MerkleCap& cap, std::span<const size_t> group_log_heights,
                          std::span<const size_t> indices, std::span<const Digest> group_digests,
                          const MerkleMultiProof& proof);

// The same from the opened words: openings[k] is opening_words(indices[k]).
template <Hasher H = Blake2sHasher>
void verify_openings(const MerkleCap& cap, std::span<const size_t> group_log_heights,
                     std::span<const size_t> indices, std::span<const std::vector<std::vector<uint32_t>>> openings,
                     const MerkleMultiProof& proof) {
  if (openings.size() != indices.size()) {
    throw MerkleError("Merkle verification got " + std::to_string(openings.size()) + " openings for " +
                      std::to_string(indices.size()) + " indices");
  }
  std::vector<Digest> digests;
  digests.reserve(openings.size() * group_log_heights.size());
  for (size_t k = 0; k < openings.size(); ++k) {
    if (openings[k].size() != group_log_heights.size()) {
      throw MerkleError("Merkle verification: opening " + std::to_string(k) + " has " +
                        std::to_string(openings[k].size()) + " height groups, expected " +
                        std::to_string(group_log_heights.size()));
    }
    for (const auto& words : openings[k]) digests.push_back(hash_row<H>(words));
  }
  verify_group_digests<H>(cap, group_log_heights, indices, digests, proof);
}

// Single-height trees: leaf_digests[k] is the leaf at indices[k] of a tree with 2^log_rows leaves.
template <Hasher H = Blake2sHasher>
void verify_leaf_digests(const MerkleCap& cap, size_t log_rows, std::span<const size_t> indices,
                         std::span<const Digest> leaf_digests, const MerkleMultiProof& proof) {
  const size_t heights[] = {log_rows};
  verify_group_digests<H>(cap, heights, indices, leaf_digests, proof);
}

// The same for opened rows: rows[k] holds the words of leaf indices[k].
template <Hasher H = Blake2sHasher>
void verify_rows(const MerkleCap& cap, size_t log_rows, std::span<const size_t> indices,
                 std::span<const std::vector<uint32_t>> rows, const MerkleMultiProof& proof) {
  if (rows.size() != indices.size()) {
    throw MerkleError("Merkle verification got " + std::to_string(rows.size()) + " rows for " +
                      std::to_string(indices.size()) + " indices");
  }
  std::vector<Digest> digests;
  digests.reserve(rows.size());
  for (const auto& row : rows) digests.push_back(hash_row<H>(row));
  verify_leaf_digests<H>(cap, log_rows, indices, digests, proof);
}

// ------------------------------------------------------------------ implementation

template <Hasher H>
MerkleTree<H>::MerkleTree(std::vector<MatrixView> matrices, size_t cap_height)
    : matrices_(std::move(matrices)),
      log_rows_(internal::check_matrices(matrices_, cap_height)),
      cap_height_(cap_height),
      groups_(log_rows_ - cap_height_ + 1) {
  for (size_t i = 0; i < matrices_.size(); ++i) {
    groups_[log_rows_ - static_cast<size_t>(std::countr_zero(matrices_[i].rows))].push_back(i);
  }
  layers_.reserve(log_rows_ - cap_height_ + 1);
  Layer& leaves = layers_.emplace_back(rows());
  hash_group_rows(groups_[0], leaves);
  for (size_t layer = 1; layer < groups_.size(); ++layer) {
    Layer parents(layers_.back().size() / 2);
    hash_layer(layers_.back(), layer, parents);
    layers_.push_back(std::move(parents));
  }
  cap_.assign(layers_.back().begin(), layers_.back().end());
}

template <Hasher H>
std::vector<size_t> MerkleTree<H>::group_log_heights() const {
  std::vector<size_t> heights;
  for (size_t k = 0; k < groups_.size(); ++k) {
    if (!groups_[k].empty()) heights.push_back(log_rows_ - k);
  }
  return heights;
}

template <Hasher H>
void MerkleTree<H>::hash_group_rows(const std::vector<size_t>& group, Layer& out) const {
  constexpr size_t kChunkRows = 256;
  size_t row_words = 0;
  for (size_t i : group) row_words += matrices_[i].columns;
  const size_t row_bytes = row_words * sizeof(uint32_t);
  const tbb::blocked_range<size_t> all_rows(0, out.size(), kChunkRows);
  tbb::parallel_for(all_rows, [&](const tbb::blocked_range<size_t>& range) {
    if (group.size() == 1 && matrices_[group[0]].encode == nullptr) {
      // Rows are already contiguous messages: hash them in place.
      const MatrixView& m = matrices_[group[0]];
      H::hash_leaves(reinterpret_cast<const uint8_t*>(m.data + range.begin() * m.columns), row_bytes, row_bytes,
                     range.size(), &out[range.begin()]);
      return;
    }
    std::vector<uint32_t> buffer(range.size() * row_words);
    for (size_t r = range.begin(); r < range.end(); ++r) {
      uint32_t* dst = buffer.data() + (r - range.begin()) * row_words;
      for (size_t i : group) {
        const MatrixView& m = matrices_[i];
        if (m.encode != nullptr) {
          m.encode(m.row(r), std::span<uint32_t>(dst, m.columns));
          dst += m.columns;
        } else {
          dst = std::copy_n(m.data + r * m.columns, m.columns, dst);
        }
      }
    }
    H::hash_leaves(reinterpret_cast<const uint8_t*>(buffer.data()), row_bytes, row_bytes, range.size(),
                   &out[range.begin()]);
  });
}

template <Hasher H>
void MerkleTree<H>::hash_layer(const Layer& children, size_t layer, Layer& parents) const {
  constexpr size_t kChunkNodes = 1024;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, parents.size(), kChunkNodes),
                    [&](const tbb::blocked_range<size_t>& range) {
                      H::hash_nodes(&children[2 * range.begin()], range.size(), &parents[range.begin()]);
                    });
  if (groups_[layer].empty()) return;
  // Inject the rows of the matrices of this height: node j <- hash_node(node j, row digest j).
  Layer row_digests(parents.size());
  hash_group_rows(groups_[layer], row_digests);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, parents.size(), kChunkNodes),
                    [&](const tbb::blocked_range<size_t>& range) {
                      std::vector<Digest> pairs(2 * range.size());
                      for (size_t j = range.begin(); j < range.end(); ++j) {
                        pairs[2 * (j - range.begin())] = parents[j];
                        pairs[2 * (j - range.begin()) + 1] = row_digests[j];
                      }
                      H::hash_nodes(pairs.data(), range.size(), &parents[range.begin()]);
                    });
}

template <Hasher H>
std::vector<uint32_t> MerkleTree<H>::group_words(const std::vector<size_t>& group, size_t row) const {
  std::vector<uint32_t> words;
  for (size_t i : group) {
    const MatrixView& m = matrices_[i];
    const size_t start = words.size();
    words.insert(words.end(), m.row(row).begin(), m.row(row).end());
    if (m.encode != nullptr) m.encode(m.row(row), std::span<uint32_t>(words.data() + start, m.columns));
  }
  return words;
}

template <Hasher H>
std::vector<uint32_t> MerkleTree<H>::leaf_words(size_t index) const {
  internal::sorted_unique_indices(std::span<const size_t>(&index, 1), rows(), "leaf_words");
  return group_words(groups_[0], index);
}

template <Hasher H>
std::vector<std::vector<uint32_t>> MerkleTree<H>::opening_words(size_t index) const {
  internal::sorted_unique_indices(std::span<const size_t>(&index, 1), rows(), "opening_words");
  std::vector<std::vector<uint32_t>> out;
  for (size_t k = 0; k < groups_.size(); ++k) {
    if (!groups_[k].empty()) out.push_back(group_words(groups_[k], index >> k));
  }
  return out;
}

template <Hasher H>
MerkleMultiProof MerkleTree<H>::open(std::span<const size_t> indices) const {
  std::vector<size_t> known = internal::sorted_unique_indices(indices, rows(), "opening");
  MerkleMultiProof proof;
  for (size_t layer = 0; layer + 1 < layers_.size(); ++layer) {
    std::vector<size_t> parents;
    for (size_t k = 0; k < known.size(); ++k) {
      const size_t node = known[k];
      if (node % 2 == 0 && k + 1 < known.size() && known[k + 1] == node + 1) {
        ++k;  // both children are known: no sibling needed
      } else {
        proof.siblings.push_back(layers_[layer][node ^ 1]);
      }
      parents.push_back(node / 2);
    }
    known = std::move(parents);
  }
  return proof;
}

namespace internal {

// (node index, digest) pairs sorted by node and deduplicated; equal nodes must carry equal digests.
inline std::vector<std::pair<size_t, Digest>> merge_known(std::vector<std::pair<size_t, Digest>> known,
                                                          const char* what, size_t layer) {
  std::sort(known.begin(), known.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t k = 1; k < known.size(); ++k) {
    if (known[k].first == known[k - 1].first && known[k].second != known[k - 1].second) {
      throw MerkleError(std::string("Merkle verification: ") + what + " " + std::to_string(known[k].first) +
                        (layer == 0 ? std::string() : " (layer " + std::to_string(layer) + ")") +
                        " is given twice with different values");
    }
  }
  known.erase(std::unique(known.begin(), known.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
              known.end());
  return known;
}

}  // namespace internal

template <Hasher H>
void verify_group_digests(const MerkleCap& cap, std::span<const size_t> group_log_heights,
                          std::span<const size_t> indices, std::span<const Digest> group_digests,
                          const MerkleMultiProof& proof) {
  if (group_log_heights.empty()) throw MerkleError("Merkle verification: no height groups");
  const size_t log_rows = group_log_heights[0];
  const size_t groups = group_log_heights.size();
  if (group_digests.size() != indices.size() * groups) {
    throw MerkleError("Merkle verification got " + std::to_string(group_digests.size()) + " digests for " +
                      std::to_string(indices.size()) + " indices and " + std::to_string(groups) + " height groups");
  }
  const size_t cap_height = internal::check_cap(cap, log_rows);
  internal::check_group_heights(group_log_heights, log_rows, cap_height);
  internal::sorted_unique_indices(indices, size_t{1} << log_rows, "verification");

  // Digests of group g, keyed by the node index at the layer where the group enters.
  auto group_nodes = [&](size_t g) {
    const size_t layer = log_rows - group_log_heights[g];
    std::vector<std::pair<size_t, Digest>> nodes;
    nodes.reserve(indices.size());
    for (size_t k = 0; k < indices.size(); ++k) nodes.emplace_back(indices[k] >> layer, group_digests[k * groups + g]);
    return internal::merge_known(std::move(nodes), layer == 0 ? "leaf index" : "row", layer);
  };

  std::vector<std::pair<size_t, Digest>> known = group_nodes(0);
  size_t next_group = 1;
  size_t next_sibling = 0;
  for (size_t layer = 0; layer < log_rows - cap_height; ++layer) {
    std::vector<std::pair<size_t, Digest>> parents;
    parents.reserve(known.size());
    for (size_t k = 0; k < known.size(); ++k) {
      const size_t node = known[k].first;
      Digest left, right;
      if (node % 2 == 0 && k + 1 < known.size() && known[k + 1].first == node + 1) {
        left = known[k].second;
        right = known[k + 1].second;
        ++k;
      } else {
        if (next_sibling == proof.siblings.size()) {
          throw MerkleError("Merkle proof too short: it has " + std::to_string(proof.siblings.size()) +
                            " sibling digests and runs out at layer " + std::to_string(layer) + " (node " +
                            std::to_string(node) + ")");
        }
        const Digest& sibling = proof.siblings[next_sibling++];
        left = node % 2 == 0 ? known[k].second : sibling;
        right = node % 2 == 0 ? sibling : known[k].second;
      }
      parents.emplace_back(node / 2, H::hash_node(left, right));
    }
    if (next_group < groups && log_rows - group_log_heights[next_group] == layer + 1) {
      // The parents are exactly the nodes the opened indices reach, as are the group's rows.
      const std::vector<std::pair<size_t, Digest>> rows = group_nodes(next_group++);
      for (size_t k = 0; k < parents.size(); ++k) parents[k].second = H::hash_node(parents[k].second, rows[k].second);
    }
    known = std::move(parents);
  }
  if (next_sibling != proof.siblings.size()) {
    throw MerkleError("Merkle proof too long: " + std::to_string(proof.siblings.size() - next_sibling) +
                      " of its " + std::to_string(proof.siblings.size()) + " sibling digests are unused");
  }
  for (const auto& [node, digest] : known) {
    if (digest != cap[node]) {
      throw MerkleError("Merkle verification failed: the opened leaves do not hash to cap entry " +
                        std::to_string(node) + " of " + std::to_string(cap.size()));
    }
  }
}

}  // namespace zkrv::stark
