// Bitwise columns: XOR, OR, AND, XORI, ORI, ANDI (and C.AND, C.OR, C.XOR, C.ANDI).
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct BitwiseCols {
  CoreCols core;
  AccessCols rs1, rs2, rd;  // for the immediate forms, rs2's value columns hold imm and no access happens
  int a[4], b[4], x[4];     // the operands' bytes and their xor, byte by byte
  int r_lo, r_hi;
  int is_xor, is_or, is_and, is_xori, is_ori, is_andi;
};

}  // namespace zkrv::riscv_air
