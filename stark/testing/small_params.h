// Small, fast FRI parameters for tests and the proof-decoder fuzzer (not a security profile; see
// stark/security for the real profiles). One definition instead of one per test file.
#pragma once

#include "stark/fri/fri_params.h"

namespace zkrv::stark::testing {

// Blowup 2, a final polynomial of 2 coefficients, cap height 1, 8 queries without grinding, the
// default fold arities, zero knowledge off (these parameters test the PCS mechanics, which a
// deterministic proof makes easier to pin down; the STARK tests use toy_fri_params, with zk on).
// Tests override what they exercise.
inline fri::FriParams small_fri_params() {
  fri::FriParams params;
  params.zk = false;
  params.log_blowup = 1;
  params.num_queries = 8;
  params.query_pow_bits = 0;
  params.log_final_poly_len = 1;
  params.cap_height = 1;
  return params;
}

// small_fri_params() with fold arities 2 then 4 (both arity paths in few rounds), `num_queries`
// queries and `query_pow_bits` bits of grinding: tiny proofs for the format tests and the fuzzer.
inline fri::FriParams tiny_fri_params(int num_queries, int query_pow_bits) {
  fri::FriParams params = small_fri_params();
  params.log_first_fold_arity = 1;
  params.log_fold_arity = 2;
  params.num_queries = num_queries;
  params.query_pow_bits = query_pow_bits;
  return params;
}

}  // namespace zkrv::stark::testing
