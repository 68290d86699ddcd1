// Montgomery's batch inversion: n inverses for one field inversion and 3(n - 1) multiplications.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace zkrv::stark {

// Replaces every element of `values` by its inverse. Works for any field type F with one(),
// is_zero(), operator* and inverse(). Throws std::domain_error naming the first zero's index
// (and leaves `values` unchanged) if any element is zero.
template <typename F>
void batch_inverse(std::span<F> values) {
  if (values.empty()) return;
  std::vector<F> prefix(values.size());  // prefix[i] = values[0] * ... * values[i]
  F running = F::one();
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].is_zero()) {
      throw std::domain_error("batch_inverse: element " + std::to_string(i) + " is zero");
    }
    running *= values[i];
    prefix[i] = running;
  }
  F inverse_of_prefix = running.inverse();
  for (size_t i = values.size() - 1; i > 0; --i) {
    F inverse = inverse_of_prefix * prefix[i - 1];
    inverse_of_prefix *= values[i];
    values[i] = inverse;
  }
  values[0] = inverse_of_prefix;
}

}  // namespace zkrv::stark
