#include "riscv_air/verifier.h"

#include <fmt/format.h>

#include "riscv_air/memory_boundary_air.h"
#include "riscv_air/memory_tree.h"
#include "stark/proof/byte_io.h"
#include "stark/verifier/verifier.h"

namespace zkrv::riscv_air {

Statement verify(std::span<const uint8_t> bytes, const stark::Digest& expected_program_id,
                 stark::SecurityReport* security, const PackageCircuitResolver& circuits) {
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
  // The package circuits the statement relies on: the verifier's own copies, matching the key.
  for (DeclaredPrecompile& d : file.key.shape.precompiles) {
    if (!d.circuit_digest) continue;
    std::shared_ptr<const PackageCircuit> circuit = circuits ? circuits(d) : nullptr;
    if (!circuit) {
      throw RejectedProof("the proof relies on the circuit of precompile package " + d.name + " (digest " +
                          stark::to_hex(*d.circuit_digest) + "), which this verifier has not been given");
    }
    if (circuit->digest != *d.circuit_digest) {
      throw RejectedProof("the proof was made with another circuit of precompile package " + d.name + " (digest " +
                          stark::to_hex(*d.circuit_digest) + ") than this verifier's (digest " +
                          stark::to_hex(circuit->digest) + ")");
    }
    try {
      check_package_circuit(d.name, circuit->circuit);
    } catch (const RefusedError& e) {
      throw RejectedProof(e.what());
    }
    d.circuit = std::move(circuit);
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

void verify_segment(std::span<const uint8_t> stark_proof, const SegmentKey& key, const SegmentStatement& statement) {
  const stark::Digest id = segment_program_id(key);
  if (statement.program_id != id) {
    throw RejectedProof("the segment statement is for another program (program id " +
                        stark::to_hex(statement.program_id) + ", expected " + stark::to_hex(id) + ")");
  }
  // The proof holds pcs and the step count as field elements: a value at or above the modulus
  // would name the same element as a smaller one, two statements for one proof.
  if (statement.pc_in >= stark::air::Fp::kModulus || statement.pc_out >= stark::air::Fp::kModulus) {
    throw RejectedProof("the segment statement's pc is not below the field's modulus");
  }
  // What the statement decoder and the chain check refuse, refused here too, so that verify_segment
  // on its own accepts no statement they would not: no step (the STATE messages would cancel), an
  // exit code without halting (the Exit table's public values have no interaction then).
  if (statement.steps == 0) throw RejectedProof("the segment statement claims no step");
  if (!statement.halted && statement.exit_code != 0) {
    throw RejectedProof("the segment statement has an exit code but does not halt");
  }
  if (statement.steps > (uint32_t{1} << kMaxLogSteps)) {
    throw RejectedProof("the segment statement claims more steps than one segment proves (2^" +
                        std::to_string(kMaxLogSteps) + ")");
  }
  const std::span<const stark::SecurityProfile> sets = stark::profile_parameter_sets(key.profile);
  if (sets.empty()) throw RejectedProof("the segment key names no known profile: " + key.profile);
  const stark::fri::FriParams params = proof_params(sets.front());
  const stark::air::Machine machine = make_segment_machine(key.shape, key.mapped, &statement);
  try {
    const stark::protocol::StarkProof proof = stark::protocol::decode_stark_proof(params, machine, key.vk, stark_proof);
    stark::verifier::verify(params, machine, key.vk, proof);
  } catch (const std::exception& e) {
    throw RejectedProof(std::string("the segment proof does not verify: ") + e.what());
  }
}

RunStatement verify_run(std::span<const uint8_t> bytes, const stark::Digest& expected_segment_id,
                        const ProgramImage& program) {
  RunProofFile file;
  try {
    file = decode_run_proof_file(bytes);
  } catch (const stark::proof::ProofDecodeError& e) {
    throw RejectedProof(std::string("malformed run-proof file: ") + e.what());
  }
  const stark::Digest id = segment_program_id(file.key);
  if (id != expected_segment_id) {
    throw RejectedProof("the run proof is for another program (segment program id " + stark::to_hex(id) + ", expected " +
                        stark::to_hex(expected_segment_id) + ")");
  }
  for (const DeclaredPrecompile& d : file.key.shape.precompiles) {
    if (d.circuit_digest) {
      throw RejectedProof("the run proof's key names the circuit of precompile package " + d.name +
                          ", which segment mode does not prove yet");
    }
  }
  // The id binds the key; the image the first root is computed from must be the same program's.
  if (file.key.shape.entry != program.entry) {
    throw RejectedProof(fmt::format("the run proof's key has entry {:#x}, the program's is {:#x}", file.key.shape.entry,
                                    program.entry));
  }
  std::vector<ChunkRange> mapped;
  try {
    mapped = mapped_chunk_ranges(program);
  } catch (const RefusedError& e) {
    throw RejectedProof(std::string("the program has no segment key: ") + e.what());
  }
  if (file.key.mapped != mapped) throw RejectedProof("the run proof's key maps other memory than the program");
  std::vector<SegmentStatement> statements;
  statements.reserve(file.segments.size());
  for (const SegmentProof& segment : file.segments) statements.push_back(segment.statement);
  const RunStart start{id, program.entry, initial_segment_root(program, {}, file.private_root)};
  ChainedRun chained;
  try {
    chained = check_segment_chain(statements, start);
  } catch (const SegmentChainError& e) {
    throw RejectedProof(std::string("the segments do not chain into one run: ") + e.what());
  }
  for (size_t k = 0; k < file.segments.size(); ++k) {
    try {
      verify_segment(file.segments[k].stark_proof, file.key, file.segments[k].statement);
    } catch (const RejectedProof& e) {
      throw RejectedProof(fmt::format("segment {}: {}", k, e.what()));
    }
  }
  RunStatement statement;
  statement.program_id = id;
  statement.exit_code = chained.exit_code;
  statement.steps = chained.steps;
  for (const SegmentStatement& s : statements) statement.segment_steps.push_back(s.steps);
  return statement;
}

}  // namespace zkrv::riscv_air
