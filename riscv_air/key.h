// A program's key and id, and the proof file, shared by the prover and the verifier.
//
// The program id is the BLAKE2s hash of the program key: the machine's shape (entry pc, the first
// zero-initialised word, the zero ranges, the declared precompiles: index, name, version
// requirement, a package circuit's digest; the circuit of each is a table whose constraints the constraint digest covers) and the STARK verifying key (the digest of every table's
// constraints and interactions, and the commitment to the fixed tables: Program, Range16, ByteXor,
// the initial memory image and the readable intervals). The commitment depends on the blowup, so a
// program has one id per profile, and the key of a profile with several parameter sets (`fast`:
// blowup 4 and, for the tallest statements, blowup 2) holds one commitment per set.
//
// Proof file: "ZKRVRV" | version (u8) | profile name (u8 length, bytes) | parameter set (u8: its
// index in stark::profile_parameter_sets, which the verifier checks against the one the proof's
// shape requires) | public input (u32 length,
// bytes) | public output (u32 length, bytes) | program key (entry u32, zero start word u32, zero
// range count u8 and per range space u8, begin u32, end u32, declared precompile count u32 and per
// precompile index u32, name and version requirement (u8 length, bytes), a package circuit flag u8 (0 none,
// 1: its circuit digest follows, 32 bytes), constraint digest, per table the
// fixed columns' log height as u8 (255 when none), cap size u32, cap digests, the count of the
// profile's further parameter sets u8 and per set the same heights, cap size and digests) | STARK
// proof length
// (u32) | STARK proof (stark/protocol).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "riscv_air/machine.h"
#include "stark/hash/digest.h"
#include "stark/proof/byte_io.h"
#include "stark/protocol/protocol.h"
#include "stark/security/security.h"

namespace zkrv::riscv_air {

inline constexpr uint8_t kProofFormatVersion = 6;  // 5: the declared precompiles; 6: their package circuits' digests
// The statement's tapes in a proof file: one proof covers at most 2^22 steps and its tables at most
// 2^22 rows, so a tape larger than 2^22 words cannot be proven anyway.
inline constexpr uint32_t kMaxStatementTapeBytes = 1u << 24;

// The fixed tables under one further parameter set: their heights differ from the first set's
// where the set reserves more random rows (fast's blowup-2 set: 208 against 92), and the
// commitment differs with the blowup.
struct FixedCommitment {
  std::vector<int> preprocessed_log_heights;  // per table; -1 where the table has no fixed columns
  stark::MerkleCap preprocessed_cap;
};

struct ProgramKey {
  MachineShape shape;
  stark::protocol::VerifyingKey vk;  // under the profile's first parameter set
  // The fixed tables under each further parameter set of the profile, in order.
  std::vector<FixedCommitment> other_sets;
};

stark::Digest program_id(const ProgramKey& key);

// Segment mode (make_segment_machine): what verifies a segment's proof. The id is program_id of
// the shape with the segment machine's verifying key, whose constraint digest covers the mapped
// ranges (constants of the boundary table's eval) and whose commitment the fixed tables. The
// first parameter set of the profile only, in this slice.
struct SegmentKey {
  std::string profile;
  MachineShape shape;
  std::vector<ChunkRange> mapped;
  stark::protocol::VerifyingKey vk;
};
stark::Digest segment_program_id(const SegmentKey& key);

// What a verified proof states.
struct Statement {
  stark::Digest program_id{};
  int32_t exit_code = 0;
  std::vector<uint8_t> public_input;   // the public input tape's payload (what `rin` reads after word 0)
  std::vector<uint8_t> public_output;  // the public output: the output tape's bytes [4, 4 + word 0)
};

struct ProofFile {
  std::string profile;  // "fast" or "secure"
  uint8_t parameter_set = 0;  // index in stark::profile_parameter_sets(profile)
  ProgramKey key;
  std::vector<uint8_t> stark_proof;
  std::vector<uint8_t> public_input;   // the statement's (Statement::public_input)
  std::vector<uint8_t> public_output;
};

std::vector<uint8_t> encode_proof_file(const ProofFile& file);
// Throws stark::proof::ProofDecodeError naming the field for malformed input.
ProofFile decode_proof_file(std::span<const uint8_t> bytes);

// The pieces of the proof file the run-proof file (run_proof.h) encodes the same way.
namespace internal {
void write_shape(stark::proof::ByteWriter& w, const MachineShape& shape);
MachineShape read_shape(stark::proof::ByteReader& r);
void write_fixed(stark::proof::ByteWriter& w, std::span<const int> log_heights, const stark::MerkleCap& cap);
FixedCommitment read_fixed(stark::proof::ByteReader& r, size_t tables);
}  // namespace internal

// The FRI parameters one of a profile's parameter sets proves with.
stark::fri::FriParams proof_params(const stark::SecurityProfile& profile);
// The verifying key under the profile's parameter set number `set` (0: key.vk).
stark::protocol::VerifyingKey parameter_set_vk(const ProgramKey& key, size_t set);

}  // namespace zkrv::riscv_air
