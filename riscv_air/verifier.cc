#include "riscv_air/verifier.h"

#include "stark/proof/byte_io.h"
#include "stark/verifier/verifier.h"

namespace zkrv::riscv_air {

Statement verify(std::span<const uint8_t> bytes, const stark::Digest& expected_program_id,
                 stark::SecurityReport* security) {
  ProofFile file;
  try {
    file = decode_proof_file(bytes);
  } catch (const stark::proof::ProofDecodeError& e) {
    throw RejectedProof(std::string("malformed proof file: ") + e.what());
  }
  const stark::Digest id = program_id(file.key);
  if (id != expected_program_id) {
    throw RejectedProof("the proof is for another program (program id " + stark::to_hex(id) + ", expected " +
                        stark::to_hex(expected_program_id) + ")");
  }
  const stark::fri::FriParams params =
      proof_params(stark::profile_parameter_sets(file.profile)[file.parameter_set]);
  const stark::protocol::VerifyingKey vk = parameter_set_vk(file.key, file.parameter_set);
  const stark::air::Machine machine =
      make_machine(file.key.shape, std::make_shared<const PublicIo>(PublicIo{file.public_input, file.public_output}));
  stark::protocol::StarkProof proof;
  stark::SecurityReport report;
  try {
    proof = stark::protocol::decode_stark_proof(params, machine, vk, file.stark_proof);
    report = stark::verifier::verify(params, machine, vk, proof);
  } catch (const std::exception& e) {
    throw RejectedProof(std::string("the proof does not verify: ") + e.what());
  }
  const std::vector<Fp>& exit = proof.public_values.at(kExitTable);
  if (security) *security = std::move(report);
  Statement statement;
  statement.program_id = id;
  statement.exit_code = static_cast<int32_t>(exit.at(0).to_u32() | exit.at(1).to_u32() << 16);
  statement.public_input = std::move(file.public_input);
  statement.public_output = std::move(file.public_output);
  return statement;
}

}  // namespace zkrv::riscv_air
