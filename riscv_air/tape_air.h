// Tape: rin, hin and wou (docs/abi.md, "Static precompiles"). The byte offset rs1 + imm is computed
// on limbs as in LoadStore, but its low limb is exactly 4 q (q and 4 q 16-bit): an offset that is
// not a multiple of 4 has no witness, and the carry bit c1 takes the wrap modulo 2^32. The word
// q + 2^14 a_hi (< 2^30) is accessed once (slot 2) in the tape's own MEMORY space: 3 (public
// input) for rin, 4 (private input) for hin, 5 (public output) for wou. rin and hin read it into
// rd; wou replaces it with rs2. The tape tables (tape_words_air.h) give each word its initial value.
#pragma once

#include "isa/isa.h"
#include "riscv_air/gadgets.h"
#include "riscv_air/tape_columns.h"

namespace zkrv::riscv_air {

struct TapeTable {
  stark::air::TableInfo info() const { return {"tape", kWidth<TapeCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const TapeCols c = make_columns<TapeCols>();
    using isa::Op;
    using E = typename B::Expr;
    const E rin = b.main(c.is_rin), hin = b.main(c.is_hin), wou = b.main(c.is_wou);
    const E two16 = b.constant(1u << 16), four = b.constant(4);
    b.assert_bool("is_rin is a bit", rin);
    b.assert_bool("is_hin is a bit", hin);
    b.assert_bool("is_wou is a bit", wou);
    const auto code = [&](Op op) { return b.constant(static_cast<uint32_t>(op)); };
    eval_core(b, c.core, code(Op::RIN) * rin + code(Op::HIN) * hin + code(Op::WOU) * wou, rin + hin + wou);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const E real = b.main(c.core.is_real);
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, wou);

    const E q = b.main(c.q), a_hi = b.main(c.a_hi), c0 = b.main(c.c0), c1 = b.main(c.c1);
    b.assert_bool("c0 is a bit", c0);
    b.assert_bool("c1 is a bit", c1);
    b.assert_zero("offset lo limb", four * q + two16 * c0 - b.main(c.rs1.prev_lo) - b.main(c.core.imm_lo));
    b.assert_zero("offset hi limb", a_hi + two16 * c1 - b.main(c.rs1.prev_hi) - b.main(c.core.imm_hi) - c0);
    b.send(kRange16Bus, {q}, real);
    b.send(kRange16Bus, {four * q}, real);
    b.send(kRange16Bus, {a_hi}, real);

    const E prev_lo = b.main(c.tape.prev_lo), prev_hi = b.main(c.tape.prev_hi);
    const E reads = rin + hin;
    const E new_lo = reads * prev_lo + wou * b.main(c.rs2.prev_lo);
    const E new_hi = reads * prev_hi + wou * b.main(c.rs2.prev_hi);
    const E space = b.constant(kPublicInputSpace) * rin + b.constant(kPrivateInputSpace) * hin +
                    b.constant(kOutputSpace) * wou;
    eval_access(b, c.tape, space, q + b.constant(1u << 14) * a_hi, b.main(c.core.ts) + b.constant(kSlotMemory), new_lo,
                new_hi, real);
    const E r_lo = b.main(c.r_lo), r_hi = b.main(c.r_hi);
    b.assert_zero("rin, hin: rd lo is the word", reads * (r_lo - prev_lo));
    b.assert_zero("rin, hin: rd hi is the word", reads * (r_hi - prev_hi));
    eval_register_write(b, c.core, c.rd, r_lo, r_hi);
  }
};

}  // namespace zkrv::riscv_air
