#include "stark/security/security.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace zkrv::stark {
namespace {

// Notation (docs/proof-system.md, "Security"):
//   |F| = extension field size, f = log2|F| = e * log2|base|
//   n = trace length, rho = 2^-log_blowup, |D| = n / rho (LDE / first FRI domain)
//   q = queries, g = query PoW bits, d = max constraint degree, C = constraints,
//   W = columns, k = openings per column, N = W * k functions in the DEEP/FRI batch,
//   a = folding arity, r = number of folding rounds.
//
// Conjectured (ethSTARK documentation v1.2 §5.10.1 "toy problem" conjecture; winterfell's
// get_conjectured_security; soundcalc's ethSTARK regime):
//   lambda = min(q * log2(1/rho) + g,  f - log2|D|,  hash collision bits)
// (winterfell additionally subtracts one bit; we report the unrounded value.)
//
// Proven, round by round; each term is -log2 of a round's error, lambda = the minimum.
// Sources: BCIKS20 (proximity gaps), Haboeck 2022/1216 "A summary on the FRI low degree test"
// Theorems 2 and 8, ethSTARK §5, and the RISC Zero / soundcalc calculators that implement them.
//   ALI:    L * C / |F|
//   DEEP:   L * (d * (n + k - 1) + (n - 1)) / (|F| - n - |D|)
//   Unique decoding (theta = (1 - rho) / 2, list size L = 1):
//     batching: |D| / |F|           (times N for power batching, BCIKS20 Thm 1.5 vs 1.6)
//     folding:  (a - 1) |D| / |F|   per round
//     queries:  ((1 + rho) / 2)^q * 2^-g
//   Johnson bound (integer m >= 3, alpha = sqrt(rho) (1 + 1/(2m)), theta = 1 - alpha):
//     rho+ = (n + k) / |D|, m+ = ceil(1 / (2 (alpha / sqrt(rho+) - 1))),
//     list size L = (m+ + 1/2) / sqrt(rho+)
//     batching: (m + 1/2)^7 / (3 rho^(3/2)) * |D|^2 / |F|   (times N for power batching)
//     folding:  (2m + 1) (|D| + 1) a / (sqrt(rho) |F|)      per round
//     queries:  alpha^q * 2^-g
//   m is searched over [3, 64] for the best minimum, as winterfell does.

double bits(double log2_error) { return -log2_error; }

struct Derived {
  double field_bits;  // f
  double log_domain;  // log2 |D|
  double n;           // trace length
  double rho;
  double log2_functions;  // log2 N
  int fold_rounds;
};

Derived derive(const SecurityParams& p) {
  auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("SecurityParams: ") + what);
  };
  require(p.base_field_bits > 1, "base_field_bits must exceed 1");
  require(p.extension_degree >= 1, "extension_degree must be at least 1");
  require(p.log_blowup >= 1 && p.log_blowup <= 16, "log_blowup must be in [1, 16]");
  require(p.num_queries >= 1, "num_queries must be at least 1");
  require(p.query_pow_bits >= 0 && p.query_pow_bits <= 64, "query_pow_bits must be in [0, 64]");
  require(p.max_constraint_degree >= 1, "max_constraint_degree must be at least 1");
  require(p.log_trace_length >= 1 && p.log_trace_length <= 40,
          "log_trace_length must be in [1, 40]");
  require(p.num_columns >= 1, "num_columns must be at least 1");
  require(p.num_constraints >= 1, "num_constraints must be at least 1");
  require(p.num_openings >= 1, "num_openings must be at least 1");
  require(p.fri_folding_arity >= 2 && (p.fri_folding_arity & (p.fri_folding_arity - 1)) == 0,
          "fri_folding_arity must be a power of two >= 2");
  require(p.log_final_poly_length >= 0 && p.log_final_poly_length <= p.log_trace_length,
          "log_final_poly_length must be in [0, log_trace_length]");
  require(p.hash_collision_bits > 0, "hash_collision_bits must be positive");
  require(p.zk_log_degree_extension >= 0 && p.zk_log_degree_extension <= 8,
          "zk_log_degree_extension must be in [0, 8]");

  Derived d;
  // With zero knowledge the committed degree bound 2^log_degree replaces n in every PCS term.
  const int log_degree = p.log_trace_length + p.zk_log_degree_extension;
  d.field_bits = p.base_field_bits * p.extension_degree;
  d.log_domain = log_degree + p.log_blowup;
  d.n = std::ldexp(1.0, log_degree);
  d.rho = std::ldexp(1.0, -p.log_blowup);
  d.log2_functions = std::log2(double(p.num_columns) * p.num_openings);
  int log_arity = std::countr_zero(static_cast<unsigned>(p.fri_folding_arity));
  d.fold_rounds = (log_degree - p.log_final_poly_length + log_arity - 1) / log_arity;
  return d;
}

// log2 of a / |F| where a is given in log2 form and |F| = 2^f.
double log2_over(double log2_numerator, double field_bits) { return log2_numerator - field_bits; }

void add_proof_system_rounds(const SecurityParams& p, const Derived& d, double log2_list_size,
                          RegimeSecurity& out) {
  out.rounds.push_back(
      {"ALI constraint combination",
       bits(log2_list_size + std::log2(double(p.num_constraints)) - d.field_bits)});
  double deep_numerator = p.max_constraint_degree * (d.n + p.num_openings - 1) + (d.n - 1);
  // |F| - n - |D| computed in log space: |F| dwarfs n + |D| for any supported parameters.
  double log2_denominator =
      d.field_bits +
      std::log2(1.0 - std::exp2(std::log2(d.n + std::exp2(d.log_domain)) - d.field_bits));
  out.rounds.push_back({"DEEP out-of-domain sample",
                        bits(log2_list_size + std::log2(deep_numerator) - log2_denominator)});
}

void finish(RegimeSecurity& regime) {
  regime.bits = std::numeric_limits<double>::infinity();
  for (const RoundSecurity& r : regime.rounds) regime.bits = std::min(regime.bits, r.bits);
}

RegimeSecurity unique_decoding(const SecurityParams& p, const Derived& d) {
  RegimeSecurity out;
  add_proof_system_rounds(p, d, /*log2_list_size=*/0, out);
  double batching = log2_over(d.log_domain, d.field_bits);
  if (p.batching == BatchingMode::kPowers) batching += d.log2_functions;
  out.rounds.push_back({"FRI batching", bits(batching)});
  double fold = log2_over(std::log2(double(p.fri_folding_arity - 1)) + d.log_domain, d.field_bits);
  for (int i = 0; i < d.fold_rounds; ++i) {
    out.rounds.push_back({fmt::format("FRI folding round {}", i + 1), bits(fold)});
  }
  double query = p.num_queries * std::log2((1 + d.rho) / 2) - p.query_pow_bits;
  out.rounds.push_back({"FRI query phase", bits(query)});
  finish(out);
  return out;
}

std::optional<RegimeSecurity> johnson_for_m(const SecurityParams& p, const Derived& d, int m) {
  const double sqrt_rho = std::sqrt(d.rho);
  const double alpha = sqrt_rho * (1 + 1.0 / (2 * m));
  const double rho_plus = (d.n + p.num_openings) / std::exp2(d.log_domain);
  const double gap = alpha / std::sqrt(rho_plus) - 1;
  if (gap <= 0 || alpha >= 1) return std::nullopt;
  const double m_plus = std::ceil(1 / (2 * gap));
  const double list_size = (m_plus + 0.5) / std::sqrt(rho_plus);

  RegimeSecurity out;
  out.johnson_m = m;
  add_proof_system_rounds(p, d, std::log2(list_size), out);
  double batching = 7 * std::log2(m + 0.5) - std::log2(3.0) - 1.5 * std::log2(d.rho) +
                    2 * d.log_domain - d.field_bits;
  if (p.batching == BatchingMode::kPowers) batching += d.log2_functions;
  out.rounds.push_back({"FRI batching", bits(batching)});
  double fold = std::log2(2.0 * m + 1) + std::log2(std::exp2(d.log_domain) + 1) +
                std::log2(double(p.fri_folding_arity)) - std::log2(sqrt_rho) - d.field_bits;
  for (int i = 0; i < d.fold_rounds; ++i) {
    out.rounds.push_back({fmt::format("FRI folding round {}", i + 1), bits(fold)});
  }
  out.rounds.push_back(
      {"FRI query phase", bits(p.num_queries * std::log2(alpha) - p.query_pow_bits)});
  finish(out);
  return out;
}

RegimeSecurity johnson(const SecurityParams& p, const Derived& d) {
  RegimeSecurity best;
  best.bits = -std::numeric_limits<double>::infinity();
  for (int m = 3; m <= 64; ++m) {
    std::optional<RegimeSecurity> candidate = johnson_for_m(p, d, m);
    if (candidate && candidate->bits > best.bits) best = *candidate;
  }
  if (best.johnson_m == 0) best.bits = 0;  // no admissible m: no proven guarantee in this regime
  return best;
}

constexpr SecurityProfile kFast = {
    .name = "fast",
    .log_blowup = 1,
    .num_queries = 100,
    .query_pow_bits = 16,
    .extension_degree = 4,
    .fri_folding_arity = 2,
    .batching = BatchingMode::kIndependent,
    .bar = SecurityBar::kConjectured,
    .min_bits = 100,
    .max_log_trace_length = 22,
};

constexpr SecurityProfile kSecure = {
    .name = "secure",
    .log_blowup = 2,
    .num_queries = 124,
    .query_pow_bits = 16,
    .extension_degree = 4,
    .fri_folding_arity = 2,
    .batching = BatchingMode::kIndependent,
    .bar = SecurityBar::kProvenUniqueDecoding,
    .min_bits = 100,
    .max_log_trace_length = 21,
};

}  // namespace

SecurityReport analyze_security(const SecurityParams& params) {
  const Derived d = derive(params);
  SecurityReport report;
  const double query_bits = params.num_queries * params.log_blowup + params.query_pow_bits;
  report.conjectured_bits =
      std::min({query_bits, d.field_bits - d.log_domain, params.hash_collision_bits});
  report.unique_decoding = unique_decoding(params, d);
  report.johnson = johnson(params, d);
  return report;
}

const SecurityProfile& fast_profile() { return kFast; }
const SecurityProfile& secure_profile() { return kSecure; }

std::optional<SecurityProfile> profile_by_name(std::string_view name) {
  if (name == kFast.name) return kFast;
  if (name == kSecure.name) return kSecure;
  return std::nullopt;
}

SecurityParams make_security_params(const SecurityProfile& profile, const InstanceShape& shape) {
  SecurityParams p;
  p.extension_degree = profile.extension_degree;
  p.log_blowup = profile.log_blowup;
  p.num_queries = profile.num_queries;
  p.query_pow_bits = profile.query_pow_bits;
  p.fri_folding_arity = profile.fri_folding_arity;
  p.batching = profile.batching;
  p.log_trace_length = shape.log_trace_length;
  p.zk_log_degree_extension = shape.zk_log_degree_extension;
  p.num_columns = shape.num_columns;
  p.num_constraints = shape.num_constraints;
  p.max_constraint_degree = shape.max_constraint_degree;
  return p;
}

double bar_bits(const SecurityProfile& profile, const SecurityReport& report) {
  return profile.bar == SecurityBar::kConjectured ? report.conjectured_bits
                                                  : report.unique_decoding.bits;
}

std::string format_report(const SecurityReport& report) {
  auto weakest = [](const RegimeSecurity& regime) -> std::string {
    auto it = std::min_element(regime.rounds.begin(), regime.rounds.end(),
                               [](const auto& a, const auto& b) { return a.bits < b.bits; });
    return it == regime.rounds.end() ? "none" : it->round;
  };
  return fmt::format(
      "conjectured (ethSTARK): {:.1f} bits\n"
      "proven, unique decoding: {:.1f} bits (weakest: {})\n"
      "proven, Johnson bound (m = {}): {:.1f} bits (weakest: {})\n",
      report.conjectured_bits, report.unique_decoding.bits, weakest(report.unique_decoding),
      report.johnson.johnson_m, report.johnson.bits, weakest(report.johnson));
}

}  // namespace zkrv::stark
