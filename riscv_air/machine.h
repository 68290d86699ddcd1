// The RISC-V machine: its tables in a fixed order, its buses, and the verifier's boundary terms
// (the initial state (entry, 0) sent on STATE, the statement's exit code received on EXIT).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "riscv_air/memory_boundary_air.h"
#include "riscv_air/program.h"
#include "riscv_air/segment_chain.h"
#include "stark/air/machine.h"

namespace zkrv::riscv_air {

using Fp = stark::air::Fp;

// Table order (fixed: the verifying key and the proof list tables in this order).
enum TableIndex : size_t {
  kProgramTable,
  kRange16Table,
  kByteXorTable,
  kImageTable,
  kReadableTable,
  kZeroInitTable,
  kExitTable,
  kAddSubTable,
  kJumpTable,
  kBranchTable,
  kLoadStoreTable,
  kBitwiseTable,
  kLtTable,
  kShiftTable,
  kMulTable,
  kAtomicTable,
  kDivTable,
  kTapeTable,
  kPublicInputTable,
  kPrivateInputTable,
  kOutputTable,
  kEcallTable,
  kMisalignedTable,
  kPrecompileCallTable,
  kPrecompileMemoryTable,
  // The tables of the declared precompiles with a circuit follow, in index order
  // (precompile_tables), circuit_table_count(name) each.
  kNumTables
};

// What the machine's constraints depend on besides the fixed columns.
struct MachineShape {
  uint32_t entry = 0;
  uint32_t zero_start_word = 0;
  std::vector<ZeroRange> zero_ranges;  // ZeroInit's constants
  std::vector<DeclaredPrecompile> precompiles;  // by index; each with a circuit has a table
};

// The first-party precompile circuits, by the name a program declares and the version of the
// package whose function each proves: a declaration has a circuit when its name is one of these
// and its version requirement accepts that version (a guest asking for "^2.0" of keccak-f gets no
// 1.0 circuit, so a run calling it is refused, never proven against other semantics).
inline constexpr std::string_view kKeccakF1600Name = "zkrv.keccak_f1600";
inline constexpr std::string_view kKeccakF1600Version = "1.0.0";
// zkrv.keccak_absorb (state[0..136) ^= block, then keccak-f): two tables, the keccak-f table (in its
// absorb mode) and the absorb table (precompile_air/keccak_absorb).
inline constexpr std::string_view kKeccakAbsorbName = "zkrv.keccak_absorb";
inline constexpr std::string_view kKeccakAbsorbVersion = "1.0.0";
// The version of the package whose function this zkrv's circuit for `name` proves, or nullopt when
// it has no circuit for that name (a caller tells "no circuit at all" from "another version" by it).
std::optional<std::string_view> circuit_version(std::string_view name);
inline constexpr std::string_view kSha256CompressName = "zkrv.sha256_compress";
inline constexpr std::string_view kSha256CompressVersion = "1.0.0";
bool has_circuit(std::string_view name, std::string_view version_requirement);
// Why a declaration has no circuit, for a refusal that names it.
std::string why_no_circuit(std::string_view name, std::string_view version_requirement);
// The declared precompiles that have a circuit (a first-party one, or their package's:
// DeclaredPrecompile::circuit_digest), in the order of their tables (from kNumTables on).
std::vector<DeclaredPrecompile> precompile_tables(std::span<const DeclaredPrecompile> declared);
// How many tables a precompile with a first-party circuit adds (keccak-f 1, keccak absorb 2: the
// keccak-f table, then the absorb table), and all the declared ones together (a package circuit: 1,
// named "<package>[<index>]", an InterpretedTable of bind_package_circuit).
size_t circuit_table_count(std::string_view name);
size_t precompile_table_count(std::span<const DeclaredPrecompile> declared);

// The statement's tape contents the verifier's boundary puts on the IO bus: the public input's
// payload and the public output's bytes. Without them (null) the machine has no IO boundary terms,
// which is enough for setup and for the tables' shape, never to prove or verify a run.
struct PublicIo {
  std::vector<uint8_t> input;
  std::vector<uint8_t> output;
};

// The prover's machine: the fixed tables hold their contents.
stark::air::Machine make_machine(const ProgramImage& program, std::shared_ptr<const PublicIo> io = nullptr);
// The verifier's machine: the same constraints, the fixed tables without contents (the verifying
// key commits to them).
stark::air::Machine make_machine(const MachineShape& shape, std::shared_ptr<const PublicIo> io = nullptr);

// Segment mode (continuations, docs/proof-system.md "Segments"): the same tables in the same order,
// except that the Image slot holds the memory-boundary table (memory_boundary_air.h, without the
// tapes' regions in this slice) and the ZeroInit slot stark/poseidon2's tree-update table on
// kMemoryTreeBus, and the three tape-word slots a table that has no rows (the tapes are not in a
// segment yet: with no tape record, no Tape row can balance MEMORY). The boundary slot's public
// values are kSegmentPublicValues; the verifier sends (pc_in, 4) on STATE and receives (pc_out,
// 4 steps + 4) there when the segment does not halt, or the exit code on EXIT when it does, and
// (1, 0, root_in), (1, 1, root_out) on the tree bus from the tree-update table's public values.
// With `expected`, the boundary also checks every public value against that statement (the
// program id aside, which the key carries) and throws stark::air::AirError naming the first that
// differs: the statement is bound to the proof through the transcript.
inline constexpr int kSegmentPublicValues = 4;  // pc_in, pc_out, steps, halted
enum SegmentPublicValue : size_t { kSegmentPcIn, kSegmentPcOut, kSegmentSteps, kSegmentHalted };
inline constexpr size_t kMemoryBoundaryTable = kImageTable;
inline constexpr size_t kTreeUpdateTable = kZeroInitTable;
MemoryBoundaryTable segment_boundary_table(std::span<const ChunkRange> mapped);
// The prover's segment machine (the fixed tables hold their contents).
stark::air::Machine make_segment_machine(const ProgramImage& program, const SegmentStatement* expected = nullptr);
// The verifier's: `mapped` as mapped_chunk_ranges gives them for the program.
stark::air::Machine make_segment_machine(const MachineShape& shape, std::span<const ChunkRange> mapped,
                                         const SegmentStatement* expected = nullptr);
// A segment statement's public values, as the boundary slot holds them.
std::vector<Fp> segment_public_values(const SegmentStatement& statement);

// The family table whose row proves one instruction; kNumTables for one no table proves. ECALL
// names the Ecall table (exit's single Exit row is the exception).
size_t table_of(isa::Op op);
// The committed base-field cells per row of a table: main, LogUp and quotient columns (the W of
// docs/proof-system.md), what one row costs a proof before padding.
uint32_t cells_per_row(const stark::air::Machine& machine, size_t table);

// The public values binding a tape's bytes into the transcript: BLAKE2s-256 (personal "zkrvpin" for
// the public input, "zkrvpout" for the output) of the bytes, as 16 little-endian 16-bit limbs.
std::vector<Fp> io_digest(std::span<const uint8_t> bytes, bool output);
// The output's words as the verifier receives them: word 0 = the length, then the bytes, the last
// word's bytes past the length taken from `tail` (which must have no byte below the length).
// Throws stark::air::AirError when tail has such a byte.
std::vector<uint32_t> output_words(std::span<const uint8_t> output, uint32_t tail);
// The input's words: word 0 = the length, then the payload, zero-padded.
std::vector<uint32_t> input_words(std::span<const uint8_t> input);

}  // namespace zkrv::riscv_air
