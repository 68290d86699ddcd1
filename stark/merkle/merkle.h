// Merkle commitments to the rows of row-major matrices of u32 words (canonical field encodings,
// hashed little-endian). Leaf i is the hash of row i of every committed matrix, concatenated in
// order; the matrices must have equal, power-of-two heights. Instead of one root the tree publishes
// its cap: the 2^cap_height nodes of layer log_rows - cap_height (cap_height 0 gives the root), so
// openings stop cap_height layers early. Openings of several rows share one pruned multi-proof: a
// sibling that the verifier can compute itself (because both children are opened, or derived) is
// never sent. The verifier is a free function that needs only the cap, the height and the proof.
//
// Every error (bad shapes, out-of-range indices, a proof that does not verify) is a MerkleError whose
// message says what and where.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
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

namespace merkle_internal {

// Checks shapes and returns log2 of the common height. Throws MerkleError.
size_t check_matrices(std::span<const MatrixView> matrices, size_t cap_height);
// Checks that every index is < rows; returns them sorted and deduplicated. Throws MerkleError.
std::vector<size_t> sorted_unique_indices(std::span<const size_t> indices, size_t rows, const char* what);
// Throws MerkleError unless the cap has a power-of-two size of at most 2^log_rows; returns its log2.
size_t check_cap(const MerkleCap& cap, size_t log_rows);

std::span<const uint8_t> as_bytes(std::span<const uint32_t> words);

}  // namespace merkle_internal

// The leaf digest of one opened row (all matrices' words at that index, concatenated).
template <Hasher H>
Digest hash_row(std::span<const uint32_t> words) {
  return H::hash_leaf(merkle_internal::as_bytes(words));
}

template <Hasher H = Blake2sHasher>
class MerkleTree {
 public:
  using Layer = std::vector<Digest, merkle_internal::LayerAllocator<Digest>>;

  // Commits to the rows of `matrices` (equal heights, a power of two, at least 2^cap_height). The
  // matrices are borrowed: they must outlive the tree, which reads them again to answer row().
  // Hashing runs on the TBB task arena of the caller.
  MerkleTree(std::vector<MatrixView> matrices, size_t cap_height);

  size_t log_rows() const { return log_rows_; }
  size_t rows() const { return size_t{1} << log_rows_; }
  size_t cap_height() const { return cap_height_; }
  const MerkleCap& cap() const { return cap_; }
  const std::vector<MatrixView>& matrices() const { return matrices_; }

  // The words hashed into leaf `index`: row `index` of every matrix, encoded, concatenated. This is
  // what an opening reveals.
  std::vector<uint32_t> leaf_words(size_t index) const;

  // The pruned multi-proof for `indices` (any order; duplicates are allowed and opened once).
  // Throws MerkleError for an index >= rows().
  MerkleMultiProof open(std::span<const size_t> indices) const;

 private:
  void hash_leaves();
  void hash_layer(const Layer& children, Layer& parents);

  std::vector<MatrixView> matrices_;
  size_t log_rows_;
  size_t cap_height_;
  std::vector<Layer> layers_;  // [0] = leaf digests ... back() = the cap layer
  MerkleCap cap_;
};

// Verifies that leaf_digests[k] is the leaf at indices[k] of a tree with 2^log_rows leaves and this
// cap. Indices may repeat (with equal digests) and come in any order. Throws MerkleError on failure.
template <Hasher H = Blake2sHasher>
void verify_leaf_digests(const MerkleCap& cap, size_t log_rows, std::span<const size_t> indices,
                         std::span<const Digest> leaf_digests, const MerkleMultiProof& proof);

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
      log_rows_(merkle_internal::check_matrices(matrices_, cap_height)),
      cap_height_(cap_height) {
  layers_.reserve(log_rows_ - cap_height_ + 1);
  hash_leaves();
  while (layers_.back().size() > (size_t{1} << cap_height_)) {
    Layer parents(layers_.back().size() / 2);
    hash_layer(layers_.back(), parents);
    layers_.push_back(std::move(parents));
  }
  cap_.assign(layers_.back().begin(), layers_.back().end());
}

template <Hasher H>
void MerkleTree<H>::hash_leaves() {
  constexpr size_t kChunkRows = 256;
  Layer& leaves = layers_.emplace_back(rows());
  size_t leaf_words = 0;
  for (const auto& m : matrices_) leaf_words += m.columns;
  const size_t leaf_bytes = leaf_words * sizeof(uint32_t);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, rows(), kChunkRows), [&](const tbb::blocked_range<size_t>& range) {
    if (matrices_.size() == 1 && matrices_[0].encode == nullptr) {
      // Rows are already contiguous leaf messages: hash them in place.
      const MatrixView& m = matrices_[0];
      H::hash_leaves(reinterpret_cast<const uint8_t*>(m.data + range.begin() * m.columns), leaf_bytes, leaf_bytes,
                     range.size(), &leaves[range.begin()]);
      return;
    }
    std::vector<uint32_t> buffer(range.size() * leaf_words);
    for (size_t r = range.begin(); r < range.end(); ++r) {
      uint32_t* out = buffer.data() + (r - range.begin()) * leaf_words;
      for (const auto& m : matrices_) {
        if (m.encode != nullptr) {
          m.encode(m.row(r), std::span<uint32_t>(out, m.columns));
          out += m.columns;
        } else {
          out = std::copy_n(m.data + r * m.columns, m.columns, out);
        }
      }
    }
    H::hash_leaves(reinterpret_cast<const uint8_t*>(buffer.data()), leaf_bytes, leaf_bytes, range.size(),
                   &leaves[range.begin()]);
  });
}

template <Hasher H>
void MerkleTree<H>::hash_layer(const Layer& children, Layer& parents) {
  constexpr size_t kChunkNodes = 1024;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, parents.size(), kChunkNodes),
                    [&](const tbb::blocked_range<size_t>& range) {
                      H::hash_nodes(&children[2 * range.begin()], range.size(), &parents[range.begin()]);
                    });
}

template <Hasher H>
std::vector<uint32_t> MerkleTree<H>::leaf_words(size_t index) const {
  if (index >= rows()) {
    throw MerkleError("Merkle leaf index " + std::to_string(index) + " is out of range for a tree of " +
                      std::to_string(rows()) + " rows");
  }
  std::vector<uint32_t> words;
  for (const auto& m : matrices_) {
    auto row = m.row(index);
    const size_t start = words.size();
    words.insert(words.end(), row.begin(), row.end());
    if (m.encode != nullptr) m.encode(row, std::span<uint32_t>(words.data() + start, m.columns));
  }
  return words;
}

template <Hasher H>
MerkleMultiProof MerkleTree<H>::open(std::span<const size_t> indices) const {
  std::vector<size_t> known = merkle_internal::sorted_unique_indices(indices, rows(), "opening");
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

template <Hasher H>
void verify_leaf_digests(const MerkleCap& cap, size_t log_rows, std::span<const size_t> indices,
                         std::span<const Digest> leaf_digests, const MerkleMultiProof& proof) {
  if (leaf_digests.size() != indices.size()) {
    throw MerkleError("Merkle verification got " + std::to_string(leaf_digests.size()) + " leaf digests for " +
                      std::to_string(indices.size()) + " indices");
  }
  const size_t cap_height = merkle_internal::check_cap(cap, log_rows);
  merkle_internal::sorted_unique_indices(indices, size_t{1} << log_rows, "verification");

  std::vector<std::pair<size_t, Digest>> known;
  known.reserve(indices.size());
  for (size_t k = 0; k < indices.size(); ++k) known.emplace_back(indices[k], leaf_digests[k]);
  std::sort(known.begin(), known.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t k = 1; k < known.size(); ++k) {
    if (known[k].first == known[k - 1].first && known[k].second != known[k - 1].second) {
      throw MerkleError("Merkle verification: leaf index " + std::to_string(known[k].first) +
                        " is given twice with different values");
    }
  }
  known.erase(std::unique(known.begin(), known.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
              known.end());

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
