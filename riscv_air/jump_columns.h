// Jump columns: LUI, AUIPC, JAL, JALR (and C.LUI, C.J, C.JAL, C.JR, C.JALR), FENCE, FENCE.I.
#pragma once

#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

struct JumpCols {
  CoreCols core;
  AccessCols rs1, rd;
  int r_lo, r_hi, c0, c1;             // the value written: imm, pc + imm or pc + len
  int s_lo, s_hi, cs0, cs1, bit0, q;  // JALR: rs1 + imm = s, s_lo = bit0 + 2 q
  int next_pc;
  int is_lui, is_auipc, is_jal, is_jalr, is_fence, is_fence_i;
};

}  // namespace zkrv::riscv_air
