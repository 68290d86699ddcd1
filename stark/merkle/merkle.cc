#include "stark/merkle/merkle.h"

#include <bit>

namespace zkrv::stark::internal {

size_t check_matrices(std::span<const MatrixView> matrices, size_t cap_height) {
  if (matrices.empty()) throw MerkleError("Merkle tree needs at least one matrix");
  size_t max_rows = 0;
  for (size_t i = 0; i < matrices.size(); ++i) {
    const MatrixView& m = matrices[i];
    if (m.data == nullptr && m.rows * m.columns != 0) {
      throw MerkleError("Merkle tree: matrix " + std::to_string(i) + " has no data");
    }
    if (m.columns == 0) throw MerkleError("Merkle tree: matrix " + std::to_string(i) + " has no columns");
    if (!std::has_single_bit(m.rows)) {
      throw MerkleError("Merkle tree: matrix " + std::to_string(i) + " height " + std::to_string(m.rows) +
                        " is not a power of two");
    }
    if (m.rows < (size_t{1} << std::min<size_t>(cap_height, 63))) {
      throw MerkleError("Merkle tree: matrix " + std::to_string(i) + " has " + std::to_string(m.rows) +
                        " rows, fewer than the 2^" + std::to_string(cap_height) + " cap entries");
    }
    max_rows = std::max(max_rows, m.rows);
  }
  return static_cast<size_t>(std::countr_zero(max_rows));
}

void check_group_heights(std::span<const size_t> group_log_heights, size_t log_rows, size_t cap_height) {
  for (size_t g = 0; g < group_log_heights.size(); ++g) {
    const size_t h = group_log_heights[g];
    if ((g == 0 && h != log_rows) || (g > 0 && h >= group_log_heights[g - 1]) || h < cap_height) {
      throw MerkleError("Merkle verification: height group " + std::to_string(g) + " has log height " +
                        std::to_string(h) + "; group heights must decrease from log2(rows) = " +
                        std::to_string(log_rows) + " and stay at or above the cap height " +
                        std::to_string(cap_height));
    }
  }
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
  if (log_rows >= 64) {
    throw MerkleError("Merkle verification: log2(rows) = " + std::to_string(log_rows) + " is too large");
  }
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

}  // namespace zkrv::stark::internal
