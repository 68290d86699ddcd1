// LogUp buses: fingerprints, the helper and running-sum columns, and their constraints.
//
// A tuple t sent or received on bus b becomes the fraction  m / fp(b, t)  with
//     fp(b, t) = z - (b + beta * t_0 + beta^2 * t_1 + ...)
// (z, beta drawn from the extension field after the main traces are committed), signed + for a
// send and - for a receive. The buses balance when the sum of all fractions over all tables and
// rows, plus the verifier's boundary fractions, is zero.
//
// Per table, the fractions of a row are grouped (TableAnalysis::logup_groups, one or two per
// group) into extension-field helper columns h_g, each constrained on every row by
//     h_g * fp_a - m_a = 0                                     (one fraction)
//     h_g * fp_a * fp_b - (m_a * fp_b + m_b * fp_a) = 0         (two fractions, degree <= 3)
// and one running-sum column S with
//     first      * (S - sum_g h_g) = 0
//     transition * (S(next) - S - sum_g h_g(next)) = 0
//     last       * (S - claimed_sum) = 0
// where `last` selects the last active row (protocol::active_rows: under zero knowledge the rows
// after it are random and no constraint holds there, so their fractions never count). Together
// they force sum over the active rows of sum_g h_g = claimed_sum. The verifier checks sum over
// tables of claimed_sum plus the boundary fractions = 0.
//
// Extension-field columns are committed as 4 base-field columns each (coordinates 0..3), so a
// table with G groups has an interaction trace of 4 * (G + 1) base columns, S last.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "stark/air/machine.h"
#include "stark/air/symbolic.h"
#include "stark/air/witness.h"
#include "stark/field/packed_extension.h"

namespace zkrv::stark::air {

struct LogUpChallenges {
  Ext z;
  Ext beta;
};

Ext fingerprint(const LogUpChallenges& challenges, BusId bus, std::span<const Fp> tuple);

// The sum of a machine's boundary fractions (sign as in a table: + send, - receive).
Ext boundary_sum(const LogUpChallenges& challenges, std::span<const BoundaryInteraction> boundary);

// Lifts a value of the evaluation type V into the matching extension type E.
template <class E, class V>
E lift_to_extension(const V& v) {
  if constexpr (std::is_same_v<E, V>) {
    return v;
  } else {
    return E(v);
  }
}

template <class E>
E broadcast_extension(const Ext& x) {
  if constexpr (std::is_same_v<E, PackedKoalaBear4>) {
    return PackedKoalaBear4::broadcast(x);
  } else {
    return x;
  }
}

// Challenge-derived constants of one table, in the evaluation's extension type E.
template <class E>
struct LogUpConstants {
  std::array<E, kMaxTupleSize + 1> beta_powers;  // beta^0 .. beta^16
  std::vector<E> fingerprint_base;               // per interaction: z - bus
};

template <class E>
LogUpConstants<E> make_log_up_constants(const TableAnalysis& analysis, const LogUpChallenges& challenges) {
  LogUpConstants<E> k;
  Ext power = Ext::one();
  for (size_t j = 0; j <= kMaxTupleSize; ++j) {
    k.beta_powers[j] = broadcast_extension<E>(power);
    power *= challenges.beta;
  }
  for (const SymbolicInteraction& it : analysis.interactions) {
    k.fingerprint_base.push_back(broadcast_extension<E>(challenges.z - Ext(Fp::from_u32(it.bus))));
  }
  return k;
}

// Appends the table's LogUp constraint values, in the order the quotient and the verifier combine
// them: one per group, then the running sum's three. `local` and `next` hold G + 1 extension
// values (the helpers then S) on this row and the next; first, transition and last are the
// selectors at the point.
template <class V, class E>
void eval_log_up_constraints(const TableAnalysis& analysis, const LogUpConstants<E>& k,
                          std::span<const V> interaction_values, const E* local, const E* next, const V& first,
                          const V& transition, const V& last, const E& claimed_sum, std::vector<E>& out) {
  // Fingerprints and signed multiplicities, interaction by interaction.
  E fingerprints[kMaxInteractionsPerTable];
  E multiplicities[kMaxInteractionsPerTable];
  size_t offset = 0;
  for (size_t i = 0; i < analysis.interactions.size(); ++i) {
    const SymbolicInteraction& it = analysis.interactions[i];
    const V& m = interaction_values[offset];
    E fp = k.fingerprint_base[i];
    for (size_t j = 0; j < it.tuple.size(); ++j) fp = fp - k.beta_powers[j + 1] * interaction_values[offset + 1 + j];
    const E lifted = lift_to_extension<E>(m);
    fingerprints[i] = fp;
    multiplicities[i] = it.direction == Direction::kSend ? lifted : -lifted;
    offset += 1 + it.tuple.size();
  }
  E row_sum_local{};
  E row_sum_next{};
  for (size_t g = 0; g < analysis.logup_groups.size(); ++g) {
    const std::vector<size_t>& members = analysis.logup_groups[g].interactions;
    if (members.size() == 1) {
      const size_t a = members[0];
      out.push_back(local[g] * fingerprints[a] - multiplicities[a]);
    } else {
      const size_t a = members[0], b = members[1];
      out.push_back(local[g] * fingerprints[a] * fingerprints[b] -
                    (multiplicities[a] * fingerprints[b] + multiplicities[b] * fingerprints[a]));
    }
    row_sum_local = row_sum_local + local[g];
    row_sum_next = row_sum_next + next[g];
  }
  const size_t s = analysis.logup_groups.size();
  out.push_back(lift_to_extension<E>(first) * (local[s] - row_sum_local));
  out.push_back(lift_to_extension<E>(transition) * (next[s] - local[s] - row_sum_next));
  out.push_back(lift_to_extension<E>(last) * (local[s] - claimed_sum));
}

// LogUp constraints per table with buses: one per group, three for the running sum.
inline size_t logup_constraint_count(const TableAnalysis& analysis) {
  return analysis.has_interactions() ? analysis.logup_groups.size() + 3 : 0;
}

struct InteractionTrace {
  Matrix<Fp> columns;  // n x 4 * (G + 1)
  Ext claimed_sum;
};

// Builds a table's helper and running-sum columns from its witness (one batch inversion for all
// fingerprints), counting the rows before the last `reserved_rows` (zero there: the prover fills
// them with random values under zero knowledge). Throws AirError for shape problems or, with
// probability ~n/|Ext|, a zero fingerprint.
InteractionTrace generate_interaction_trace(const Table& table, const TableAnalysis& analysis,
                                          const Matrix<Fp>& preprocessed, const TableWitness& witness,
                                          const LogUpChallenges& challenges, size_t reserved_rows = 0);

// Reads extension value `index` (coordinates in 4 consecutive base columns) of a row.
inline Ext extension_at(std::span<const Fp> row, size_t index) {
  return Ext({row[4 * index], row[4 * index + 1], row[4 * index + 2], row[4 * index + 3]});
}

}  // namespace zkrv::stark::air
