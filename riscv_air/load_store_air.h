// LoadStore: LW and SW. The address rs1 + imm is computed on limbs; its low limb is 4 q with q
// and 4 q both 16-bit, which is alignment (q is then exactly the low limb / 4). The word address
// q + 2^14 a_hi (< 2^30) is accessed once in the memory space (slot 2): read for LW (and written
// to rd), overwritten with rs2 for SW.
#pragma once

#include "isa/isa.h"
#include "riscv_air/gadgets.h"
#include "riscv_air/load_store_columns.h"

namespace zkrv::riscv_air {

struct LoadStoreTable {
  stark::air::TableInfo info() const { return {"load_store", kWidth<LoadStoreCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    constexpr LoadStoreCols c = make_columns<LoadStoreCols>();
    using isa::Op;
    const auto lw = b.main(c.is_lw), sw = b.main(c.is_sw);
    const auto two16 = b.constant(1u << 16), four = b.constant(4);
    b.assert_bool("is_lw is a bit", lw);
    b.assert_bool("is_sw is a bit", sw);
    eval_core(b, c.core, b.constant(static_cast<uint32_t>(Op::LW)) * lw + b.constant(static_cast<uint32_t>(Op::SW)) * sw,
              lw + sw);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const auto real = b.main(c.core.is_real);
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, sw);

    const auto q = b.main(c.q), a_hi = b.main(c.a_hi), c0 = b.main(c.c0), c1 = b.main(c.c1);
    b.assert_bool("c0 is a bit", c0);
    b.assert_bool("c1 is a bit", c1);
    b.assert_zero("address lo limb", four * q + two16 * c0 - b.main(c.rs1.prev_lo) - b.main(c.core.imm_lo));
    b.assert_zero("address hi limb", a_hi + two16 * c1 - b.main(c.rs1.prev_hi) - b.main(c.core.imm_hi) - c0);
    b.send(kRange16Bus, {q}, real);
    b.send(kRange16Bus, {four * q}, real);
    b.send(kRange16Bus, {a_hi}, real);

    const auto new_lo = b.main(c.new_lo), new_hi = b.main(c.new_hi);
    b.assert_zero("LW leaves the word: lo", lw * (new_lo - b.main(c.mem.prev_lo)));
    b.assert_zero("LW leaves the word: hi", lw * (new_hi - b.main(c.mem.prev_hi)));
    b.assert_zero("SW stores rs2: lo", sw * (new_lo - b.main(c.rs2.prev_lo)));
    b.assert_zero("SW stores rs2: hi", sw * (new_hi - b.main(c.rs2.prev_hi)));
    eval_access(b, c.mem, b.constant(kMemorySpace), q + b.constant(1u << 14) * a_hi,
                b.main(c.core.ts) + b.constant(kSlotMemory), new_lo, new_hi, real);
    eval_register_write(b, c.core, c.rd, new_lo, new_hi);
  }
};

}  // namespace zkrv::riscv_air
