// Bitwise: each operand is split into bytes, and each byte pair is looked up with its xor in
// ByteXor (which also range-checks the bytes); AND and OR follow from the xor (gadgets.h
// eval_byte_logic, shared with the Atomic table's AMOXOR, AMOOR, AMOAND).
#pragma once

#include "isa/isa.h"
#include "riscv_air/bitwise_columns.h"
#include "riscv_air/gadgets.h"

namespace zkrv::riscv_air {

struct BitwiseTable {
  stark::air::TableInfo info() const { return {"bitwise", kWidth<BitwiseCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const BitwiseCols c = make_columns<BitwiseCols>();
    using isa::Op;
    const auto x_r = b.main(c.is_xor), o_r = b.main(c.is_or), a_r = b.main(c.is_and);
    const auto x_i = b.main(c.is_xori), o_i = b.main(c.is_ori), a_i = b.main(c.is_andi);
    b.assert_bool("is_xor is a bit", x_r);
    b.assert_bool("is_or is a bit", o_r);
    b.assert_bool("is_and is a bit", a_r);
    b.assert_bool("is_xori is a bit", x_i);
    b.assert_bool("is_ori is a bit", o_i);
    b.assert_bool("is_andi is a bit", a_i);
    const auto code = [&](Op op) { return b.constant(static_cast<uint32_t>(op)); };
    const auto op = code(Op::XOR) * x_r + code(Op::OR) * o_r + code(Op::AND) * a_r + code(Op::XORI) * x_i +
                    code(Op::ORI) * o_i + code(Op::ANDI) * a_i;
    eval_core(b, c.core, op, x_r + o_r + a_r + x_i + o_i + a_i);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const auto real = b.main(c.core.is_real);
    const auto immediate = x_i + o_i + a_i;
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, x_r + o_r + a_r);
    b.assert_zero("immediate forms: b lo = imm lo", immediate * (b.main(c.rs2.prev_lo) - b.main(c.core.imm_lo)));
    b.assert_zero("immediate forms: b hi = imm hi", immediate * (b.main(c.rs2.prev_hi) - b.main(c.core.imm_hi)));
    const auto twice = eval_byte_logic(b, c.a, c.b, c.x, b.main(c.rs1.prev_lo), b.main(c.rs1.prev_hi),
                                       b.main(c.rs2.prev_lo), b.main(c.rs2.prev_hi), x_r + x_i, o_r + o_i, a_r + a_i,
                                       real);
    b.assert_zero("2 r lo", b.constant(2) * b.main(c.r_lo) - twice[0]);
    b.assert_zero("2 r hi", b.constant(2) * b.main(c.r_hi) - twice[1]);
    eval_register_write(b, c.core, c.rd, b.main(c.r_lo), b.main(c.r_hi));
  }
};

}  // namespace zkrv::riscv_air
