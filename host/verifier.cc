// zkrv::host::verify over riscv_air's verifier, and the program id's hex form. Links no prover code
// (the host_verifier_links_no_prover test checks the C test program's symbols).
#include "zkrv/verifier.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/hex.h"
#include "riscv_air/key.h"
#include "riscv_air/verifier.h"

namespace zkrv::host {

std::string to_hex(const ProgramId& id) { return base::to_hex(id); }

ProgramId program_id_from_hex(std::string_view hex) {
  ProgramId id{};
  const std::optional<std::vector<uint8_t>> bytes = base::from_hex(hex);
  if (!bytes || bytes->size() != id.size()) {
    throw std::invalid_argument(fmt::format("a program id is {} hex digits, got '{}'", 2 * id.size(), hex));
  }
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

Verified verify(std::span<const uint8_t> proof, const ProgramId& program_id, const Expected& expected) {
  Verified out;
  // The profile first: a proof made with another profile than the caller asked for is refused
  // before any verifying work.
  try {
    out.profile = riscv_air::decode_proof_file(proof).profile;
  } catch (const std::exception& e) {
    throw VerifyError(VerifyError::Kind::kInvalidProof, fmt::format("invalid proof: malformed proof file: {}", e.what()));
  }
  if (expected.profile && *expected.profile != out.profile) {
    throw VerifyError(VerifyError::Kind::kInvalidProof,
                      fmt::format("invalid proof: made with profile {}, {} expected", out.profile, *expected.profile));
  }
  stark::SecurityReport security;
  riscv_air::Statement statement;
  try {
    statement = riscv_air::verify(proof, program_id, &security);
  } catch (const riscv_air::RejectedProof& e) {
    throw VerifyError(VerifyError::Kind::kInvalidProof, fmt::format("invalid proof: {}", e.what()));
  }
  out.statement = {statement.program_id, statement.exit_code, std::move(statement.public_input),
                   std::move(statement.public_output)};
  out.security = {security.conjectured_bits, std::max(security.unique_decoding.bits, security.johnson.bits)};
  const Statement& s = out.statement;
  std::string mismatch;
  if (expected.exit_code && s.exit_code != *expected.exit_code) {
    mismatch = fmt::format("the proof states exit code {}, expected {}", s.exit_code, *expected.exit_code);
  } else if (expected.public_output && s.public_output != *expected.public_output) {
    mismatch = fmt::format("the proof states public output '{}', expected '{}'", base::to_hex(s.public_output),
                           base::to_hex(*expected.public_output));
  } else if (expected.public_input && s.public_input != *expected.public_input) {
    mismatch = fmt::format("the proof states public input '{}', expected '{}'", base::to_hex(s.public_input),
                           base::to_hex(*expected.public_input));
  }
  if (!mismatch.empty()) throw VerifyError(VerifyError::Kind::kUnexpectedStatement, "valid proof, but " + mismatch);
  return out;
}

}  // namespace zkrv::host
