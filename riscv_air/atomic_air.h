// Atomic: the A extension on one hart (docs/abi.md). The address is rs1 itself, word-aligned:
// rs1 lo = 4 q with q and 4 q 16-bit, and the word q + 2^14 rs1 hi is accessed once in the memory
// space (slot 2).
// - LR.W reads the word into rd and sets the reservation record to rs1 + 1. It is a load, and the VM
//   executes it on a read-only word (docs/abi.md), so its access names the word's space as
//   LoadStore's does (read_only); SC.W and the AMOs write, and the VM faults on them there.
// - SC.W reads the reservation and clears it; eq says it held rs1 + 1 (equality by inverse
//   witnesses, as Branch). The memory access's multiplicity is eq itself, so a failed SC leaves
//   memory untouched; on success the word becomes rs2. rd = 1 - eq.
// - AMO*: one access reads the old word and writes the new one, rd = old. AMOADD uses the limb add,
//   AMOXOR/OR/AND the byte logic and AMOMIN/MAX(U) the comparison gadgets that AddSub, Bitwise and
//   Lt use.
// The reservation is a 33rd register record (register space, address kReservationRegister, 0 or
// a + 1 for a reservation on a): no instruction names register 32, so only LR and SC reach it, and
// its access shares slot 2 with the memory access because slots need only be distinct per address.
#pragma once

#include "isa/isa.h"
#include "riscv_air/atomic_columns.h"
#include "riscv_air/gadgets.h"

namespace zkrv::riscv_air {

struct AtomicTable {
  stark::air::TableInfo info() const { return {"atomic", kWidth<AtomicCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const AtomicCols c = make_columns<AtomicCols>();
    using isa::Op;
    using E = typename B::Expr;
    const E lr = b.main(c.is_lr), sc = b.main(c.is_sc), swap = b.main(c.is_swap), add = b.main(c.is_add);
    const E amo_xor = b.main(c.is_xor), amo_and = b.main(c.is_and), amo_or = b.main(c.is_or);
    const E min = b.main(c.is_min), max = b.main(c.is_max), minu = b.main(c.is_minu), maxu = b.main(c.is_maxu);
    const E one = b.constant(1), four = b.constant(4);
    b.assert_bool("is_lr is a bit", lr);
    b.assert_bool("is_sc is a bit", sc);
    b.assert_bool("is_swap is a bit", swap);
    b.assert_bool("is_add is a bit", add);
    b.assert_bool("is_xor is a bit", amo_xor);
    b.assert_bool("is_and is a bit", amo_and);
    b.assert_bool("is_or is a bit", amo_or);
    b.assert_bool("is_min is a bit", min);
    b.assert_bool("is_max is a bit", max);
    b.assert_bool("is_minu is a bit", minu);
    b.assert_bool("is_maxu is a bit", maxu);
    const auto code = [&](Op op) { return b.constant(static_cast<uint32_t>(op)); };
    const E logic = amo_xor + amo_and + amo_or, minmax = min + max + minu + maxu;
    const E amo = swap + add + logic + minmax;
    eval_core(b, c.core,
              code(Op::LR_W) * lr + code(Op::SC_W) * sc + code(Op::AMOSWAP_W) * swap + code(Op::AMOADD_W) * add +
                  code(Op::AMOXOR_W) * amo_xor + code(Op::AMOAND_W) * amo_and + code(Op::AMOOR_W) * amo_or +
                  code(Op::AMOMIN_W) * min + code(Op::AMOMAX_W) * max + code(Op::AMOMINU_W) * minu +
                  code(Op::AMOMAXU_W) * maxu,
              lr + sc + amo);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const E real = b.main(c.core.is_real);
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, sc + amo);
    const E a_lo = b.main(c.rs1.prev_lo), a_hi = b.main(c.rs1.prev_hi);
    const E s_lo = b.main(c.rs2.prev_lo), s_hi = b.main(c.rs2.prev_hi);

    // The address: rs1 itself, word-aligned.
    const E q = b.main(c.q);
    b.assert_zero("the address is word-aligned", a_lo - four * q);
    b.send(kRange16Bus, {q}, real);
    b.send(kRange16Bus, {four * q}, real);

    // The reservation: LR sets it to rs1 + 1, SC consumes and clears it.
    const E res_lo = b.main(c.res.prev_lo), res_hi = b.main(c.res.prev_hi);
    const E eq = b.main(c.eq);
    b.assert_bool("eq is a bit", eq);
    b.assert_zero("only SC matches a reservation", eq * (one - sc));
    b.assert_zero("a match: lo", eq * (res_lo - a_lo - one));
    b.assert_zero("a match: hi", eq * (res_hi - a_hi));
    b.assert_zero("no match: a limb differs",
                  sc * (one - eq - b.main(c.inv_lo) * (res_lo - a_lo - one) - b.main(c.inv_hi) * (res_hi - a_hi)));
    eval_access(b, c.res, b.constant(kRegisterSpace), b.constant(kReservationRegister),
                b.main(c.core.ts) + b.constant(kSlotMemory), lr * (a_lo + one), lr * a_hi, lr + sc);

    // The word after the access.
    const E old_lo = b.main(c.mem.prev_lo), old_hi = b.main(c.mem.prev_hi);
    const E new_lo = b.main(c.new_lo), new_hi = b.main(c.new_hi);
    b.assert_zero("LR leaves the word: lo", lr * (new_lo - old_lo));
    b.assert_zero("LR leaves the word: hi", lr * (new_hi - old_hi));
    b.assert_zero("SC and AMOSWAP store rs2: lo", (sc + swap) * (new_lo - s_lo));
    b.assert_zero("SC and AMOSWAP store rs2: hi", (sc + swap) * (new_hi - s_hi));
    const E c0 = b.main(c.c0), c1 = b.main(c.c1);
    b.assert_bool("c0 is a bit", c0);
    b.assert_bool("c1 is a bit", c1);
    eval_limb_add(b, add, old_lo, old_hi, s_lo, s_hi, new_lo, new_hi, c0, c1);
    b.send(kRange16Bus, {new_lo}, add);
    b.send(kRange16Bus, {new_hi}, add);
    const auto twice = eval_byte_logic(b, c.a, c.b, c.x, old_lo, old_hi, s_lo, s_hi, amo_xor, amo_or, amo_and, logic);
    b.assert_zero("AMO logic: lo", b.constant(2) * logic * new_lo - twice[0]);
    b.assert_zero("AMO logic: hi", b.constant(2) * logic * new_hi - twice[1]);
    eval_compare(b, c.cmp, old_lo, old_hi, s_lo, s_hi, minmax);
    const E lt = b.main(c.cmp.lt), ltu = b.main(c.cmp.br1), pick_old = b.main(c.pick_old);
    b.assert_zero("min/max: which word stays",
                  pick_old - min * lt - max * (one - lt) - minu * ltu - maxu * (one - ltu));
    b.assert_zero("min/max: lo", minmax * (new_lo - s_lo - pick_old * (old_lo - s_lo)));
    b.assert_zero("min/max: hi", minmax * (new_hi - s_hi - pick_old * (old_hi - s_hi)));
    // The word's space: only LR may name the read-only one (a record there is never written, and
    // LR leaves the word as it was).
    static_assert(kReadOnlySpace == kMemorySpace + 1);
    const E read_only = b.main(c.read_only);
    b.assert_bool("read_only is a bit", read_only);
    b.assert_zero("only LR reads read-only memory", read_only * (one - lr));
    eval_access(b, c.mem, b.constant(kMemorySpace) + read_only, q + b.constant(1u << 14) * a_hi,
                b.main(c.core.ts) + b.constant(kSlotMemory), new_lo, new_hi, lr + amo + eq);

    // rd: the old word, or SC's failure bit.
    const E r_lo = b.main(c.r_lo), r_hi = b.main(c.r_hi);
    b.assert_zero("LR and AMOs return the old word: lo", (lr + amo) * (r_lo - old_lo));
    b.assert_zero("LR and AMOs return the old word: hi", (lr + amo) * (r_hi - old_hi));
    b.assert_zero("SC returns 1 - success: lo", sc * (r_lo - one + eq));
    b.assert_zero("SC returns 1 - success: hi", sc * r_hi);
    eval_register_write(b, c.core, c.rd, r_lo, r_hi);
  }
};

}  // namespace zkrv::riscv_air
