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

std::string Index(std::string_view what, size_t a) { return std::string(what) + " " + std::to_string(a); }

// Words per opened row of each height group of round r's tree.
std::vector<size_t> GroupWords(const FriParams& params, std::span<const MatrixShape> shapes) {
  std::vector<size_t> words;
  for (const fri::HeightGroup& group : fri::GroupByHeight(params, shapes)) {
    size_t sum = 0;
    for (size_t m : group.matrices) sum += static_cast<size_t>(shapes[m].width);
    words.push_back(sum);
  }
  return words;
}

int FoldCapHeight(const FriParams& params, int log_rows) { return std::min(params.cap_height, log_rows); }

void CheckCount(const std::string& what, size_t actual, size_t expected) {
  if (actual != expected) {
    throw FriError("encode: " + what + " has " + std::to_string(actual) + " entries, expected " +
                   std::to_string(expected));
  }
}

void EncodeOpening(ByteWriter& writer, const TreeOpening& opening, const std::vector<size_t>& group_words,
                   size_t queries, const std::string& what) {
  CheckCount(what + " rows", opening.rows.size(), queries);
  for (const auto& groups : opening.rows) {
    CheckCount(what + " height groups", groups.size(), group_words.size());
    for (size_t g = 0; g < groups.size(); ++g) {
      CheckCount(what + " row words", groups[g].size(), group_words[g]);
      writer.Words(groups[g]);
    }
  }
  writer.U32(static_cast<uint32_t>(opening.proof.siblings.size()));
  writer.Digests(opening.proof.siblings);
}

TreeOpening DecodeOpening(ByteReader& reader, const std::vector<size_t>& group_words, size_t queries,
                          size_t max_siblings, const std::string& what) {
  TreeOpening opening;
  opening.rows.resize(queries);
  for (size_t q = 0; q < queries; ++q) {
    for (size_t g = 0; g < group_words.size(); ++g) {
      opening.rows[q].push_back(reader.CanonicalWords(
          what + " row (query " + std::to_string(q) + ", height group " + std::to_string(g) + ")", group_words[g]));
    }
  }
  const std::string count_field = what + " sibling count";
  const uint32_t siblings = reader.U32InRange(count_field, 0, static_cast<uint32_t>(max_siblings));
  opening.proof.siblings = reader.Digests(what + " siblings", siblings);
  return opening;
}

}  // namespace

void EncodeFriProof(ByteWriter& writer, const FriParams& params, std::span<const std::vector<MatrixShape>> round_shapes,
                    const std::vector<std::vector<size_t>>& points_per_matrix, const FriProof& proof) {
  const fri::FoldSchedule schedule = fri::ScheduleFor(params, round_shapes);
  const size_t queries = static_cast<size_t>(params.num_queries);
  CheckCount("opened values", proof.opened_values.size(), round_shapes.size());
  for (size_t r = 0; r < round_shapes.size(); ++r) {
    CheckCount(Index("opened values of round", r), proof.opened_values[r].size(), round_shapes[r].size());
    for (size_t m = 0; m < round_shapes[r].size(); ++m) {
      CheckCount(Index("opened points of matrix", m), proof.opened_values[r][m].size(), points_per_matrix[r][m]);
      for (const auto& at_point : proof.opened_values[r][m]) {
        CheckCount(Index("opened columns of matrix", m), at_point.size(),
                   static_cast<size_t>(round_shapes[r][m].width));
        for (const Ext& v : at_point) writer.Extension(v);
      }
    }
  }
  CheckCount("fold caps", proof.fold_caps.size(), schedule.log_arities.size());
  int log_size = schedule.log_max_lde;
  for (size_t f = 0; f < proof.fold_caps.size(); ++f) {
    log_size -= schedule.log_arities[f];
    CheckCount(Index("fold cap", f), proof.fold_caps[f].size(), size_t{1} << FoldCapHeight(params, log_size));
    writer.Digests(proof.fold_caps[f]);
  }
  CheckCount("final polynomial", proof.final_poly.size(), size_t{1} << schedule.log_final_poly_len);
  for (const Ext& c : proof.final_poly) writer.Extension(c);
  writer.U64(proof.pow_nonce);
  CheckCount("input openings", proof.input_openings.size(), round_shapes.size());
  for (size_t r = 0; r < round_shapes.size(); ++r) {
    EncodeOpening(writer, proof.input_openings[r], GroupWords(params, round_shapes[r]), queries,
                  Index("input opening", r));
  }
  CheckCount("fold openings", proof.fold_openings.size(), schedule.log_arities.size());
  for (size_t f = 0; f < proof.fold_openings.size(); ++f) {
    const std::vector<size_t> words = {(size_t{1} << schedule.log_arities[f]) * Ext::kDegree};
    EncodeOpening(writer, proof.fold_openings[f], words, queries, Index("fold opening", f));
  }
}

FriProof DecodeFriProof(ByteReader& reader, const FriParams& params,
                        std::span<const std::vector<MatrixShape>> round_shapes,
                        const std::vector<std::vector<size_t>>& points_per_matrix) {
  const fri::FoldSchedule schedule = fri::ScheduleFor(params, round_shapes);
  const size_t queries = static_cast<size_t>(params.num_queries);
  FriProof proof;
  proof.opened_values.resize(round_shapes.size());
  for (size_t r = 0; r < round_shapes.size(); ++r) {
    for (size_t m = 0; m < round_shapes[r].size(); ++m) {
      auto& values = proof.opened_values[r].emplace_back();
      for (size_t p = 0; p < points_per_matrix[r][m]; ++p) {
        values.push_back(reader.Extensions("opened values (round " + std::to_string(r) + ", matrix " +
                                               std::to_string(m) + ", point " + std::to_string(p) + ")",
                                           static_cast<size_t>(round_shapes[r][m].width)));
      }
    }
  }
  int log_size = schedule.log_max_lde;
  for (size_t f = 0; f < schedule.log_arities.size(); ++f) {
    log_size -= schedule.log_arities[f];
    proof.fold_caps.push_back(reader.Digests(Index("fold cap", f), size_t{1} << FoldCapHeight(params, log_size)));
  }
  proof.final_poly = reader.Extensions("final polynomial", size_t{1} << schedule.log_final_poly_len);
  proof.pow_nonce = reader.U64("pow nonce");
  for (size_t r = 0; r < round_shapes.size(); ++r) {
    const std::vector<fri::HeightGroup> groups = fri::GroupByHeight(params, round_shapes[r]);
    const size_t depth =
        static_cast<size_t>(groups.front().log_lde_height - fri::RoundCapHeight(params, round_shapes[r]));
    proof.input_openings.push_back(DecodeOpening(reader, GroupWords(params, round_shapes[r]), queries, queries * depth,
                                                 Index("input opening", r)));
  }
  log_size = schedule.log_max_lde;
  for (size_t f = 0; f < schedule.log_arities.size(); ++f) {
    const int log_rows = log_size - schedule.log_arities[f];
    const std::vector<size_t> words = {(size_t{1} << schedule.log_arities[f]) * Ext::kDegree};
    const size_t depth = static_cast<size_t>(log_rows - FoldCapHeight(params, log_rows));
    proof.fold_openings.push_back(DecodeOpening(reader, words, queries, queries * depth, Index("fold opening", f)));
    log_size = log_rows;
  }
  return proof;
}

namespace {

std::vector<std::vector<size_t>> TwoPointsEach(std::span<const fri::RoundClaim> rounds) {
  std::vector<std::vector<size_t>> points;
  for (const fri::RoundClaim& round : rounds) points.emplace_back(round.shapes.size(), 2);
  return points;
}

std::vector<std::vector<MatrixShape>> ShapesOf(std::span<const fri::RoundClaim> rounds) {
  std::vector<std::vector<MatrixShape>> shapes;
  for (const fri::RoundClaim& round : rounds) shapes.push_back(round.shapes);
  return shapes;
}

}  // namespace

std::vector<uint8_t> EncodeProof(const FriParams& params, const EvaluationProof& proof) {
  params.Validate();
  ByteWriter writer;
  writer.Bytes(std::span(reinterpret_cast<const uint8_t*>(kMagic.data()), kMagic.size()));
  writer.U8(kFormatVersion);
  writer.Bytes(params.Hash());
  if (proof.rounds.empty() || proof.rounds.size() > kMaxRounds) {
    throw FriError("encode: " + std::to_string(proof.rounds.size()) + " rounds, expected 1.." +
                   std::to_string(kMaxRounds));
  }
  writer.U8(static_cast<uint8_t>(proof.rounds.size()));
  for (const fri::RoundClaim& round : proof.rounds) {
    if (round.shapes.empty() || round.shapes.size() > kMaxMatrices) {
      throw FriError("encode: " + std::to_string(round.shapes.size()) + " matrices in a round, expected 1.." +
                     std::to_string(kMaxMatrices));
    }
    writer.U8(static_cast<uint8_t>(round.shapes.size()));
    for (const MatrixShape& shape : round.shapes) {
      writer.U8(static_cast<uint8_t>(shape.log_height));
      writer.U32(static_cast<uint32_t>(shape.width));
    }
    CheckCount("round cap", round.cap.size(), size_t{1} << fri::RoundCapHeight(params, round.shapes));
    writer.Digests(round.cap);
  }
  EncodeFriProof(writer, params, ShapesOf(proof.rounds), TwoPointsEach(proof.rounds), proof.opening);
  return writer.Take();
}

EvaluationProof DecodeProof(const FriParams& params, std::span<const uint8_t> bytes) {
  params.Validate();
  ByteReader reader(bytes);
  std::array<uint8_t, kMagic.size()> magic;
  reader.Bytes("magic", magic);
  if (!std::equal(magic.begin(), magic.end(), kMagic.begin())) {
    throw ProofDecodeError("magic", 0, "not a zkrv proof (expected \"ZKRVPRF\")");
  }
  const uint8_t version = reader.U8("format version");
  if (version != kFormatVersion) {
    throw ProofDecodeError(
        "format version", kMagic.size(),
        "version " + std::to_string(version) + " is not the supported version " + std::to_string(kFormatVersion));
  }
  const size_t hash_offset = reader.offset();
  Digest params_hash;
  reader.Bytes("params hash", params_hash);
  if (params_hash != params.Hash()) {
    throw ProofDecodeError("params hash", hash_offset, "the proof was made with other FRI parameters");
  }
  EvaluationProof proof;
  const uint32_t rounds = reader.U8InRange("round count", 1, kMaxRounds);
  const uint32_t max_log_height = static_cast<uint32_t>(fri::Fp::kTwoAdicity - params.log_blowup);
  for (uint32_t r = 0; r < rounds; ++r) {
    fri::RoundClaim& round = proof.rounds.emplace_back();
    const std::string where = Index("round", r);
    const uint32_t matrices = reader.U8InRange(where + " matrix count", 1, kMaxMatrices);
    for (uint32_t m = 0; m < matrices; ++m) {
      const std::string matrix = where + " matrix " + std::to_string(m);
      MatrixShape shape;
      shape.log_height = static_cast<int>(reader.U8InRange(matrix + " log height", 0, max_log_height));
      shape.width = static_cast<int>(reader.U32InRange(matrix + " width", 1, kMaxWidth));
      round.shapes.push_back(shape);
    }
    round.cap = reader.Digests(where + " cap", size_t{1} << fri::RoundCapHeight(params, round.shapes));
  }
  proof.opening = DecodeFriProof(reader, params, ShapesOf(proof.rounds), TwoPointsEach(proof.rounds));
  reader.ExpectEnd("end of proof");
  return proof;
}

fri::OpeningPoints DrawEvaluationPoints(const std::vector<fri::RoundClaim>& rounds, Transcript& transcript) {
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
      round_points.push_back({zeta, zeta * fri::Fp::TwoAdicGenerator(shape.log_height)});
    }
  }
  return points;
}

EvaluationProof ProveEvaluations(const FriParams& params, const std::vector<std::vector<Matrix<fri::Fp>>>& rounds) {
  std::vector<fri::CommittedRound> committed;
  EvaluationProof proof;
  for (const auto& traces : rounds) {
    committed.push_back(fri::Commit(params, traces));
    proof.rounds.push_back({committed.back().cap(), committed.back().shapes()});
  }
  std::vector<const fri::CommittedRound*> pointers;
  for (const fri::CommittedRound& round : committed) pointers.push_back(&round);
  Transcript transcript = fri::NewTranscript(params);
  const fri::OpeningPoints points = DrawEvaluationPoints(proof.rounds, transcript);
  proof.opening = fri::Open(params, pointers, points, transcript);
  return proof;
}

void VerifyEvaluations(const FriParams& params, const EvaluationProof& proof) {
  Transcript transcript = fri::NewTranscript(params);
  const fri::OpeningPoints points = DrawEvaluationPoints(proof.rounds, transcript);
  fri::Verify(params, proof.rounds, points, proof.opening, transcript);
}

bool AcceptsProofBytes(const FriParams& params, std::span<const uint8_t> bytes, std::string* error) {
  try {
    VerifyEvaluations(params, DecodeProof(params, bytes));
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
