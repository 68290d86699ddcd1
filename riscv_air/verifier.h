// Verifying a RISC-V machine proof against a program id. Links the STARK verifier and no prover
// code (the riscv_air_verifier_links_no_prover test checks the symbols).
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

#include "riscv_air/key.h"

namespace zkrv::riscv_air {

// A rejected proof; what() names the reason (malformed file, another program, a failed check).
class RejectedProof : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The statement of a valid proof of the program with this id. Throws RejectedProof. `security`,
// when given, receives the accepted proof's security report.
Statement verify(std::span<const uint8_t> proof, const stark::Digest& expected_program_id,
                 stark::SecurityReport* security = nullptr);

// Segment mode: accepts `stark_proof` as a proof of `statement` (its program id that of `key`) or
// throws RejectedProof naming why. The chain of statements is check_segment_chain's.
void verify_segment(std::span<const uint8_t> stark_proof, const SegmentKey& key, const SegmentStatement& statement);

}  // namespace zkrv::riscv_air
