#include "stark/fri/fri_params.h"

#include <bit>
#include <cmath>
#include <string>

#include "base/little_endian.h"
#include "stark/fri/folding.h"
#include "stark/hash/blake2s.h"

namespace zkrv::stark::fri {
namespace {

// Bumped whenever a field is added, removed or reinterpreted.
constexpr uint32_t kParamsFormat = 4;  // 2: the zk flag; 3: interaction_pow_bits; 4: deep_pow_bits

void check_range(const char* field, int value, int low, int high) {
  if (value < low || value > high) {
    throw FriError("FriParams." + std::string(field) + " = " + std::to_string(value) + " is outside [" +
                   std::to_string(low) + ", " + std::to_string(high) + "]");
  }
}

void put_u32(std::vector<uint8_t>& out, uint32_t value) {
  out.resize(out.size() + 4);
  base::store_le(out.data() + out.size() - 4, value);
}

}  // namespace

void FriParams::validate() const {
  check_range("log_blowup", log_blowup, 1, 3);
  check_range("log_first_fold_arity", log_first_fold_arity, 1, 4);
  check_range("log_fold_arity", log_fold_arity, 1, 4);
  check_range("num_queries", num_queries, 1, 1024);
  check_range("query_pow_bits", query_pow_bits, 0, 30);
  check_range("interaction_pow_bits", interaction_pow_bits, 0, 30);
  check_range("deep_pow_bits", deep_pow_bits, 0, 30);
  check_range("log_final_poly_len", log_final_poly_len, 0, 10);
  check_range("cap_height", cap_height, 0, 8);
  if (batching != Batching::kPowers && batching != Batching::kIndependent) {
    throw FriError("FriParams.batching = " + std::to_string(static_cast<int>(batching)) +
                   " is neither kPowers (1) nor kIndependent (2)");
  }
}

std::vector<uint8_t> FriParams::encode() const {
  validate();
  std::vector<uint8_t> out;
  put_u32(out, kParamsFormat);
  put_u32(out, static_cast<uint32_t>(Ext::kDegree));
  put_u32(out, static_cast<uint32_t>(log_blowup));
  put_u32(out, static_cast<uint32_t>(log_first_fold_arity));
  put_u32(out, static_cast<uint32_t>(log_fold_arity));
  put_u32(out, static_cast<uint32_t>(num_queries));
  put_u32(out, static_cast<uint32_t>(query_pow_bits));
  put_u32(out, static_cast<uint32_t>(log_final_poly_len));
  put_u32(out, static_cast<uint32_t>(cap_height));
  put_u32(out, static_cast<uint32_t>(batching));
  put_u32(out, zk ? 1u : 0u);
  put_u32(out, static_cast<uint32_t>(interaction_pow_bits));
  put_u32(out, static_cast<uint32_t>(deep_pow_bits));
  return out;
}

Digest FriParams::hash() const { return Blake2s::hash(encode(), Blake2sParams::personalized("zkrvpar")); }

void FriParams::absorb_into(Transcript& transcript) const { transcript.absorb_bytes("fri params", encode()); }

FriParams params_for_profile(const SecurityProfile& profile, int log_fold_arity, int log_final_poly_len, int cap_height) {
  if (profile.extension_degree != static_cast<int>(Ext::kDegree)) {
    throw FriError("profile " + std::string(profile.name) + " needs a degree-" +
                   std::to_string(profile.extension_degree) + " extension; fri uses degree " +
                   std::to_string(Ext::kDegree));
  }
  if (profile.fri_folding_arity < 2 || !std::has_single_bit(static_cast<unsigned>(profile.fri_folding_arity))) {
    throw FriError("profile " + std::string(profile.name) + " has folding arity " +
                   std::to_string(profile.fri_folding_arity) + ", not a power of two >= 2");
  }
  FriParams params;
  params.log_blowup = profile.log_blowup;
  params.num_queries = profile.num_queries;
  params.query_pow_bits = profile.query_pow_bits;
  params.interaction_pow_bits = profile.interaction_pow_bits;
  params.deep_pow_bits = profile.deep_pow_bits;
  params.log_first_fold_arity = std::countr_zero(static_cast<unsigned>(profile.fri_folding_arity));
  params.log_fold_arity = log_fold_arity;
  params.log_final_poly_len = log_final_poly_len;
  params.cap_height = cap_height;
  params.batching = profile.batching == BatchingMode::kPowers ? Batching::kPowers : Batching::kIndependent;
  params.validate();
  return params;
}

std::optional<SecurityProfile> profile_for_params(const FriParams& params) {
  for (const std::string_view name : {fast_profile().name, secure_profile().name}) {
    for (const SecurityProfile& profile : profile_parameter_sets(name)) {
      const Batching batching = profile.batching == BatchingMode::kPowers ? Batching::kPowers : Batching::kIndependent;
      if (params.log_blowup == profile.log_blowup && params.num_queries == profile.num_queries &&
          params.query_pow_bits == profile.query_pow_bits &&
          params.interaction_pow_bits == profile.interaction_pow_bits &&
          params.deep_pow_bits == profile.deep_pow_bits &&
          (1 << params.log_first_fold_arity) == profile.fri_folding_arity && params.batching == batching &&
          static_cast<int>(Ext::kDegree) == profile.extension_degree) {
        return profile;
      }
    }
  }
  return std::nullopt;
}

SecurityParams security_params(const FriParams& params, std::span<const int> log_lde_heights) {
  params.validate();
  SecurityParams p;
  p.base_field_bits = std::log2(static_cast<double>(Fp::kModulus));
  p.extension_degree = static_cast<int>(Ext::kDegree);
  p.log_blowup = params.log_blowup;
  p.num_queries = params.num_queries;
  p.query_pow_bits = params.query_pow_bits;
  p.interaction_pow_bits = params.interaction_pow_bits;
  p.deep_pow_bits = params.deep_pow_bits;
  p.fri_folding_arity = 1 << params.log_fold_arity;
  p.log_final_poly_length = params.log_final_poly_len;
  p.batching = params.batching == Batching::kPowers ? BatchingMode::kPowers : BatchingMode::kIndependent;
  p.fold_log_arities = make_fold_schedule(params, log_lde_heights).log_arities;
  return p;
}

Transcript new_transcript(const FriParams& params, bool record) {
  Transcript transcript(kProtocolId, kProtocolVersion, record);
  params.absorb_into(transcript);
  return transcript;
}

}  // namespace zkrv::stark::fri
