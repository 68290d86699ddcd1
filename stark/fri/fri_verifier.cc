// The FRI verifier: checks the proof's shape, replays the transcript, verifies the input and
// fold-layer Merkle openings, recomputes the DEEP values at each queried point and replays the
// folds down to the final polynomial. pcs.h describes the protocol; fri_prover.cc is the other side.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "stark/field/canonical.h"
#include "stark/fri/pcs.h"
#include "stark/fri/pcs_internal.h"

namespace zkrv::stark::fri {
namespace {

using namespace internal;

std::vector<Ext> decode_ext_words(std::span<const uint32_t> words, const std::string& what) {
  if (words.size() % kD != 0) {
    throw FriError(what + ": " + std::to_string(words.size()) + " words do not form extension elements");
  }
  std::vector<Ext> values(words.size() / kD);
  for (size_t i = 0; i < values.size(); ++i) {
    std::optional<Ext> value = Ext::from_canonical(std::span<const uint32_t, kD>(words.data() + i * kD, kD));
    if (!value) throw FriError(what + ": word " + std::to_string(i * kD) + " is not a canonical field element");
    values[i] = *value;
  }
  return values;
}

std::vector<Fp> decode_base_words(std::span<const uint32_t> words, const std::string& what) {
  std::vector<Fp> values(words.size());
  if (std::optional<size_t> bad = from_canonical_words(words, values)) {
    throw FriError(what + ": word " + std::to_string(*bad) + " is not a canonical field element");
  }
  return values;
}

std::vector<std::vector<MatrixShape>> shapes_of(std::span<const RoundClaim> rounds) {
  std::vector<std::vector<MatrixShape>> shapes;
  for (const RoundClaim& round : rounds) shapes.push_back(round.shapes);
  return shapes;
}

using QueryDeepValues = std::vector<std::map<int, Ext, std::greater<>>>;  // [query] log LDE height -> D_h(x)

// Shapes of the proof: every count the statement and the schedule imply.
void check_proof_shape(std::span<const std::vector<MatrixShape>> round_shapes, const OpeningPoints& points,
                       const FoldSchedule& schedule, const FriProof& proof) {
  const size_t num_rounds = round_shapes.size();
  const size_t num_folds = schedule.log_arities.size();
  if (proof.opened_values.size() != num_rounds) {
    throw FriError("proof: opened values for " + std::to_string(proof.opened_values.size()) + " rounds, expected " +
                   std::to_string(num_rounds));
  }
  for (size_t r = 0; r < num_rounds; ++r) {
    if (proof.opened_values[r].size() != round_shapes[r].size()) {
      throw FriError("proof: round " + std::to_string(r) + " has opened values for " +
                     std::to_string(proof.opened_values[r].size()) + " matrices, expected " +
                     std::to_string(round_shapes[r].size()));
    }
    for (size_t m = 0; m < round_shapes[r].size(); ++m) {
      const auto& values = proof.opened_values[r][m];
      if (values.size() != points[r][m].size()) {
        throw FriError("proof: " + where(r, m) + " has values at " + std::to_string(values.size()) +
                       " points, expected " + std::to_string(points[r][m].size()));
      }
      for (const auto& at_point : values) {
        if (at_point.size() != static_cast<size_t>(round_shapes[r][m].width)) {
          throw FriError("proof: " + where(r, m) + " has " + std::to_string(at_point.size()) +
                         " opened columns, expected " + std::to_string(round_shapes[r][m].width));
        }
      }
    }
  }
  if (proof.fold_caps.size() != num_folds || proof.fold_openings.size() != num_folds) {
    throw FriError("proof: " + std::to_string(proof.fold_caps.size()) + " fold caps and " +
                   std::to_string(proof.fold_openings.size()) + " fold openings, expected " +
                   std::to_string(num_folds));
  }
  if (proof.final_poly.size() != size_t{1} << schedule.log_final_poly_len) {
    throw FriError("proof: final polynomial has " + std::to_string(proof.final_poly.size()) +
                   " coefficients, expected " + std::to_string(size_t{1} << schedule.log_final_poly_len));
  }
  if (proof.input_openings.size() != num_rounds) {
    throw FriError("proof: " + std::to_string(proof.input_openings.size()) + " input openings, expected " +
                   std::to_string(num_rounds));
  }
}

// The verifier's challenges, drawn from the transcript exactly as the prover drew them.
struct Challenges {
  std::vector<Ext> coefficients;  // DEEP batching, one per term
  std::vector<Ext> betas;         // one per fold round
  std::vector<uint64_t> queries;
};

// Replays the transcript: claimed values, batching, fold caps and betas, final polynomial,
// proof of work, query indices.
Challenges replay_transcript(const FriParams& params, const FoldSchedule& schedule, size_t terms, const FriProof& proof,
                             Transcript& transcript) {
  const size_t num_folds = schedule.log_arities.size();
  Challenges c;
  absorb_opened_values(transcript, proof.opened_values);
  c.coefficients = batching_coefficients(params, transcript, terms);
  for (size_t k = 0; k < num_folds; ++k) {
    transcript.absorb_digests("fold cap", proof.fold_caps[k]);
    c.betas.push_back(transcript.squeeze_extension<Ext>("fold beta"));
  }
  transcript.absorb_extensions("final poly", proof.final_poly);
  transcript.verify_pow("query pow", static_cast<unsigned>(params.query_pow_bits), proof.pow_nonce);
  c.queries = squeeze_queries(params, schedule, transcript);
  return c;
}

// Input openings: Merkle paths, then each query's DEEP values per LDE height.
QueryDeepValues deep_values_at_queries(const FriParams& params, std::span<const RoundClaim> rounds,
                                       std::span<const std::vector<MatrixShape>> round_shapes,
                                       const OpeningPoints& points, const FoldSchedule& schedule,
                                       const FriProof& proof, std::span<const Ext> coefficients,
                                       std::span<const uint64_t> queries) {
  const size_t num_rounds = rounds.size();
  const size_t num_queries = queries.size();
  std::vector<std::map<int, Ext, std::greater<>>> deep(num_queries);
  const std::vector<std::vector<size_t>> term_offsets = term_offsets_of(round_shapes, points);
  for (size_t r = 0; r < num_rounds; ++r) {
    const TreeOpening& opening = proof.input_openings[r];
    const std::vector<HeightGroup> groups = group_by_height(params, round_shapes[r]);
    const int log_rows = groups.front().log_lde_height;
    if (opening.rows.size() != num_queries) {
      throw FriError("proof: round " + std::to_string(r) + " opens " + std::to_string(opening.rows.size()) +
                     " rows, expected " + std::to_string(num_queries));
    }
    std::vector<size_t> indices;
    std::vector<size_t> group_heights;
    for (const HeightGroup& group : groups) group_heights.push_back(static_cast<size_t>(group.log_lde_height));
    for (uint64_t q : queries) indices.push_back(static_cast<size_t>(q >> (schedule.log_max_lde - log_rows)));
    const MerkleCap& cap = rounds[r].cap;
    if (cap.size() != size_t{1} << round_cap_height(params, round_shapes[r])) {
      throw FriError("proof: round " + std::to_string(r) + " cap has " + std::to_string(cap.size()) +
                     " digests, expected " + std::to_string(size_t{1} << round_cap_height(params, round_shapes[r])));
    }
    verify_openings<Blake2sHasher>(cap, group_heights, indices, opening.rows, opening.proof);

    // Per (matrix, point) term group: weights and the claimed combination.
    std::vector<std::vector<TermWeights>> weights(round_shapes[r].size());
    for (size_t m = 0; m < round_shapes[r].size(); ++m) {
      const size_t width = static_cast<size_t>(round_shapes[r][m].width);
      for (size_t p = 0; p < points[r][m].size(); ++p) {
        weights[m].emplace_back(coefficients.subspan(term_offsets[r][m] + p * width, width),
                                proof.opened_values[r][m][p]);
      }
    }
    for (size_t k = 0; k < num_queries; ++k) {
      for (size_t g = 0; g < groups.size(); ++g) {
        const HeightGroup& group = groups[g];
        const std::string what = "round " + std::to_string(r) + " query " + std::to_string(k) + " height 2^" +
                                 std::to_string(group.log_lde_height);
        const std::vector<Fp> row = decode_base_words(opening.rows[k][g], what);
        size_t expected_words = salt_elements(params);  // the salt follows the matrices' words
        for (size_t m : group.matrices) expected_words += static_cast<size_t>(round_shapes[r][m].width);
        if (row.size() != expected_words) {
          throw FriError(what + ": " + std::to_string(row.size()) + " opened words, expected " +
                         std::to_string(expected_words));
        }
        const uint64_t index = queries[k] >> (schedule.log_max_lde - group.log_lde_height);
        const Fp x = lde_shift() * subgroup_point(group.log_lde_height, index);
        Ext& sum = deep[k][group.log_lde_height];
        size_t offset = 0;
        for (size_t m : group.matrices) {
          const size_t width = static_cast<size_t>(round_shapes[r][m].width);
          const std::span<const Fp> values = std::span(row).subspan(offset, width);
          for (size_t p = 0; p < points[r][m].size(); ++p) {
            const Ext difference = Ext(x) - points[r][m][p];
            if (difference.is_zero()) throw FriError(what + ": an opening point lies in the LDE domain");
            sum += (weights[m][p].combine(values) - weights[m][p].claimed_combination) * difference.inverse();
          }
          offset += width;
        }
      }
    }
  }
  return deep;
}

// FRI layers: Merkle paths, then each query's folding chain. Returns the folded values at the
// final domain (2^log_final_domain points).
std::vector<Ext> fold_queries(const FriParams& params, const FoldSchedule& schedule, const FriProof& proof,
                              std::span<const Ext> betas, std::span<const uint64_t> queries,
                              const QueryDeepValues& deep) {
  const size_t num_folds = schedule.log_arities.size();
  const size_t num_queries = queries.size();
  std::vector<Ext> folded(num_queries);
  for (size_t k = 0; k < num_queries; ++k) folded[k] = deep[k].begin()->second;
  int log_size = schedule.log_max_lde;
  for (size_t f = 0; f < num_folds; ++f) {
    const int log_arity = schedule.log_arities[f];
    const int log_rows = log_size - log_arity;
    const TreeOpening& opening = proof.fold_openings[f];
    const std::string what = "fold round " + std::to_string(f);
    if (opening.rows.size() != num_queries) {
      throw FriError(what + ": " + std::to_string(opening.rows.size()) + " opened rows, expected " +
                     std::to_string(num_queries));
    }
    const size_t cap_size = size_t{1} << std::min(params.cap_height, log_rows);
    if (proof.fold_caps[f].size() != cap_size) {
      throw FriError(what + ": cap has " + std::to_string(proof.fold_caps[f].size()) + " digests, expected " +
                     std::to_string(cap_size));
    }
    std::vector<size_t> indices;
    for (uint64_t q : queries)
      indices.push_back(static_cast<size_t>((q >> (schedule.log_max_lde - log_size)) >> log_arity));
    const size_t heights[] = {static_cast<size_t>(log_rows)};
    verify_openings<Blake2sHasher>(proof.fold_caps[f], heights, indices, opening.rows, opening.proof);
    for (size_t k = 0; k < num_queries; ++k) {
      const std::string where = what + " query " + std::to_string(k);
      if (opening.rows[k].size() != 1) throw FriError(where + ": expected one height group");
      const size_t row_words = (size_t{1} << log_arity) * kD;
      if (opening.rows[k][0].size() != row_words + salt_elements(params)) {
        throw FriError(where + ": row of " + std::to_string(opening.rows[k][0].size()) + " words, expected " +
                       std::to_string(row_words + salt_elements(params)));
      }
      // The salt (params.zk) was hashed with the row; only the values fold.
      const std::vector<Ext> row = decode_ext_words(std::span(opening.rows[k][0]).first(row_words), where);
      const uint64_t index = queries[k] >> (schedule.log_max_lde - log_size);
      if (row[index & ((uint64_t{1} << log_arity) - 1)] != folded[k]) {
        throw FriError(where + ": the opened value at index " + std::to_string(index) +
                       " differs from the value the previous round folds to");
      }
      folded[k] = fold_row(row, index >> log_arity, log_size, log_arity, betas[f]);
      auto roll_in = deep[k].find(log_rows);
      if (roll_in != deep[k].end()) folded[k] += roll_in_weight(betas[f], log_arity) * roll_in->second;
    }
    log_size = log_rows;
  }
  return folded;
}

// The final polynomial takes every query's folded value at its point of the final domain.
void check_final_polynomial(const FoldSchedule& schedule, const FriProof& proof, std::span<const uint64_t> queries,
                            std::span<const Ext> folded) {
  int log_size = schedule.log_max_lde;
  for (int log_arity : schedule.log_arities) log_size -= log_arity;
  const size_t num_queries = queries.size();
  for (size_t k = 0; k < num_queries; ++k) {
    const uint64_t index = queries[k] >> (schedule.log_max_lde - log_size);
    const Ext expected = evaluate_polynomial(proof.final_poly, Ext(subgroup_point(log_size, index)));
    if (folded[k] != expected) {
      throw FriError("final polynomial: query " + std::to_string(k) + " (index " + std::to_string(queries[k]) +
                     ") folds to a value the final polynomial does not take");
    }
  }
}

}  // namespace

void verify(const FriParams& params, std::span<const RoundClaim> rounds, const OpeningPoints& points,
            const FriProof& proof, Transcript& transcript) {
  const std::vector<std::vector<MatrixShape>> round_shapes = shapes_of(rounds);
  const size_t terms = check_opening(params, round_shapes, points);
  const FoldSchedule schedule = schedule_for(params, round_shapes);
  check_proof_shape(round_shapes, points, schedule, proof);
  const Challenges challenges = replay_transcript(params, schedule, terms, proof, transcript);
  const QueryDeepValues deep = deep_values_at_queries(params, rounds, round_shapes, points, schedule, proof,
                                                      challenges.coefficients, challenges.queries);
  const std::vector<Ext> folded = fold_queries(params, schedule, proof, challenges.betas, challenges.queries, deep);
  check_final_polynomial(schedule, proof, challenges.queries, folded);
}

}  // namespace zkrv::stark::fri
