// Verifying a RISC-V machine proof against a program id. Links the STARK verifier and no prover
// code (the riscv_air_verifier_links_no_prover test checks the symbols).
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

#include "riscv_air/key.h"
#include "riscv_air/package_circuit.h"
#include "riscv_air/program.h"
#include "riscv_air/run_proof.h"

namespace zkrv::riscv_air {

// A rejected proof; what() names the reason (malformed file, another program, a failed check).
class RejectedProof : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The statement of a valid proof of the program with this id. Throws RejectedProof. `security`,
// when given, receives the accepted proof's security report. `circuits` gives the circuit of each
// declared precompile whose package circuit the proof's key names (the installed package's, never
// its library's); a proof whose key names a circuit it does not give, or another digest than the
// one it gives, is rejected naming the package and both digests. `circuits` is asked only once the
// key's program id is the expected one (so a forged key chooses nothing it reads), with each
// DeclaredPrecompile's circuit_digest set; what it throws reaches the caller unchanged.
Statement verify(std::span<const uint8_t> proof, const stark::Digest& expected_program_id,
                 stark::SecurityReport* security = nullptr, const PackageCircuitResolver& circuits = {});

// Segment mode: accepts `stark_proof` as a proof of `statement` (its program id that of `key`) or
// throws RejectedProof naming why. The chain of statements is check_segment_chain's.
void verify_segment(std::span<const uint8_t> stark_proof, const SegmentKey& key, const SegmentStatement& statement);

// What a verified run-proof file states: the run's program (the segment key's id), exit code and
// length. Its public input and output are empty (run_proof.h, version 1).
struct RunStatement {
  stark::Digest program_id{};
  int32_t exit_code = 0;
  uint64_t steps = 0;
  std::vector<uint32_t> segment_steps;  // each segment's, in order
};

// Verifies a run-proof file: decoded strictly, its segment key's id `expected_segment_id`
// (segment_program_id), its key's entry and mapped ranges those of `program` (the image the
// caller loaded from the same ELF: the first segment's root is computed from it), the chain of
// statements checked from the program's start (check_segment_chain) before any STARK, then every
// segment's proof (verify_segment). Throws RejectedProof naming the segment and the reason.
// Package circuits are not supported in segment mode yet: a key declaring one is rejected.
RunStatement verify_run(std::span<const uint8_t> run_proof, const stark::Digest& expected_segment_id,
                        const ProgramImage& program);

}  // namespace zkrv::riscv_air
