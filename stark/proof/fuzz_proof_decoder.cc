// libFuzzer target: the proof decoder, then the verifier on whatever decodes. Any input must end
// in acceptance or one of the layer's error types; anything else (a crash, a sanitizer report, an
// unexpected exception type) is a finding.
#include <cstddef>
#include <cstdint>
#include <span>

#include "stark/testing/small_params.h"
#include "stark/proof/proof.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zkrv::stark::proof::accepts_proof_bytes(zkrv::stark::testing::tiny_fri_params(/*num_queries=*/4, /*query_pow_bits=*/1), std::span<const uint8_t>(data, size));
  return 0;
}
