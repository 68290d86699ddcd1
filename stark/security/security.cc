#include "stark/security/security.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
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
//
// A statement of T tables (analyze_statement_security; analyze_security is the case T = 1 without
// buses): the ALI and DEEP errors are summed over the tables (a union bound: at most T times the
// largest, i.e. - log2 T bits), each with its own n, C, d and, in the Johnson regime, its own list
// size; FRI sees the tallest table's |D| and N summed over the tables; the conjecture's field term
// becomes sum_t |D_t| / |F|. The LogUp round, when the statement has buses (N_L fractions over
// all tables, rows, interactions and boundary terms, tuples of at most W entries):
//   LogUp:  L * N_L * (W + 2) / |F|
// (derivation in log2_log_up_error and docs/proof-system.md; the same bound as Plonky3's
// p3-security logup module). The conjectured figure takes the LogUp and ALI rounds with L = 1 as
// well: the conjecture speaks of FRI only.

double bits(double log2_error) { return -log2_error; }

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("SecurityParams: " + what);
}

// A scheme that commits a table's columns at a larger degree bound than its rows (log_committed,
// zk_log_degree_extension) has that bound, not the row count, as n in every PCS term (DEEP, FRI
// domains, list sizes); the constraints and the LogUp fractions still live on the rows. zkrv's
// zero knowledge keeps the bound at the row count (protocol::table_shape).
int committed_log(const SecurityParams& p, const TableSecurityShape& t) {
  return std::max(t.log_height + p.zk_log_degree_extension, t.log_committed);
}

// The statement-wide quantities every regime uses.
struct Derived {
  double field_bits;      // f
  int log_max_height;     // log2 of the tallest table
  double log_domain;      // log2 |D| of the tallest table: the first FRI domain
  double rho;
  double log2_functions;  // log2 N, N summed over the tables
  std::vector<int> fold_log_arities;
};

void check_protocol_knobs(const SecurityParams& p) {
  require(p.base_field_bits > 1, "base_field_bits must exceed 1");
  require(p.extension_degree >= 1, "extension_degree must be at least 1");
  require(p.log_blowup >= 1 && p.log_blowup <= 16, "log_blowup must be in [1, 16]");
  require(p.num_queries >= 1, "num_queries must be at least 1");
  require(p.query_pow_bits >= 0 && p.query_pow_bits <= 64, "query_pow_bits must be in [0, 64]");
  require(p.interaction_pow_bits >= 0 && p.interaction_pow_bits <= 64, "interaction_pow_bits must be in [0, 64]");
  require(p.deep_pow_bits >= 0 && p.deep_pow_bits <= 64, "deep_pow_bits must be in [0, 64]");
  require(p.num_openings >= 1, "num_openings must be at least 1");
  require(p.fri_folding_arity >= 2 && (p.fri_folding_arity & (p.fri_folding_arity - 1)) == 0,
          "fri_folding_arity must be a power of two >= 2");
  require(p.log_final_poly_length >= 0, "log_final_poly_length must be non-negative");
  require(p.hash_collision_bits > 0, "hash_collision_bits must be positive");
  require(p.zk_log_degree_extension >= 0 && p.zk_log_degree_extension <= 8,
          "zk_log_degree_extension must be in [0, 8]");
  for (int a : p.fold_log_arities) require(a >= 1 && a <= 16, "fold_log_arities must be in [1, 16]");
}

void check_statement_shape(const StatementShape& s) {
  require(!s.tables.empty(), "the statement has no tables");
  for (const TableSecurityShape& t : s.tables) {
    const std::string where = "table " + t.name + ": ";
    require(t.log_height >= 1 && t.log_height <= 40, where + "log_height must be in [1, 40]");
    require(t.num_constraints >= 1, where + "num_constraints must be at least 1");
    require(t.max_constraint_degree >= 1, where + "max_constraint_degree must be at least 1");
    require(t.num_opened_functions >= 1, where + "num_opened_functions must be at least 1");
  }
  require(s.logup.num_fractions >= 0, "logup num_fractions must be non-negative");
  require(s.logup.num_fractions == 0 || s.logup.max_tuple_length >= 1,
          "logup max_tuple_length must be at least 1 when there are fractions");
}

Derived derive(const SecurityParams& p, const StatementShape& s) {
  Derived d;
  d.field_bits = p.base_field_bits * p.extension_degree;
  d.log_max_height = 0;
  double functions = 0;
  for (const TableSecurityShape& t : s.tables) {
    d.log_max_height = std::max(d.log_max_height, committed_log(p, t));
    functions += t.num_opened_functions;
  }
  d.log_domain = d.log_max_height + p.log_blowup;
  d.rho = std::ldexp(1.0, -p.log_blowup);
  d.log2_functions = std::log2(functions);
  if (!p.fold_log_arities.empty()) {
    d.fold_log_arities = p.fold_log_arities;
  } else {
    const int log_arity = std::countr_zero(static_cast<unsigned>(p.fri_folding_arity));
    const int rounds = (std::max(0, d.log_max_height - p.log_final_poly_length) + log_arity - 1) / log_arity;
    d.fold_log_arities.assign(static_cast<size_t>(rounds), log_arity);
  }
  return d;
}

// log2 of a / |F| where a is given in log2 form and |F| = 2^f.
double log2_over(double log2_numerator, double field_bits) { return log2_numerator - field_bits; }

// log2 of a sum of terms given in log2 form.
double log2_sum(const std::vector<double>& log2_terms) {
  const double top = *std::max_element(log2_terms.begin(), log2_terms.end());
  double sum = 0;
  for (double t : log2_terms) sum += std::exp2(t - top);
  return top + std::log2(sum);
}

// LogUp (docs/proof-system.md, "Security"): for an unbalanced statement of N fractions with
// tuples of at most W entries, the cleared numerator is a non-zero polynomial of degree < N in z
// and <= (N - 1) W in beta (error (N - 1)(W + 1) / |F|, Schwartz-Zippel one variable at a time),
// and each of the N fingerprints is monic in z, so it vanishes for one z per beta (error N / |F|,
// a zero fingerprint frees its helper value). Together at most N (W + 2) / |F|.
double log2_log_up_error(const StatementShape& s, double field_bits) {
  const double fractions = std::max(1.0, s.logup.num_fractions);
  return std::log2(fractions) + std::log2(s.logup.max_tuple_length + 2.0) - field_bits;
}

// The rounds before FRI, each a union over the tables; log2_list_sizes[t] is table t's list size.
void add_proof_system_rounds(const SecurityParams& p, const StatementShape& s, const Derived& d,
                          const std::vector<double>& log2_list_sizes, RegimeSecurity& out) {
  const double log2_max_list = *std::max_element(log2_list_sizes.begin(), log2_list_sizes.end());
  if (s.logup.num_fractions > 0) {
    // Grinding before the challenges are drawn multiplies a cheating prover's work per attempt by
    // 2^interaction_pow_bits (as the query PoW does for the query phase).
    out.rounds.push_back({"LogUp challenges",
                          bits(log2_max_list + log2_log_up_error(s, d.field_bits)) + p.interaction_pow_bits});
  }
  std::vector<double> ali, deep;
  for (size_t t = 0; t < s.tables.size(); ++t) {
    const TableSecurityShape& table = s.tables[t];
    const double n = std::ldexp(1.0, committed_log(p, table));
    ali.push_back(log2_list_sizes[t] + std::log2(double(table.num_constraints)) - d.field_bits);
    const double deep_numerator = table.max_constraint_degree * (n + p.num_openings - 1) + (n - 1);
    // |F| - n - |D| computed in log space: |F| dwarfs n + |D| for any supported parameters.
    const double log2_denominator =
        d.field_bits +
        std::log2(1.0 - std::exp2(std::log2(n + std::ldexp(1.0, committed_log(p, table) + p.log_blowup)) - d.field_bits));
    deep.push_back(log2_list_sizes[t] + std::log2(deep_numerator) - log2_denominator);
  }
  out.rounds.push_back({"ALI constraint combination", bits(log2_sum(ali))});
  // Grinding before zeta is drawn multiplies the work of each attempt at a bad zeta (as for LogUp).
  out.rounds.push_back({"DEEP out-of-domain sample", bits(log2_sum(deep)) + p.deep_pow_bits});
}

void finish(RegimeSecurity& regime) {
  regime.bits = std::numeric_limits<double>::infinity();
  for (const RoundSecurity& r : regime.rounds) regime.bits = std::min(regime.bits, r.bits);
}

RegimeSecurity conjectured(const SecurityParams& p, const StatementShape& s, const Derived& d) {
  RegimeSecurity out;
  out.rounds.push_back({"FRI query phase", double(p.num_queries) * p.log_blowup + p.query_pow_bits});
  // The conjecture's field-size term |D| / |F|, one per table's domain (a union bound).
  std::vector<double> domains;
  for (const TableSecurityShape& t : s.tables) domains.push_back(double(committed_log(p, t) + p.log_blowup));
  out.rounds.push_back({"FRI proximity (field size)", d.field_bits - log2_sum(domains)});
  out.rounds.push_back({"hash collisions", p.hash_collision_bits});
  // The conjecture covers FRI and DEEP only; the algebraic rounds before them count as proven.
  RegimeSecurity algebraic;
  add_proof_system_rounds(p, s, d, std::vector<double>(s.tables.size(), 0.0), algebraic);
  for (RoundSecurity& r : algebraic.rounds) {
    if (r.round != "DEEP out-of-domain sample") out.rounds.push_back(std::move(r));
  }
  finish(out);
  return out;
}

RegimeSecurity unique_decoding(const SecurityParams& p, const StatementShape& s, const Derived& d) {
  RegimeSecurity out;
  add_proof_system_rounds(p, s, d, std::vector<double>(s.tables.size(), 0.0), out);
  double batching = log2_over(d.log_domain, d.field_bits);
  if (p.batching == BatchingMode::kPowers) batching += d.log2_functions;
  out.rounds.push_back({"FRI batching", bits(batching)});
  for (size_t i = 0; i < d.fold_log_arities.size(); ++i) {
    const double arity = std::ldexp(1.0, d.fold_log_arities[i]);
    out.rounds.push_back({fmt::format("FRI folding round {}", i + 1),
                          bits(log2_over(std::log2(arity - 1) + d.log_domain, d.field_bits))});
  }
  double query = p.num_queries * std::log2((1 + d.rho) / 2) - p.query_pow_bits;
  out.rounds.push_back({"FRI query phase", bits(query)});
  finish(out);
  return out;
}

std::optional<RegimeSecurity> johnson_for_m(const SecurityParams& p, const StatementShape& s, const Derived& d,
                                            int m) {
  const double sqrt_rho = std::sqrt(d.rho);
  const double alpha = sqrt_rho * (1 + 1.0 / (2 * m));
  if (alpha >= 1) return std::nullopt;
  // Each table's list size from its own rate of the DEEP quotient, (n + k) / |D|.
  std::vector<double> log2_list_sizes;
  for (const TableSecurityShape& t : s.tables) {
    const double rho_plus = (std::ldexp(1.0, committed_log(p, t)) + p.num_openings) /
                            std::ldexp(1.0, committed_log(p, t) + p.log_blowup);
    const double gap = alpha / std::sqrt(rho_plus) - 1;
    if (gap <= 0) return std::nullopt;
    const double m_plus = std::ceil(1 / (2 * gap));
    log2_list_sizes.push_back(std::log2((m_plus + 0.5) / std::sqrt(rho_plus)));
  }

  RegimeSecurity out;
  out.johnson_m = m;
  add_proof_system_rounds(p, s, d, log2_list_sizes, out);
  double batching = 7 * std::log2(m + 0.5) - std::log2(3.0) - 1.5 * std::log2(d.rho) +
                    2 * d.log_domain - d.field_bits;
  if (p.batching == BatchingMode::kPowers) batching += d.log2_functions;
  out.rounds.push_back({"FRI batching", bits(batching)});
  for (size_t i = 0; i < d.fold_log_arities.size(); ++i) {
    const double fold = std::log2(2.0 * m + 1) + std::log2(std::exp2(d.log_domain) + 1) +
                        d.fold_log_arities[i] - std::log2(sqrt_rho) - d.field_bits;
    out.rounds.push_back({fmt::format("FRI folding round {}", i + 1), bits(fold)});
  }
  out.rounds.push_back(
      {"FRI query phase", bits(p.num_queries * std::log2(alpha) - p.query_pow_bits)});
  finish(out);
  return out;
}

RegimeSecurity johnson(const SecurityParams& p, const StatementShape& s, const Derived& d) {
  RegimeSecurity best;
  best.bits = -std::numeric_limits<double>::infinity();
  for (int m = 3; m <= 64; ++m) {
    std::optional<RegimeSecurity> candidate = johnson_for_m(p, s, d, m);
    if (candidate && candidate->bits > best.bits) best = *candidate;
  }
  if (best.johnson_m == 0) best.bits = 0;  // no admissible m: no proven guarantee in this regime
  return best;
}

// `fast` proves with the first of its parameter sets that carries the statement (select_params
// in stark/protocol): blowup 4 gives 2 conjectured bits a query, so 42 queries and 16 grinding bits
// reach the bar with a third of the openings of blowup 2; but its field-size term (the summed
// domains, each 4n) reaches the bar only up to 2^21-row tables, so taller statements fall back to
// blowup 2 and 100 queries (up to 2^22 rows).
constexpr SecurityProfile kFast = {
    .name = "fast",
    .log_blowup = 2,
    .num_queries = 42,
    .query_pow_bits = 16,
    .interaction_pow_bits = 16,
    .deep_pow_bits = 0,
    .extension_degree = 4,
    .fri_folding_arity = 2,
    .batching = BatchingMode::kIndependent,
    .bar = SecurityBar::kConjectured,
    .min_bits = 100,
    .max_log_trace_length = 21,
};

constexpr SecurityProfile kFastTall = {
    .name = "fast",
    .log_blowup = 1,
    .num_queries = 100,
    .query_pow_bits = 16,
    .interaction_pow_bits = 16,
    .deep_pow_bits = 0,
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
    .interaction_pow_bits = 16,
    // The DEEP error is summed over the tables (each ~ 3n / |F|): a run whose tables reach 2^20
    // rows fell to 99.7 proven bits without it while zero knowledge doubled n (docs/benchmarks.md).
    .deep_pow_bits = 8,
    .extension_degree = 4,
    .fri_folding_arity = 2,
    .batching = BatchingMode::kIndependent,
    .bar = SecurityBar::kProvenUniqueDecoding,
    .min_bits = 100,
    .max_log_trace_length = 21,
};

}  // namespace

SecurityReport analyze_statement_security(const SecurityParams& params, const StatementShape& statement) {
  check_protocol_knobs(params);
  check_statement_shape(statement);
  const Derived d = derive(params, statement);
  SecurityReport report;
  report.conjectured = conjectured(params, statement, d);
  report.conjectured_bits = report.conjectured.bits;
  report.unique_decoding = unique_decoding(params, statement, d);
  report.johnson = johnson(params, statement, d);
  return report;
}

SecurityReport analyze_security(const SecurityParams& params) {
  require(params.log_trace_length >= 1 && params.log_trace_length <= 40, "log_trace_length must be in [1, 40]");
  require(params.num_columns >= 1, "num_columns must be at least 1");
  require(params.num_constraints >= 1, "num_constraints must be at least 1");
  require(params.max_constraint_degree >= 1, "max_constraint_degree must be at least 1");
  require(params.log_final_poly_length <= params.log_trace_length,
          "log_final_poly_length must be in [0, log_trace_length]");
  StatementShape statement;
  statement.tables.push_back({.name = "instance",
                              .log_height = params.log_trace_length,
                              .num_constraints = params.num_constraints,
                              .max_constraint_degree = params.max_constraint_degree,
                              .num_opened_functions = double(params.num_columns) * params.num_openings});
  return analyze_statement_security(params, statement);
}

std::string weakest_round(const RegimeSecurity& regime) {
  auto it = std::min_element(regime.rounds.begin(), regime.rounds.end(),
                             [](const auto& a, const auto& b) { return a.bits < b.bits; });
  return it == regime.rounds.end() ? "none" : it->round;
}

const SecurityProfile& fast_profile() { return kFast; }
const SecurityProfile& secure_profile() { return kSecure; }

std::span<const SecurityProfile> profile_parameter_sets(std::string_view name) {
  static constexpr std::array<SecurityProfile, 2> kFastSets = {kFast, kFastTall};
  static constexpr std::array<SecurityProfile, 1> kSecureSets = {kSecure};
  if (name == kFast.name) return kFastSets;
  if (name == kSecure.name) return kSecureSets;
  return {};
}

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
  p.interaction_pow_bits = profile.interaction_pow_bits;
  p.deep_pow_bits = profile.deep_pow_bits;
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

std::string bar_weakest_round(const SecurityProfile& profile, const SecurityReport& report) {
  return weakest_round(profile.bar == SecurityBar::kConjectured ? report.conjectured : report.unique_decoding);
}

std::optional<std::string> bar_shortfall(const SecurityProfile& profile, const SecurityReport& report) {
  const double achieved = bar_bits(profile, report);
  if (achieved >= profile.min_bits) return std::nullopt;
  return fmt::format("{:.1f} {} bits, below profile {}'s bar of {} (weakest: {})", achieved,
                     profile.bar == SecurityBar::kConjectured ? "conjectured" : "proven (UDR)", profile.name,
                     profile.min_bits, bar_weakest_round(profile, report));
}

std::string format_report(const SecurityReport& report) {
  const auto& weakest = weakest_round;
  return fmt::format(
      "conjectured (ethSTARK): {:.1f} bits (weakest: {})\n"
      "proven, unique decoding: {:.1f} bits (weakest: {})\n"
      "proven, Johnson bound (m = {}): {:.1f} bits (weakest: {})\n",
      report.conjectured_bits, weakest(report.conjectured), report.unique_decoding.bits, weakest(report.unique_decoding),
      report.johnson.johnson_m, report.johnson.bits, weakest(report.johnson));
}

}  // namespace zkrv::stark
