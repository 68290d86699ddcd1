// The parameters the proof-decoder fuzzer and its seed generator share: small, so that seeds are a
// few kilobytes and the verifier runs quickly on every input.
#pragma once

#include "stark/fri/fri_params.h"

namespace zkrv::stark::proof {

inline fri::FriParams fuzz_params() {
  fri::FriParams params;
  params.log_blowup = 1;
  params.log_first_fold_arity = 1;
  params.log_fold_arity = 2;
  params.num_queries = 4;
  params.query_pow_bits = 1;
  params.log_final_poly_len = 1;
  params.cap_height = 1;
  return params;
}

}  // namespace zkrv::stark::proof
