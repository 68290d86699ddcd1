// The parts of the FRI PCS that prover and verifier share (pcs_internal.h, and the height
// groups, cap heights and fold schedule of pcs.h).
#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "stark/fri/pcs.h"
#include "stark/fri/pcs_internal.h"

namespace zkrv::stark::fri {
namespace internal {

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

void absorb_opened_values(Transcript& transcript, const OpenedValues& values) {
  std::vector<Ext> flat;
  for (const auto& round : values) {
    for (const auto& matrix : round) {
      for (const auto& point : matrix) flat.insert(flat.end(), point.begin(), point.end());
    }
  }
  transcript.absorb_extensions("opened values", flat);
}

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

}  // namespace internal

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

FoldSchedule schedule_for(const FriParams& params, std::span<const std::vector<MatrixShape>> round_shapes) {
  std::vector<int> heights;
  for (const auto& shapes : round_shapes) {
    for (const MatrixShape& shape : shapes) heights.push_back(shape.log_height + params.log_blowup);
  }
  return make_fold_schedule(params, heights);
}

}  // namespace zkrv::stark::fri
