// Serialized proofs: a versioned little-endian binary format with strict decoding.
//
// Layout of a proof file (all integers little-endian):
//   "ZKRVPRF" (7 bytes) | format version (u8) | BLAKE2s hash of the FriParams (32 bytes)
//   statement:  rounds (u8, 1..kMaxRounds); per round: matrices (u8, 1..kMaxMatrices), per matrix
//               log_height (u8) and width (u32); then the round's Merkle cap (count implied)
//   FRI proof:  opened values, fold caps, final polynomial, PoW nonce (u64), input openings,
//               fold openings (EncodeFriProof below)
// Every count that the parameters and the statement determine (values per matrix and point, cap
// sizes, fold rounds, final polynomial length, queries, words per opened row, including the
// kSaltElements salt that ends every opened row under params.zk) is implied, not
// written; the only counts on the wire are the shape of the statement and the sibling count of
// each Merkle multi-proof, which is bounded by queries x tree depth. Decoding rejects a wrong
// magic, version or parameters hash, out-of-range shapes, non-canonical field elements (>= p),
// truncation and trailing bytes with a ProofDecodeError naming the field and its byte offset.
//
// The FRI section codec (EncodeFriProof / DecodeFriProof) is what the STARK proof will embed.
// EvaluationProof is the stand-alone protocol of this layer: commitments to rounds of matrices
// and their openings at zeta and zeta * g (g the generator of each matrix's trace domain), zeta
// drawn after the caps are absorbed. Tests, the fuzzer and the benchmarks use it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "stark/field/matrix.h"
#include "stark/fri/pcs.h"
#include "stark/proof/byte_io.h"

namespace zkrv::stark::proof {

inline constexpr std::string_view kMagic = "ZKRVPRF";
inline constexpr uint8_t kFormatVersion = 2;  // 2: salted rows under params.zk
inline constexpr size_t kMaxRounds = 8;
inline constexpr size_t kMaxMatrices = 64;      // per round
inline constexpr uint32_t kMaxWidth = 1 << 16;  // columns per matrix

// The FRI section. round_shapes and points_per_matrix[r][m] fix every implied count.
void encode_fri_proof(ByteWriter& writer, const fri::FriParams& params,
                    std::span<const std::vector<fri::MatrixShape>> round_shapes,
                    const std::vector<std::vector<size_t>>& points_per_matrix, const fri::FriProof& proof);
fri::FriProof decode_fri_proof(ByteReader& reader, const fri::FriParams& params,
                             std::span<const std::vector<fri::MatrixShape>> round_shapes,
                             const std::vector<std::vector<size_t>>& points_per_matrix);

struct EvaluationProof {
  std::vector<fri::RoundClaim> rounds;  // caps and shapes: the statement
  fri::FriProof opening;                // opened_values[r][m] = {values at zeta, values at zeta * g}
  friend bool operator==(const EvaluationProof&, const EvaluationProof&) = default;
};

std::vector<uint8_t> encode_proof(const fri::FriParams& params, const EvaluationProof& proof);
// Throws ProofDecodeError (never anything else for any input, given valid params).
EvaluationProof decode_proof(const fri::FriParams& params, std::span<const uint8_t> bytes);

// Commits to each round of trace matrices and opens every matrix at zeta and zeta * g.
EvaluationProof prove_evaluations(const fri::FriParams& params, const std::vector<std::vector<Matrix<fri::Fp>>>& rounds);
// The points the protocol opens at, replayed from the statement (absorbs the caps, draws zeta).
fri::OpeningPoints draw_evaluation_points(const std::vector<fri::RoundClaim>& rounds, Transcript& transcript);
// Throws FriError, MerkleError or TranscriptError if the proof does not verify.
void verify_evaluations(const fri::FriParams& params, const EvaluationProof& proof);
// Decodes and verifies: true iff the bytes are an accepted proof. Never throws for bad input.
bool accepts_proof_bytes(const fri::FriParams& params, std::span<const uint8_t> bytes, std::string* error = nullptr);

}  // namespace zkrv::stark::proof
