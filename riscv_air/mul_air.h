// Mul: the 64-bit product of the operands, sign-extended to 8 bytes where the instruction treats
// them as signed, as a schoolbook product on bytes with one carry per byte column (each column sum
// is below 2^20 and each carry 16-bit, so the byte equations hold over the integers). MUL writes
// the low word, MULH/MULHSU/MULHU the high word. (16-bit limbs would overflow p: 2^16 · 2^16 > p.)
#pragma once

#include "isa/isa.h"
#include "riscv_air/gadgets.h"
#include "riscv_air/mul_columns.h"

namespace zkrv::riscv_air {

struct MulTable {
  stark::air::TableInfo info() const { return {"mul", kWidth<MulCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const MulCols c = make_columns<MulCols>();
    using isa::Op;
    using E = typename B::Expr;
    const E mul = b.main(c.is_mul), mulh = b.main(c.is_mulh), mulhsu = b.main(c.is_mulhsu), mulhu = b.main(c.is_mulhu);
    b.assert_bool("is_mul is a bit", mul);
    b.assert_bool("is_mulh is a bit", mulh);
    b.assert_bool("is_mulhsu is a bit", mulhsu);
    b.assert_bool("is_mulhu is a bit", mulhu);
    const auto code = [&](Op op) { return b.constant(static_cast<uint32_t>(op)); };
    eval_core(b, c.core, code(Op::MUL) * mul + code(Op::MULH) * mulh + code(Op::MULHSU) * mulhsu + code(Op::MULHU) * mulhu,
              mul + mulh + mulhsu + mulhu);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const E real = b.main(c.core.is_real);
    const E k256 = b.constant(256);
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, real);
    b.assert_zero("a lo = bytes 0, 1", b.main(c.rs1.prev_lo) - word_lo(b, c.a));
    b.assert_zero("a hi = bytes 2, 3", b.main(c.rs1.prev_hi) - word_hi(b, c.a));
    b.assert_zero("b lo = bytes 0, 1", b.main(c.rs2.prev_lo) - word_lo(b, c.b));
    b.assert_zero("b hi = bytes 2, 3", b.main(c.rs2.prev_hi) - word_hi(b, c.b));
    eval_word_bytes(b, c.a, real);
    eval_word_bytes(b, c.b, real);

    // Sign extension.
    b.assert_zero("a extends its sign for MULH, MULHSU", b.main(c.ext_a) - (mulh + mulhsu) * b.main(c.a.sign));
    b.assert_zero("b extends its sign for MULH", b.main(c.ext_b) - mulh * b.main(c.b.sign));
    const auto byte_a = [&](int i) { return i < 4 ? b.main(c.a.byte[i]) : b.constant(255) * b.main(c.ext_a); };
    const auto byte_b = [&](int i) { return i < 4 ? b.main(c.b.byte[i]) : b.constant(255) * b.main(c.ext_b); };

    // The product, byte column by byte column.
    eval_byte_product(b, c.carry, byte_a, byte_b, [&](int) { return b.constant(0); },
                      [&](int j) { return b.main(c.p[j]); }, real);
    for (int k = 0; k < 4; ++k) b.send(kByteBus, {b.main(c.p[2 * k]), b.main(c.p[2 * k + 1]), b.main(c.px[k])}, real);
    const E high = mulh + mulhsu + mulhu;
    b.assert_zero("rd lo", b.main(c.r_lo) - mul * (b.main(c.p[0]) + k256 * b.main(c.p[1])) -
                               high * (b.main(c.p[4]) + k256 * b.main(c.p[5])));
    b.assert_zero("rd hi", b.main(c.r_hi) - mul * (b.main(c.p[2]) + k256 * b.main(c.p[3])) -
                               high * (b.main(c.p[6]) + k256 * b.main(c.p[7])));
    eval_register_write(b, c.core, c.rd, b.main(c.r_lo), b.main(c.r_hi));
  }
};

}  // namespace zkrv::riscv_air
