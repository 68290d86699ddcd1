// Exit: the `exit` ecall (a7 = 93 or 94). The row consumes the last state and sends no successor,
// so the STATE bus balances only with exactly one exit row (the verifier sends one initial
// state); it reads a7 and a0 and sends a0 on the EXIT bus, which the verifier balances with the
// statement's exit code (this table's public values: exit code lo, hi). In segment mode the row
// also sends its timestamp on EXIT: nothing else in a halting segment fixes where its state chain
// ends, so the verifier receives (code lo, hi, 4 steps) there and the statement's step count is
// bound (a segment's step i runs at 4 (i + 1), so the exit, its last step, at 4 steps).
#pragma once

#include "isa/isa.h"
#include "riscv_air/gadgets.h"

namespace zkrv::riscv_air {

struct ExitCols {
  CoreCols core;
  AccessCols a7, a0;
};

struct ExitTable {
  bool sends_ts = false;  // segment mode
  stark::air::TableInfo info() const { return {"exit", kWidth<ExitCols>, 0, 2, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const ExitCols c = make_columns<ExitCols>();
    const auto real = b.main(c.core.is_real);
    eval_core(b, c.core, b.constant(static_cast<uint32_t>(isa::Op::ECALL)) * real, real);
    eval_register_read(b, c.core, c.a7, b.constant(17), kSlotRs1, real);
    eval_register_read(b, c.core, c.a0, b.constant(10), kSlotRs2, real);
    const auto a7_lo = b.main(c.a7.prev_lo);
    b.assert_zero("a7 is exit or exit_group",
                  real * (a7_lo - b.constant(93)) * (a7_lo - b.constant(94)));
    b.assert_zero("a7 high limb is zero", real * b.main(c.a7.prev_hi));
    if (sends_ts) {
      b.send(kExitBus, {b.main(c.a0.prev_lo), b.main(c.a0.prev_hi), b.main(c.core.ts)}, real);
    } else {
      b.send(kExitBus, {b.main(c.a0.prev_lo), b.main(c.a0.prev_hi)}, real);
    }
  }
};

}  // namespace zkrv::riscv_air
