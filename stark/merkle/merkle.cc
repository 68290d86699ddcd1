#include "stark/merkle/merkle.h"

#include <bit>

namespace zkrv::stark::merkle_internal {

size_t check_matrices(std::span<const MatrixView> matrices, size_t cap_height) {
  if (matrices.empty()) throw MerkleError("Merkle tree needs at least one matrix");
  const size_t rows = matrices[0].rows;
  size_t columns = 0;
  for (size_t i = 0; i < matrices.size(); ++i) {
    const MatrixView& m = matrices[i];
    if (m.rows != rows) {
      throw MerkleError("Merkle tree: matrix " + std::to_string(i) + " has " + std::to_string(m.rows) +
                        " rows but matrix 0 has " + std::to_string(rows) + "; committed matrices need equal heights");
    }
    if (m.data == nullptr && m.rows * m.columns != 0) {
      throw MerkleError("Merkle tree: matrix " + std::to_string(i) + " has no data");
    }
    columns += m.columns;
  }
  if (columns == 0) throw MerkleError("Merkle tree: the committed matrices have no columns");
  if (!std::has_single_bit(rows)) {
    throw MerkleError("Merkle tree: height " + std::to_string(rows) + " is not a power of two");
  }
  const size_t log_rows = static_cast<size_t>(std::countr_zero(rows));
  if (cap_height > log_rows) {
    throw MerkleError("Merkle tree: cap height " + std::to_string(cap_height) + " exceeds log2(rows) = " +
                      std::to_string(log_rows));
  }
  return log_rows;
}

std::vector<size_t> sorted_unique_indices(std::span<const size_t> indices, size_t rows, const char* what) {
  for (size_t k = 0; k < indices.size(); ++k) {
    if (indices[k] >= rows) {
      throw MerkleError(std::string("Merkle ") + what + ": index " + std::to_string(indices[k]) + " (position " +
                        std::to_string(k) + ") is out of range for a tree of " + std::to_string(rows) + " rows");
    }
  }
  std::vector<size_t> sorted(indices.begin(), indices.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  return sorted;
}

size_t check_cap(const MerkleCap& cap, size_t log_rows) {
  if (log_rows >= 64) throw MerkleError("Merkle verification: log2(rows) = " + std::to_string(log_rows) + " is too large");
  if (!std::has_single_bit(cap.size()) || cap.size() > (size_t{1} << log_rows)) {
    throw MerkleError("Merkle verification: a cap of " + std::to_string(cap.size()) +
                      " digests is not a power of two no larger than 2^" + std::to_string(log_rows));
  }
  return static_cast<size_t>(std::countr_zero(cap.size()));
}

std::span<const uint8_t> as_bytes(std::span<const uint32_t> words) {
  // The leaf encoding is little-endian u32s, which is the in-memory layout on our hosts
  // (stark/hash asserts a little-endian target).
  return {reinterpret_cast<const uint8_t*>(words.data()), words.size() * sizeof(uint32_t)};
}

}  // namespace zkrv::stark::merkle_internal
