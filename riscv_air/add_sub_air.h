// AddSub: rd = rs1 + rs2, rs1 - rs2, rs1 + imm, on 16-bit limbs with carry bits. SUB is proven as
// rd + rs2 = rs1. The result limbs are range-checked; rd is written only when the Program row's
// rd_w says so (never x0).
#pragma once

#include "isa/isa.h"
#include "riscv_air/add_sub_columns.h"
#include "riscv_air/gadgets.h"

namespace zkrv::riscv_air {

struct AddSubTable {
  stark::air::TableInfo info() const { return {"add_sub", kWidth<AddSubCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const AddSubCols c = make_columns<AddSubCols>();
    using isa::Op;
    const auto add = b.main(c.is_add), sub = b.main(c.is_sub), addi = b.main(c.is_addi);
    b.assert_bool("is_add is a bit", add);
    b.assert_bool("is_sub is a bit", sub);
    b.assert_bool("is_addi is a bit", addi);
    const auto op = b.constant(static_cast<uint32_t>(Op::ADD)) * add + b.constant(static_cast<uint32_t>(Op::SUB)) * sub +
                    b.constant(static_cast<uint32_t>(Op::ADDI)) * addi;
    eval_core(b, c.core, op, add + sub + addi);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const auto real = b.main(c.core.is_real);
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, add + sub);
    b.assert_zero("ADDI: b lo = imm lo", addi * (b.main(c.rs2.prev_lo) - b.main(c.core.imm_lo)));
    b.assert_zero("ADDI: b hi = imm hi", addi * (b.main(c.rs2.prev_hi) - b.main(c.core.imm_hi)));
    const auto a_lo = b.main(c.rs1.prev_lo), a_hi = b.main(c.rs1.prev_hi);
    const auto b_lo = b.main(c.rs2.prev_lo), b_hi = b.main(c.rs2.prev_hi);
    const auto r_lo = b.main(c.r_lo), r_hi = b.main(c.r_hi), c0 = b.main(c.c0), c1 = b.main(c.c1);
    b.assert_bool("c0 is a bit", c0);
    b.assert_bool("c1 is a bit", c1);
    eval_limb_add(b, add + addi, a_lo, a_hi, b_lo, b_hi, r_lo, r_hi, c0, c1);
    eval_limb_add(b, sub, r_lo, r_hi, b_lo, b_hi, a_lo, a_hi, c0, c1);
    b.send(kRange16Bus, {r_lo}, real);
    b.send(kRange16Bus, {r_hi}, real);
    eval_register_write(b, c.core, c.rd, r_lo, r_hi);
  }
};

}  // namespace zkrv::riscv_air
