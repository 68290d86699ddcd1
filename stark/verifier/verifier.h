// The multi-table STARK verifier. It links the shared AIR headers, the protocol description and
// the FRI verifier, and no prover code: the constraint check at zeta runs the tables' own eval on
// ValueBuilder<Ext>, the same definition the prover's quotient evaluator ran.
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "stark/air/machine.h"
#include "stark/fri/fri_params.h"
#include "stark/protocol/protocol.h"
#include "stark/transcript/transcript.h"

namespace zkrv::stark::verifier {

// A proof that does not verify; what() says which check failed and where.
class VerifyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws VerifyError (wrapping the lower layers' FriError, MerkleError, TranscriptError and
// AirError) unless the proof shows that a witness satisfying every table's constraints, with
// balanced buses, exists for these public values. Before any cryptographic check it computes the
// proof's security from its statement (protocol::statement_security) and, when `params` name a
// profile (fri::profile_for_params), rejects a statement taller than the profile's limit or below
// its bar; parameters that name no profile (tests, experiments) have no bar, and the caller reads
// the returned report. `transcript_out`, when given, receives the verifier's transcript records
// (for prover/verifier diffs). Returns the security report of the accepted proof.
SecurityReport verify(const fri::FriParams& params, const air::Machine& machine, const protocol::VerifyingKey& vk,
            const protocol::StarkProof& proof, std::vector<TranscriptRecord>* transcript_out = nullptr);

// Throws VerifyError when `params` name a profile and `report` is below its bar, naming the figure,
// the bar and the weakest round.
void check_security_bar(const fri::FriParams& params, const SecurityReport& report);

// Decodes and verifies. Never throws for any input bytes; false with *error set on rejection.
// `security`, when given, receives the accepted proof's security report.
bool accepts_stark_proof(const fri::FriParams& params, const air::Machine& machine, const protocol::VerifyingKey& vk,
                       std::span<const uint8_t> bytes, std::string* error = nullptr,
                       SecurityReport* security = nullptr);

}  // namespace zkrv::stark::verifier
