// The buses of the RISC-V machine and their messages (docs/proof-system.md, "The RISC-V machine").
#pragma once

#include <cstdint>

#include "stark/air/air.h"

namespace zkrv::riscv_air {

// (pc, ts): every executor row receives its state and sends its successor; the verifier sends
// (entry, 0) and the exit row consumes the last state.
inline constexpr stark::air::BusId kStateBus = 1;
// (pc, pc_hi, op, rd, rs1, rs2, imm_lo, imm_hi, imm, rd_w, len): executors send, Program supplies.
inline constexpr stark::air::BusId kProgramBus = 2;
// (space, addr, ts, lo, hi): each access receives the previous record and sends the new one.
inline constexpr stark::air::BusId kMemoryBus = 3;
// (x): x < 2^16. Supplied by Range16.
inline constexpr stark::air::BusId kRange16Bus = 4;
// (x, y, x ^ y) for bytes x, y. Supplied by ByteXor; (x, 0, x) checks x < 2^8.
inline constexpr stark::air::BusId kByteBus = 5;
// (exit_lo, exit_hi): the exit row sends a0, the verifier receives the statement's exit code. In
// segment mode (exit_lo, exit_hi, ts): the verifier receives ts = 4 steps, binding a halting
// segment's step count.
inline constexpr stark::air::BusId kExitBus = 6;
// (space, addr, lo, hi): the statement's tape words. The tape tables send them (the public input's
// initial words, the public output's final words); the verifier receives them from the statement.
inline constexpr stark::air::BusId kIoBus = 7;
// (lo_lo, lo_hi, hi_lo, hi_hi): a readable interval [lo, hi) of the program's memory as 16-bit limbs
// (hi_hi = 2^16 for hi = 2^32). Supplied by Readable; the Ecall table looks up the interval holding
// a system call's buffer.
inline constexpr stark::air::BusId kReadableBus = 8;
// (index, ts, rs1_lo, rs1_hi, rs2_lo, rs2_hi, rd_lo, rd_hi): a custom-0 call. The PrecompileCall
// row sends it; the table of the precompile the program declares at that index receives it once.
inline constexpr stark::air::BusId kPrecompileBus = 9;
// (slot ts, word address, lo, hi): a word a precompile call reads (at ts + 2, the value before) or
// writes (at ts + 3, the value after). The precompile's table sends both; a PrecompileMemory row
// receives the pair and makes the word's one memory access (docs/proof-system.md, "Precompile calls").
inline constexpr stark::air::BusId kPrecompileWordBus = 10;
// (ts, state word address, block word address, has_block, last, lo, hi): zkrv.keccak_absorb's
// keccak-f table sends each state word's permutation input (last = 0) and output (last = 1); the
// absorb table receives both and makes the word's accesses (precompile_air/keccak_absorb).
inline constexpr stark::air::BusId kKeccakAbsorbBus = 11;
// (slot ts, word address, lo, hi): a word a precompile call only reads (at ts + 2). The precompile's
// table sends it once; a PrecompileMemory row receives it and reads the word in either memory space,
// so a read-only buffer (a SHA-256 block in .rodata) can be an operand. Words a call writes never go
// here, so a call cannot write a read-only word.
inline constexpr stark::air::BusId kPrecompileReadBus = 12;
// Segment mode only (make_segment_machine): the memory tree's update (stark/poseidon2's tree-update
// table), (node, side, digest); the boundary table sends the leaves, the verifier receives the roots.
inline constexpr stark::air::BusId kMemoryTreeBus = 13;

// MEMORY address spaces. Writable memory words (RW pages) are space 1, read-only ones (R and RX
// pages) space 2: a word's initial record carries its space, so a store, which only ever names
// space 1, cannot touch a read-only word, and an unmapped word has no record at all. Spaces 3-5
// are the I/O tapes'.
inline constexpr uint32_t kRegisterSpace = 0;
inline constexpr uint32_t kMemorySpace = 1;
inline constexpr uint32_t kReadOnlySpace = 2;
// The A extension's reservation: a 33rd record in the register space (0 when none, a + 1 for a
// reservation on the word-aligned address a). No instruction names register 32, so only the
// Atomic table's LR and SC reach it; the Image table holds its initial record (zero) with the
// registers'.
inline constexpr uint32_t kReservationRegister = 32;
inline constexpr uint32_t kRegisterRecords = 33;
// The tapes (word address = byte offset / 4): rin, hin and wou access them.
inline constexpr uint32_t kPublicInputSpace = 3;
inline constexpr uint32_t kPrivateInputSpace = 4;
inline constexpr uint32_t kOutputSpace = 5;

// Timestamps: step i (from 0) runs at ts = 4 (i + 1); its accesses use slots ts + 0 .. ts + 3 (rs1,
// rs2, memory, rd) and its successor starts at ts + 4. Initial records carry ts 0, below every access.
inline constexpr uint32_t kTsPerStep = 4;
inline constexpr uint32_t kSlotRs1 = 0, kSlotRs2 = 1, kSlotMemory = 2, kSlotRd = 3;

// One proof covers at most this many steps (ts < 2^24, the range of an access's ts difference).
inline constexpr int kMaxLogSteps = 22;
// Every pc of the program table and every link value lies below this (one field element, and
// 16-bit limbs with pc_hi < 2^14).
inline constexpr uint32_t kMaxTextEnd = (1u << 30) - 4;

}  // namespace zkrv::riscv_air
