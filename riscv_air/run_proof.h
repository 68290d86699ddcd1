// The run-proof file: a run proven in segments (docs/proof-system.md, "The run-proof file"), the
// segment key once, the private input's subtree digest and each segment's statement and STARK
// proof, in run order. Shared by the prover and the verifier (no prover code). The decoder is for
// hostile input: every count and length is checked against its limit and against the bytes left
// before anything is allocated for it, and errors name the field and its offset.
//
// "ZKRVSG" | version (u8) | profile name (u8 length, bytes) | segment key: the machine shape as in
// the proof file (key.h), mapped chunk range count (u32) and per range space u8, begin u32, end u32,
// constraint digest, per table the fixed columns' log height as u8 (255 when none), cap size u32,
// cap digests | private input root (8 canonical u32) | segment count (u32) | per segment: statement
// (kSegmentStatementBytes, segment_chain.h), STARK proof length (u32), STARK proof (stark/protocol).
//
// Version 1 has no tapes: segment mode refuses runs that read or write one, so the run's public
// input and output are empty.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "riscv_air/key.h"
#include "riscv_air/segment_chain.h"
#include "stark/poseidon2/poseidon2.h"

namespace zkrv::riscv_air {

inline constexpr uint8_t kRunProofFormatVersion = 1;
// The magic's 6 bytes, which `zkrv verify` tells a run-proof file from a proof file by.
inline constexpr std::string_view kRunProofMagic = "ZKRVSG";
// The mapped ranges of a program in chunks: its loadable segments' pages and zero ranges merged,
// far fewer than this for any ELF the loader accepts.
inline constexpr uint32_t kMaxMappedRanges = 4096;
// Memory's chunks: the left half of the memory tree (2^32 bytes in 16-byte chunks).
inline constexpr uint32_t kMemoryChunks = uint32_t{1} << 28;

// One segment of a run: its statement (with the segment key's program id) and its STARK proof.
struct SegmentProof {
  SegmentStatement statement;
  std::vector<uint8_t> stark_proof;
};

struct RunProofFile {
  SegmentKey key;  // key.profile is the file's profile; its first parameter set proves every segment
  stark::poseidon2::Digest private_root{};  // private_input_root of the run's hint and salt
  std::vector<SegmentProof> segments;       // in run order
};

bool is_run_proof_file(std::span<const uint8_t> bytes);
std::vector<uint8_t> encode_run_proof_file(const RunProofFile& file);
// Throws stark::proof::ProofDecodeError naming the field and its offset for malformed input.
RunProofFile decode_run_proof_file(std::span<const uint8_t> bytes);

}  // namespace zkrv::riscv_air
