// Mul columns: MUL, MULH, MULHSU, MULHU.
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct MulCols {
  CoreCols core;
  AccessCols rs1, rs2, rd;
  WordBytesCols a, b;  // the operands' bytes and top bits
  int ext_a, ext_b;    // 1 when the operand is signed and negative: its bytes 4..7 are 255
  int p[8], px[4];     // the 64-bit product's bytes, looked up in pairs
  int carry[8];        // column j: sum a_i b_k (i + k = j) + carry_(j-1) = p_j + 256 carry_j
  int r_lo, r_hi;
  int is_mul, is_mulh, is_mulhsu, is_mulhu;
};

}  // namespace zkrv::riscv_air
