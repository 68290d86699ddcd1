// Tape columns: rin, hin (a word of the public or private input tape to rd) and wou (rs2 to a word
// of the public output tape).
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct TapeCols {
  CoreCols core;
  AccessCols rs1, rs2, tape, rd;
  int q, a_hi, c0, c1;  // rs1 + imm = 4 q + 2^16 a_hi (mod 2^32): the offset, a multiple of 4
  int r_lo, r_hi;       // the value written to rd (rin, hin)
  int is_rin, is_hin, is_wou;
};

}  // namespace zkrv::riscv_air
