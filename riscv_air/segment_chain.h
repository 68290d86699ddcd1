// A run proven in segments (docs/proof-system.md, "Segments: the plan the wiring follows"): each
// segment's fixed-size statement, its encoding, and the chain check the verifier runs on the
// statements before it verifies any segment's STARK proof. Verifier side: no prover code.
//
// The chain check is what makes separately proven segments one run: the first starts at the
// program's entry with the program's initial state, each starts where the previous one ended, and
// only the last one halts. Each segment's proof binds its own statement (its public values), so
// the check needs nothing but the statements.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "stark/hash/digest.h"
#include "stark/poseidon2/poseidon2.h"
#include "stark/proof/byte_io.h"

namespace zkrv::riscv_air {

// program id 32 | pc_in, pc_out, steps u32 | root_in, root_out 8 canonical u32 each | halted u8 |
// exit code i32 (two's complement): 113 bytes, little-endian.
inline constexpr size_t kSegmentStatementBytes = 32 + 3 * 4 + 2 * 8 * 4 + 1 + 4;

struct SegmentStatement {
  stark::Digest program_id{};
  uint32_t pc_in = 0;
  uint32_t pc_out = 0;   // the pc the next segment starts at; 0 when halted (no proof holds the exit's pc)
  uint32_t steps = 0;    // instructions this segment proves (at least 1)
  stark::poseidon2::Digest root_in{};   // the memory tree's root before the segment, and after it
  stark::poseidon2::Digest root_out{};
  bool halted = false;
  int32_t exit_code = 0;  // zero unless halted
  friend bool operator==(const SegmentStatement&, const SegmentStatement&) = default;
};

std::array<uint8_t, kSegmentStatementBytes> encode_segment_statement(const SegmentStatement& statement);
// Strict: canonical root elements, halted 0 or 1, steps >= 1, an exit code only when halted, pcs
// 2-byte aligned. Reads kSegmentStatementBytes from `in` (the run's proof file, so errors name the
// offset in that file); throws stark::proof::ProofDecodeError naming the field and its offset.
SegmentStatement read_segment_statement(stark::proof::ByteReader& in);
// The same for exactly one statement's bytes (trailing bytes are refused).
SegmentStatement decode_segment_statement(std::span<const uint8_t> bytes);

// Where a run starts: what the verifier computes from the program key and the public input
// (the initial root also takes the private-input digest the run's proof carries).
struct RunStart {
  stark::Digest program_id{};
  uint32_t entry_pc = 0;
  stark::poseidon2::Digest initial_root{};
};

// What a chain of segments states about its run, beyond the program and the tapes.
struct ChainedRun {
  int32_t exit_code = 0;
  uint64_t steps = 0;  // the sum of the segments' steps
};

// A chain that is not one run; the message names the segment (from 0) and the field at fault.
class SegmentChainError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The most segments one run's proof may hold: 2^22-step segments of a 2^40-step run. The decoder
// of the run's proof refuses a larger count before it allocates for it.
inline constexpr size_t kMaxSegments = size_t{1} << 18;

// Checks that `segments`, in order, chain into one run from `start` (every rule in the header
// comment; at least one segment, at most kMaxSegments) and returns what the run states.
ChainedRun check_segment_chain(std::span<const SegmentStatement> segments, const RunStart& start);

}  // namespace zkrv::riscv_air
