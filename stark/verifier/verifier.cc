#include "stark/verifier/verifier.h"

#include <fmt/format.h>

#include "stark/air/logup.h"
#include "stark/air/value_builder.h"
#include "stark/proof/byte_io.h"

namespace zkrv::stark::verifier {
namespace {

using air::Ext;
using air::Fp;

const std::vector<Ext>& opened(const protocol::StarkProof& proof, int round, int matrix, size_t point, size_t width,
                               const std::string& what) {
  const auto& values = proof.opening.opened_values;
  if (round < 0 || static_cast<size_t>(round) >= values.size() || matrix < 0 ||
      static_cast<size_t>(matrix) >= values[round].size() || point >= values[round][matrix].size() ||
      values[round][matrix][point].size() != width) {
    throw VerifyError(fmt::format("opened values of {} are missing or have the wrong shape", what));
  }
  return values[round][matrix][point];
}

// Checks sum_i alpha^i C_i(zeta) = Q(zeta) * Z_H(zeta) / Z_R(zeta) for table t (R its reserved rows).
void check_table_at_zeta(const air::Machine& machine, size_t t, const protocol::StarkProof& proof,
                      const protocol::RoundLayout& layout, const std::optional<air::LogUpChallenges>& challenges,
                      size_t claimed_index, const Ext& alpha, const Ext& zeta) {
  const air::TableAnalysis& analysis = machine.analysis(t);
  const air::TableInfo& info = analysis.info;
  const int log_n = proof.log_heights[t];
  const protocol::SelectorValues<Ext> selectors = protocol::selectors_at(zeta, log_n, layout.tables[t].reserved_rows);
  if (selectors.trace_vanishing.is_zero()) throw VerifyError(fmt::format("table {}: zeta lies in the trace domain", info.name));

  const size_t main_width = static_cast<size_t>(info.main_width);
  const std::vector<Ext>& main_local = opened(proof, layout.main_round, static_cast<int>(t), 0, main_width, info.name + " main");
  const std::vector<Ext>& main_next = opened(proof, layout.main_round, static_cast<int>(t), 1, main_width, info.name + " main");
  air::ValueBuilder<Ext> builder;
  builder.main_local = main_local.data();
  builder.main_next_row = main_next.data();
  if (layout.preprocessed_matrix[t] >= 0) {
    const size_t width = static_cast<size_t>(info.preprocessed_width);
    builder.preprocessed_local =
        opened(proof, layout.preprocessed_round, layout.preprocessed_matrix[t], 0, width, info.name + " preprocessed").data();
    builder.preprocessed_next_row =
        opened(proof, layout.preprocessed_round, layout.preprocessed_matrix[t], 1, width, info.name + " preprocessed").data();
  }
  std::vector<Ext> public_values;
  for (const Fp& v : proof.public_values[t]) public_values.push_back(Ext(v));
  builder.public_values = public_values.data();
  builder.first_row = selectors.first;
  builder.last_row = selectors.last;
  builder.transition = selectors.transition;
  machine.table(t).eval(builder);
  if (builder.constraint_values.size() != analysis.constraints.size()) {
    throw VerifyError(fmt::format("table {}: eval emitted {} constraints, {} symbolically", info.name,
                                  builder.constraint_values.size(), analysis.constraints.size()));
  }

  Ext combined = Ext::zero();
  Ext power = Ext::one();
  for (const Ext& c : builder.constraint_values) {
    combined += power * c;
    power *= alpha;
  }
  if (analysis.has_interactions()) {
    const size_t width = static_cast<size_t>(analysis.interaction_width());
    const int matrix = layout.interaction_matrix[t];
    const std::vector<Ext>& local = opened(proof, layout.interaction_round, matrix, 0, width, info.name + " interaction");
    const std::vector<Ext>& next = opened(proof, layout.interaction_round, matrix, 1, width, info.name + " interaction");
    // Extension column e is sum_d X^d * (base column 4e + d); its value at zeta follows linearly.
    auto combine = [](const std::vector<Ext>& columns) {
      std::vector<Ext> out(columns.size() / 4, Ext::zero());
      for (size_t e = 0; e < out.size(); ++e) {
        Ext basis = Ext::one();
        for (size_t d = 0; d < 4; ++d) {
          out[e] += basis * columns[4 * e + d];
          basis *= Ext::x();
        }
      }
      return out;
    };
    const std::vector<Ext> ext_local = combine(local), ext_next = combine(next);
    const air::LogUpConstants<Ext> constants = air::make_log_up_constants<Ext>(analysis, *challenges);
    std::vector<Ext> logup_values;
    air::eval_log_up_constraints<Ext, Ext>(analysis, constants, builder.interaction_values, ext_local.data(),
                                        ext_next.data(), selectors.first, selectors.transition, selectors.last,
                                        proof.claimed_sums[claimed_index], logup_values);
    for (const Ext& c : logup_values) {
      combined += power * c;
      power *= alpha;
    }
  }

  // Q(zeta) = sum_k zeta^(k * stride) Q_k(zeta) (stride n, or less under zk: protocol.h).
  const protocol::TableShape& shape = layout.tables[t];
  const int chunks = shape.quotient_chunks;
  const std::vector<Ext>& q = opened(proof, layout.quotient_round, static_cast<int>(t), 0,
                                     4 * static_cast<size_t>(chunks), info.name + " quotient");
  Ext quotient = Ext::zero();
  const Ext zeta_to_n = zeta.pow(shape.quotient_stride);
  Ext chunk_power = Ext::one();
  for (int k = 0; k < chunks; ++k) {
    Ext chunk = Ext::zero();
    Ext basis = Ext::one();
    for (size_t d = 0; d < 4; ++d) {
      chunk += basis * q[4 * static_cast<size_t>(k) + d];
      basis *= Ext::x();
    }
    quotient += chunk_power * chunk;
    chunk_power *= zeta_to_n;
  }
  if (combined != quotient * selectors.vanishing) {
    throw VerifyError(fmt::format("table {}: the constraints at zeta do not match the committed quotient", info.name));
  }
}

}  // namespace

void check_security_bar(const fri::FriParams& params, const SecurityReport& report) {
  const std::optional<SecurityProfile> profile = fri::profile_for_params(params);
  if (!profile) return;
  if (const std::optional<std::string> shortfall = bar_shortfall(*profile, report)) {
    throw VerifyError("security: the statement has " + *shortfall);
  }
}

SecurityReport verify(const fri::FriParams& params, const air::Machine& base_machine, const protocol::VerifyingKey& vk,
                      const protocol::StarkProof& proof, std::vector<TranscriptRecord>* transcript_out) {
  try {
    params.validate();
    // The tables as committed: with zero knowledge, the verifier's own mask-bus columns and
    // interactions (never the prover's choice).
    const air::Machine& machine = protocol::committed_machine(params, base_machine);
    protocol::check_statement(params, machine, vk, proof);
    const SecurityReport security = protocol::statement_security(params, machine, proof.log_heights,
                                                                 machine.boundary(proof.public_values).size());
    check_security_bar(params, security);
    // Under a profile with several parameter sets the statement's shape picks the set; a proof
    // under another one (a cheaper set the bar does not allow, or a costlier one) is not the
    // profile's.
    if (const std::optional<fri::FriParams> required = protocol::required_params(
            params, machine, proof.log_heights, machine.boundary(proof.public_values).size());
        required && *required != params) {
      throw VerifyError(fmt::format("parameters: profile {} proves this statement with blowup {} and {} queries, "
                                    "not blowup {} and {}",
                                    fri::profile_for_params(params)->name, 1 << required->log_blowup,
                                    required->num_queries, 1 << params.log_blowup, params.num_queries));
    }
    const bool record = transcript_out != nullptr;
    Transcript transcript = protocol::start_transcript(params, vk, proof.log_heights, proof.public_values, record);
    const protocol::RoundLayout layout = protocol::make_layout(params, machine, vk, proof.log_heights);
    transcript.absorb_digests("main cap", proof.main_cap);
    std::optional<air::LogUpChallenges> challenges;
    if (layout.interaction_round >= 0) {
      transcript.verify_pow("logup pow", static_cast<unsigned>(params.interaction_pow_bits), proof.interaction_pow_nonce);
      challenges = air::LogUpChallenges{transcript.squeeze_extension<Ext>("logup z"),
                                        transcript.squeeze_extension<Ext>("logup beta")};
      transcript.absorb_digests("interaction cap", proof.interaction_cap);
      transcript.absorb_extensions("claimed sums", proof.claimed_sums);
      Ext total = air::boundary_sum(*challenges, machine.boundary(proof.public_values));
      for (const Ext& s : proof.claimed_sums) total += s;
      if (!total.is_zero()) {
        throw VerifyError("the buses do not balance: the claimed LogUp sums plus the boundary terms are not zero");
      }
    }
    const Ext alpha = transcript.squeeze_extension<Ext>("constraint alpha");
    transcript.absorb_digests("quotient cap", proof.quotient_cap);
    if (params.deep_pow_bits > 0) {
      transcript.verify_pow("deep pow", static_cast<unsigned>(params.deep_pow_bits), proof.deep_pow_nonce);
    }
    const Ext zeta = transcript.squeeze_extension<Ext>("zeta");

    size_t claimed_index = 0;
    for (size_t t = 0; t < machine.num_tables(); ++t) {
      check_table_at_zeta(machine, t, proof, layout, challenges, claimed_index, alpha, zeta);
      if (machine.analysis(t).has_interactions()) ++claimed_index;
    }

    std::vector<fri::RoundClaim> claims;
    if (layout.preprocessed_round >= 0) claims.push_back({vk.preprocessed_cap, layout.shapes[layout.preprocessed_round]});
    claims.push_back({proof.main_cap, layout.shapes[layout.main_round]});
    if (layout.interaction_round >= 0) claims.push_back({proof.interaction_cap, layout.shapes[layout.interaction_round]});
    claims.push_back({proof.quotient_cap, layout.shapes[layout.quotient_round]});
    const fri::OpeningPoints points = protocol::make_opening_points(layout, machine, proof.log_heights, zeta);
    fri::verify(params, claims, points, proof.opening, transcript);
    if (transcript_out != nullptr) *transcript_out = transcript.records();
    return security;
  } catch (const VerifyError&) {
    throw;
  } catch (const std::exception& e) {
    throw VerifyError(e.what());
  }
}

bool accepts_stark_proof(const fri::FriParams& params, const air::Machine& machine, const protocol::VerifyingKey& vk,
                       std::span<const uint8_t> bytes, std::string* error, SecurityReport* security) {
  try {
    const protocol::StarkProof proof = protocol::decode_stark_proof(params, machine, vk, bytes);
    const SecurityReport report = verify(params, machine, vk, proof);
    if (security != nullptr) *security = report;
    return true;
  } catch (const std::exception& e) {
    if (error != nullptr) *error = e.what();
    return false;
  }
}

}  // namespace zkrv::stark::verifier
