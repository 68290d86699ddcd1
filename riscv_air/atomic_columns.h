// Atomic columns: LR.W, SC.W, AMOSWAP.W, AMOADD.W, AMOXOR.W, AMOAND.W, AMOOR.W, AMOMIN.W, AMOMAX.W,
// AMOMINU.W, AMOMAXU.W (word-aligned, address rs1).
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct AtomicCols {
  CoreCols core;
  AccessCols rs1, rs2, mem, res, rd;  // res: the reservation record (register space, kReservationRegister)
  int q;                              // rs1 lo = 4 q: the word address is q + 2^14 rs1 hi
  int read_only;                      // LR.W of a read-only word (an R or RX segment's): the access is in that space
  int eq, inv_lo, inv_hi;             // SC: whether the reservation holds rs1 + 1 (inverse witnesses when not)
  int new_lo, new_hi;                 // the word after the access (LR: the word itself)
  int c0, c1;                         // AMOADD's carries
  int a[4], b[4], x[4];               // AMOXOR, AMOOR, AMOAND: the old word's and rs2's bytes and their xor
  CompareCols cmp;                    // AMOMIN, AMOMAX, AMOMINU, AMOMAXU: the old word against rs2
  int pick_old;                       // the min/max keeps the old word
  int r_lo, r_hi;                     // the value written to rd
  int is_lr, is_sc, is_swap, is_add, is_xor, is_and, is_or, is_min, is_max, is_minu, is_maxu;
};

}  // namespace zkrv::riscv_air
