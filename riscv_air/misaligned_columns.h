// Misaligned columns: LH, LHU, LW, SH, SW (and C.LW, C.SW, C.LWSP, C.SWSP) at an address that is
// not a multiple of their width; the aligned ones are LoadStore's.
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct MisalignedCols {
  CoreCols core;
  AccessCols rs1, rs2, mem0, mem1, rd;  // mem0: the word holding the first byte; mem1: the next word
  int q, a_hi, c0, c1;      // rs1 + imm = 4 q + offset + 2^16 a_hi (mod 2^32); the first word is q + 2^14 a_hi
  int h[3];                 // the byte offset (1, 2 or 3), one-hot
  int crosses;              // the access spans the next word too (mem1 is made)
  int m[8], mx[4];          // both words' bytes before the access, looked up in pairs
  int s[4], sx[2];          // rs2's bytes (stores)
  int v[4];                 // the bytes at offsets 0..3 from the address (loads use the first 2 or 4)
  int sign, rest;           // v[1] = 128 sign + rest: a halfword's top bit
  int new0_lo, new0_hi, new1_lo, new1_hi;  // the two words after the access
  int r_lo, r_hi;           // the value written to rd (loads)
  int is_lh, is_lhu, is_lw, is_sh, is_sw;
  int read_only0, read_only1;  // each word's space (loads only: a store names the writable one)
};

}  // namespace zkrv::riscv_air
