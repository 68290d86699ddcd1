#include "stark/air/logup.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>


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

namespace {

using Packed = PackedKoalaBear;
using PackedExt = PackedKoalaBear4;
constexpr size_t kLanes = Packed::kWidth;

// Columns of rows first_row .. first_row + 15 (cyclically) of a row-major matrix, one packed value
// per column: strided gathers for a block inside the matrix, lane by lane at the wrap.
void load_rows(const Matrix<Fp>& matrix, size_t first_row, std::vector<Packed>& out) {
  const size_t rows = matrix.rows();
  const size_t width = matrix.width();
  out.resize(width);
  if (first_row + kLanes <= rows) {
    const Fp* block = matrix.data() + first_row * width;
    for (size_t c = 0; c < width; ++c) out[c] = Packed::load_strided(block + c, width);
    return;
  }
  alignas(64) std::array<Fp, kLanes> lanes;
  for (size_t c = 0; c < width; ++c) {
    for (size_t l = 0; l < kLanes; ++l) lanes[l] = matrix.at((first_row + l) % rows, c);
    out[c] = Packed::load(lanes.data());
  }
}

}  // namespace

InteractionTrace generate_interaction_trace(const Table& table, const TableAnalysis& analysis,
                                          const Matrix<Fp>& preprocessed, const TableWitness& witness,
                                          const LogUpChallenges& challenges, size_t reserved_rows) {
  const size_t k = analysis.interactions.size();
  if (k == 0) throw AirError(fmt::format("table {}: has no interactions", analysis.info.name));
  if (k > kMaxInteractionsPerTable) {
    throw AirError(fmt::format("table {}: {} interactions (at most {})", analysis.info.name, k, kMaxInteractionsPerTable));
  }
  // Checks the shapes (the packed evaluation below reads the same inputs).
  const RowEvaluator shapes(table, analysis, preprocessed, witness);
  const size_t n = shapes.rows();
  if (reserved_rows >= n) {
    throw AirError(fmt::format("table {}: {} rows leave no active row besides {} reserved", analysis.info.name, n,
                               reserved_rows));
  }
  const size_t active = n - reserved_rows;
  const bool has_preprocessed = analysis.info.preprocessed_width > 0;
  size_t interaction_value_count = 0;
  for (const SymbolicInteraction& it : analysis.interactions) interaction_value_count += 1 + it.tuple.size();
  const LogUpConstants<PackedExt> constants = make_log_up_constants<PackedExt>(analysis, challenges);
  std::vector<Packed> public_values;
  for (const Fp& v : witness.public_values) public_values.push_back(Packed::broadcast(v));

  // Per block of 16 rows and interaction: the fingerprint (1 in lanes past the last row) and the
  // signed multiplicity. eval runs on 16 rows at once, as in the quotient.
  const size_t blocks = (n + kLanes - 1) / kLanes;
  std::vector<PackedExt> fingerprints(blocks * k);
  std::vector<Packed> multiplicities(blocks * k);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, blocks, 64), [&](const tbb::blocked_range<size_t>& range) {
    ValueBuilder<Packed> builder;
    builder.public_values = public_values.data();
    std::vector<Packed> main_local, main_next, pre_local, pre_next;
    for (size_t block = range.begin(); block != range.end(); ++block) {
      const size_t first = block * kLanes;
      load_rows(witness.main, first, main_local);
      load_rows(witness.main, first + 1, main_next);
      builder.main_local = main_local.data();
      builder.main_next_row = main_next.data();
      if (has_preprocessed) {
        load_rows(preprocessed, first, pre_local);
        load_rows(preprocessed, first + 1, pre_next);
        builder.preprocessed_local = pre_local.data();
        builder.preprocessed_next_row = pre_next.data();
      }
      alignas(64) std::array<Fp, kLanes> first_row{}, last_row{}, valid{};
      for (size_t l = 0; l < kLanes && first + l < active; ++l) {
        first_row[l] = first + l == 0 ? Fp::one() : Fp::zero();
        last_row[l] = first + l + 1 == active ? Fp::one() : Fp::zero();
        valid[l] = Fp::one();
      }
      builder.first_row = Packed::load(first_row.data());
      builder.last_row = Packed::load(last_row.data());
      builder.transition = Packed::broadcast(Fp::one()) - builder.last_row;
      builder.clear();
      table.eval(builder);
      if (builder.interaction_values.size() != interaction_value_count) {
        throw AirError(fmt::format("table {}: eval emitted {} interaction values at rows {}.., but {} symbolically",
                                   analysis.info.name, builder.interaction_values.size(), first,
                                   interaction_value_count));
      }
      // Lanes past the last active row (reserved rows, tables under 16 rows) get fingerprint 1 and
      // multiplicity 0.
      const Packed in_range = Packed::load(valid.data());
      const PackedExt padding(Packed::broadcast(Fp::one()) - in_range);
      size_t offset = 0;
      for (size_t i = 0; i < k; ++i) {
        const SymbolicInteraction& it = analysis.interactions[i];
        PackedExt fp = constants.fingerprint_base[i];
        for (size_t j = 0; j < it.tuple.size(); ++j) {
          fp -= constants.beta_powers[j + 1] * builder.interaction_values[offset + 1 + j];
        }
        const Packed m = builder.interaction_values[offset] * in_range;
        fingerprints[block * k + i] = fp * in_range + padding;
        multiplicities[block * k + i] = it.direction == Direction::kSend ? m : -m;
        offset += 1 + it.tuple.size();
      }
    }
  });

  // Montgomery's batch inversion in 16 lanes, in parallel chunks (one inversion per lane and chunk).
  std::atomic<bool> zero_fingerprint{false};
  constexpr size_t kChunk = 4096;
  const size_t total = fingerprints.size();
  std::vector<PackedExt> prefix(total);
  tbb::parallel_for(size_t{0}, (total + kChunk - 1) / kChunk, [&](size_t chunk) {
    const size_t begin = chunk * kChunk;
    const size_t end = std::min(total, begin + kChunk);
    PackedExt running = fingerprints[begin];
    prefix[begin] = running;
    for (size_t i = begin + 1; i < end; ++i) {
      running *= fingerprints[i];
      prefix[i] = running;
    }
    std::array<Ext, kLanes> lanes;
    running.store(lanes.data());
    for (Ext& lane : lanes) {
      if (lane.is_zero()) {
        zero_fingerprint.store(true);
        return;
      }
      lane = lane.inverse();
    }
    PackedExt inverse = PackedExt::load(lanes.data());
    for (size_t i = end - 1; i > begin; --i) {
      const PackedExt f = fingerprints[i];
      fingerprints[i] = inverse * prefix[i - 1];
      inverse *= f;
    }
    fingerprints[begin] = inverse;
  });
  if (zero_fingerprint.load()) {
    throw AirError(fmt::format("table {}: a LogUp fingerprint is zero (draw new challenges)", analysis.info.name));
  }

  const size_t groups = analysis.logup_groups.size();
  InteractionTrace result;
  result.columns = Matrix<Fp>(n, 4 * (groups + 1));
  std::vector<Ext> row_sums(n);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, blocks, 64), [&](const tbb::blocked_range<size_t>& range) {
    std::array<Ext, kLanes> lanes;
    for (size_t block = range.begin(); block != range.end(); ++block) {
      const size_t first = block * kLanes;
      const size_t count = std::min(kLanes, n - first);
      PackedExt row_sum;
      for (size_t g = 0; g < groups; ++g) {
        PackedExt h;
        for (size_t i : analysis.logup_groups[g].interactions) h += fingerprints[block * k + i] * multiplicities[block * k + i];
        h.store(lanes.data(), count);
        for (size_t l = 0; l < count; ++l) {
          std::span<Fp> out = result.columns.row(first + l);
          for (size_t d = 0; d < 4; ++d) out[4 * g + d] = lanes[l][d];
        }
        row_sum += h;
      }
      row_sum.store(row_sums.data() + first, count);
    }
  });
  Ext claimed = Ext::zero();
  for (size_t row = 0; row < active; ++row) {
    claimed += row_sums[row];
    std::span<Fp> out = result.columns.row(row);
    for (size_t d = 0; d < 4; ++d) out[4 * groups + d] = claimed[d];
  }
  result.claimed_sum = claimed;
  return result;
}

}  // namespace zkrv::stark::air
