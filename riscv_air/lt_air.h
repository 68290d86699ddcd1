// Lt: rd = (rs1 < rs2 or imm), signed or unsigned, through the shared comparison (eval_compare).
// SLTIU compares with the sign-extended immediate as an unsigned number, as RISC-V defines it.
#pragma once

#include "isa/isa.h"
#include "riscv_air/gadgets.h"
#include "riscv_air/lt_columns.h"

namespace zkrv::riscv_air {

struct LtTable {
  stark::air::TableInfo info() const { return {"lt", kWidth<LtCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const LtCols c = make_columns<LtCols>();
    using isa::Op;
    const auto slt = b.main(c.is_slt), sltu = b.main(c.is_sltu), slti = b.main(c.is_slti), sltiu = b.main(c.is_sltiu);
    b.assert_bool("is_slt is a bit", slt);
    b.assert_bool("is_sltu is a bit", sltu);
    b.assert_bool("is_slti is a bit", slti);
    b.assert_bool("is_sltiu is a bit", sltiu);
    const auto code = [&](Op op) { return b.constant(static_cast<uint32_t>(op)); };
    eval_core(b, c.core, code(Op::SLT) * slt + code(Op::SLTU) * sltu + code(Op::SLTI) * slti + code(Op::SLTIU) * sltiu,
              slt + sltu + slti + sltiu);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const auto real = b.main(c.core.is_real);
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, slt + sltu);
    b.assert_zero("immediate forms: b lo = imm lo", (slti + sltiu) * (b.main(c.rs2.prev_lo) - b.main(c.core.imm_lo)));
    b.assert_zero("immediate forms: b hi = imm hi", (slti + sltiu) * (b.main(c.rs2.prev_hi) - b.main(c.core.imm_hi)));
    eval_compare(b, c.cmp, b.main(c.rs1.prev_lo), b.main(c.rs1.prev_hi), b.main(c.rs2.prev_lo), b.main(c.rs2.prev_hi),
                 real);
    b.assert_zero("r", b.main(c.r) - (slt + slti) * b.main(c.cmp.lt) - (sltu + sltiu) * b.main(c.cmp.br1));
    eval_register_write(b, c.core, c.rd, b.main(c.r), b.constant(0));
  }
};

}  // namespace zkrv::riscv_air
