// Branch columns: BEQ, BNE, BLT, BGE, BLTU, BGEU (and C.BEQZ, C.BNEZ).
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct BranchCols {
  CoreCols core;
  AccessCols rs1, rs2;
  int eq, inv_lo, inv_hi;      // eq = (a == b), with inverses of the limb differences when not
  CompareCols cmp;
  int taken, next_pc;
  int is_beq, is_bne, is_blt, is_bge, is_bltu, is_bgeu;
};

}  // namespace zkrv::riscv_air
