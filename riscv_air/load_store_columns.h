// LoadStore columns: LB, LH, LW, LBU, LHU, SB, SH, SW (and C.LW, C.SW, C.LWSP, C.SWSP); naturally
// aligned accesses only.
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct LoadStoreCols {
  CoreCols core;
  AccessCols rs1, rs2, mem, rd;
  int q, a_hi, c0, c1;     // rs1 + imm = 4 q + offset + 2^16 a_hi (mod 2^32); the word address is q + 2^14 a_hi
  int h[4];                // the byte offset, one-hot
  int m[4], mx[2];         // the word's bytes before the access (byte accesses), looked up in pairs
  int s[2], sx;            // rs2's low bytes (SB)
  int loaded, sign, rest, scaled_rest;  // a narrow load: the byte or halfword, its top bit and the bits below
  int new_lo, new_hi;      // the word after the access
  int r_lo, r_hi;          // the value written to rd (loads)
  int is_lb, is_lh, is_lw, is_lbu, is_lhu, is_sb, is_sh, is_sw;
  int read_only;           // the word is in the read-only space (loads only)
};

}  // namespace zkrv::riscv_air
