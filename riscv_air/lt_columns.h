// Lt columns: SLT, SLTU, SLTI, SLTIU.
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct LtCols {
  CoreCols core;
  AccessCols rs1, rs2, rd;  // for the immediate forms, rs2's value columns hold imm and no access happens
  CompareCols cmp;
  int r;                    // the bit written to rd
  int is_slt, is_sltu, is_slti, is_sltiu;
};

}  // namespace zkrv::riscv_air
