// The FRI prover: commit (LDE + Merkle tree per round) and open (claimed values, DEEP
// polynomials, commit phase, final polynomial, grinding and query openings). pcs.h describes the
// protocol; fri_verifier.cc is the other side.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "stark/field/batch_inverse.h"
#include "stark/field/canonical.h"
#include "stark/field/packed_extension.h"
#include "stark/field/packed_koalabear.h"
#include "stark/fri/pcs.h"
#include "stark/fri/pcs_internal.h"
#include "stark/fri/zk_random.h"
#include "stark/ntt/ntt.h"

namespace zkrv::stark::fri {
namespace {

using namespace internal;

static_assert(sizeof(Fp) == sizeof(uint32_t) && alignof(Fp) == alignof(uint32_t));
static_assert(sizeof(Ext) == Ext::kDegree * sizeof(Fp));

// The Merkle layer hashes canonical words; matrices hold Montgomery form. Converted chunk-wise.
void montgomery_to_canonical(std::span<const uint32_t> in, std::span<uint32_t> out) {
  to_canonical_words(std::span<const Fp>(reinterpret_cast<const Fp*>(in.data()), in.size()), out);
}

const uint32_t* words(const Fp* values) { return reinterpret_cast<const uint32_t*>(values); }
const uint32_t* words(const Ext* values) { return reinterpret_cast<const uint32_t*>(values); }

// Salt columns for a tree of `rows` leaves under params.zk: random from stream (label, index), or
// zero (public data).
Matrix<Fp> salt_matrix(size_t rows, const ZkRandom* random, std::string_view label, uint64_t index) {
  Matrix<Fp> salts(rows, kSaltElements);
  if (random != nullptr) random->fill(label, index, std::span<Fp>(salts.data(), rows * kSaltElements));
  return salts;
}

MatrixView salt_view(const Matrix<Fp>& salts) {
  return MatrixView{words(salts.data()), salts.rows(), salts.width(), montgomery_to_canonical};
}

using PackedExt = PackedKoalaBear4;
constexpr size_t kLanes = PackedKoalaBear::kWidth;

// FriError if z lies in the coset shift * H_N (then some x_i - z is zero): z is in the base field
// and (z / shift)^N = 1.
void check_outside_coset(const Ext& z, Fp shift, size_t size, const char* what) {
  for (size_t d = 1; d < kD; ++d) {
    if (!z[d].is_zero()) return;
  }
  if ((z[0] * shift.inverse()).pow(size) == Fp::one()) {
    throw FriError(std::string(what) + ": the opening point lies in the evaluation domain");
  }
}

// 1 / (x_i - z) for every point of a coset shift * H_N (xs in any order), 16 consecutive points per
// packed value (the last one padded with ones when N < 16). Montgomery's batch inversion runs in
// 16 independent lanes, in chunks that keep it parallel: one extension inversion per lane and
// chunk, and packed multiplications instead of scalar ones.
std::vector<PackedExt> inverse_differences(std::span<const Fp> xs, const Ext& z, Fp shift, const char* what) {
  check_outside_coset(z, shift, xs.size(), what);
  const size_t blocks = (xs.size() + kLanes - 1) / kLanes;
  const PackedExt z_packed = PackedExt::broadcast(z);
  const auto difference = [&](size_t block) {
    const size_t begin = block * kLanes;
    if (begin + kLanes <= xs.size()) return PackedExt(PackedKoalaBear::load(xs.data() + begin)) - z_packed;
    // Padding lanes hold 1: x = z + 1.
    alignas(64) std::array<Fp, kLanes> lanes{};
    const Fp padding = Fp::one();
    for (size_t l = 0; l < kLanes; ++l) lanes[l] = begin + l < xs.size() ? xs[begin + l] : padding;
    PackedExt r(PackedKoalaBear::load(lanes.data()));
    alignas(64) std::array<Fp, kLanes> mask{};
    for (size_t l = 0; l < kLanes; ++l) mask[l] = begin + l < xs.size() ? Fp::one() : Fp::zero();
    return r - z_packed * PackedKoalaBear::load(mask.data());
  };
  std::vector<PackedExt> out(blocks);
  constexpr size_t kChunk = 1024;  // blocks
  tbb::parallel_for(size_t{0}, (blocks + kChunk - 1) / kChunk, [&](size_t chunk) {
    const size_t begin = chunk * kChunk;
    const size_t end = std::min(blocks, begin + kChunk);
    // out[b] = product of the differences of blocks begin..b, lane by lane.
    PackedExt running = difference(begin);
    out[begin] = running;
    for (size_t b = begin + 1; b < end; ++b) {
      running *= difference(b);
      out[b] = running;
    }
    std::array<Ext, kLanes> lanes;
    running.store(lanes.data());
    for (Ext& lane : lanes) lane = lane.inverse();
    PackedExt inverse = PackedExt::load(lanes.data());
    for (size_t b = end - 1; b > begin; --b) {
      const PackedExt d = difference(b);
      out[b] = inverse * out[b - 1];
      inverse *= d;
    }
    out[begin] = inverse;
  });
  return out;
}

// Reads packed values back as N extension elements.
std::vector<Ext> unpack(const std::vector<PackedExt>& packed, size_t size) {
  std::vector<Ext> out(size);
  for (size_t b = 0; b < packed.size(); ++b) {
    packed[b].store(out.data() + b * kLanes, std::min(kLanes, size - b * kLanes));
  }
  return out;
}

// Barycentric weights x_i / (x_i - z) of the points x_i of a coset shift * H_n (any order).
std::vector<Ext> barycentric_weights(std::span<const Fp> xs, const Ext& z, Fp shift) {
  std::vector<Ext> w = unpack(inverse_differences(xs, z, shift, "evaluation"), xs.size());
  for (size_t i = 0; i < w.size(); ++i) w[i] *= xs[i];
  return w;
}

// Barycentric evaluation at each z of the columns of `rows` (n rows, row i holding f(x_i)), where
// the x_i form the coset shift * H_n and weights[p] = barycentric_weights(xs, zs[p], shift):
//     f(z) = (z^n - shift^n) / (n shift^n) * sum_i f(x_i) x_i / (z - x_i).
// One pass over the rows serves every point; the sums run 16 columns at a time, one accumulator per
// (point, extension coordinate, column).
std::vector<std::vector<Ext>> evaluate_on_coset(const Fp* rows, size_t n, size_t width,
                                              std::span<const std::vector<Ext>* const> weights, Fp shift,
                                              std::span<const Ext> zs) {
  const size_t packs = (width + kLanes - 1) / kLanes;
  const size_t accumulators = zs.size() * kD * packs;
  tbb::enumerable_thread_specific<std::vector<PackedKoalaBear>> partials{std::vector<PackedKoalaBear>(accumulators)};
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1024), [&](const tbb::blocked_range<size_t>& range) {
    std::vector<PackedKoalaBear>& sums = partials.local();
    for (size_t i = range.begin(); i < range.end(); ++i) {
      const Fp* row = rows + i * width;
      for (size_t p = 0; p < zs.size(); ++p) {
        for (size_t j = 0; j < kD; ++j) {
          const PackedKoalaBear weight = PackedKoalaBear::broadcast((*weights[p])[i][j]);
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

std::vector<std::vector<MatrixShape>> shapes_of(std::span<const CommittedRound* const> rounds) {
  std::vector<std::vector<MatrixShape>> shapes;
  for (const CommittedRound* round : rounds) shapes.push_back(round->shapes());
  return shapes;
}

// The bit-reversed cosets s * H_N an opening needs, computed once per size.
class CosetCache {
 public:
  const std::vector<Fp>& get(int log_size) {
    auto [it, inserted] = cosets_.try_emplace(log_size);
    if (inserted) it->second = bit_reversed_coset(log_size, lde_shift());
    return it->second;
  }

 private:
  std::map<int, std::vector<Fp>> cosets_;
};

// The distinct points of a list, in first-seen order.
size_t index_of_point(std::vector<Ext>& distinct, const Ext& z) {
  for (size_t i = 0; i < distinct.size(); ++i) {
    if (distinct[i] == z) return i;
  }
  distinct.push_back(z);
  return distinct.size() - 1;
}

using DeepPolynomials = std::map<int, std::vector<Ext>, std::greater<>>;  // log LDE height -> D_h

// 1. Claimed values. The first 2^log_height rows of a bit-reversed LDE are the coset s * H_n.
// Matrices of the same height opened at the same point (zeta, zeta * g for every table of one
// height) share their barycentric weights.
OpenedValues claimed_values(std::span<const CommittedRound* const> rounds,
                            std::span<const std::vector<MatrixShape>> round_shapes, const OpeningPoints& points,
                            CosetCache& cosets) {
  // log height -> distinct points, their weights (a deque: pushing keeps earlier ones in place)
  std::map<int, std::pair<std::vector<Ext>, std::deque<std::vector<Ext>>>> weights;
  OpenedValues opened_values(rounds.size());
  for (size_t r = 0; r < rounds.size(); ++r) {
    for (size_t m = 0; m < round_shapes[r].size(); ++m) {
      const MatrixShape& shape = round_shapes[r][m];
      const std::vector<Fp>& xs = cosets.get(shape.log_height);
      auto& [distinct, per_point] = weights[shape.log_height];
      std::vector<const std::vector<Ext>*> matrix_weights;
      for (const Ext& z : points[r][m]) {
        const size_t index = index_of_point(distinct, z);
        if (index == per_point.size()) per_point.push_back(barycentric_weights(xs, z, lde_shift()));
        matrix_weights.push_back(&per_point[index]);
      }
      opened_values[r].push_back(evaluate_on_coset(rounds[r]->lde(m).data(), size_t{1} << shape.log_height,
                                                   static_cast<size_t>(shape.width), matrix_weights, lde_shift(),
                                                   points[r][m]));
    }
  }
  return opened_values;
}

// 2. DEEP polynomials, one per LDE height, over the bit-reversed coset of that height:
//     D_h(x) = sum over distinct points z of (sum of the terms at z of c_t f_t(x) - claims) / (x - z),
// so each distinct point costs one inversion per row however many matrices are opened there. Rows
// are processed 16 at a time, each column gathered into one packed value.
DeepPolynomials deep_polynomials(const FriParams& params, std::span<const CommittedRound* const> rounds,
                                 std::span<const std::vector<MatrixShape>> round_shapes, const OpeningPoints& points,
                                 const OpenedValues& opened_values, std::span<const Ext> coefficients, size_t terms,
                                 CosetCache& cosets) {
  // One (matrix, point) term group: the matrix's rows, the distinct point's index, the weights.
  struct TermGroup {
    const Matrix<Fp>* lde;
    size_t point;
    TermWeights weights;
  };
  struct HeightTerms {
    std::vector<Ext> points;
    std::vector<Ext> claimed;  // per distinct point: the sum of its groups' claimed combinations
    std::vector<TermGroup> groups;
  };
  std::map<int, HeightTerms, std::greater<>> heights;
  const std::vector<std::vector<size_t>> term_offsets = term_offsets_of(round_shapes, points);
  size_t term = 0;
  for (size_t r = 0; r < rounds.size(); ++r) {
    for (const HeightGroup& group : group_by_height(params, round_shapes[r])) {
      HeightTerms& height = heights[group.log_lde_height];
      for (size_t m : group.matrices) {
        const Matrix<Fp>& lde = rounds[r]->lde(m);
        const size_t width = lde.width();
        for (size_t p = 0; p < points[r][m].size(); ++p) {
          const size_t index = index_of_point(height.points, points[r][m][p]);
          if (index == height.claimed.size()) height.claimed.push_back(Ext::zero());
          TermWeights weights(coefficients.subspan(term_offsets[r][m] + p * width, width), opened_values[r][m][p]);
          height.claimed[index] += weights.claimed_combination;
          height.groups.push_back(TermGroup{&lde, index, std::move(weights)});
          term += width;
        }
      }
    }
  }
  if (term != terms) throw FriError("DEEP quotient: internal term count mismatch");

  DeepPolynomials deep;
  for (const auto& entry : heights) {
    const int log_lde_height = entry.first;
    const HeightTerms& height = entry.second;  // a plain reference: lambdas below capture it
    const std::vector<Fp>& xs = cosets.get(log_lde_height);
    const size_t rows = xs.size();
    std::vector<std::vector<PackedExt>> inverses;  // per distinct point, 1 / (x - z) in blocks
    std::vector<PackedExt> claimed;
    for (size_t p = 0; p < height.points.size(); ++p) {
      inverses.push_back(inverse_differences(xs, height.points[p], lde_shift(), "DEEP quotient"));
      claimed.push_back(PackedExt::broadcast(height.claimed[p]));
    }
    std::vector<Ext>& sum = deep[log_lde_height];
    sum.resize(rows);
    const size_t blocks = (rows + kLanes - 1) / kLanes;
    tbb::parallel_for(tbb::blocked_range<size_t>(0, blocks, 64), [&](const tbb::blocked_range<size_t>& range) {
      std::vector<PackedExt> at_point(height.points.size());
      alignas(64) std::array<Fp, kLanes> column;
      for (size_t b = range.begin(); b < range.end(); ++b) {
        const size_t lanes = std::min(kLanes, rows - b * kLanes);
        std::fill(at_point.begin(), at_point.end(), PackedExt());
        for (const TermGroup& group : height.groups) {
          const size_t width = group.lde->width();
          const Fp* block = group.lde->data() + b * kLanes * width;
          PackedExt& acc = at_point[group.point];
          for (size_t c = 0; c < width; ++c) {
            PackedKoalaBear values;
            if (lanes == kLanes) {
              values = PackedKoalaBear::load_strided(block + c, width);
            } else {
              column.fill(Fp::zero());
              for (size_t l = 0; l < lanes; ++l) column[l] = block[l * width + c];
              values = PackedKoalaBear::load(column.data());
            }
            for (size_t j = 0; j < kD; ++j) {
              acc.coordinate(j) = acc.coordinate(j) + PackedKoalaBear::multiply_by_broadcast(
                                                          values, PackedKoalaBear::broadcast(group.weights.coordinates[j][c]));
            }
          }
        }
        PackedExt total;
        for (size_t p = 0; p < at_point.size(); ++p) total += (at_point[p] - claimed[p]) * inverses[p][b];
        total.store(sum.data() + b * kLanes, lanes);
      }
    });
  }
  return deep;
}

// The committed fold layers (their trees point into `layers`) and the vector left after the last fold.
struct FoldLayers {
  std::vector<std::vector<Ext>> layers;
  std::vector<std::unique_ptr<MerkleTree<>>> trees;
  std::vector<Matrix<Fp>> salts;  // per layer under params.zk (the trees point into them)
  std::vector<Ext> last;
};

// 3. Commit phase: commit each layer, draw beta, fold, roll in the DEEP polynomial of the new height.
FoldLayers commit_phase(const FriParams& params, const FoldSchedule& schedule, DeepPolynomials deep,
                        Transcript& transcript, std::vector<MerkleCap>& fold_caps, const ZkRandom* random) {
  FoldLayers out;
  std::vector<Ext> current = std::move(deep.begin()->second);
  deep.erase(deep.begin());
  int log_size = schedule.log_max_lde;
  for (int log_arity : schedule.log_arities) {
    const size_t row_words = (size_t{1} << log_arity) * kD;
    out.layers.push_back(std::move(current));
    const std::vector<Ext>& layer = out.layers.back();
    const int log_rows = log_size - log_arity;
    std::vector<MatrixView> views{
        MatrixView{words(layer.data()), size_t{1} << log_rows, row_words, montgomery_to_canonical}};
    if (params.zk) {
      out.salts.push_back(salt_matrix(size_t{1} << log_rows, random, "fold salt", out.salts.size()));
      views.push_back(salt_view(out.salts.back()));
    }
    out.trees.push_back(
        std::make_unique<MerkleTree<>>(std::move(views), static_cast<size_t>(std::min(params.cap_height, log_rows))));
    fold_caps.push_back(out.trees.back()->cap());
    transcript.absorb_digests("fold cap", fold_caps.back());
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
  out.last = std::move(current);
  return out;
}

// 4. Final polynomial: the last vector's coefficients, truncated to the bound (checked unless a
// test plays a cheating prover).
std::vector<Ext> final_polynomial(const std::vector<Ext>& last, const FoldSchedule& schedule,
                                  bool check_final_degree) {
  std::vector<Ext> final_coefficients = interpolate_bit_reversed(last);
  const size_t final_len = size_t{1} << schedule.log_final_poly_len;
  if (check_final_degree) {
    for (size_t i = final_len; i < final_coefficients.size(); ++i) {
      if (!final_coefficients[i].is_zero()) {
        throw FriError("FRI prover: the final polynomial has degree " + std::to_string(i) + " >= bound " +
                       std::to_string(final_len) + "; the committed data does not match the claims");
      }
    }
  }
  final_coefficients.resize(final_len);
  return final_coefficients;
}

// 5b. Each committed round's tree opened at every query (at the index of its tallest height).
std::vector<TreeOpening> open_input_rounds(std::span<const CommittedRound* const> rounds, const FoldSchedule& schedule,
                                           std::span<const uint64_t> queries) {
  std::vector<TreeOpening> openings;
  for (size_t r = 0; r < rounds.size(); ++r) {
    const MerkleTree<>& tree = rounds[r]->tree();
    TreeOpening& opening = openings.emplace_back();
    std::vector<size_t> indices;
    for (uint64_t q : queries) {
      indices.push_back(static_cast<size_t>(q >> (schedule.log_max_lde - static_cast<int>(tree.log_rows()))));
      opening.rows.push_back(tree.opening_words(indices.back()));
    }
    opening.proof = tree.open(indices);
  }
  return openings;
}

// 5c. Each fold layer's tree opened at every query's coset of 2^arity values.
std::vector<TreeOpening> open_fold_layers(const FoldLayers& folds, const FoldSchedule& schedule,
                                          std::span<const uint64_t> queries) {
  std::vector<TreeOpening> openings;
  int log_size = schedule.log_max_lde;
  for (size_t k = 0; k < schedule.log_arities.size(); ++k) {
    const int log_arity = schedule.log_arities[k];
    TreeOpening& opening = openings.emplace_back();
    std::vector<size_t> indices;
    for (uint64_t q : queries) {
      indices.push_back(static_cast<size_t>((q >> (schedule.log_max_lde - log_size)) >> log_arity));
      opening.rows.push_back(folds.trees[k]->opening_words(indices.back()));
    }
    opening.proof = folds.trees[k]->open(indices);
    log_size -= log_arity;
  }
  return openings;
}

}  // namespace

CommittedRound commit_ldes(const FriParams& params, std::vector<Matrix<Fp>> ldes, const ZkRandom* salts,
                           std::string_view salt_label) {
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
  if (params.zk) {
    // One salt matrix per height group, after the matrices, so that each group's opened words
    // end with its salt.
    for (const HeightGroup& group : group_by_height(params, round.shapes_)) {
      round.salts_.push_back(
          salt_matrix(size_t{1} << group.log_lde_height, salts, salt_label, round.salts_.size()));
    }
    for (const Matrix<Fp>& salt : round.salts_) views.push_back(salt_view(salt));
  }
  round.tree_ =
      std::make_unique<MerkleTree<>>(std::move(views), static_cast<size_t>(round_cap_height(params, round.shapes_)));
  return round;
}

CommittedRound commit(const FriParams& params, std::span<const Matrix<Fp>> traces, const ZkRandom* salts,
                      std::string_view salt_label) {
  params.validate();
  std::vector<Matrix<Fp>> ldes;
  ldes.reserve(traces.size());
  for (size_t m = 0; m < traces.size(); ++m) {
    const int log_rows = checked_log2_rows(traces[m].rows(), "commit: trace rows");
    check_shape(params, MatrixShape{log_rows, static_cast<int>(traces[m].width())},
               "commit: matrix " + std::to_string(m));
    ldes.push_back(coset_lde_from_evaluations(traces[m], params.log_blowup, lde_shift(), RowOrder::kBitReversed));
  }
  return commit_ldes(params, std::move(ldes), salts, salt_label);
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
  const std::vector<Ext> weights = barycentric_weights(xs, z, Fp::one());
  const std::vector<Ext>* weights_of_z = &weights;
  return evaluate_on_coset(trace.data(), trace.rows(), trace.width(), std::span(&weights_of_z, 1), Fp::one(),
                           std::span(&z, 1))[0];
}

FriProof open(const FriParams& params, std::span<const CommittedRound* const> rounds, const OpeningPoints& points,
              Transcript& transcript, const ProverOptions& options) {
  const std::vector<std::vector<MatrixShape>> round_shapes = shapes_of(rounds);
  const size_t terms = check_opening(params, round_shapes, points);
  const FoldSchedule schedule = schedule_for(params, round_shapes);
  FriProof proof;

  CosetCache cosets;
  proof.opened_values = claimed_values(rounds, round_shapes, points, cosets);
  absorb_opened_values(transcript, proof.opened_values);

  const std::vector<Ext> coefficients = batching_coefficients(params, transcript, terms);
  DeepPolynomials deep =
      deep_polynomials(params, rounds, round_shapes, points, proof.opened_values, coefficients, terms, cosets);

  std::optional<ZkRandom> own_random;
  const ZkRandom* random = options.random;
  if (params.zk && random == nullptr) random = &own_random.emplace(ZkRandom::from_os());
  const FoldLayers folds = commit_phase(params, schedule, std::move(deep), transcript, proof.fold_caps, random);

  proof.final_poly = final_polynomial(folds.last, schedule, options.check_final_degree);
  transcript.absorb_extensions("final poly", proof.final_poly);

  // 5. Grinding, queries.
  proof.pow_nonce = transcript.grind("query pow", static_cast<unsigned>(params.query_pow_bits));
  const std::vector<uint64_t> queries = squeeze_queries(params, schedule, transcript);
  proof.input_openings = open_input_rounds(rounds, schedule, queries);
  proof.fold_openings = open_fold_layers(folds, schedule, queries);
  return proof;
}

}  // namespace zkrv::stark::fri
