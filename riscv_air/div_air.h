// Div: DIV, DIVU, REM, REMU as RISC-V defines them (the unprivileged ISA, "M" extension: x / 0 = -1
// (all ones) with remainder x, and -2^31 / -1 = -2^31 with remainder 0). The row holds the dividend
// a, the divisor b, the quotient q and the remainder m as bytes, and proves
//   q b + m = a  (each sign-extended to 64 bits where the instruction is signed, modulo 2^64, by
//                 Mul's byte product with m as the addend),
//   |m| < |b| unless b = 0 (|x| on limbs: x, or 2^32 - x when negative; then |b| - |m| - 1 on
//                 RANGE16 limbs with no final borrow),
//   m = 0 or m has a's sign (signed forms),
//   b = 0 exactly when `zero` (an inverse witness of b_lo + b_hi otherwise), and then q = 2^32 - 1,
//   the -2^31 / -1 overflow exactly when `overflow`: its quotient is not sign-extended.
// Modulo 2^64 is the integers: signed, |q b| <= 2^62 and |m|, |a| < 2^31 + 1; unsigned,
// q b + m < (q + 1) b <= 2^32 (2^32 - 1). So q b + m = a with |m| < |b| and m's sign a's: truncating
// division, one (q, m) per (a, b). At -2^31 / -1 no signed q satisfies it (q = 2^31), so an honest
// row must claim `overflow`, which reads q unsigned: 2^31 (-1) + 0 = -2^31 modulo 2^64. The flag's
// pins on a and b are defence in depth: with q read unsigned (2^31 <= q < 2^32) the product has no
// solution for another (a, b) with b != 0 (|q b| >= 2^32 for |b| >= 2; b = +-1 leaves -2^31 / -1),
// and b = 0 forces the honest all-ones quotient anyway.
#pragma once

#include "isa/isa.h"
#include "riscv_air/div_columns.h"
#include "riscv_air/gadgets.h"

namespace zkrv::riscv_air {

struct DivTable {
  stark::air::TableInfo info() const { return {"div", kWidth<DivCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const DivCols c = make_columns<DivCols>();
    using isa::Op;
    using E = typename B::Expr;
    const E div = b.main(c.is_div), divu = b.main(c.is_divu), rem = b.main(c.is_rem), remu = b.main(c.is_remu);
    b.assert_bool("is_div is a bit", div);
    b.assert_bool("is_divu is a bit", divu);
    b.assert_bool("is_rem is a bit", rem);
    b.assert_bool("is_remu is a bit", remu);
    const auto code = [&](Op op) { return b.constant(static_cast<uint32_t>(op)); };
    eval_core(b, c.core, code(Op::DIV) * div + code(Op::DIVU) * divu + code(Op::REM) * rem + code(Op::REMU) * remu,
              div + divu + rem + remu);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const E real = b.main(c.core.is_real);
    const E one = b.constant(1), two16 = b.constant(1u << 16), ffff = b.constant(0xffff);
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, real);
    b.assert_zero("a lo = bytes 0, 1", b.main(c.rs1.prev_lo) - word_lo(b, c.a));
    b.assert_zero("a hi = bytes 2, 3", b.main(c.rs1.prev_hi) - word_hi(b, c.a));
    b.assert_zero("b lo = bytes 0, 1", b.main(c.rs2.prev_lo) - word_lo(b, c.b));
    b.assert_zero("b hi = bytes 2, 3", b.main(c.rs2.prev_hi) - word_hi(b, c.b));
    for (const WordBytesCols& w : {c.a, c.b, c.q, c.m}) eval_word_bytes(b, w, real);
    const E b_lo = b.main(c.rs2.prev_lo), b_hi = b.main(c.rs2.prev_hi);
    const E q_lo = word_lo(b, c.q), q_hi = word_hi(b, c.q), m_lo = word_lo(b, c.m), m_hi = word_hi(b, c.m);

    // Signs: a signed instruction's negative operands extend with 255s.
    const E is_signed = div + rem;
    const E neg_a = b.main(c.neg_a), neg_b = b.main(c.neg_b), neg_q = b.main(c.neg_q), neg_m = b.main(c.neg_m);
    b.assert_zero("neg_a = signed a's sign", neg_a - is_signed * b.main(c.a.sign));
    b.assert_zero("neg_b = signed b's sign", neg_b - is_signed * b.main(c.b.sign));
    b.assert_zero("neg_q = signed q's sign", neg_q - is_signed * b.main(c.q.sign));
    b.assert_zero("neg_m = signed m's sign", neg_m - is_signed * b.main(c.m.sign));

    // The overflow case: only -2^31 / -1, signed, with q's top bit set (so q's extension is 0).
    const E overflow = b.main(c.overflow);
    b.assert_bool("overflow is a bit", overflow);
    b.assert_zero("overflow: a signed instruction", overflow * (divu + remu));
    b.assert_zero("overflow: q is negative", overflow * (one - b.main(c.q.sign)));
    b.assert_zero("overflow: a lo = 0", overflow * b.main(c.rs1.prev_lo));
    b.assert_zero("overflow: a hi = 0x8000", overflow * (b.main(c.rs1.prev_hi) - b.constant(0x8000)));
    b.assert_zero("overflow: b lo = 0xffff", overflow * (b_lo - ffff));
    b.assert_zero("overflow: b hi = 0xffff", overflow * (b_hi - ffff));

    // q b + m = a modulo 2^64, on bytes.
    const E k255 = b.constant(255);
    const auto byte = [&](const WordBytesCols& w, const E& ext) {
      return [&b, &w, ext, k255](int i) { return i < 4 ? b.main(w.byte[i]) : k255 * ext; };
    };
    eval_byte_product(b, c.carry, byte(c.q, neg_q - overflow), byte(c.b, neg_b), byte(c.m, neg_m), byte(c.a, neg_a),
                      real);

    // b = 0: q is all ones (m = a follows from the product); otherwise b has an inverse witness.
    const E zero = b.main(c.zero), inv = b.main(c.inv);
    b.assert_bool("zero is a bit", zero);
    b.assert_zero("zero: b lo = 0", zero * b_lo);
    b.assert_zero("zero: b hi = 0", zero * b_hi);
    b.assert_zero("b lo + b hi is invertible unless zero", (b_lo + b_hi) * inv - (real - zero));
    b.assert_zero("zero: inv = 0", zero * inv);
    b.assert_zero("zero: q lo = 0xffff", zero * (q_lo - ffff));
    b.assert_zero("zero: q hi = 0xffff", zero * (q_hi - ffff));

    // m = 0 or m has a's sign.
    b.assert_zero("a negative m needs a negative a", neg_m * (one - neg_a));
    b.assert_zero("m lo = 0 when a is negative and m is not", (neg_a - neg_m) * m_lo);
    b.assert_zero("m hi = 0 when a is negative and m is not", (neg_a - neg_m) * m_hi);

    // |b| and |m| on limbs: x, or 2^32 - x when negative (x_lo + abs_lo = 2^16 k, x_hi + abs_hi + k = 2^16).
    const auto eval_abs = [&](const E& lo, const E& hi, const E& neg, int abs_lo, int abs_hi, int k) {
      const E kk = b.main(k);
      b.assert_zero("k is a bit, 0 unless negative", kk * (kk - neg));
      b.assert_zero("|x| lo", b.main(abs_lo) - lo - neg * (two16 * kk - b.constant(2) * lo));
      b.assert_zero("|x| hi", b.main(abs_hi) - hi - neg * (two16 - kk - b.constant(2) * hi));
      b.send(kRange16Bus, {b.main(abs_lo)}, real);
      b.send(kRange16Bus, {b.main(abs_hi)}, real);
    };
    eval_abs(b_lo, b_hi, neg_b, c.abs_b_lo, c.abs_b_hi, c.kb);
    eval_abs(m_lo, m_hi, neg_m, c.abs_m_lo, c.abs_m_hi, c.km);

    // |m| < |b| unless b = 0: |b| - |m| - 1 = d with no final borrow.
    const E nonzero = real - zero, borrow = b.main(c.borrow), d_lo = b.main(c.d_lo), d_hi = b.main(c.d_hi);
    b.assert_bool("borrow is a bit", borrow);
    b.assert_zero("|b| - |m| - 1: lo limb",
                  nonzero * (b.main(c.abs_b_lo) - b.main(c.abs_m_lo) - one + two16 * borrow - d_lo));
    b.assert_zero("|b| - |m| - 1: hi limb", nonzero * (b.main(c.abs_b_hi) - b.main(c.abs_m_hi) - borrow - d_hi));
    b.assert_zero("zero: no difference", zero * (d_lo + d_hi + borrow));
    b.send(kRange16Bus, {d_lo}, real);
    b.send(kRange16Bus, {d_hi}, real);

    // rd: the quotient or the remainder.
    b.assert_zero("rd lo", b.main(c.r_lo) - (div + divu) * q_lo - (rem + remu) * m_lo);
    b.assert_zero("rd hi", b.main(c.r_hi) - (div + divu) * q_hi - (rem + remu) * m_hi);
    eval_register_write(b, c.core, c.rd, b.main(c.r_lo), b.main(c.r_hi));
  }
};

}  // namespace zkrv::riscv_air
