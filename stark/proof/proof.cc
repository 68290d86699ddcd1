#include "stark/proof/proof.h"

#include <string>

namespace zkrv::stark::proof {
namespace {

using fri::Ext;
using fri::FriError;
using fri::FriParams;
using fri::FriProof;
using fri::MatrixShape;
using fri::TreeOpening;

std::string index(std::string_view what, size_t a) { return std::string(what) + " " + std::to_string(a); }

// Words per opened row of each height group of round r's tree.
std::vector<size_t> group_words(const FriParams& params, std::span<const MatrixShape> shapes) {
  std::vector<size_t> words;
  for (const fri::HeightGroup& group : fri::group_by_height(params, shapes)) {
    size_t sum = 0;
    for (size_t m : group.matrices) sum += static_cast<size_t>(shapes[m].width);
    sum += fri::salt_elements(params);
    words.push_back(sum);
  }
  return words;
}

int fold_cap_height(const FriParams& params, int log_rows) { return std::min(params.cap_height, log_rows); }

void check_count(const std::string& what, size_t actual, size_t expected) {
  if (actual != expected) {
    throw FriError("encode: " + what + " has " + std::to_string(actual) + " entries, expected " +
                   std::to_string(expected));
  }
}

void encode_opening(ByteWriter& writer, const TreeOpening& opening, const std::vector<size_t>& group_words,
                   size_t queries, const std::string& what) {
  check_count(what + " rows", opening.rows.size(), queries);
  for (const auto& groups : opening.rows) {
    check_count(what + " height groups", groups.size(), group_words.size());
    for (size_t g = 0; g < groups.size(); ++g) {
      check_count(what + " row words", groups[g].size(), group_words[g]);
      writer.words(groups[g]);
    }
  }
  writer.u32(static_cast<uint32_t>(opening.proof.siblings.size()));
  writer.digests(opening.proof.siblings);
}

TreeOpening decode_opening(ByteReader& reader, const std::vector<size_t>& group_words, size_t queries,
                          size_t max_siblings, const std::string& what) {
  TreeOpening opening;
  opening.rows.resize(queries);
  for (size_t q = 0; q < queries; ++q) {
    for (size_t g = 0; g < group_words.size(); ++g) {
      opening.rows[q].push_back(reader.canonical_words(
          what + " row (query " + std::to_string(q) + ", height group " + std::to_string(g) + ")", group_words[g]));
    }
  }
  const std::string count_field = what + " sibling count";
  const uint32_t siblings = reader.u32_in_range(count_field, 0, static_cast<uint32_t>(max_siblings));
  opening.proof.siblings = reader.digests(what + " siblings", siblings);
  return opening;
}

}  // namespace

void encode_fri_proof(ByteWriter& writer, const FriParams& params, std::span<const std::vector<MatrixShape>> round_shapes,
                    const std::vector<std::vector<size_t>>& points_per_matrix, const FriProof& proof) {
  const fri::FoldSchedule schedule = fri::schedule_for(params, round_shapes);
  const size_t queries = static_cast<size_t>(params.num_queries);
  check_count("opened values", proof.opened_values.size(), round_shapes.size());
  for (size_t r = 0; r < round_shapes.size(); ++r) {
    check_count(index("opened values of round", r), proof.opened_values[r].size(), round_shapes[r].size());
    for (size_t m = 0; m < round_shapes[r].size(); ++m) {
      check_count(index("opened points of matrix", m), proof.opened_values[r][m].size(), points_per_matrix[r][m]);
      for (const auto& at_point : proof.opened_values[r][m]) {
        check_count(index("opened columns of matrix", m), at_point.size(),
                   static_cast<size_t>(round_shapes[r][m].width));
        for (const Ext& v : at_point) writer.extension(v);
      }
    }
  }
  check_count("fold caps", proof.fold_caps.size(), schedule.log_arities.size());
  int log_size = schedule.log_max_lde;
  for (size_t f = 0; f < proof.fold_caps.size(); ++f) {
    log_size -= schedule.log_arities[f];
    check_count(index("fold cap", f), proof.fold_caps[f].size(), size_t{1} << fold_cap_height(params, log_size));
    writer.digests(proof.fold_caps[f]);
  }
  check_count("final polynomial", proof.final_poly.size(), size_t{1} << schedule.log_final_poly_len);
  for (const Ext& c : proof.final_poly) writer.extension(c);
  writer.u64(proof.pow_nonce);
  check_count("input openings", proof.input_openings.size(), round_shapes.size());
  for (size_t r = 0; r < round_shapes.size(); ++r) {
    encode_opening(writer, proof.input_openings[r], group_words(params, round_shapes[r]), queries,
                  index("input opening", r));
  }
  check_count("fold openings", proof.fold_openings.size(), schedule.log_arities.size());
  for (size_t f = 0; f < proof.fold_openings.size(); ++f) {
    const std::vector<size_t> words = {(size_t{1} << schedule.log_arities[f]) * Ext::kDegree + fri::salt_elements(params)};
    encode_opening(writer, proof.fold_openings[f], words, queries, index("fold opening", f));
  }
}

FriProof decode_fri_proof(ByteReader& reader, const FriParams& params,
                        std::span<const std::vector<MatrixShape>> round_shapes,
                        const std::vector<std::vector<size_t>>& points_per_matrix) {
  const fri::FoldSchedule schedule = fri::schedule_for(params, round_shapes);
  const size_t queries = static_cast<size_t>(params.num_queries);
  FriProof proof;
  proof.opened_values.resize(round_shapes.size());
  for (size_t r = 0; r < round_shapes.size(); ++r) {
    for (size_t m = 0; m < round_shapes[r].size(); ++m) {
      auto& values = proof.opened_values[r].emplace_back();
      for (size_t p = 0; p < points_per_matrix[r][m]; ++p) {
        values.push_back(reader.extensions("opened values (round " + std::to_string(r) + ", matrix " +
                                               std::to_string(m) + ", point " + std::to_string(p) + ")",
                                           static_cast<size_t>(round_shapes[r][m].width)));
      }
    }
  }
  int log_size = schedule.log_max_lde;
  for (size_t f = 0; f < schedule.log_arities.size(); ++f) {
    log_size -= schedule.log_arities[f];
    proof.fold_caps.push_back(reader.digests(index("fold cap", f), size_t{1} << fold_cap_height(params, log_size)));
  }
  proof.final_poly = reader.extensions("final polynomial", size_t{1} << schedule.log_final_poly_len);
  proof.pow_nonce = reader.u64("pow nonce");
  for (size_t r = 0; r < round_shapes.size(); ++r) {
    const std::vector<fri::HeightGroup> groups = fri::group_by_height(params, round_shapes[r]);
    const size_t depth =
        static_cast<size_t>(groups.front().log_lde_height - fri::round_cap_height(params, round_shapes[r]));
    proof.input_openings.push_back(decode_opening(reader, group_words(params, round_shapes[r]), queries, queries * depth,
                                                 index("input opening", r)));
  }
  log_size = schedule.log_max_lde;
  for (size_t f = 0; f < schedule.log_arities.size(); ++f) {
    const int log_rows = log_size - schedule.log_arities[f];
    const std::vector<size_t> words = {(size_t{1} << schedule.log_arities[f]) * Ext::kDegree + fri::salt_elements(params)};
    const size_t depth = static_cast<size_t>(log_rows - fold_cap_height(params, log_rows));
    proof.fold_openings.push_back(decode_opening(reader, words, queries, queries * depth, index("fold opening", f)));
    log_size = log_rows;
  }
  return proof;
}

namespace {

std::vector<std::vector<size_t>> two_points_each(std::span<const fri::RoundClaim> rounds) {
  std::vector<std::vector<size_t>> points;
  for (const fri::RoundClaim& round : rounds) points.emplace_back(round.shapes.size(), 2);
  return points;
}

std::vector<std::vector<MatrixShape>> shapes_of(std::span<const fri::RoundClaim> rounds) {
  std::vector<std::vector<MatrixShape>> shapes;
  for (const fri::RoundClaim& round : rounds) shapes.push_back(round.shapes);
  return shapes;
}

}  // namespace

std::vector<uint8_t> encode_proof(const FriParams& params, const EvaluationProof& proof) {
  params.validate();
  ByteWriter writer;
  writer.bytes(std::span(reinterpret_cast<const uint8_t*>(kMagic.data()), kMagic.size()));
  writer.u8(kFormatVersion);
  writer.bytes(params.hash());
  if (proof.rounds.empty() || proof.rounds.size() > kMaxRounds) {
    throw FriError("encode: " + std::to_string(proof.rounds.size()) + " rounds, expected 1.." +
                   std::to_string(kMaxRounds));
  }
  writer.u8(static_cast<uint8_t>(proof.rounds.size()));
  for (const fri::RoundClaim& round : proof.rounds) {
    if (round.shapes.empty() || round.shapes.size() > kMaxMatrices) {
      throw FriError("encode: " + std::to_string(round.shapes.size()) + " matrices in a round, expected 1.." +
                     std::to_string(kMaxMatrices));
    }
    writer.u8(static_cast<uint8_t>(round.shapes.size()));
    for (const MatrixShape& shape : round.shapes) {
      writer.u8(static_cast<uint8_t>(shape.log_height));
      writer.u32(static_cast<uint32_t>(shape.width));
    }
    check_count("round cap", round.cap.size(), size_t{1} << fri::round_cap_height(params, round.shapes));
    writer.digests(round.cap);
  }
  encode_fri_proof(writer, params, shapes_of(proof.rounds), two_points_each(proof.rounds), proof.opening);
  return writer.take();
}

EvaluationProof decode_proof(const FriParams& params, std::span<const uint8_t> bytes) {
  params.validate();
  ByteReader reader(bytes);
  std::array<uint8_t, kMagic.size()> magic;
  reader.bytes("magic", magic);
  if (!std::equal(magic.begin(), magic.end(), kMagic.begin())) {
    throw ProofDecodeError("magic", 0, "not a zkrv proof (expected \"ZKRVPRF\")");
  }
  const uint8_t version = reader.u8("format version");
  if (version != kFormatVersion) {
    throw ProofDecodeError(
        "format version", kMagic.size(),
        "version " + std::to_string(version) + " is not the supported version " + std::to_string(kFormatVersion));
  }
  const size_t hash_offset = reader.offset();
  Digest params_hash;
  reader.bytes("params hash", params_hash);
  if (params_hash != params.hash()) {
    throw ProofDecodeError("params hash", hash_offset, "the proof was made with other FRI parameters");
  }
  EvaluationProof proof;
  const uint32_t rounds = reader.u8_in_range("round count", 1, kMaxRounds);
  const uint32_t max_log_height = static_cast<uint32_t>(fri::Fp::kTwoAdicity - params.log_blowup);
  for (uint32_t r = 0; r < rounds; ++r) {
    fri::RoundClaim& round = proof.rounds.emplace_back();
    const std::string where = index("round", r);
    const uint32_t matrices = reader.u8_in_range(where + " matrix count", 1, kMaxMatrices);
    for (uint32_t m = 0; m < matrices; ++m) {
      const std::string matrix = where + " matrix " + std::to_string(m);
      MatrixShape shape;
      shape.log_height = static_cast<int>(reader.u8_in_range(matrix + " log height", 0, max_log_height));
      shape.width = static_cast<int>(reader.u32_in_range(matrix + " width", 1, kMaxWidth));
      round.shapes.push_back(shape);
    }
    round.cap = reader.digests(where + " cap", size_t{1} << fri::round_cap_height(params, round.shapes));
  }
  proof.opening = decode_fri_proof(reader, params, shapes_of(proof.rounds), two_points_each(proof.rounds));
  reader.expect_end("end of proof");
  return proof;
}

fri::OpeningPoints draw_evaluation_points(const std::vector<fri::RoundClaim>& rounds, Transcript& transcript) {
  for (const fri::RoundClaim& round : rounds) {
    std::vector<uint32_t> shape_words;
    for (const MatrixShape& shape : round.shapes) {
      shape_words.push_back(static_cast<uint32_t>(shape.log_height));
      shape_words.push_back(static_cast<uint32_t>(shape.width));
    }
    transcript.absorb_u32s("round shapes", shape_words);
    transcript.absorb_digests("round cap", round.cap);
  }
  const Ext zeta = transcript.squeeze_extension<Ext>("zeta");
  fri::OpeningPoints points;
  for (const fri::RoundClaim& round : rounds) {
    auto& round_points = points.emplace_back();
    for (const MatrixShape& shape : round.shapes) {
      round_points.push_back({zeta, zeta * fri::Fp::two_adic_generator(shape.log_height)});
    }
  }
  return points;
}

void verify_evaluations(const FriParams& params, const EvaluationProof& proof) {
  Transcript transcript = fri::new_transcript(params);
  const fri::OpeningPoints points = draw_evaluation_points(proof.rounds, transcript);
  fri::verify(params, proof.rounds, points, proof.opening, transcript);
}

bool accepts_proof_bytes(const FriParams& params, std::span<const uint8_t> bytes, std::string* error) {
  try {
    verify_evaluations(params, decode_proof(params, bytes));
    return true;
  } catch (const ProofDecodeError& e) {
    if (error) *error = e.what();
  } catch (const FriError& e) {
    if (error) *error = e.what();
  } catch (const MerkleError& e) {
    if (error) *error = e.what();
  } catch (const TranscriptError& e) {
    if (error) *error = e.what();
  }
  return false;
}

}  // namespace zkrv::stark::proof
