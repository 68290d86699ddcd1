// Soundness calculator for the zkrv STARK (FRI + DEEP-ALI) and the two named parameter profiles.
//
// For one parameter set it reports
//   * conjectured bits: the ethSTARK conjecture (toy-problem FRI soundness), as winterfell and
//     ethereum/soundcalc compute it;
//   * proven bits in the unique-decoding regime (UDR) and in the list-decoding regime up to the
//     Johnson bound, round by round (the protocol's security is its weakest round under
//     round-by-round soundness, which is what Fiat-Shamir preserves).
// The formulas, with their sources, are in security.cc and docs/proof-system.md ("Security").
// Every proof size or speed zkrv reports names the profile it was produced under.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zkrv::stark {

// How the DEEP quotient / FRI input combines its functions f_1..f_N into one.
enum class BatchingMode {
  kPowers,       // sum gamma^i f_i: one challenge; soundness error grows by a factor N
  kIndependent,  // f_1 + sum r_i f_i with independent r_i: error independent of N
};

struct SecurityParams {
  double base_field_bits = 30.988684;  // log2 |base field|; KoalaBear's log2(2^31 - 2^24 + 1)
  int extension_degree = 4;            // challenges and FRI live in the degree-e extension
  int log_blowup = 1;                  // rate rho = 2^-log_blowup
  int num_queries = 100;               // FRI query repetitions
  int query_pow_bits = 16;             // proof-of-work grinding before the queries are drawn
  int interaction_pow_bits = 0;        // grinding before the LogUp challenges (added to that round)
  int deep_pow_bits = 0;               // grinding before the out-of-domain point zeta (added to DEEP)
  int max_constraint_degree = 3;
  int log_trace_length = 20;  // trace domain size n = 2^log_trace_length
  int num_columns = 100;      // committed polynomials opened by DEEP
  int num_constraints = 100;  // constraints folded by the ALI challenge
  int num_openings = 2;       // points each column is opened at (zeta and zeta * g)
  int fri_folding_arity = 2;
  int log_final_poly_length = 0;  // FRI folds until the degree bound is 2^this
  BatchingMode batching = BatchingMode::kIndependent;
  double hash_collision_bits = 128;  // BLAKE2s-256
  // For a scheme that commits each column as a polynomial of degree < 2^(log_trace_length + this):
  // the DEEP and FRI terms use that degree and its LDE domain. zkrv's zero knowledge hides with
  // reserved rows at the trace's own degree (protocol::reserved_rows), so it sets 0.
  int zk_log_degree_extension = 0;
  // The exact FRI schedule (log2 of each round's arity, as fri::make_fold_schedule computes it),
  // when known; empty: fri_folding_arity down to log_final_poly_length.
  std::vector<int> fold_log_arities;
};

struct RoundSecurity {
  std::string round;  // e.g. "FRI query phase"
  double bits;        // -log2 of that round's soundness error
};

struct RegimeSecurity {
  double bits = 0;                    // minimum over rounds
  std::vector<RoundSecurity> rounds;  // every round, for reports and for finding the weakest
  int johnson_m = 0;                  // Johnson regime only: the proximity-gap parameter m used
};

struct SecurityReport {
  double conjectured_bits = 0;  // == conjectured.bits
  RegimeSecurity conjectured;   // its terms, so that the weakest can be named
  RegimeSecurity unique_decoding;
  RegimeSecurity johnson;
};

// Throws std::invalid_argument naming the offending field for out-of-range parameters
// (non-positive counts, blowup 0, arity not a power of two >= 2, and so on).
SecurityReport analyze_security(const SecurityParams& params);

// One table of a multi-table statement (stark/protocol builds these from a machine and a proof's
// heights).
struct TableSecurityShape {
  std::string name;
  int log_height = 1;     // rows: the trace domain of the constraints and the LogUp fractions
  int log_committed = 0;  // degree bound of its committed polynomials; 0: log_height
  int num_constraints = 1;  // combined by the ALI challenge: the table's own and its LogUp constraints
  int max_constraint_degree = 1;
  double num_opened_functions = 1;  // committed columns x their opening points: its share of the FRI batch
};

// The LogUp argument over the whole statement: every interaction of every row of every table,
// plus the verifier's boundary terms (docs/proof-system.md, "Security", LogUp term).
struct LogUpSecurityShape {
  double num_fractions = 0;  // 0: the statement has no buses
  int max_tuple_length = 0;
};

struct StatementShape {
  std::vector<TableSecurityShape> tables;
  LogUpSecurityShape logup;
};

// The security of one whole statement: the protocol knobs (field, blowup, queries, grinding, FRI
// schedule, batching, hash) come from `params`; its instance fields (log_trace_length,
// num_columns, num_constraints, max_constraint_degree) are ignored, the tables stand in for them.
// Adds the LogUp round and sums the ALI and DEEP errors over the tables (a union bound), and the
// FRI rounds see the tallest table's domain and every table's functions. analyze_security is this
// for one table without buses. Throws std::invalid_argument like analyze_security, or for an
// empty statement.
SecurityReport analyze_statement_security(const SecurityParams& params, const StatementShape& statement);

// The round with the fewest bits ("none" for an empty regime).
std::string weakest_round(const RegimeSecurity& regime);

// The size of one proving instance: what the profile does not fix.
struct InstanceShape {
  int log_trace_length = 20;
  int num_columns = 100;
  int num_constraints = 100;
  int max_constraint_degree = 3;
  int zk_log_degree_extension = 0;  // as in SecurityParams
};

enum class SecurityBar { kConjectured, kProvenUniqueDecoding };

struct SecurityProfile {
  std::string_view name;
  int log_blowup;
  int num_queries;
  int query_pow_bits;
  int interaction_pow_bits;  // grinding before the LogUp challenges
  int deep_pow_bits;         // grinding before the out-of-domain point zeta
  int extension_degree;
  int fri_folding_arity;
  BatchingMode batching;
  SecurityBar bar;  // which figure must reach min_bits
  double min_bits;
  // Largest trace for which the bar holds (the field-size terms grow with the domain).
  int max_log_trace_length;
};

// `fast`: >= 100 conjectured bits with the cheapest of two parameter sets that carries the
// statement: blowup 4, 42 queries, 16 PoW bits (up to 2^21-row tables; this one), else blowup 2,
// 100 queries, 16 PoW bits (up to 2^22-row tables). profile_parameter_sets lists both.
const SecurityProfile& fast_profile();
// `secure`: blowup 4, 124 queries, 16 PoW bits (SP1's setting); >= 100 proven bits (UDR) up to
// 2^21-row traces.
const SecurityProfile& secure_profile();
// "fast" or "secure" (its first parameter set); nullopt otherwise.
std::optional<SecurityProfile> profile_by_name(std::string_view name);
// Every parameter set of the named profile (all with its name and bar), in the order of preference:
// a statement is proven with the first one that carries it (stark/protocol select_params); empty
// for an unknown name.
std::span<const SecurityProfile> profile_parameter_sets(std::string_view name);

SecurityParams make_security_params(const SecurityProfile& profile, const InstanceShape& shape);

// The figure the profile's bar refers to, taken from `report`.
double bar_bits(const SecurityProfile& profile, const SecurityReport& report);
// That figure's weakest round.
std::string bar_weakest_round(const SecurityProfile& profile, const SecurityReport& report);
// Whether `report` reaches `profile`'s bar: nullopt if it does, otherwise why not, as one clause
// for messages ("97.0 proven (UDR) bits, below profile secure's bar of 100 (weakest: FRI folding
// round 2)"). The one comparison the prover (which refuses such a statement) and the verifier
// (which rejects its proof) both make.
std::optional<std::string> bar_shortfall(const SecurityProfile& profile, const SecurityReport& report);

// One line per figure and the weakest round of each regime, for logs and docs.
std::string format_report(const SecurityReport& report);

}  // namespace zkrv::stark
