#include "stark/air/logup.h"

#include <fmt/format.h>

#include "stark/field/batch_inverse.h"

namespace zkrv::stark::air {

Ext fingerprint(const LogUpChallenges& challenges, BusId bus, std::span<const Fp> tuple) {
  Ext acc = Ext(Fp::from_u32(bus));
  Ext power = challenges.beta;
  for (const Fp& t : tuple) {
    acc += power * t;
    power *= challenges.beta;
  }
  return challenges.z - acc;
}

Ext boundary_sum(const LogUpChallenges& challenges, std::span<const BoundaryInteraction> boundary) {
  Ext sum = Ext::zero();
  for (const BoundaryInteraction& b : boundary) {
    const Ext fraction = Ext(b.multiplicity) * fingerprint(challenges, b.bus, b.tuple).inverse();
    sum += b.direction == Direction::kSend ? fraction : -fraction;
  }
  return sum;
}

InteractionTrace generate_interaction_trace(const Table& table, const TableAnalysis& analysis,
                                          const Matrix<Fp>& preprocessed, const TableWitness& witness,
                                          const LogUpChallenges& challenges) {
  const size_t k = analysis.interactions.size();
  if (k == 0) throw AirError(fmt::format("table {}: has no interactions", analysis.info.name));
  if (k > kMaxInteractionsPerTable) {
    throw AirError(fmt::format("table {}: {} interactions (at most {})", analysis.info.name, k, kMaxInteractionsPerTable));
  }
  RowEvaluator evaluator(table, analysis, preprocessed, witness);
  const size_t n = evaluator.rows();
  std::vector<Ext> fingerprints(n * k);
  std::vector<Fp> multiplicities(n * k);
  for (size_t row = 0; row < n; ++row) {
    const ValueBuilder<Fp>& b = evaluator.evaluate(row);
    size_t offset = 0;
    for (size_t i = 0; i < k; ++i) {
      const SymbolicInteraction& it = analysis.interactions[i];
      const Fp m = b.interaction_values[offset];
      multiplicities[row * k + i] = it.direction == Direction::kSend ? m : -m;
      fingerprints[row * k + i] = fingerprint(
          challenges, it.bus, std::span<const Fp>(b.interaction_values.data() + offset + 1, it.tuple.size()));
      offset += 1 + it.tuple.size();
    }
  }
  try {
    batch_inverse(std::span<Ext>(fingerprints));
  } catch (const std::domain_error&) {
    throw AirError(fmt::format("table {}: a LogUp fingerprint is zero (draw new challenges)", analysis.info.name));
  }

  const size_t groups = analysis.logup_groups.size();
  InteractionTrace result;
  result.columns = Matrix<Fp>(n, 4 * (groups + 1));
  std::vector<Ext> row_sums(n, Ext::zero());
  for (size_t row = 0; row < n; ++row) {
    std::span<Fp> out = result.columns.row(row);
    for (size_t g = 0; g < groups; ++g) {
      Ext h = Ext::zero();
      for (size_t i : analysis.logup_groups[g].interactions) h += fingerprints[row * k + i] * multiplicities[row * k + i];
      for (size_t d = 0; d < 4; ++d) out[4 * g + d] = h[d];
      row_sums[row] += h;
    }
  }
  Ext claimed = Ext::zero();
  for (const Ext& r : row_sums) claimed += r;
  const Ext claimed_over_n = claimed * Fp::from_u64(n).inverse();
  Ext running = Ext::zero();
  for (size_t row = 0; row < n; ++row) {
    running += row_sums[row] - claimed_over_n;
    std::span<Fp> out = result.columns.row(row);
    for (size_t d = 0; d < 4; ++d) out[4 * groups + d] = running[d];
  }
  result.claimed_sum = claimed;
  return result;
}

}  // namespace zkrv::stark::air
