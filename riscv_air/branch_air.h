// Branch: compares rs1 and rs2 (equality with inverse witnesses, unsigned order from the borrow
// of a - b on limbs, signed order from the sign bits) and moves to pc + imm when taken, else to
// pc + len.
#pragma once

#include "isa/isa.h"
#include "riscv_air/branch_columns.h"
#include "riscv_air/gadgets.h"

namespace zkrv::riscv_air {

struct BranchTable {
  stark::air::TableInfo info() const { return {"branch", kWidth<BranchCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const BranchCols c = make_columns<BranchCols>();
    using isa::Op;
    const auto beq = b.main(c.is_beq), bne = b.main(c.is_bne), blt = b.main(c.is_blt), bge = b.main(c.is_bge);
    const auto bltu = b.main(c.is_bltu), bgeu = b.main(c.is_bgeu);
    const auto one = b.constant(1);
    b.assert_bool("is_beq is a bit", beq);
    b.assert_bool("is_bne is a bit", bne);
    b.assert_bool("is_blt is a bit", blt);
    b.assert_bool("is_bge is a bit", bge);
    b.assert_bool("is_bltu is a bit", bltu);
    b.assert_bool("is_bgeu is a bit", bgeu);
    const auto code = [&](Op op) { return b.constant(static_cast<uint32_t>(op)); };
    const auto op = code(Op::BEQ) * beq + code(Op::BNE) * bne + code(Op::BLT) * blt + code(Op::BGE) * bge +
                    code(Op::BLTU) * bltu + code(Op::BGEU) * bgeu;
    eval_core(b, c.core, op, beq + bne + blt + bge + bltu + bgeu);
    const auto real = b.main(c.core.is_real);
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, real);
    const auto a_lo = b.main(c.rs1.prev_lo), a_hi = b.main(c.rs1.prev_hi);
    const auto b_lo = b.main(c.rs2.prev_lo), b_hi = b.main(c.rs2.prev_hi);

    const auto eq = b.main(c.eq);
    b.assert_bool("eq is a bit", eq);
    b.assert_zero("eq: lo limbs equal", eq * (a_lo - b_lo));
    b.assert_zero("eq: hi limbs equal", eq * (a_hi - b_hi));
    b.assert_zero("not eq: a limb differs",
                  real * (one - eq - b.main(c.inv_lo) * (a_lo - b_lo) - b.main(c.inv_hi) * (a_hi - b_hi)));

    eval_compare(b, c.cmp, a_lo, a_hi, b_lo, b_hi, real);
    const auto lt = b.main(c.cmp.lt), br1 = b.main(c.cmp.br1);

    const auto taken = b.main(c.taken);
    b.assert_zero("taken", taken - (beq * eq + bne * (one - eq) + blt * lt + bge * (one - lt) + bltu * br1 +
                                    bgeu * (one - br1)));
    const auto pc = b.main(c.core.pc), len = b.main(c.core.len);
    const auto next_pc = b.main(c.next_pc);
    b.assert_zero("next pc", next_pc - pc - len - taken * (b.main(c.core.imm) - len));
    eval_next_state(b, c.core, next_pc);
  }
};

}  // namespace zkrv::riscv_air
