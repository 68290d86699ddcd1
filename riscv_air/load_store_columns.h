// LoadStore columns: LW, SW (and C.LW, C.SW, C.LWSP, C.SWSP); aligned word accesses only.
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct LoadStoreCols {
  CoreCols core;
  AccessCols rs1, rs2, mem, rd;
  int q, a_hi, c0, c1;  // rs1 + imm = 4 q + 2^16 a_hi (mod 2^32); the word address is q + 2^14 a_hi
  int new_lo, new_hi;   // the word after the access (LW: unchanged; SW: rs2)
  int is_lw, is_sw;
};

}  // namespace zkrv::riscv_air
