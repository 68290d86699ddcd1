// Jump: LUI (rd = imm), AUIPC (rd = pc + imm), JAL and JALR (rd = pc + len, the link of a
// compressed jump being pc + 2). JAL's target is pc + imm as a field element: it must be a Program
// row's pc (< 2^30), which as an integer it then is. JALR's target is (rs1 + imm) with bit 0
// cleared, computed on limbs: s_lo = bit0 + 2 q and target = 2 q + 2^16 s_hi with s_hi < 2^14
// (a target at or above 2^30 would fault in the VM).
// FENCE and FENCE.I have no effect on a single-hart VM without caches (the VM executes them as
// no-ops) but pc + len; they ride here as two selectors that write nothing (their Program rows have
// rd_w = 0, so r = 0 is never stored), rather than in a table of their own (a table costs every
// proof its padding rows and LogUp sums) or in AddSub (whose rs1 read is unconditional).
#pragma once

#include "isa/isa.h"
#include "riscv_air/gadgets.h"
#include "riscv_air/jump_columns.h"

namespace zkrv::riscv_air {

struct JumpTable {
  stark::air::TableInfo info() const { return {"jump", kWidth<JumpCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const JumpCols c = make_columns<JumpCols>();
    using isa::Op;
    const auto lui = b.main(c.is_lui), auipc = b.main(c.is_auipc), jal = b.main(c.is_jal), jalr = b.main(c.is_jalr);
    const auto fence = b.main(c.is_fence), fence_i = b.main(c.is_fence_i);
    const auto two16 = b.constant(1u << 16);
    b.assert_bool("is_lui is a bit", lui);
    b.assert_bool("is_auipc is a bit", auipc);
    b.assert_bool("is_jal is a bit", jal);
    b.assert_bool("is_jalr is a bit", jalr);
    b.assert_bool("is_fence is a bit", fence);
    b.assert_bool("is_fence_i is a bit", fence_i);
    const auto op = b.constant(static_cast<uint32_t>(Op::LUI)) * lui + b.constant(static_cast<uint32_t>(Op::AUIPC)) * auipc +
                    b.constant(static_cast<uint32_t>(Op::JAL)) * jal + b.constant(static_cast<uint32_t>(Op::JALR)) * jalr +
                    b.constant(static_cast<uint32_t>(Op::FENCE)) * fence +
                    b.constant(static_cast<uint32_t>(Op::FENCE_I)) * fence_i;
    eval_core(b, c.core, op, lui + auipc + jal + jalr + fence + fence_i);
    const auto real = b.main(c.core.is_real);
    const auto pc = b.main(c.core.pc), len = b.main(c.core.len);
    const auto lo = pc_lo(b, c.core), hi = b.main(c.core.pc_hi);
    const auto imm_lo = b.main(c.core.imm_lo), imm_hi = b.main(c.core.imm_hi);

    // The value written.
    const auto r_lo = b.main(c.r_lo), r_hi = b.main(c.r_hi), c0 = b.main(c.c0), c1 = b.main(c.c1);
    const auto uses_pc = auipc + jal + jalr, uses_imm = lui + auipc, links = jal + jalr;
    b.assert_bool("c0 is a bit", c0);
    b.assert_bool("c1 is a bit", c1);
    b.assert_zero("rd lo limb", r_lo + two16 * c0 - (uses_pc * lo + uses_imm * imm_lo + links * len));
    b.assert_zero("rd hi limb", r_hi + two16 * c1 - (uses_pc * hi + uses_imm * imm_hi + c0));
    b.send(kRange16Bus, {r_lo}, real);
    b.send(kRange16Bus, {r_hi}, real);

    // JALR's target.
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, jalr);
    const auto s_lo = b.main(c.s_lo), s_hi = b.main(c.s_hi), cs0 = b.main(c.cs0), cs1 = b.main(c.cs1);
    const auto bit0 = b.main(c.bit0), q = b.main(c.q);
    b.assert_bool("cs0 is a bit", cs0);
    b.assert_bool("cs1 is a bit", cs1);
    b.assert_bool("bit0 is a bit", bit0);
    b.assert_zero("JALR: s lo limb", jalr * (s_lo + two16 * cs0 - b.main(c.rs1.prev_lo) - imm_lo));
    b.assert_zero("JALR: s hi limb", jalr * (s_hi + two16 * cs1 - b.main(c.rs1.prev_hi) - imm_hi - cs0));
    b.assert_zero("JALR: s lo = bit0 + 2 q", jalr * (s_lo - bit0 - b.constant(2) * q));
    b.send(kRange16Bus, {s_lo}, jalr);
    b.send(kRange16Bus, {q}, jalr);
    b.send(kRange16Bus, {s_hi}, jalr);
    b.send(kRange16Bus, {b.constant(4) * s_hi}, jalr);

    const auto next_pc = b.main(c.next_pc);
    b.assert_zero("next pc", next_pc - ((lui + auipc + fence + fence_i) * (pc + len) + jal * (pc + b.main(c.core.imm)) +
                                        jalr * (b.constant(2) * q + two16 * s_hi)));
    eval_next_state(b, c.core, next_pc);
    eval_register_write(b, c.core, c.rd, r_lo, r_hi);
  }
};

}  // namespace zkrv::riscv_air
