// Random RV32IMAC instruction streams that zkrv and qemu-riscv32 must execute identically.
//
// A program is a list of units (one or a few instructions that belong together, such as an LR/SC
// pair or an auipc + jalr). Control transfers land only on the start of a unit, so no unit is
// entered in the middle, and they go forward, except the back edge of a counted loop (s2 counts, at
// most 5 rounds, no nesting), so every program terminates. The first unit points the two reserved
// registers into the data area (s0 at the page boundary in its middle, sp beside it); no later unit
// writes them (c.addi16sp comes in +n/-n pairs), and only loop heads and tails write s2. The last unit, the epilogue, stores
// x0..x31 to the dump area, writes the dump and the whole data area to stdout and exits with one
// register's value. Every memory access stays inside the data area, and atomics are aligned.
//
// Units can be dropped (assemble() with a keep mask) while a jump to a dropped unit lands on the
// next kept one; this is how a failing program is shrunk.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace zkrv::difftest {

constexpr uint32_t kCodeBase = 0x10000;
constexpr uint32_t kDataBase = 0x100000;
constexpr uint32_t kDataSize = 0x2000;                 // random initial bytes, dumped at the end
constexpr uint32_t kDumpBase = kDataBase + kDataSize;  // x0..x31 stored here by the epilogue
constexpr uint32_t kDumpSize = 32 * 4;
constexpr uint32_t kDataPointer = kDataBase + 0x1000;   // s0 (x8): on the page boundary
constexpr uint32_t kStackPointer = kDataBase + 0x1700;  // sp (x2): c.lwsp/c.swsp reach 252 above it
// The program's stdout: the dump, then the data area.
constexpr uint32_t kOutputSize = kDumpSize + kDataSize;

enum class Fixup : uint8_t {
  kNone,
  kBranch,           // B-type offset from this instruction to the target unit
  kJal,              // J-type offset
  kCompressedBranch, // c.beqz / c.bnez offset
  kCompressedJump,   // c.j / c.jal offset
  kUnitImmediate,    // I-type immediate: target unit minus the start of this unit, plus `bias`
};

struct Piece {
  uint32_t bits = 0;  // the instruction; its offset field is zero when fixup != kNone
  uint8_t size = 4;   // 2 for a compressed instruction
  Fixup fixup = Fixup::kNone;
  uint32_t target = 0;  // the unit a control transfer lands on (a later one)
  int32_t bias = 0;     // added to a kUnitImmediate (JALR ignores bit 0 of the target)
};

struct Unit {
  std::vector<Piece> pieces;
  bool removable = true;
};

struct RandomProgram {
  uint64_t seed = 0;
  std::vector<Unit> units;    // the last one is the epilogue
  std::vector<uint8_t> data;  // kDataSize initial bytes of the data area
  uint32_t body_instructions = 0;
};

// What a program may contain. kProvable keeps to what riscv_air proves today (docs/proof-system.md,
// "The RISC-V machine"): no AMOs or LR/SC, only naturally aligned loads and stores, and an epilogue
// that stores x0..x31 to the dump area and exits with one of them, without the two `write` calls.
enum class Mix : uint8_t { kFull, kProvable };

// Deterministic in (seed, length, mix): about `length` random instructions between prologue and
// epilogue. kFull's programs do not depend on kProvable existing (same stream as before it).
RandomProgram generate(uint64_t seed, uint32_t length, Mix mix = Mix::kFull);

// Lays the kept units out from kCodeBase and resolves offsets. `keep` is empty (keep all) or has one
// flag per unit; unremovable units are always kept.
std::vector<uint8_t> assemble(const RandomProgram& program, const std::vector<bool>& keep = {});

// The ELF file: code RX at kCodeBase, data RW at kDataBase (data area + dump area).
std::vector<uint8_t> build_elf(std::span<const uint8_t> code, std::span<const uint8_t> data);

// "0x00010000: 00100137  lui sp, 0x100" per instruction, decoded by zkrv::isa.
std::string listing(std::span<const uint8_t> code, uint32_t base = kCodeBase);

}  // namespace zkrv::difftest
