#include "stark/fri/pcs.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>

#include "stark/field/batch_inverse.h"
#include "stark/field/canonical.h"
#include "stark/field/packed_koalabear.h"
#include "stark/ntt/ntt.h"

namespace zkrv::stark::fri {
namespace {

static_assert(sizeof(Fp) == sizeof(uint32_t) && alignof(Fp) == alignof(uint32_t));
static_assert(sizeof(Ext) == Ext::kDegree * sizeof(Fp));

constexpr size_t kD = Ext::kDegree;

// The Merkle layer hashes canonical words; matrices hold Montgomery form. Converted chunk-wise.
void montgomery_to_canonical(std::span<const uint32_t> in, std::span<uint32_t> out) {
  to_canonical_words(std::span<const Fp>(reinterpret_cast<const Fp*>(in.data()), in.size()), out);
}

const uint32_t* words(const Fp* values) { return reinterpret_cast<const uint32_t*>(values); }
const uint32_t* words(const Ext* values) { return reinterpret_cast<const uint32_t*>(values); }

std::string where(size_t round, size_t matrix) {
  return "round " + std::to_string(round) + " matrix " + std::to_string(matrix);
}

void check_shape(const FriParams& params, const MatrixShape& shape, const std::string& where) {
  const int max_log_height = Fp::kTwoAdicity - params.log_blowup;
  if (shape.log_height < 0 || shape.log_height > max_log_height) {
    throw FriError(where + ": log height " + std::to_string(shape.log_height) + " is outside [0, " +
                   std::to_string(max_log_height) + "]");
  }
  if (shape.width < 1) throw FriError(where + ": width " + std::to_string(shape.width) + " is below 1");
}

// Shapes and points agree and are in range. Returns the number of batched terms.
size_t check_opening(const FriParams& params, std::span<const std::vector<MatrixShape>> round_shapes,
                    const OpeningPoints& points) {
  params.validate();
  if (round_shapes.empty()) throw FriError("opening: no committed rounds");
  if (points.size() != round_shapes.size()) {
    throw FriError("opening: points are given for " + std::to_string(points.size()) + " rounds, but " +
                   std::to_string(round_shapes.size()) + " rounds are committed");
  }
  size_t terms = 0;
  for (size_t r = 0; r < round_shapes.size(); ++r) {
    if (round_shapes[r].empty()) throw FriError("opening: round " + std::to_string(r) + " has no matrices");
    if (points[r].size() != round_shapes[r].size()) {
      throw FriError("opening: round " + std::to_string(r) + " has points for " + std::to_string(points[r].size()) +
                     " matrices but " + std::to_string(round_shapes[r].size()) + " matrices");
    }
    for (size_t m = 0; m < round_shapes[r].size(); ++m) {
      check_shape(params, round_shapes[r][m], where(r, m));
      if (points[r][m].empty() || points[r][m].size() > kMaxPointsPerMatrix) {
        throw FriError(where(r, m) + ": " + std::to_string(points[r][m].size()) + " opening points, expected 1.." +
                       std::to_string(kMaxPointsPerMatrix));
      }
      terms += points[r][m].size() * static_cast<size_t>(round_shapes[r][m].width);
    }
  }
  return terms;
}

std::vector<Ext> batching_coefficients(const FriParams& params, Transcript& transcript, size_t terms) {
  if (params.batching == Batching::kIndependent) {
    return transcript.squeeze_extensions<Ext>("deep coefficients", terms);
  }
  const Ext alpha = transcript.squeeze_extension<Ext>("deep alpha");
  std::vector<Ext> powers(terms);
  Ext power = Ext::one();
  for (Ext& p : powers) {
    p = power;
    power *= alpha;
  }
  return powers;
}

// The coefficients of one (matrix, point) term group, coordinate-major, so that combining a row of
// base-field values is kD plain dot products with delayed reduction.
class TermWeights {
 public:
  std::array<std::vector<Fp>, kD> coordinates;
  Ext claimed_combination;  // sum_c coefficient_c * f_c(z)

  TermWeights(std::span<const Ext> coefficients, std::span<const Ext> claimed_values) {
    for (size_t j = 0; j < kD; ++j) {
      coordinates[j].resize(coefficients.size());
      for (size_t c = 0; c < coefficients.size(); ++c) coordinates[j][c] = coefficients[c][j];
    }
    for (size_t c = 0; c < coefficients.size(); ++c) claimed_combination += coefficients[c] * claimed_values[c];
  }

  Ext combine(std::span<const Fp> row) const {
    typename Ext::Coefficients out;
    for (size_t j = 0; j < kD; ++j) out[j] = dot_product(row, coordinates[j].data());
    return Ext(out);
  }

 private:
  // sum_c row[c] * weights[c], 16 columns at a time.
  static Fp dot_product(std::span<const Fp> row, const Fp* weights) {
    constexpr size_t kLanes = PackedKoalaBear::kWidth;
    PackedKoalaBear sum;
    size_t c = 0;
    for (; c + kLanes <= row.size(); c += kLanes) {
      sum = sum + PackedKoalaBear::load(row.data() + c) * PackedKoalaBear::load(weights + c);
    }
    if (c < row.size()) {
      const size_t tail = row.size() - c;
      sum = sum + PackedKoalaBear::load_partial(row.data() + c, tail) * PackedKoalaBear::load_partial(weights + c, tail);
    }
    alignas(64) Fp lanes[kLanes];
    sum.store(lanes);
    Fp total;
    for (const Fp& lane : lanes) total += lane;
    return total;
  }
};

// x_i = shift * w_N^rev(i) for the bit-reversed coset shift * H_N, N = 2^log_size.
std::vector<Fp> bit_reversed_coset(int log_size, Fp shift) {
  const size_t size = size_t{1} << log_size;
  std::vector<Fp> natural(size);
  const Fp generator = Fp::two_adic_generator(log_size);
  Fp power = shift;
  for (size_t i = 0; i < size; ++i) {
    natural[i] = power;
    power *= generator;
  }
  std::vector<Fp> points(size);
  for (size_t i = 0; i < size; ++i) points[i] = natural[reverse_bits(i, log_size)];
  return points;
}

// 1 / (x_i - z) for every point; FriError if z is one of them.
std::vector<Ext> inverse_differences(std::span<const Fp> xs, const Ext& z, const char* what) {
  std::vector<Ext> differences(xs.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, xs.size(), 8192), [&](const tbb::blocked_range<size_t>& range) {
    for (size_t i = range.begin(); i < range.end(); ++i) differences[i] = Ext(xs[i]) - z;
  });
  try {
    // Chunks keep the batch inversion parallel; one field inversion per chunk.
    constexpr size_t kChunk = size_t{1} << 14;
    tbb::parallel_for(size_t{0}, (xs.size() + kChunk - 1) / kChunk, [&](size_t chunk) {
      const size_t begin = chunk * kChunk;
      batch_inverse(std::span<Ext>(differences).subspan(begin, std::min(kChunk, xs.size() - begin)));
    });
  } catch (const std::domain_error&) {
    throw FriError(std::string(what) + ": the opening point lies in the evaluation domain");
  }
  return differences;
}

// Barycentric evaluation at each z of the columns of `rows` (n rows, row i holding f(x_i)), where
// the x_i form the coset shift * H_n:
//     f(z) = (z^n - shift^n) / (n shift^n) * sum_i f(x_i) x_i / (z - x_i).
// One pass over the rows serves every point; the sums run 16 columns at a time, one accumulator per
// (point, extension coordinate, column).
std::vector<std::vector<Ext>> evaluate_on_coset(const Fp* rows, size_t n, size_t width, std::span<const Fp> xs, Fp shift,
                                              std::span<const Ext> zs) {
  constexpr size_t kLanes = PackedKoalaBear::kWidth;
  const size_t packs = (width + kLanes - 1) / kLanes;
  // weights[p][i] = x_i / (x_i - z_p); the sign is folded into the scale below.
  std::vector<std::vector<Ext>> weights;
  for (const Ext& z : zs) {
    std::vector<Ext> w = inverse_differences(xs, z, "evaluation");
    for (size_t i = 0; i < n; ++i) w[i] *= xs[i];
    weights.push_back(std::move(w));
  }
  const size_t accumulators = zs.size() * kD * packs;
  tbb::enumerable_thread_specific<std::vector<PackedKoalaBear>> partials{std::vector<PackedKoalaBear>(accumulators)};
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1024), [&](const tbb::blocked_range<size_t>& range) {
    std::vector<PackedKoalaBear>& sums = partials.local();
    for (size_t i = range.begin(); i < range.end(); ++i) {
      const Fp* row = rows + i * width;
      for (size_t p = 0; p < zs.size(); ++p) {
        for (size_t j = 0; j < kD; ++j) {
          const PackedKoalaBear weight = PackedKoalaBear::broadcast(weights[p][i][j]);
          PackedKoalaBear* sum = &sums[(p * kD + j) * packs];
          size_t k = 0;
          for (; (k + 1) * kLanes <= width; ++k) {
            sum[k] = sum[k] + PackedKoalaBear::multiply_by_broadcast(PackedKoalaBear::load(row + k * kLanes), weight);
          }
          if (k < packs) {
            const PackedKoalaBear tail = PackedKoalaBear::load_partial(row + k * kLanes, width - k * kLanes);
            sum[k] = sum[k] + PackedKoalaBear::multiply_by_broadcast(tail, weight);
          }
        }
      }
    }
  });
  std::vector<PackedKoalaBear> totals(accumulators);
  for (const std::vector<PackedKoalaBear>& sums : partials) {
    for (size_t a = 0; a < accumulators; ++a) totals[a] = totals[a] + sums[a];
  }
  const Fp shift_n = shift.pow(n);
  const Fp inverse_denominator = (Fp::from_u64(n) * shift_n).inverse();
  std::vector<std::vector<Ext>> values(zs.size(), std::vector<Ext>(width));
  for (size_t p = 0; p < zs.size(); ++p) {
    // sum_i f x / (x - z) = -sum_i f x / (z - x).
    const Ext scale = -(zs[p].pow(n) - Ext(shift_n)) * inverse_denominator;
    for (size_t c = 0; c < width; ++c) {
      typename Ext::Coefficients coordinates;
      for (size_t j = 0; j < kD; ++j) coordinates[j] = totals[(p * kD + j) * packs + c / kLanes].lane(c % kLanes);
      values[p][c] = Ext(coordinates) * scale;
    }
  }
  return values;
}

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

void absorb_opened_values(Transcript& transcript, const OpenedValues& values) {
  std::vector<Ext> flat;
  for (const auto& round : values) {
    for (const auto& matrix : round) {
      for (const auto& point : matrix) flat.insert(flat.end(), point.begin(), point.end());
    }
  }
  transcript.absorb_extensions("opened values", flat);
}

std::vector<std::vector<MatrixShape>> shapes_of(std::span<const CommittedRound* const> rounds) {
  std::vector<std::vector<MatrixShape>> shapes;
  for (const CommittedRound* round : rounds) shapes.push_back(round->shapes());
  return shapes;
}

std::vector<std::vector<MatrixShape>> shapes_of(std::span<const RoundClaim> rounds) {
  std::vector<std::vector<MatrixShape>> shapes;
  for (const RoundClaim& round : rounds) shapes.push_back(round.shapes);
  return shapes;
}

// Terms are numbered round, matrix, point, column; offsets[r][m] is matrix m's first.
std::vector<std::vector<size_t>> term_offsets_of(std::span<const std::vector<MatrixShape>> round_shapes,
                                             const OpeningPoints& points) {
  std::vector<std::vector<size_t>> offsets(round_shapes.size());
  size_t next = 0;
  for (size_t r = 0; r < round_shapes.size(); ++r) {
    for (size_t m = 0; m < round_shapes[r].size(); ++m) {
      offsets[r].push_back(next);
      next += points[r][m].size() * static_cast<size_t>(round_shapes[r][m].width);
    }
  }
  return offsets;
}

std::vector<uint64_t> squeeze_queries(const FriParams& params, const FoldSchedule& schedule, Transcript& transcript) {
  std::vector<uint64_t> queries(static_cast<size_t>(params.num_queries));
  for (uint64_t& q : queries) q = transcript.squeeze_index("query index", uint64_t{1} << schedule.log_max_lde);
  return queries;
}

}  // namespace

std::vector<HeightGroup> group_by_height(const FriParams& params, std::span<const MatrixShape> shapes) {
  std::map<int, std::vector<size_t>, std::greater<>> by_height;
  for (size_t m = 0; m < shapes.size(); ++m) by_height[shapes[m].log_height + params.log_blowup].push_back(m);
  std::vector<HeightGroup> groups;
  for (auto& [height, matrices] : by_height) groups.push_back({height, std::move(matrices)});
  return groups;
}

int round_cap_height(const FriParams& params, std::span<const MatrixShape> shapes) {
  int shortest = Fp::kTwoAdicity;
  for (const MatrixShape& shape : shapes) shortest = std::min(shortest, shape.log_height + params.log_blowup);
  return std::min(params.cap_height, shortest);
}

CommittedRound commit_ldes(const FriParams& params, std::vector<Matrix<Fp>> ldes) {
  params.validate();
  if (ldes.empty()) throw FriError("commit: no matrices");
  CommittedRound round;
  std::vector<MatrixView> views;
  for (size_t m = 0; m < ldes.size(); ++m) {
    const int log_rows = checked_log2_rows(ldes[m].rows(), "commit: LDE rows");
    MatrixShape shape{log_rows - params.log_blowup, static_cast<int>(ldes[m].width())};
    check_shape(params, shape, "commit: matrix " + std::to_string(m));
    round.shapes_.push_back(shape);
    views.push_back(MatrixView{words(ldes[m].data()), ldes[m].rows(), ldes[m].width(), montgomery_to_canonical});
  }
  round.ldes_ = std::move(ldes);  // moving the vector keeps every matrix's storage in place
  round.tree_ =
      std::make_unique<MerkleTree<>>(std::move(views), static_cast<size_t>(round_cap_height(params, round.shapes_)));
  return round;
}

CommittedRound commit(const FriParams& params, std::span<const Matrix<Fp>> traces) {
  params.validate();
  std::vector<Matrix<Fp>> ldes;
  ldes.reserve(traces.size());
  for (size_t m = 0; m < traces.size(); ++m) {
    const int log_rows = checked_log2_rows(traces[m].rows(), "commit: trace rows");
    check_shape(params, MatrixShape{log_rows, static_cast<int>(traces[m].width())},
               "commit: matrix " + std::to_string(m));
    ldes.push_back(coset_lde_from_evaluations(traces[m], params.log_blowup, lde_shift(), RowOrder::kBitReversed));
  }
  return commit_ldes(params, std::move(ldes));
}

FoldSchedule schedule_for(const FriParams& params, std::span<const std::vector<MatrixShape>> round_shapes) {
  std::vector<int> heights;
  for (const auto& shapes : round_shapes) {
    for (const MatrixShape& shape : shapes) heights.push_back(shape.log_height + params.log_blowup);
  }
  return make_fold_schedule(params, heights);
}

std::vector<Ext> evaluate_trace_at(const Matrix<Fp>& trace, const Ext& z) {
  const int log_n = checked_log2_rows(trace.rows(), "evaluate_trace_at: rows");
  std::vector<Fp> xs(trace.rows());
  const Fp generator = Fp::two_adic_generator(log_n);
  Fp power = Fp::one();
  for (Fp& x : xs) {
    x = power;
    power *= generator;
  }
  return evaluate_on_coset(trace.data(), trace.rows(), trace.width(), xs, Fp::one(), std::span(&z, 1))[0];
}

FriProof open(const FriParams& params, std::span<const CommittedRound* const> rounds, const OpeningPoints& points,
              Transcript& transcript, const ProverOptions& options) {
  const std::vector<std::vector<MatrixShape>> round_shapes = shapes_of(rounds);
  const size_t terms = check_opening(params, round_shapes, points);
  const FoldSchedule schedule = schedule_for(params, round_shapes);
  FriProof proof;

  // 1. Claimed values. The first 2^log_height rows of a bit-reversed LDE are the coset s * H_n.
  std::map<int, std::vector<Fp>> trace_cosets;  // log height -> x_i of s * H_n, bit-reversed
  proof.opened_values.resize(rounds.size());
  for (size_t r = 0; r < rounds.size(); ++r) {
    for (size_t m = 0; m < round_shapes[r].size(); ++m) {
      const MatrixShape& shape = round_shapes[r][m];
      auto [it, inserted] = trace_cosets.try_emplace(shape.log_height);
      if (inserted) it->second = bit_reversed_coset(shape.log_height, lde_shift());
      proof.opened_values[r].push_back(evaluate_on_coset(rounds[r]->lde(m).data(), size_t{1} << shape.log_height,
                                                       static_cast<size_t>(shape.width), it->second, lde_shift(),
                                                       points[r][m]));
    }
  }
  absorb_opened_values(transcript, proof.opened_values);

  // 2. DEEP polynomials, one per LDE height, over the bit-reversed coset of that height.
  const std::vector<Ext> coefficients = batching_coefficients(params, transcript, terms);
  std::map<int, std::vector<Ext>, std::greater<>> deep;  // log LDE height -> D_h
  const std::vector<std::vector<size_t>> term_offsets = term_offsets_of(round_shapes, points);
  size_t term = 0;
  for (size_t r = 0; r < rounds.size(); ++r) {
    for (const HeightGroup& group : group_by_height(params, round_shapes[r])) {
      const std::vector<Fp> xs = bit_reversed_coset(group.log_lde_height, lde_shift());
      std::vector<Ext>& sum = deep[group.log_lde_height];
      sum.resize(xs.size());
      for (size_t m : group.matrices) {
        const Matrix<Fp>& lde = rounds[r]->lde(m);
        const size_t width = lde.width();
        const size_t matrix_term = term_offsets[r][m];
        std::vector<TermWeights> weights;
        std::vector<std::vector<Ext>> inverses;  // inverses[p][i] = 1 / (x_i - z_p)
        for (size_t p = 0; p < points[r][m].size(); ++p) {
          weights.emplace_back(std::span<const Ext>(coefficients).subspan(matrix_term + p * width, width),
                               proof.opened_values[r][m][p]);
          inverses.push_back(inverse_differences(xs, points[r][m][p], "DEEP quotient"));
          term += width;
        }
        tbb::parallel_for(tbb::blocked_range<size_t>(0, xs.size(), 1024), [&](const tbb::blocked_range<size_t>& range) {
          for (size_t i = range.begin(); i < range.end(); ++i) {
            Ext row_sum;
            for (size_t p = 0; p < weights.size(); ++p) {
              row_sum += (weights[p].combine(lde.row(i)) - weights[p].claimed_combination) * inverses[p][i];
            }
            sum[i] += row_sum;
          }
        });
      }
    }
  }
  if (term != terms) throw FriError("DEEP quotient: internal term count mismatch");

  // 3. Commit phase.
  std::vector<Ext> current = std::move(deep.begin()->second);
  deep.erase(deep.begin());
  int log_size = schedule.log_max_lde;
  std::vector<std::vector<Ext>> layers;
  std::vector<std::unique_ptr<MerkleTree<>>> layer_trees;
  for (int log_arity : schedule.log_arities) {
    const size_t row_words = (size_t{1} << log_arity) * kD;
    layers.push_back(std::move(current));
    const std::vector<Ext>& layer = layers.back();
    const int log_rows = log_size - log_arity;
    layer_trees.push_back(
        std::make_unique<MerkleTree<>>(std::vector<MatrixView>{MatrixView{words(layer.data()), size_t{1} << log_rows,
                                                                          row_words, montgomery_to_canonical}},
                                       static_cast<size_t>(std::min(params.cap_height, log_rows))));
    proof.fold_caps.push_back(layer_trees.back()->cap());
    transcript.absorb_digests("fold cap", proof.fold_caps.back());
    const Ext beta = transcript.squeeze_extension<Ext>("fold beta");
    current = fold_vector(layer, log_size, log_arity, beta);
    log_size -= log_arity;
    if (!deep.empty() && deep.begin()->first == log_size) {
      const Ext weight = roll_in_weight(beta, log_arity);
      const std::vector<Ext>& input = deep.begin()->second;
      for (size_t i = 0; i < current.size(); ++i) current[i] += weight * input[i];
      deep.erase(deep.begin());
    }
  }
  if (!deep.empty() || log_size != schedule.log_final_domain) throw FriError("FRI: internal schedule mismatch");

  // 4. Final polynomial.
  std::vector<Ext> final_coefficients = interpolate_bit_reversed(current);
  const size_t final_len = size_t{1} << schedule.log_final_poly_len;
  if (options.check_final_degree) {
    for (size_t i = final_len; i < final_coefficients.size(); ++i) {
      if (!final_coefficients[i].is_zero()) {
        throw FriError("FRI prover: the final polynomial has degree " + std::to_string(i) + " >= bound " +
                       std::to_string(final_len) + "; the committed data does not match the claims");
      }
    }
  }
  final_coefficients.resize(final_len);
  proof.final_poly = std::move(final_coefficients);
  transcript.absorb_extensions("final poly", proof.final_poly);

  // 5. Grinding, queries.
  proof.pow_nonce = transcript.grind("query pow", static_cast<unsigned>(params.query_pow_bits));
  const std::vector<uint64_t> queries = squeeze_queries(params, schedule, transcript);

  for (size_t r = 0; r < rounds.size(); ++r) {
    const MerkleTree<>& tree = rounds[r]->tree();
    TreeOpening& opening = proof.input_openings.emplace_back();
    std::vector<size_t> indices;
    for (uint64_t q : queries) {
      indices.push_back(static_cast<size_t>(q >> (schedule.log_max_lde - static_cast<int>(tree.log_rows()))));
      opening.rows.push_back(tree.opening_words(indices.back()));
    }
    opening.proof = tree.open(indices);
  }
  log_size = schedule.log_max_lde;
  for (size_t k = 0; k < schedule.log_arities.size(); ++k) {
    const int log_arity = schedule.log_arities[k];
    TreeOpening& opening = proof.fold_openings.emplace_back();
    std::vector<size_t> indices;
    for (uint64_t q : queries) {
      indices.push_back(static_cast<size_t>((q >> (schedule.log_max_lde - log_size)) >> log_arity));
      opening.rows.push_back(layer_trees[k]->opening_words(indices.back()));
    }
    opening.proof = layer_trees[k]->open(indices);
    log_size -= log_arity;
  }
  return proof;
}

void verify(const FriParams& params, std::span<const RoundClaim> rounds, const OpeningPoints& points,
            const FriProof& proof, Transcript& transcript) {
  const std::vector<std::vector<MatrixShape>> round_shapes = shapes_of(rounds);
  const size_t terms = check_opening(params, round_shapes, points);
  const FoldSchedule schedule = schedule_for(params, round_shapes);
  const size_t num_rounds = rounds.size();
  const size_t num_folds = schedule.log_arities.size();

  // Shapes of the proof.
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

  // Replay the transcript.
  absorb_opened_values(transcript, proof.opened_values);
  const std::vector<Ext> coefficients = batching_coefficients(params, transcript, terms);
  std::vector<Ext> betas;
  for (size_t k = 0; k < num_folds; ++k) {
    transcript.absorb_digests("fold cap", proof.fold_caps[k]);
    betas.push_back(transcript.squeeze_extension<Ext>("fold beta"));
  }
  transcript.absorb_extensions("final poly", proof.final_poly);
  transcript.verify_pow("query pow", static_cast<unsigned>(params.query_pow_bits), proof.pow_nonce);
  const std::vector<uint64_t> queries = squeeze_queries(params, schedule, transcript);
  const size_t num_queries = queries.size();

  // Input openings: Merkle paths, then each query's DEEP values per LDE height.
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
        weights[m].emplace_back(std::span<const Ext>(coefficients).subspan(term_offsets[r][m] + p * width, width),
                                proof.opened_values[r][m][p]);
      }
    }
    for (size_t k = 0; k < num_queries; ++k) {
      for (size_t g = 0; g < groups.size(); ++g) {
        const HeightGroup& group = groups[g];
        const std::string what = "round " + std::to_string(r) + " query " + std::to_string(k) + " height 2^" +
                                 std::to_string(group.log_lde_height);
        const std::vector<Fp> row = decode_base_words(opening.rows[k][g], what);
        size_t expected_words = 0;
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

  // FRI layers: Merkle paths, then each query's folding chain.
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
      const std::vector<Ext> row = decode_ext_words(opening.rows[k][0], where);
      if (row.size() != size_t{1} << log_arity) {
        throw FriError(where + ": row of " + std::to_string(row.size()) + " values, expected " +
                       std::to_string(size_t{1} << log_arity));
      }
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
  for (size_t k = 0; k < num_queries; ++k) {
    const uint64_t index = queries[k] >> (schedule.log_max_lde - log_size);
    const Ext expected = evaluate_polynomial(proof.final_poly, Ext(subgroup_point(log_size, index)));
    if (folded[k] != expected) {
      throw FriError("final polynomial: query " + std::to_string(k) + " (index " + std::to_string(queries[k]) +
                     ") folds to a value the final polynomial does not take");
    }
  }
}

}  // namespace zkrv::stark::fri
