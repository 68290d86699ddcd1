// Misaligned: LH, LHU, LW, SH, SW at an address that is not a multiple of their width (Zicclsm; the
// VM executes them). The address rs1 + imm is decomposed as in LoadStore, with the offset one-hot
// over 1..3 (halfwords: 1 or 3). The bytes touched lie in the word holding the first byte (mem0,
// slot 2) and, when the access crosses (every misaligned word, a halfword at offset 3), the next
// word (mem1, word address + 1, slot 3: the rd write's slot, but in the register space, so no
// record chain sees two accesses at one timestamp). Both words are split into bytes m0..m7; the
// accessed bytes v_j = m_(offset + j) are picked by the one-hot offset; a load sign- or
// zero-extends them into rd and leaves both words; a store replaces exactly its bytes with rs2's
// and keeps every other byte of both words. Each word is accessed in the space its record was made
// in (a store: the writable one), so a span into an unmapped page (no record) or, for a store, a
// read-only page cannot balance the memory bus, as the VM faults on both.
#pragma once

#include "isa/isa.h"
#include "riscv_air/gadgets.h"
#include "riscv_air/misaligned_columns.h"

namespace zkrv::riscv_air {

struct MisalignedTable {
  stark::air::TableInfo info() const { return {"misaligned", kWidth<MisalignedCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const MisalignedCols c = make_columns<MisalignedCols>();
    using isa::Op;
    using E = typename B::Expr;
    const E lh = b.main(c.is_lh), lhu = b.main(c.is_lhu), lw = b.main(c.is_lw), sh = b.main(c.is_sh);
    const E sw = b.main(c.is_sw);
    const E one = b.constant(1), two16 = b.constant(1u << 16), four = b.constant(4), k256 = b.constant(256);
    b.assert_bool("is_lh is a bit", lh);
    b.assert_bool("is_lhu is a bit", lhu);
    b.assert_bool("is_lw is a bit", lw);
    b.assert_bool("is_sh is a bit", sh);
    b.assert_bool("is_sw is a bit", sw);
    const auto code = [&](Op op) { return b.constant(static_cast<uint32_t>(op)); };
    eval_core(b, c.core,
              code(Op::LH) * lh + code(Op::LHU) * lhu + code(Op::LW) * lw + code(Op::SH) * sh + code(Op::SW) * sw,
              lh + lhu + lw + sh + sw);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const E real = b.main(c.core.is_real);
    const E store = sh + sw, half = lh + lhu + sh;
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, store);

    // The address and its offset (never 0; a halfword's never 2: those are aligned).
    const E h1 = b.main(c.h[0]), h2 = b.main(c.h[1]), h3 = b.main(c.h[2]);
    for (int k = 0; k < 3; ++k) b.assert_bool("offset selector is a bit", b.main(c.h[k]));
    b.assert_zero("one offset 1..3 per real row", h1 + h2 + h3 - real);
    b.assert_zero("a halfword at offset 2 is aligned", half * h2);
    const E q = b.main(c.q), a_hi = b.main(c.a_hi), c0 = b.main(c.c0), c1 = b.main(c.c1);
    b.assert_bool("c0 is a bit", c0);
    b.assert_bool("c1 is a bit", c1);
    b.assert_zero("address lo limb", four * q + h1 + b.constant(2) * h2 + b.constant(3) * h3 + two16 * c0 -
                                         b.main(c.rs1.prev_lo) - b.main(c.core.imm_lo));
    b.assert_zero("address hi limb", a_hi + two16 * c1 - b.main(c.rs1.prev_hi) - b.main(c.core.imm_hi) - c0);
    b.send(kRange16Bus, {q}, real);
    b.send(kRange16Bus, {four * q}, real);
    b.send(kRange16Bus, {a_hi}, real);
    const E crosses = b.main(c.crosses);
    b.assert_zero("words and a halfword at offset 3 cross into the next word", crosses - lw - sw - half * h3);

    // Both words before, as bytes.
    const auto m = [&](int k) { return b.main(c.m[k]); };
    b.assert_zero("first word lo = bytes 0, 1", b.main(c.mem0.prev_lo) - m(0) - k256 * m(1));
    b.assert_zero("first word hi = bytes 2, 3", b.main(c.mem0.prev_hi) - m(2) - k256 * m(3));
    b.assert_zero("next word lo = bytes 4, 5", b.main(c.mem1.prev_lo) - m(4) - k256 * m(5));
    b.assert_zero("next word hi = bytes 6, 7", b.main(c.mem1.prev_hi) - m(6) - k256 * m(7));
    for (int k = 0; k < 4; ++k) b.send(kByteBus, {m(2 * k), m(2 * k + 1), b.main(c.mx[k])}, real);

    // The accessed bytes, from the offset on (v3 reaches byte 6 at offset 3).
    const E h[4] = {b.constant(0), h1, h2, h3};
    for (int j = 0; j < 4; ++j) {
      b.assert_zero("the accessed byte is the word's at the offset",
                    b.main(c.v[j]) - h1 * m(1 + j) - h2 * m(2 + j) - h3 * m(3 + j));
    }

    // Loads: rd from the accessed bytes.
    const E v0 = b.main(c.v[0]), v1 = b.main(c.v[1]), v2 = b.main(c.v[2]), v3 = b.main(c.v[3]);
    const E sign = b.main(c.sign), rest = b.main(c.rest);
    b.assert_bool("sign is a bit", sign);
    b.assert_zero("byte 1 = 128 sign + rest", v1 - b.constant(128) * sign - rest);
    b.send(kByteBus, {b.constant(2) * rest, b.constant(0), b.constant(2) * rest}, real);
    const E r_lo = b.main(c.r_lo), r_hi = b.main(c.r_hi);
    b.assert_zero("load: rd lo = bytes 0, 1", (lh + lhu + lw) * (r_lo - v0 - k256 * v1));
    b.assert_zero("LW: rd hi = bytes 2, 3", lw * (r_hi - v2 - k256 * v3));
    b.assert_zero("LH: rd hi is the sign", lh * (r_hi - b.constant(0xffff) * sign));
    b.assert_zero("LHU: rd hi is zero", lhu * r_hi);

    // Stores: rs2's bytes replace the accessed ones (2 for SH, 4 for SW); every other byte of both
    // words stays. Loads replace none, so they leave both words.
    const auto s = [&](int k) { return b.main(c.s[k]); };
    b.assert_zero("rs2 lo = bytes 0, 1", store * (b.main(c.rs2.prev_lo) - s(0) - k256 * s(1)));
    b.assert_zero("rs2 hi = bytes 2, 3", store * (b.main(c.rs2.prev_hi) - s(2) - k256 * s(3)));
    b.send(kByteBus, {s(0), s(1), b.main(c.sx[0])}, real);
    b.send(kByteBus, {s(2), s(3), b.main(c.sx[1])}, real);
    const auto after = [&](int k) {
      E n = m(k);
      for (int j = 0; j < 4; ++j) {
        if (k - j < 1 || k - j > 3) continue;
        n = n + (j < 2 ? store : sw) * h[k - j] * (s(j) - m(k));
      }
      return n;
    };
    b.assert_zero("first word after: lo", b.main(c.new0_lo) - after(0) - k256 * after(1));
    b.assert_zero("first word after: hi", b.main(c.new0_hi) - after(2) - k256 * after(3));
    b.assert_zero("next word after: lo", b.main(c.new1_lo) - after(4) - k256 * after(5));
    b.assert_zero("next word after: hi", b.main(c.new1_hi) - after(6) - k256 * after(7));

    // Each word's space: loads name the one its record was made in, stores the writable one.
    static_assert(kReadOnlySpace == kMemorySpace + 1);
    const E ro0 = b.main(c.read_only0), ro1 = b.main(c.read_only1);
    b.assert_bool("read_only0 is a bit", ro0);
    b.assert_bool("read_only1 is a bit", ro1);
    b.assert_zero("stores write writable memory", store * (ro0 + ro1));
    const E word = q + b.constant(1u << 14) * a_hi, ts = b.main(c.core.ts);
    eval_access(b, c.mem0, b.constant(kMemorySpace) + ro0, word, ts + b.constant(kSlotMemory), b.main(c.new0_lo),
                b.main(c.new0_hi), real);
    eval_access(b, c.mem1, b.constant(kMemorySpace) + ro1, word + one, ts + b.constant(kSlotRd), b.main(c.new1_lo),
                b.main(c.new1_hi), crosses);
    eval_register_write(b, c.core, c.rd, r_lo, r_hi);
  }
};

}  // namespace zkrv::riscv_air
