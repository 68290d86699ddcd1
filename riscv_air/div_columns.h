// Div columns: DIV, DIVU, REM, REMU.
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct DivCols {
  CoreCols core;
  AccessCols rs1, rs2, rd;
  WordBytesCols a, b, q, m;           // dividend (rs1), divisor (rs2), quotient, remainder
  int neg_a, neg_b, neg_q, neg_m;     // signed instruction and negative operand: bytes 4..7 are 255
  int carry[8];                       // column j of q b + m = a, on bytes (eval_byte_product)
  int zero, inv;                      // b = 0, else inv = 1 / (b_lo + b_hi)
  int overflow;                       // DIV/REM of -2^31 by -1
  int abs_b_lo, abs_b_hi, kb;         // |b| (= 2^32 - b when negative), kb the low limb's carry
  int abs_m_lo, abs_m_hi, km;         // |m|
  int d_lo, d_hi, borrow;             // |b| - |m| - 1 = d >= 0 (limbs, no final borrow)
  int r_lo, r_hi;
  int is_div, is_divu, is_rem, is_remu;
};

}  // namespace zkrv::riscv_air
