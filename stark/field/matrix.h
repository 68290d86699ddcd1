// Matrix<F>: a dense row-major matrix, the layout shared by the NTT (columns are polynomials,
// transformed along the row axis) and the Merkle tree (one leaf = one row). Storage is 64-byte
// aligned and uses transparent huge pages when large (see huge_page_allocator.h).
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "stark/field/huge_page_allocator.h"

namespace zkrv::stark {

template <typename F>
class Matrix {
 public:
  Matrix() = default;

  // rows x width zero matrix. Width must be at least 1.
  Matrix(size_t rows, size_t width) : width_(checked_width(width)), values_(rows * width) {}

  // Copies row-major values; values.size() must be a multiple of width.
  Matrix(std::span<const F> values, size_t width)
      : width_(checked_width(width)), values_(values.begin(), values.end()) {
    if (values_.size() % width_ != 0) {
      throw std::invalid_argument("Matrix: " + std::to_string(values_.size()) +
                                  " values do not fill rows of width " + std::to_string(width_));
    }
  }

  size_t rows() const { return width_ == 0 ? 0 : values_.size() / width_; }
  size_t width() const { return width_; }

  std::span<F> row(size_t r) { return {values_.data() + r * width_, width_}; }
  std::span<const F> row(size_t r) const { return {values_.data() + r * width_, width_}; }
  F& at(size_t r, size_t c) { return values_[r * width_ + c]; }
  const F& at(size_t r, size_t c) const { return values_[r * width_ + c]; }

  F* data() { return values_.data(); }
  const F* data() const { return values_.data(); }
  std::span<F> values() { return values_; }
  std::span<const F> values() const { return values_; }

  friend bool operator==(const Matrix& a, const Matrix& b) {
    return a.width_ == b.width_ && a.values_ == b.values_;
  }

 private:
  static size_t checked_width(size_t width) {
    if (width == 0) throw std::invalid_argument("Matrix: width must be at least 1");
    return width;
  }

  size_t width_ = 0;
  std::vector<F, HugePageAllocator<F>> values_;
};

}  // namespace zkrv::stark
