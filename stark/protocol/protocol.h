// The multi-table STARK protocol shared by prover and verifier: the verifying key, the proof,
// its binary format, the transcript steps and the round layout both sides derive from the
// machine and the table heights, and the selector / vanishing values at a point.
//
// Transcript (after fri::new_transcript: protocol id, version, FRI parameters):
//   "verifying key" (its hash), "log heights", "public values" (one item per table),
//   "main cap", ["logup pow" (grinding, FriParams::interaction_pow_bits), "logup z", "logup beta",
//   "interaction cap", "claimed sums"],
//   "constraint alpha", "quotient cap", ["deep pow" (grinding, FriParams::deep_pow_bits, when non-zero)],
//   "zeta", then the FRI opening (stark/fri/pcs.h).
// Rounds opened by FRI, in order: [preprocessed] (from the verifying key), main, [interaction],
// quotient. Every matrix of the first three is opened at zeta and zeta * g_t (g_t the generator
// of its table's trace domain); quotient matrices at zeta only.
//
// Proof file: "ZKRVSTK" | format version (u8) | FRI parameters hash (32) | verifying key hash (32)
//   | table count (u8) | per table: log height (u8) | public values (canonical u32s; counts from
//   the machine) | main cap | [interaction cap | claimed sums (one Ext per table with buses)]
//   | quotient cap | [deep pow nonce (u64), when FriParams::deep_pow_bits > 0] | FRI proof (stark/proof EncodeFriProof). Cap sizes and every other count are
//   implied; decoding rejects anything else with a ProofDecodeError naming field and offset.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "stark/air/machine.h"
#include "stark/fri/fri_params.h"
#include "stark/fri/pcs.h"
#include "stark/hash/digest.h"
#include "stark/merkle/merkle.h"
#include "stark/security/security.h"
#include "stark/transcript/transcript.h"

namespace zkrv::stark::protocol {

using air::Ext;
using air::Fp;

inline constexpr std::string_view kStarkMagic = "ZKRVSTK";
inline constexpr uint8_t kStarkFormatVersion = 5;  // 2: zero knowledge (salts, mask, chunk shapes); 3: LogUp PoW nonce; 4: zk mask bus columns; 5: hiding at degree n (reserved rows)
inline constexpr int kMinLogHeight = 1;
inline constexpr size_t kMaxTables = 32;

// Everything the verifier needs besides the machine's code: which constraint system (the digest
// of Machine::describe), and the commitment to the preprocessed columns.
struct VerifyingKey {
  Digest constraint_digest{};
  std::vector<int> preprocessed_log_heights;  // per table; -1 for tables without fixed columns
  MerkleCap preprocessed_cap;                 // empty when no table has fixed columns
  Digest hash() const;
  friend bool operator==(const VerifyingKey&, const VerifyingKey&) = default;
};

struct StarkProof {
  std::vector<int> log_heights;                   // per table
  std::vector<std::vector<Fp>> public_values;     // per table
  MerkleCap main_cap;
  uint64_t interaction_pow_nonce = 0;             // 0 when the machine has no buses
  uint64_t deep_pow_nonce = 0;                    // 0 when FriParams::deep_pow_bits is 0
  MerkleCap interaction_cap;                      // empty when the machine has no buses
  std::vector<Ext> claimed_sums;                  // per table with interactions, in table order
  MerkleCap quotient_cap;
  fri::FriProof opening;
  friend bool operator==(const StarkProof&, const StarkProof&) = default;
};

// The machine whose tables a proof under `params` commits to: with zero knowledge, the machine with
// its mask bus (air::Machine::zk_machine, docs/proof-system.md "Zero knowledge" part 5), otherwise
// the machine itself. Every function here that takes `params` and a machine applies it (it is
// idempotent), so callers pass the machine as defined; statement_shape takes the committed one.
const air::Machine& committed_machine(const fri::FriParams& params, const air::Machine& machine);

// Zero knowledge reserves the last reserved_rows(params) rows of every table (docs/proof-system.md,
// "Zero knowledge"): the prover fills them, in every main and interaction column, with uniform
// random values, and no constraint and no bus message holds there (the quotient divides by
// Z_H / Z_R, R the reserved rows). Their count is the number of base-field linear functionals a
// proof reveals per column: 2 num_queries + 2 * 4 (zero without zk). Preprocessed columns are zero
// on them.
size_t reserved_rows(const fri::FriParams& params);
// The rows of a table of 2^log_height rows that carry its witness: rows 0 .. active - 1, the last
// one being the `last` selector's row. Zero when the table is too short to reserve its rows.
size_t active_rows(const fri::FriParams& params, int log_height);
// The smallest table (log height, at least kMinLogHeight) with `rows` active rows: what every
// witness generator sizes its tables with.
int padded_log_height(const fri::FriParams& params, size_t rows);

// How one table's polynomials are committed: main and interaction columns at the trace's degree
// (< n), the quotient Q = C Z_R / Z_H split into quotient_chunks chunks
// Q = sum_k X^(k * stride) Q_k of degree < n each; with zero knowledge the chunks are randomized so
// that their sum stays Q (docs/proof-system.md, "Zero knowledge"). Without zk: stride n,
// TableAnalysis::quotient_chunks() chunks, no randomness, no reserved rows.
struct TableShape {
  int log_committed = 0;          // = the table's log height (kept apart for the security terms)
  int quotient_chunks = 1;
  uint64_t quotient_stride = 0;
  int log_quotient_domain = 0;    // the prover evaluates Q on a coset of this size
  size_t reserved_rows = 0;       // the last rows, random under zk (reserved_rows)
  size_t quotient_randomness = 0;  // coefficients of each chunk-carry polynomial
};
TableShape table_shape(const fri::FriParams& params, const air::TableAnalysis& analysis, int log_height);

// Which round holds what, and every matrix's shape and point count, from the machine and heights.
// Under params.zk the quotient round ends with the DEEP/FRI masking polynomial (mask_matrix): four
// random columns (one extension value) of the tallest committed height, opened at zeta only.
struct RoundLayout {
  std::vector<std::vector<fri::MatrixShape>> shapes;     // [round][matrix]
  std::vector<std::vector<size_t>> points_per_matrix;    // [round][matrix]
  int preprocessed_round = -1, main_round = -1, interaction_round = -1, quotient_round = -1;
  std::vector<int> preprocessed_matrix, interaction_matrix;  // per table; -1 if none
  std::vector<TableShape> tables;
  int mask_matrix = -1;  // in the quotient round, under params.zk
};

RoundLayout make_layout(const fri::FriParams& params, const air::Machine& machine, const VerifyingKey& vk,
                        std::span<const int> log_heights);

// fri::OpeningPoints for the layout: zeta and zeta * g_t, or zeta alone for quotients.
fri::OpeningPoints make_opening_points(const RoundLayout& layout, const air::Machine& machine,
                                     std::span<const int> log_heights, const Ext& zeta);

// Absorbs the verifying key, heights and public values into a fresh transcript.
Transcript start_transcript(const fri::FriParams& params, const VerifyingKey& vk, std::span<const int> log_heights,
                           std::span<const std::vector<Fp>> public_values, bool record = false);

// The selectors and the vanishing polynomial of the active rows at a point x outside the trace
// domain H of n = 2^log_n points, whose last `reserved` rows R are switched off: with a = n -
// reserved - 1 the last active row, first = Z_H / (n (x - 1)), last = Z_H / (n (x g^-a - 1))
// (the Lagrange polynomial of row a), transition = 1 - last, vanishing = Z_H / Z_R (R's h factors
// evaluated directly). trace_vanishing is Z_H(x) = x^n - 1 itself.
template <class F>
struct SelectorValues {
  F first, last, transition, vanishing, trace_vanishing;
};
SelectorValues<Ext> selectors_at(const Ext& x, int log_n, size_t reserved);

// The tallest log height a table may have under `params`: the field's two-adicity less the blowup,
// and, for parameters that name a profile (fri::profile_for_params), that profile's analysed limit.
int max_log_height(const fri::FriParams& params);

// What the security calculator needs of a statement: per table its height, committed degree,
// constraints (its own and its LogUp ones), degree and opened functions (the quotient chunks and,
// with zero knowledge, the masking polynomial as `params` commits them); the LogUp fractions of
// all tables and the verifier's `num_boundary_interactions` boundary terms, and the longest tuple.
// `machine` is the committed one (committed_machine).
StatementShape statement_shape(const fri::FriParams& params, const air::Machine& machine,
                               std::span<const int> log_heights, size_t num_boundary_interactions);

// The security of a proof of this statement under `params` (docs/proof-system.md, "Security").
// The prover reports it with its proof; the verifier computes it again from the proof's statement
// and holds it to the profile's bar.
SecurityReport statement_security(const fri::FriParams& params, const air::Machine& machine,
                                  std::span<const int> log_heights, size_t num_boundary_interactions);

// The parameters a proof of this statement must use when `params` name a profile with several
// parameter sets (stark::profile_parameter_sets; `fast`): `params` with the profile knobs of the
// first set under which every table fits (max_log_height) and the statement reaches the bar, so
// that the choice is a function of the statement's shape the verifier recomputes. nullopt when
// `params` name no profile (any parameters are taken as given) or no set carries the statement
// (then the height or bar check refuses it). The other knobs (later arities, final length, cap
// height, zk) stay `params`'.
std::optional<fri::FriParams> required_params(const fri::FriParams& params, const air::Machine& machine,
                                              std::span<const int> log_heights, size_t num_boundary_interactions);

// The profile knobs of `profile` (one of a profile's parameter sets) on `params`' other knobs.
fri::FriParams with_profile_knobs(const fri::FriParams& params, const SecurityProfile& profile);

// Checks the statement's shape against the machine and key: table count, height range (the
// profile's limit included, max_log_height) and the heights fixed by preprocessed columns, public
// value counts, claimed-sum count, the LogUp bound. Throws air::AirError or fri::FriError naming
// what is wrong.
void check_statement(const fri::FriParams& params, const air::Machine& machine, const VerifyingKey& vk,
                    const StarkProof& proof);

std::vector<uint8_t> encode_stark_proof(const fri::FriParams& params, const air::Machine& machine,
                                      const VerifyingKey& vk, const StarkProof& proof);
// Throws proof::ProofDecodeError (only that) for any malformed input.
StarkProof decode_stark_proof(const fri::FriParams& params, const air::Machine& machine, const VerifyingKey& vk,
                            std::span<const uint8_t> bytes);

}  // namespace zkrv::stark::protocol
