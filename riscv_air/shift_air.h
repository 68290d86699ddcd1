// Shift: rd = rs1 << s, >> s (logical or arithmetic), s = the low 5 bits of rs2 or the immediate.
// 16-bit limbs times a power of two do not fit below p, so the shift works on bytes: a bit shift
// by t = s mod 8, each byte times 2^t (left) or 2^(8 - t) (right) split into two bytes, then a byte
// shift by s / 8 chosen by a one-hot selector. SRA fills with the sign bit of the top byte.
#pragma once

#include "isa/isa.h"
#include "riscv_air/gadgets.h"
#include "riscv_air/shift_columns.h"

namespace zkrv::riscv_air {

struct ShiftTable {
  stark::air::TableInfo info() const { return {"shift", kWidth<ShiftCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const ShiftCols c = make_columns<ShiftCols>();
    using isa::Op;
    using E = typename B::Expr;
    const E sll = b.main(c.is_sll), srl = b.main(c.is_srl), sra = b.main(c.is_sra);
    const E slli = b.main(c.is_slli), srli = b.main(c.is_srli), srai = b.main(c.is_srai);
    b.assert_bool("is_sll is a bit", sll);
    b.assert_bool("is_srl is a bit", srl);
    b.assert_bool("is_sra is a bit", sra);
    b.assert_bool("is_slli is a bit", slli);
    b.assert_bool("is_srli is a bit", srli);
    b.assert_bool("is_srai is a bit", srai);
    const auto code = [&](Op op) { return b.constant(static_cast<uint32_t>(op)); };
    eval_core(b, c.core,
              code(Op::SLL) * sll + code(Op::SRL) * srl + code(Op::SRA) * sra + code(Op::SLLI) * slli +
                  code(Op::SRLI) * srli + code(Op::SRAI) * srai,
              sll + srl + sra + slli + srli + srai);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const E real = b.main(c.core.is_real);
    const E left = sll + slli, right = srl + sra + srli + srai, arithmetic = sra + srai;
    const E k256 = b.constant(256);
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, sll + srl + sra);
    const E immediate = slli + srli + srai;
    b.assert_zero("immediate forms: b lo = imm lo", immediate * (b.main(c.rs2.prev_lo) - b.main(c.core.imm_lo)));
    b.assert_zero("immediate forms: b hi = imm hi", immediate * (b.main(c.rs2.prev_hi) - b.main(c.core.imm_hi)));

    // rs1's bytes.
    b.assert_zero("a lo = bytes 0, 1", b.main(c.rs1.prev_lo) - b.main(c.a[0]) - k256 * b.main(c.a[1]));
    b.assert_zero("a hi = bytes 2, 3", b.main(c.rs1.prev_hi) - b.main(c.a[2]) - k256 * b.main(c.a[3]));
    b.send(kByteBus, {b.main(c.a[0]), b.main(c.a[1]), b.main(c.ax[0])}, real);
    b.send(kByteBus, {b.main(c.a[2]), b.main(c.a[3]), b.main(c.ax[1])}, real);

    // The shift amount: its low 5 bits (w, 16-bit, makes them the low bits of rs2's low limb).
    for (int i = 0; i < 3; ++i) b.assert_bool("t bit", b.main(c.t[i]));
    for (int q = 0; q < 4; ++q) b.assert_bool("byte shift selector is a bit", b.main(c.sel[q]));
    b.assert_zero("one byte shift per real row",
                  b.main(c.sel[0]) + b.main(c.sel[1]) + b.main(c.sel[2]) + b.main(c.sel[3]) - real);
    const E t = b.main(c.t[0]) + b.constant(2) * b.main(c.t[1]) + b.constant(4) * b.main(c.t[2]);
    const E q = b.main(c.sel[1]) + b.constant(2) * b.main(c.sel[2]) + b.constant(3) * b.main(c.sel[3]);
    b.assert_zero("shift amount", b.main(c.rs2.prev_lo) - t - b.constant(8) * q - b.constant(32) * b.main(c.w));
    b.send(kRange16Bus, {b.main(c.w)}, real);
    b.assert_zero("m1 = (1 + t0)(1 + 3 t1)",
                  real * (b.main(c.m1) - (b.constant(1) + b.main(c.t[0])) * (b.constant(1) + b.constant(3) * b.main(c.t[1]))));
    b.assert_zero("m = 2^t", real * (b.main(c.m) - b.main(c.m1) * (b.constant(1) + b.constant(15) * b.main(c.t[2]))));
    b.assert_zero("m2 = 2^(8 - t)", b.main(c.m) * b.main(c.m2) - k256 * real);

    // The bit shift, byte by byte.
    const E factor = left * b.main(c.m) + right * b.main(c.m2);
    for (int k = 0; k < 4; ++k) {
      b.assert_zero("byte times 2^t splits into two bytes",
                    b.main(c.a[k]) * factor - b.main(c.lo[k]) - k256 * b.main(c.hi[k]));
      b.send(kByteBus, {b.main(c.lo[k]), b.main(c.hi[k]), b.main(c.x[k])}, real);
    }
    b.assert_zero("a3 = 128 sign + rest", b.main(c.a[3]) - b.constant(128) * b.main(c.sign) - b.main(c.rest));
    b.assert_bool("sign is a bit", b.main(c.sign));
    b.send(kByteBus, {b.constant(2) * b.main(c.rest), b.constant(0), b.constant(2) * b.main(c.rest)}, real);
    b.assert_zero("fill = SRA's sign", b.main(c.fill) - arithmetic * b.main(c.sign));
    b.assert_zero("top byte shifted right", b.main(c.v3) - b.main(c.hi[3]) - b.main(c.fill) * (k256 - b.main(c.m2)));

    // Left: u_k = lo_k + hi_(k-1); right: v_k = hi_k + lo_(k+1), v_3 from the fill, and 255 fill
    // past the top. Then the byte shift.
    const auto u = [&](int k) { return k == 0 ? b.main(c.lo[0]) : b.main(c.lo[k]) + b.main(c.hi[k - 1]); };
    const auto v = [&](int k) {
      if (k < 3) return b.main(c.hi[k]) + b.main(c.lo[k + 1]);
      if (k == 3) return b.main(c.v3);
      return b.constant(255) * b.main(c.fill);
    };
    const auto result_byte = [&](int j) {
      E shifted_left = b.constant(0), shifted_right = b.constant(0);
      for (int s = 0; s < 4; ++s) {
        if (j - s >= 0) shifted_left = shifted_left + b.main(c.sel[s]) * u(j - s);
        shifted_right = shifted_right + b.main(c.sel[s]) * v(j + s);
      }
      return left * shifted_left + right * shifted_right;
    };
    b.assert_zero("r lo", b.main(c.r_lo) - result_byte(0) - k256 * result_byte(1));
    b.assert_zero("r hi", b.main(c.r_hi) - result_byte(2) - k256 * result_byte(3));
    eval_register_write(b, c.core, c.rd, b.main(c.r_lo), b.main(c.r_hi));
  }
};

}  // namespace zkrv::riscv_air
