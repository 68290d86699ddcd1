// The C API (zkrv/verify.h) over zkrv::host::verify: every exception becomes a status and a message.
#include "zkrv/verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>

#include "base/file.h"
#include "base/hex.h"
#include "zkrv/verifier.h"

namespace {

// As `zkrv verify`: far above any proof this machine makes, far below what would strain the host.
constexpr uint64_t kMaxProofFileBytes = uint64_t{256} << 20;

zkrv_verify_status report(zkrv_verify_status status, const std::string& text, char* message, size_t message_size) {
  if (message != nullptr && message_size > 0) {
    const size_t n = std::min(text.size(), message_size - 1);
    std::memcpy(message, text.data(), n);
    message[n] = '\0';
  }
  return status;
}

zkrv_verify_status verify_bytes(std::span<const uint8_t> proof, const char* program_id_hex, int32_t expected_exit_code,
                                const uint8_t* expected_output, size_t expected_output_size, char* message,
                                size_t message_size) {
  using zkrv::host::VerifyError;
  if (program_id_hex == nullptr) {
    return report(ZKRV_VERIFY_BAD_ARGUMENT, "program_id_hex is NULL", message, message_size);
  }
  zkrv::host::ProgramId id;
  try {
    id = zkrv::host::program_id_from_hex(program_id_hex);
  } catch (const std::invalid_argument& e) {
    return report(ZKRV_VERIFY_BAD_ARGUMENT, e.what(), message, message_size);
  }
  zkrv::host::Expected expected;
  expected.exit_code = expected_exit_code;
  if (expected_output != nullptr) expected.public_output.emplace(expected_output, expected_output + expected_output_size);
  try {
    const zkrv::host::Verified v = zkrv::host::verify(proof, id, expected);
    return report(ZKRV_VERIFY_OK,
                  fmt::format("valid: program {} ({}), exit code {}, public output '{}', public input '{}'",
                              zkrv::host::to_hex(v.statement.program_id), v.profile, v.statement.exit_code,
                              zkrv::base::to_hex(v.statement.public_output), zkrv::base::to_hex(v.statement.public_input)),
                  message, message_size);
  } catch (const VerifyError& e) {
    return report(e.kind() == VerifyError::Kind::kInvalidProof ? ZKRV_VERIFY_INVALID_PROOF : ZKRV_VERIFY_UNEXPECTED_STATEMENT,
                  e.what(), message, message_size);
  } catch (const std::exception& e) {
    return report(ZKRV_VERIFY_INTERNAL_ERROR, std::string("internal error: ") + e.what(), message, message_size);
  }
}

}  // namespace

extern "C" zkrv_verify_status zkrv_verify_proof(const uint8_t* proof, size_t proof_size, const char* program_id_hex,
                                                int32_t expected_exit_code, const uint8_t* expected_output,
                                                size_t expected_output_size, char* message, size_t message_size) {
  if (proof == nullptr && proof_size != 0) return report(ZKRV_VERIFY_BAD_ARGUMENT, "proof is NULL", message, message_size);
  try {
    return verify_bytes({proof, proof_size}, program_id_hex, expected_exit_code, expected_output, expected_output_size,
                        message, message_size);
  } catch (...) {  // bad_alloc while building a message: nothing may cross the C boundary
    return report(ZKRV_VERIFY_INTERNAL_ERROR, "internal error", message, message_size);
  }
}

extern "C" zkrv_verify_status zkrv_verify_proof_file(const char* proof_path, const char* program_id_hex,
                                                     int32_t expected_exit_code, const uint8_t* expected_output,
                                                     size_t expected_output_size, char* message, size_t message_size) {
  if (proof_path == nullptr) return report(ZKRV_VERIFY_BAD_ARGUMENT, "proof_path is NULL", message, message_size);
  try {
    std::vector<uint8_t> bytes;
    if (const auto failure = zkrv::base::read_file(proof_path, kMaxProofFileBytes, &bytes)) {
      return report(ZKRV_VERIFY_IO_ERROR, failure->describe(proof_path, kMaxProofFileBytes), message, message_size);
    }
    return verify_bytes(bytes, program_id_hex, expected_exit_code, expected_output, expected_output_size, message,
                        message_size);
  } catch (...) {
    return report(ZKRV_VERIFY_INTERNAL_ERROR, "internal error", message, message_size);
  }
}
