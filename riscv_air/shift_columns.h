// Shift columns: SLL, SRL, SRA, SLLI, SRLI, SRAI (and C.SLLI, C.SRLI, C.SRAI).
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct ShiftCols {
  CoreCols core;
  AccessCols rs1, rs2, rd;  // for the immediate forms, rs2's value columns hold the shift amount
  int a[4], ax[2];          // rs1's bytes, looked up in pairs (with their xor)
  int t[3], sel[4], w;      // shift amount = t0 + 2 t1 + 4 t2 + 8 (byte shift: one-hot sel) + 32 w
  int m1, m, m2;            // m = 2^t (m1 = the first two factors), m2 = 2^(8 - t)
  int lo[4], hi[4], x[4];   // a_k * (m or m2) = lo_k + 256 hi_k, bytes (looked up with their xor)
  int sign, rest;           // a_3 = 128 sign + rest
  int fill, v3;             // SRA's sign fill, and the top byte after the bit shift right
  int r_lo, r_hi;
  int is_sll, is_srl, is_sra, is_slli, is_srli, is_srai;
};

}  // namespace zkrv::riscv_air
