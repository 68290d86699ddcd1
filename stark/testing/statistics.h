// Statistics for the zero-knowledge tests: whether two samples of a proof's values (for two
// private witnesses) come from the same distribution. One definition for every such test.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace zkrv::stark::testing {

// The two-sample Kolmogorov-Smirnov statistic sup_x |F_a(x) - F_b(x)| of the empirical
// distribution functions.
inline double ks_statistic(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  double worst = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const double x = std::min(a[i], b[j]);
    while (i < a.size() && a[i] <= x) ++i;
    while (j < b.size() && b[j] <= x) ++j;
    worst = std::max(worst, std::abs(static_cast<double>(i) / static_cast<double>(a.size()) -
                                     static_cast<double>(j) / static_cast<double>(b.size())));
  }
  return worst;
}

// The critical value of that statistic for two samples of n values each at significance
// `alpha` (the asymptotic form, c(alpha) sqrt(2 / n) with c(alpha) = sqrt(ln(2 / alpha) / 2);
// https://en.wikipedia.org/wiki/Kolmogorov%E2%80%93Smirnov_test#Two-sample_Kolmogorov%E2%80%93Smirnov_test).
inline double ks_critical_value(size_t n, double alpha) {
  return std::sqrt(std::log(2 / alpha) / 2) * std::sqrt(2.0 / static_cast<double>(n));
}

}  // namespace zkrv::stark::testing
