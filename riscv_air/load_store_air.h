// LoadStore: every load and store, one access to one word. The address rs1 + imm is computed on
// limbs; its low limb is 4 q + offset with q and 4 q 16-bit (so q is exact) and the offset one-hot
// (h0..h3); words need offset 0 and halfwords an even offset. The word address q + 2^14 a_hi
// (< 2^30) is accessed once in its memory space (slot 2; stores: the writable one): loads leave it, LB/LBU/LH/LHU pick a byte
// or halfword and sign- or zero-extend it into rd, SW replaces the word, SH and SB only their
// halfword or byte (the other bytes are the word's own, so a narrow store cannot clobber them).
#pragma once

#include "isa/isa.h"
#include "riscv_air/gadgets.h"
#include "riscv_air/load_store_columns.h"

namespace zkrv::riscv_air {

struct LoadStoreTable {
  stark::air::TableInfo info() const { return {"load_store", kWidth<LoadStoreCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const LoadStoreCols c = make_columns<LoadStoreCols>();
    using isa::Op;
    using E = typename B::Expr;
    const E lb = b.main(c.is_lb), lh = b.main(c.is_lh), lw = b.main(c.is_lw), lbu = b.main(c.is_lbu);
    const E lhu = b.main(c.is_lhu), sb = b.main(c.is_sb), sh = b.main(c.is_sh), sw = b.main(c.is_sw);
    const E two16 = b.constant(1u << 16), four = b.constant(4), k256 = b.constant(256);
    b.assert_bool("is_lb is a bit", lb);
    b.assert_bool("is_lh is a bit", lh);
    b.assert_bool("is_lw is a bit", lw);
    b.assert_bool("is_lbu is a bit", lbu);
    b.assert_bool("is_lhu is a bit", lhu);
    b.assert_bool("is_sb is a bit", sb);
    b.assert_bool("is_sh is a bit", sh);
    b.assert_bool("is_sw is a bit", sw);
    const auto code = [&](Op op) { return b.constant(static_cast<uint32_t>(op)); };
    eval_core(b, c.core,
              code(Op::LB) * lb + code(Op::LH) * lh + code(Op::LW) * lw + code(Op::LBU) * lbu + code(Op::LHU) * lhu +
                  code(Op::SB) * sb + code(Op::SH) * sh + code(Op::SW) * sw,
              lb + lh + lw + lbu + lhu + sb + sh + sw);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const E real = b.main(c.core.is_real);
    const E byte_op = lb + lbu + sb, half_load = lh + lhu, narrow_load = lb + lbu + lh + lhu;
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, sb + sh + sw);

    // The address, its offset and alignment.
    const E h0 = b.main(c.h[0]), h1 = b.main(c.h[1]), h2 = b.main(c.h[2]), h3 = b.main(c.h[3]);
    for (int k = 0; k < 4; ++k) b.assert_bool("offset selector is a bit", b.main(c.h[k]));
    b.assert_zero("one offset per real row", h0 + h1 + h2 + h3 - real);
    b.assert_zero("words are aligned", (lw + sw) * (h1 + h2 + h3));
    b.assert_zero("halfwords are aligned", (lh + lhu + sh) * (h1 + h3));
    const E q = b.main(c.q), a_hi = b.main(c.a_hi), c0 = b.main(c.c0), c1 = b.main(c.c1);
    b.assert_bool("c0 is a bit", c0);
    b.assert_bool("c1 is a bit", c1);
    b.assert_zero("address lo limb", four * q + h1 + b.constant(2) * h2 + b.constant(3) * h3 + two16 * c0 -
                                         b.main(c.rs1.prev_lo) - b.main(c.core.imm_lo));
    b.assert_zero("address hi limb", a_hi + two16 * c1 - b.main(c.rs1.prev_hi) - b.main(c.core.imm_hi) - c0);
    b.send(kRange16Bus, {q}, real);
    b.send(kRange16Bus, {four * q}, real);
    b.send(kRange16Bus, {a_hi}, real);

    // The word before, as bytes where a byte is picked or replaced.
    const E prev_lo = b.main(c.mem.prev_lo), prev_hi = b.main(c.mem.prev_hi);
    const E m0 = b.main(c.m[0]), m1 = b.main(c.m[1]), m2 = b.main(c.m[2]), m3 = b.main(c.m[3]);
    b.assert_zero("word lo = bytes 0, 1", byte_op * (prev_lo - m0 - k256 * m1));
    b.assert_zero("word hi = bytes 2, 3", byte_op * (prev_hi - m2 - k256 * m3));
    b.send(kByteBus, {m0, m1, b.main(c.mx[0])}, byte_op);
    b.send(kByteBus, {m2, m3, b.main(c.mx[1])}, byte_op);

    // Loads: the value written to rd.
    const E loaded = b.main(c.loaded), sign = b.main(c.sign), rest = b.main(c.rest);
    b.assert_zero("a narrow load picks its byte or halfword",
                  loaded - (lb + lbu) * (h0 * m0 + h1 * m1 + h2 * m2 + h3 * m3) -
                      half_load * ((h0 + h1) * prev_lo + (h2 + h3) * prev_hi));
    b.assert_bool("sign is a bit", sign);
    b.assert_zero("loaded = top bit + rest",
                  loaded - (lb + lbu) * b.constant(128) * sign - half_load * b.constant(1u << 15) * sign - rest);
    b.assert_zero("rest is below the top bit",
                  b.main(c.scaled_rest) - ((lb + lbu) * b.constant(512) + half_load * b.constant(2)) * rest);
    b.send(kRange16Bus, {b.main(c.scaled_rest)}, real);
    const E r_lo = b.main(c.r_lo), r_hi = b.main(c.r_hi);
    b.assert_zero("LW: rd lo", lw * (r_lo - prev_lo));
    b.assert_zero("LW: rd hi", lw * (r_hi - prev_hi));
    b.assert_zero("narrow load: rd lo", narrow_load * (r_lo - loaded) - lb * b.constant(0xff00) * sign);
    b.assert_zero("signed narrow load: rd hi", (lb + lh) * (r_hi - b.constant(0xffff) * sign));
    b.assert_zero("unsigned narrow load: rd hi", (lbu + lhu) * r_hi);

    // The word after.
    const E new_lo = b.main(c.new_lo), new_hi = b.main(c.new_hi);
    const E rs2_lo = b.main(c.rs2.prev_lo), rs2_hi = b.main(c.rs2.prev_hi);
    const E s0 = b.main(c.s[0]);
    b.assert_zero("loads leave the word: lo", (lw + narrow_load) * (new_lo - prev_lo));
    b.assert_zero("loads leave the word: hi", (lw + narrow_load) * (new_hi - prev_hi));
    b.assert_zero("SW stores rs2: lo", sw * (new_lo - rs2_lo));
    b.assert_zero("SW stores rs2: hi", sw * (new_hi - rs2_hi));
    b.assert_zero("SH replaces its halfword: lo", sh * (new_lo - (h0 + h1) * rs2_lo - (h2 + h3) * prev_lo));
    b.assert_zero("SH replaces its halfword: hi", sh * (new_hi - (h2 + h3) * rs2_lo - (h0 + h1) * prev_hi));
    b.assert_zero("rs2 lo = bytes 0, 1", sb * (rs2_lo - s0 - k256 * b.main(c.s[1])));
    b.send(kByteBus, {s0, b.main(c.s[1]), b.main(c.sx)}, sb);
    const E one = b.constant(1);
    b.assert_zero("SB replaces its byte: lo",
                  sb * (new_lo - h0 * s0 - (one - h0) * m0 - k256 * (h1 * s0 + (one - h1) * m1)));
    b.assert_zero("SB replaces its byte: hi",
                  sb * (new_hi - h2 * s0 - (one - h2) * m2 - k256 * (h3 * s0 + (one - h3) * m3)));

    // The word's space: a load names the one its initial record was made in (a record in the other
    // space does not exist), a store only the writable one.
    static_assert(kReadOnlySpace == kMemorySpace + 1);
    const E read_only = b.main(c.read_only);
    b.assert_bool("read_only is a bit", read_only);
    b.assert_zero("stores write writable memory", (sb + sh + sw) * read_only);
    eval_access(b, c.mem, b.constant(kMemorySpace) + read_only, q + b.constant(1u << 14) * a_hi,
                b.main(c.core.ts) + b.constant(kSlotMemory), new_lo, new_hi, real);
    eval_register_write(b, c.core, c.rd, r_lo, r_hi);
  }
};

}  // namespace zkrv::riscv_air
