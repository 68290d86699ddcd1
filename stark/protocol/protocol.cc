#include "stark/protocol/protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "stark/hash/blake2s.h"
#include "stark/proof/byte_io.h"
#include "stark/proof/proof.h"

namespace zkrv::stark::protocol {
namespace {

using air::AirError;
using proof::ByteReader;
using proof::ByteWriter;
using proof::ProofDecodeError;

size_t tables_with_interactions(const air::Machine& machine) {
  size_t count = 0;
  for (size_t t = 0; t < machine.num_tables(); ++t) count += machine.analysis(t).has_interactions() ? 1 : 0;
  return count;
}

bool has_preprocessed(const VerifyingKey& vk) {
  for (int h : vk.preprocessed_log_heights) {
    if (h >= 0) return true;
  }
  return false;
}

}  // namespace

const air::Machine& committed_machine(const fri::FriParams& params, const air::Machine& machine) {
  return params.zk ? machine.zk_machine() : machine;
}

int max_log_height(const fri::FriParams& params) {
  const int structural = Fp::kTwoAdicity - params.log_blowup;
  const std::optional<SecurityProfile> profile = fri::profile_for_params(params);
  // A profile is analysed for committed polynomials of degree up to 2^max_log_trace_length; the
  // reserved rows keep every committed column at the table's own degree.
  const int profile_limit = profile ? profile->max_log_trace_length : structural;
  return std::min(structural, profile_limit);
}

size_t reserved_rows(const fri::FriParams& params) {
  // A column is revealed at zeta and zeta * g (an extension value each: e = 4 base-field
  // coordinates), at most q = num_queries LDE points, and (through the quotient's opened rows) at
  // g times each of them: 2q + 2e base-field linear functionals (docs/proof-system.md, "Zero
  // knowledge" part 2).
  if (!params.zk) return 0;
  return 2 * static_cast<size_t>(params.num_queries) + 2 * Ext::kDegree;
}

size_t active_rows(const fri::FriParams& params, int log_height) {
  const size_t n = size_t{1} << log_height;
  const size_t reserved = reserved_rows(params);
  return n > reserved ? n - reserved : 0;
}

int padded_log_height(const fri::FriParams& params, size_t rows) {
  const size_t needed = std::max<size_t>(rows, 1) + reserved_rows(params);
  return std::max(kMinLogHeight, static_cast<int>(std::bit_width(needed - 1)));
}

StatementShape statement_shape(const fri::FriParams& params, const air::Machine& machine,
                               std::span<const int> log_heights, size_t num_boundary_interactions) {
  if (log_heights.size() != machine.num_tables()) {
    throw AirError(fmt::format("statement_shape: {} heights for machine {} of {} tables", log_heights.size(),
                               machine.name(), machine.num_tables()));
  }
  StatementShape shape;
  shape.logup.num_fractions = static_cast<double>(num_boundary_interactions);
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    const air::TableAnalysis& a = machine.analysis(t);
    const int logup_constraints = a.has_interactions() ? static_cast<int>(a.logup_groups.size()) + 3 : 0;
    // Every committed column is opened at zeta and zeta * g_t, the quotient chunks (as committed:
    // zero knowledge's randomized chunks are more) at zeta only.
    const int opened_twice = a.info.main_width + a.info.preprocessed_width + a.interaction_width();
    const TableShape committed = table_shape(params, a, log_heights[t]);
    shape.tables.push_back({.name = a.info.name,
                            .log_height = log_heights[t],
                            .log_committed = committed.log_committed,
                            .num_constraints = std::max(1, static_cast<int>(a.constraints.size()) + logup_constraints),
                            .max_constraint_degree = std::max(1, a.max_degree),
                            .num_opened_functions = 2.0 * opened_twice + 4.0 * committed.quotient_chunks});
    shape.logup.num_fractions += std::ldexp(static_cast<double>(a.interactions.size()), log_heights[t]);
    for (const air::SymbolicInteraction& it : a.interactions) {
      shape.logup.max_tuple_length = std::max(shape.logup.max_tuple_length, static_cast<int>(it.tuple.size()));
    }
  }
  if (shape.logup.num_fractions > 0) shape.logup.max_tuple_length = std::max(1, shape.logup.max_tuple_length);
  // Zero knowledge's masking polynomial (4 base columns, opened at zeta only) joins the batch with
  // the tallest table's terms.
  if (params.zk && !shape.tables.empty()) {
    const auto tallest = std::ranges::max_element(
        shape.tables, {}, [](const TableSecurityShape& t) { return t.log_height; });
    tallest->num_opened_functions += 4.0;
  }
  return shape;
}

SecurityReport statement_security(const fri::FriParams& params, const air::Machine& base_machine,
                                  std::span<const int> log_heights, size_t num_boundary_interactions) {
  const air::Machine& machine = committed_machine(params, base_machine);
  const StatementShape shape = statement_shape(params, machine, log_heights, num_boundary_interactions);
  // The PCS terms see each table's committed degree (its height: the reserved rows hide it at
  // degree n), and FRI folds from the committed LDE heights.
  std::vector<int> lde_heights;
  for (const TableSecurityShape& t : shape.tables) lde_heights.push_back(t.log_committed + params.log_blowup);
  return analyze_statement_security(fri::security_params(params, lde_heights), shape);
}

fri::FriParams with_profile_knobs(const fri::FriParams& params, const SecurityProfile& profile) {
  fri::FriParams out =
      fri::params_for_profile(profile, params.log_fold_arity, params.log_final_poly_len, params.cap_height);
  out.zk = params.zk;
  return out;
}

std::optional<fri::FriParams> required_params(const fri::FriParams& params, const air::Machine& machine,
                                              std::span<const int> log_heights, size_t num_boundary_interactions) {
  const std::optional<SecurityProfile> profile = fri::profile_for_params(params);
  if (!profile) return std::nullopt;
  const int tallest = log_heights.empty() ? 0 : *std::max_element(log_heights.begin(), log_heights.end());
  for (const SecurityProfile& set : profile_parameter_sets(profile->name)) {
    const fri::FriParams candidate = with_profile_knobs(params, set);
    if (tallest > max_log_height(candidate)) continue;
    const SecurityReport report = statement_security(candidate, machine, log_heights, num_boundary_interactions);
    if (!bar_shortfall(set, report)) return candidate;
  }
  return std::nullopt;
}

Digest VerifyingKey::hash() const {
  Blake2s hasher(Blake2sParams::personalized("zkrv-vk"));
  hasher.update(std::span<const uint8_t>(constraint_digest.data(), constraint_digest.size()));
  ByteWriter writer;
  writer.u32(static_cast<uint32_t>(preprocessed_log_heights.size()));
  for (int h : preprocessed_log_heights) writer.u32(static_cast<uint32_t>(h));
  writer.u32(static_cast<uint32_t>(preprocessed_cap.size()));
  writer.digests(preprocessed_cap);
  hasher.update(writer.bytes());
  return hasher.finish();
}

TableShape table_shape(const fri::FriParams& params, const air::TableAnalysis& analysis, int log_height) {
  TableShape shape;
  const uint64_t n = uint64_t{1} << log_height;
  shape.log_committed = log_height;
  if (!params.zk) {
    shape.quotient_chunks = analysis.quotient_chunks();
    shape.quotient_stride = n;
    shape.log_quotient_domain = log_height + std::countr_zero(static_cast<unsigned>(shape.quotient_chunks));
    return shape;
  }
  shape.reserved_rows = reserved_rows(params);
  const uint64_t q = static_cast<uint64_t>(params.num_queries);
  const uint64_t e = Ext::kDegree;
  const uint64_t h = shape.reserved_rows;
  const uint64_t d = static_cast<uint64_t>(std::max(analysis.max_degree, 1));
  // deg C <= d (n - 1) and Q = C / Z_(H \ R) divides by a polynomial of degree n - h, so Q has at
  // most d (n - 1) - (n - h) + 1 coefficients. Each chunk is revealed at zeta and at the queries:
  // q + e functionals, covered by carry polynomials of q + e coefficients, which leave stride
  // n - (q + e).
  const uint64_t coefficients = d * (n - 1) - (n - std::min(h, n)) + 1;
  // At least the trace domain (a degree-1 table's Q has only h coefficients): the quotient is
  // evaluated where every column's LDE rows and next rows are.
  shape.log_quotient_domain = std::max(log_height, static_cast<int>(std::bit_width(coefficients - 1)));
  shape.quotient_randomness = static_cast<size_t>(q + e);
  shape.quotient_stride = n > shape.quotient_randomness ? n - shape.quotient_randomness : 1;
  shape.quotient_chunks = static_cast<int>((coefficients + shape.quotient_stride - 1) / shape.quotient_stride);
  return shape;
}

RoundLayout make_layout(const fri::FriParams& params, const air::Machine& base_machine, const VerifyingKey& vk,
                        std::span<const int> log_heights) {
  const air::Machine& machine = committed_machine(params, base_machine);
  RoundLayout layout;
  const size_t tables = machine.num_tables();
  for (size_t t = 0; t < tables; ++t) layout.tables.push_back(table_shape(params, machine.analysis(t), log_heights[t]));
  layout.preprocessed_matrix.assign(tables, -1);
  layout.interaction_matrix.assign(tables, -1);
  auto add_round = [&](int& index) {
    index = static_cast<int>(layout.shapes.size());
    layout.shapes.emplace_back();
    layout.points_per_matrix.emplace_back();
  };
  if (has_preprocessed(vk)) {
    add_round(layout.preprocessed_round);
    for (size_t t = 0; t < tables; ++t) {
      if (vk.preprocessed_log_heights[t] < 0) continue;
      layout.preprocessed_matrix[t] = static_cast<int>(layout.shapes.back().size());
      layout.shapes.back().push_back({vk.preprocessed_log_heights[t], machine.analysis(t).info.preprocessed_width});
      layout.points_per_matrix.back().push_back(2);
    }
  }
  add_round(layout.main_round);
  for (size_t t = 0; t < tables; ++t) {
    layout.shapes.back().push_back({layout.tables[t].log_committed, machine.analysis(t).info.main_width});
    layout.points_per_matrix.back().push_back(2);
  }
  if (machine.has_interactions()) {
    add_round(layout.interaction_round);
    for (size_t t = 0; t < tables; ++t) {
      if (!machine.analysis(t).has_interactions()) continue;
      layout.interaction_matrix[t] = static_cast<int>(layout.shapes.back().size());
      layout.shapes.back().push_back({layout.tables[t].log_committed, machine.analysis(t).interaction_width()});
      layout.points_per_matrix.back().push_back(2);
    }
  }
  add_round(layout.quotient_round);
  for (size_t t = 0; t < tables; ++t) {
    layout.shapes.back().push_back({layout.tables[t].log_committed, 4 * layout.tables[t].quotient_chunks});
    layout.points_per_matrix.back().push_back(1);
  }
  if (params.zk) {
    int tallest = 0;
    for (const TableShape& shape : layout.tables) tallest = std::max(tallest, shape.log_committed);
    layout.mask_matrix = static_cast<int>(layout.shapes.back().size());
    layout.shapes.back().push_back({tallest, 4});
    layout.points_per_matrix.back().push_back(1);
  }
  return layout;
}

fri::OpeningPoints make_opening_points(const RoundLayout& layout, const air::Machine& machine,
                                     std::span<const int> log_heights, const Ext& zeta) {
  fri::OpeningPoints points(layout.shapes.size());
  auto both = [&](int log_height) {
    return std::vector<Ext>{zeta, zeta * Fp::two_adic_generator(log_height)};
  };
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    const int h = log_heights[t];
    if (layout.preprocessed_matrix[t] >= 0) points[layout.preprocessed_round].push_back(both(h));
    points[layout.main_round].push_back(both(h));
    if (layout.interaction_matrix[t] >= 0) points[layout.interaction_round].push_back(both(h));
    points[layout.quotient_round].push_back({zeta});
  }
  if (layout.mask_matrix >= 0) points[layout.quotient_round].push_back({zeta});
  return points;
}

Transcript start_transcript(const fri::FriParams& params, const VerifyingKey& vk, std::span<const int> log_heights,
                           std::span<const std::vector<Fp>> public_values, bool record) {
  Transcript transcript = fri::new_transcript(params, record);
  transcript.absorb_digest("verifying key", vk.hash());
  std::vector<uint32_t> heights(log_heights.begin(), log_heights.end());
  transcript.absorb_u32s("log heights", heights);
  for (const std::vector<Fp>& values : public_values) transcript.absorb_fields("public values", values);
  return transcript;
}

SelectorValues<Ext> selectors_at(const Ext& x, int log_n, size_t reserved) {
  const uint64_t n = uint64_t{1} << log_n;
  const Fp n_field = Fp::from_u64(n);
  const Fp g = Fp::two_adic_generator(log_n);
  SelectorValues<Ext> s;
  s.trace_vanishing = x.pow(n) - Ext::one();
  s.first = s.trace_vanishing * ((x - Ext::one()) * n_field).inverse();
  // g^-a = g^(reserved + 1) for the last active row a = n - reserved - 1.
  s.last = s.trace_vanishing * ((x * g.pow(reserved + 1) - Ext::one()) * n_field).inverse();
  s.transition = Ext::one() - s.last;
  Ext reserved_vanishing = Ext::one();
  Fp point = g.pow(n - reserved);
  for (size_t j = 0; j < reserved; ++j) {
    reserved_vanishing *= x - Ext(point);
    point *= g;
  }
  s.vanishing = s.trace_vanishing * reserved_vanishing.inverse();
  return s;
}

void check_statement(const fri::FriParams& params, const air::Machine& base_machine, const VerifyingKey& vk,
                    const StarkProof& proof) {
  const air::Machine& machine = committed_machine(params, base_machine);
  const size_t tables = machine.num_tables();
  if (vk.constraint_digest != machine.constraint_digest()) {
    throw AirError(fmt::format("verifying key is for another constraint system than machine {}", machine.name()));
  }
  if (vk.preprocessed_log_heights.size() != tables) {
    throw AirError(fmt::format("verifying key lists {} tables, machine {} has {}", vk.preprocessed_log_heights.size(),
                               machine.name(), tables));
  }
  if (proof.log_heights.size() != tables || proof.public_values.size() != tables) {
    throw AirError(fmt::format("proof has {} table heights and {} public-value lists, machine {} has {} tables",
                               proof.log_heights.size(), proof.public_values.size(), machine.name(), tables));
  }
  for (size_t t = 0; t < tables; ++t) {
    const air::TableInfo& info = machine.analysis(t).info;
    const int h = proof.log_heights[t];
    if (h < kMinLogHeight || h > max_log_height(params)) {
      const std::optional<SecurityProfile> profile = fri::profile_for_params(params);
      throw AirError(fmt::format("table {}: log height {} outside [{}, {}]{}", info.name, h, kMinLogHeight,
                                 max_log_height(params),
                                 profile ? fmt::format(" (the tallest profile {} is analysed for)", profile->name)
                                         : std::string()));
    }
    // Row 0 (the first selector and the mask bus) must stay active.
    if (active_rows(params, h) == 0) {
      throw AirError(fmt::format("table {}: log height {} leaves no active row besides the {} reserved for zero knowledge",
                                 info.name, h, reserved_rows(params)));
    }
    if (vk.preprocessed_log_heights[t] >= 0 && vk.preprocessed_log_heights[t] != h) {
      throw AirError(fmt::format("table {}: log height {} but its preprocessed columns have log height {}", info.name,
                                 h, vk.preprocessed_log_heights[t]));
    }
    if ((vk.preprocessed_log_heights[t] >= 0) != (info.preprocessed_width > 0)) {
      throw AirError(fmt::format("table {}: verifying key and machine disagree on preprocessed columns", info.name));
    }
    if (proof.public_values[t].size() != static_cast<size_t>(info.num_public_values)) {
      throw AirError(fmt::format("table {}: {} public values, the table declares {}", info.name,
                                 proof.public_values[t].size(), info.num_public_values));
    }
  }
  if (proof.claimed_sums.size() != tables_with_interactions(machine)) {
    throw AirError(fmt::format("proof has {} claimed sums, machine {} has {} tables with buses",
                               proof.claimed_sums.size(), machine.name(), tables_with_interactions(machine)));
  }
  machine.check_interaction_bound(proof.log_heights, machine.boundary(proof.public_values));
}

std::vector<uint8_t> encode_stark_proof(const fri::FriParams& params, const air::Machine& base_machine,
                                      const VerifyingKey& vk, const StarkProof& proof) {
  const air::Machine& machine = committed_machine(params, base_machine);
  check_statement(params, machine, vk, proof);
  ByteWriter writer;
  writer.bytes(std::span(reinterpret_cast<const uint8_t*>(kStarkMagic.data()), kStarkMagic.size()));
  writer.u8(kStarkFormatVersion);
  const Digest params_hash = params.hash();
  writer.bytes(params_hash);
  const Digest vk_hash = vk.hash();
  writer.bytes(vk_hash);
  writer.u8(static_cast<uint8_t>(machine.num_tables()));
  for (int h : proof.log_heights) writer.u8(static_cast<uint8_t>(h));
  for (const auto& values : proof.public_values) {
    for (const Fp& v : values) writer.u32(v.to_u32());
  }
  const RoundLayout layout = make_layout(params, machine, vk, proof.log_heights);
  auto cap = [&](int round, const MerkleCap& c, const char* what) {
    const size_t expected = size_t{1} << fri::round_cap_height(params, layout.shapes[round]);
    if (c.size() != expected) throw fri::FriError(fmt::format("encode: {} has {} digests, expected {}", what, c.size(), expected));
    writer.digests(c);
  };
  cap(layout.main_round, proof.main_cap, "main cap");
  if (layout.interaction_round >= 0) {
    writer.u64(proof.interaction_pow_nonce);
    cap(layout.interaction_round, proof.interaction_cap, "interaction cap");
    for (const Ext& s : proof.claimed_sums) writer.extension(s);
  }
  cap(layout.quotient_round, proof.quotient_cap, "quotient cap");
  if (params.deep_pow_bits > 0) writer.u64(proof.deep_pow_nonce);
  proof::encode_fri_proof(writer, params, layout.shapes, layout.points_per_matrix, proof.opening);
  return writer.take();
}

StarkProof decode_stark_proof(const fri::FriParams& params, const air::Machine& base_machine, const VerifyingKey& vk,
                            std::span<const uint8_t> bytes) {
  const air::Machine& machine = committed_machine(params, base_machine);
  ByteReader reader(bytes);
  std::array<uint8_t, kStarkMagic.size()> magic;
  reader.bytes("magic", magic);
  if (std::string_view(reinterpret_cast<const char*>(magic.data()), magic.size()) != kStarkMagic) {
    throw ProofDecodeError("magic", 0, "not a zkrv STARK proof (expected \"ZKRVSTK\")");
  }
  const size_t version_offset = reader.offset();
  if (reader.u8("format version") != kStarkFormatVersion) {
    throw ProofDecodeError("format version", version_offset, fmt::format("unsupported (this build reads {})", kStarkFormatVersion));
  }
  Digest digest;
  const size_t params_offset = reader.offset();
  reader.bytes("parameters hash", digest);
  if (digest != params.hash()) {
    throw ProofDecodeError("parameters hash", params_offset, "the proof was made with other FRI parameters");
  }
  const size_t vk_offset = reader.offset();
  reader.bytes("verifying key hash", digest);
  if (digest != vk.hash() || vk.preprocessed_log_heights.size() != machine.num_tables()) {
    throw ProofDecodeError("verifying key hash", vk_offset, "the proof was made for another verifying key");
  }
  const size_t tables_offset = reader.offset();
  if (reader.u8("table count") != machine.num_tables()) {
    throw ProofDecodeError("table count", tables_offset,
                           fmt::format("machine {} has {} tables", machine.name(), machine.num_tables()));
  }
  StarkProof proof;
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    const std::string field = fmt::format("log height of table {}", machine.analysis(t).info.name);
    const size_t offset = reader.offset();
    const int h = static_cast<int>(reader.u8_in_range(field, kMinLogHeight, static_cast<uint32_t>(max_log_height(params))));
    if (vk.preprocessed_log_heights[t] >= 0 && vk.preprocessed_log_heights[t] != h) {
      throw ProofDecodeError(field, offset, fmt::format("preprocessed columns fix it to {}", vk.preprocessed_log_heights[t]));
    }
    proof.log_heights.push_back(h);
  }
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    const std::string field = fmt::format("public values of table {}", machine.analysis(t).info.name);
    std::vector<Fp> values;
    for (uint32_t w : reader.canonical_words(field, static_cast<size_t>(machine.analysis(t).info.num_public_values))) {
      values.push_back(Fp::from_u32(w));
    }
    proof.public_values.push_back(std::move(values));
  }
  const RoundLayout layout = make_layout(params, machine, vk, proof.log_heights);
  auto cap = [&](int round, const char* what) {
    return reader.digests(what, size_t{1} << fri::round_cap_height(params, layout.shapes[round]));
  };
  proof.main_cap = cap(layout.main_round, "main cap");
  if (layout.interaction_round >= 0) {
    proof.interaction_pow_nonce = reader.u64("logup pow nonce");
    proof.interaction_cap = cap(layout.interaction_round, "interaction cap");
    proof.claimed_sums = reader.extensions("claimed sums", tables_with_interactions(machine));
  }
  proof.quotient_cap = cap(layout.quotient_round, "quotient cap");
  if (params.deep_pow_bits > 0) proof.deep_pow_nonce = reader.u64("deep pow nonce");
  proof.opening = proof::decode_fri_proof(reader, params, layout.shapes, layout.points_per_matrix);
  reader.expect_end("end of proof");
  return proof;
}

}  // namespace zkrv::stark::protocol
