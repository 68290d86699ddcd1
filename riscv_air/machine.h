// The RISC-V machine: its tables in a fixed order, its buses, and the verifier's boundary terms
// (the initial state (entry, 0) sent on STATE, the statement's exit code received on EXIT).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "riscv_air/program.h"
#include "stark/air/machine.h"

namespace zkrv::riscv_air {

using Fp = stark::air::Fp;

// Table order (fixed: the verifying key and the proof list tables in this order).
enum TableIndex : size_t {
  kProgramTable,
  kRange16Table,
  kByteXorTable,
  kImageTable,
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
  kNumTables
};

// What the machine's constraints depend on besides the fixed columns.
struct MachineShape {
  uint32_t entry = 0;
  uint32_t zero_start_word = 0;
  std::vector<ZeroRange> zero_ranges;  // ZeroInit's constants
};

// The prover's machine: the fixed tables hold their contents.
stark::air::Machine make_machine(const ProgramImage& program);
// The verifier's machine: the same constraints, the fixed tables without contents (the verifying
// key commits to them).
stark::air::Machine make_machine(const MachineShape& shape);

}  // namespace zkrv::riscv_air
