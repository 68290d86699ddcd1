// AddSub columns: ADD, SUB, ADDI (and their compressed forms).
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct AddSubCols {
  CoreCols core;
  AccessCols rs1, rs2, rd;  // for ADDI, rs2's value columns hold the immediate and no access happens
  int r_lo, r_hi, c0, c1;   // result limbs and carries
  int is_add, is_sub, is_addi;
};

}  // namespace zkrv::riscv_air
