// Constraint pieces every instruction family shares: the row's state and program lookup, and one
// offline-memory-checking access (docs/proof-system.md, "The RISC-V machine").
#pragma once

#include "riscv_air/buses.h"
#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

// The family's selectors are bits summing to is_real (so a padding row selects nothing and
// emits nothing); the row receives (pc, ts) and looks up its instruction at pc. `op` is the
// selectors' weighted sum of opcodes, never 0 on a real row (0 is the Program table's padding).
template <class B, class E = typename B::Expr>
void eval_core(B& b, const CoreCols& c, const E& op, const E& selector_sum) {
  const E real = b.main(c.is_real);
  b.assert_bool("is_real is a bit", real);
  b.assert_zero("the selectors sum to is_real", selector_sum - real);
  b.assert_bool("rd_w is a bit", b.main(c.rd_w));
  b.assert_zero("padding writes no register", b.main(c.rd_w) * (b.constant(1) - real));
  b.receive(kStateBus, {b.main(c.pc), b.main(c.ts)}, real);
  b.send(kProgramBus,
         {b.main(c.pc), b.main(c.pc_hi), op, b.main(c.rd), b.main(c.rs1), b.main(c.rs2), b.main(c.imm_lo),
          b.main(c.imm_hi), b.main(c.imm), b.main(c.rd_w), b.main(c.len)},
         real);
}

// The successor state (next_pc, ts + 4).
template <class B, class E = typename B::Expr>
void eval_next_state(B& b, const CoreCols& c, const E& next_pc) {
  b.send(kStateBus, {next_pc, b.main(c.ts) + b.constant(kTsPerStep)}, b.main(c.is_real));
}

// The low 16 bits of pc (pc_hi comes from the Program table, so both limbs are exact).
template <class B, class E = typename B::Expr>
E pc_lo(B& b, const CoreCols& c) {
  return b.main(c.pc) - b.constant(1u << 16) * b.main(c.pc_hi);
}

// One access to (space, addr) at time ts that leaves (new_lo, new_hi): consumes the previous
// record (prev_ts, prev), emits the new one, and proves prev_ts < ts by range-checking
// ts - prev_ts - 1 = d0 + 2^16 d1 below 2^24. `multiplicity` is 0 or 1 and 0 on padding rows.
template <class B, class E = typename B::Expr>
void eval_access(B& b, const AccessCols& a, const E& space, const E& addr, const E& ts, const E& new_lo,
                 const E& new_hi, const E& multiplicity) {
  b.receive(kMemoryBus, {space, addr, b.main(a.prev_ts), b.main(a.prev_lo), b.main(a.prev_hi)}, multiplicity);
  b.send(kMemoryBus, {space, addr, ts, new_lo, new_hi}, multiplicity);
  b.assert_zero("an access comes after the record it consumes",
                multiplicity * (ts - b.main(a.prev_ts) - b.constant(1) - b.main(a.d0) -
                                b.constant(1u << 16) * b.main(a.d1)));
  b.send(kRange16Bus, {b.main(a.d0)}, multiplicity);
  b.send(kByteBus, {b.main(a.d1), b.constant(0), b.main(a.d1)}, multiplicity);
}

// A read: the new record carries the value read.
template <class B, class E = typename B::Expr>
void eval_read(B& b, const AccessCols& a, const E& space, const E& addr, const E& ts, const E& multiplicity) {
  eval_access(b, a, space, addr, ts, b.main(a.prev_lo), b.main(a.prev_hi), multiplicity);
}

// A register read or write in slot `slot` of the row.
template <class B, class E = typename B::Expr>
void eval_register_read(B& b, const CoreCols& c, const AccessCols& a, const E& reg, uint32_t slot,
                        const E& multiplicity) {
  eval_read(b, a, b.constant(kRegisterSpace), reg, b.main(c.ts) + b.constant(slot), multiplicity);
}
template <class B, class E = typename B::Expr>
void eval_register_write(B& b, const CoreCols& c, const AccessCols& a, const E& lo, const E& hi) {
  eval_access(b, a, b.constant(kRegisterSpace), b.main(c.rd), b.main(c.ts) + b.constant(kSlotRd), lo, hi,
              b.main(c.rd_w));
}

}  // namespace zkrv::riscv_air
