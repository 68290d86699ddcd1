// libFuzzer target for whole multi-table proofs: the first byte picks a toy machine
// (stark_proof_cases.h), the rest goes through verifier::accepts_stark_proof (the decoder, the
// statement and security checks, the transcript replay, the constraint check at zeta, FRI).
// Rejection is fine; a crash, a sanitizer report or an escaping exception is a finding, and so is
// an accepted proof whose canonical encoding is not the input (the format has one encoding per
// proof).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "stark/verifier/verifier.h"
#include "tests/fuzz/stark_proof_cases.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace zkrv::stark;
  static const std::vector<zkrv::fuzz::StarkFuzzCase> cases = zkrv::fuzz::stark_fuzz_cases();
  static const fri::FriParams params = zkrv::fuzz::stark_fuzz_params();
  if (size == 0) return 0;
  const zkrv::fuzz::StarkFuzzCase& c = cases[data[0] % cases.size()];
  const std::span<const uint8_t> bytes(data + 1, size - 1);
  if (verifier::accepts_stark_proof(params, c.toy.machine, c.pk.vk, bytes)) {
    const protocol::StarkProof proof = protocol::decode_stark_proof(params, c.toy.machine, c.pk.vk, bytes);
    const std::vector<uint8_t> again = protocol::encode_stark_proof(params, c.toy.machine, c.pk.vk, proof);
    if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) std::abort();
  }
  return 0;
}
