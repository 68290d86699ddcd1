// Constraint pieces every instruction family shares: the row's state and program lookup, and one
// offline-memory-checking access (docs/proof-system.md, "The RISC-V machine").
#pragma once

#include <array>

#include "riscv_air/buses.h"
#include "riscv_air/columns.h"

namespace zkrv::riscv_air {

// The family's selectors are bits summing to is_real (so a padding row selects nothing and
// emits nothing); the row receives (pc, ts) and looks up its instruction at pc. `op` is the
// selectors' weighted sum of opcodes, never 0 on a real row (0 is the Program table's padding).
template <class B, class E = typename B::Expr>
void eval_core(B& b, const CoreCols& c, const E& op, const E& selector_sum) {
  const E real = b.main(c.is_real);
  b.assert_bool("is_real is a bit", real);
  b.assert_zero("the selectors sum to is_real", selector_sum - real);
  b.assert_bool("rd_w is a bit", b.main(c.rd_w));
  b.assert_zero("padding writes no register", b.main(c.rd_w) * (b.constant(1) - real));
  b.receive(kStateBus, {b.main(c.pc), b.main(c.ts)}, real);
  b.send(kProgramBus,
         {b.main(c.pc), b.main(c.pc_hi), op, b.main(c.rd), b.main(c.rs1), b.main(c.rs2), b.main(c.imm_lo),
          b.main(c.imm_hi), b.main(c.imm), b.main(c.rd_w), b.main(c.len)},
         real);
}

// The successor state (next_pc, ts + 4).
template <class B, class E = typename B::Expr>
void eval_next_state(B& b, const CoreCols& c, const E& next_pc) {
  b.send(kStateBus, {next_pc, b.main(c.ts) + b.constant(kTsPerStep)}, b.main(c.is_real));
}

// The low 16 bits of pc (pc_hi comes from the Program table, so both limbs are exact).
template <class B, class E = typename B::Expr>
E pc_lo(B& b, const CoreCols& c) {
  return b.main(c.pc) - b.constant(1u << 16) * b.main(c.pc_hi);
}

// One access to (space, addr) at time ts that leaves (new_lo, new_hi): consumes the previous
// record (prev_ts, prev), emits the new one, and proves prev_ts < ts by range-checking
// ts - prev_ts - 1 = d0 + 2^16 d1 below 2^24. `multiplicity` is 0 or 1 and 0 on padding rows.
template <class B, class E = typename B::Expr>
void eval_access(B& b, const AccessCols& a, const E& space, const E& addr, const E& ts, const E& new_lo,
                 const E& new_hi, const E& multiplicity) {
  b.receive(kMemoryBus, {space, addr, b.main(a.prev_ts), b.main(a.prev_lo), b.main(a.prev_hi)}, multiplicity);
  b.send(kMemoryBus, {space, addr, ts, new_lo, new_hi}, multiplicity);
  b.assert_zero("an access comes after the record it consumes",
                multiplicity * (ts - b.main(a.prev_ts) - b.constant(1) - b.main(a.d0) -
                                b.constant(1u << 16) * b.main(a.d1)));
  b.send(kRange16Bus, {b.main(a.d0)}, multiplicity);
  b.send(kByteBus, {b.main(a.d1), b.constant(0), b.main(a.d1)}, multiplicity);
}

// A read: the new record carries the value read.
template <class B, class E = typename B::Expr>
void eval_read(B& b, const AccessCols& a, const E& space, const E& addr, const E& ts, const E& multiplicity) {
  eval_access(b, a, space, addr, ts, b.main(a.prev_lo), b.main(a.prev_hi), multiplicity);
}

// A register read or write in slot `slot` of the row.
template <class B, class E = typename B::Expr>
void eval_register_read(B& b, const CoreCols& c, const AccessCols& a, const E& reg, uint32_t slot,
                        const E& multiplicity) {
  eval_read(b, a, b.constant(kRegisterSpace), reg, b.main(c.ts) + b.constant(slot), multiplicity);
}
template <class B, class E = typename B::Expr>
void eval_register_write(B& b, const CoreCols& c, const AccessCols& a, const E& lo, const E& hi) {
  eval_access(b, a, b.constant(kRegisterSpace), b.main(c.rd), b.main(c.ts) + b.constant(kSlotRd), lo, hi,
              b.main(c.rd_w));
}

// s = x + y (mod 2^32) on 16-bit limbs with carry bits c0, c1 (the caller asserts them bits and
// range-checks s): AddSub's ADD and SUB (as r + b = a) and the Atomic table's AMOADD. `active` gates it.
template <class B, class E = typename B::Expr>
void eval_limb_add(B& b, const E& active, const E& x_lo, const E& x_hi, const E& y_lo, const E& y_hi, const E& s_lo,
                   const E& s_hi, const E& c0, const E& c1) {
  const E two16 = b.constant(1u << 16);
  b.assert_zero("limb add: lo limb", active * (x_lo + y_lo - s_lo - two16 * c0));
  b.assert_zero("limb add: hi limb", active * (x_hi + y_hi + c0 - s_hi - two16 * c1));
}

// Bitwise logic on bytes: x and y are split into bytes (x_bytes, y_bytes), each pair looked up with
// its xor (xor_bytes) on BYTE, which range-checks them, with multiplicity `lookups`. Returns 2 r's
// limbs for the selected operation (0 when none is selected): a + b = (a xor b) + 2 (a and b) and
// a or b = (a and b) + (a xor b), so 2 r = 2 x (XOR), a + b - x (AND), a + b + x (OR), byte by byte.
template <class B, class E = typename B::Expr>
std::array<E, 2> eval_byte_logic(B& b, const int (&x_bytes)[4], const int (&y_bytes)[4], const int (&xor_bytes)[4],
                                 const E& x_lo, const E& x_hi, const E& y_lo, const E& y_hi, const E& is_xor,
                                 const E& is_or, const E& is_and, const E& lookups) {
  const E k256 = b.constant(256);
  b.assert_zero("a lo = bytes 0, 1", x_lo - b.main(x_bytes[0]) - k256 * b.main(x_bytes[1]));
  b.assert_zero("a hi = bytes 2, 3", x_hi - b.main(x_bytes[2]) - k256 * b.main(x_bytes[3]));
  b.assert_zero("b lo = bytes 0, 1", y_lo - b.main(y_bytes[0]) - k256 * b.main(y_bytes[1]));
  b.assert_zero("b hi = bytes 2, 3", y_hi - b.main(y_bytes[2]) - k256 * b.main(y_bytes[3]));
  for (int k = 0; k < 4; ++k) {
    b.send(kByteBus, {b.main(x_bytes[k]), b.main(y_bytes[k]), b.main(xor_bytes[k])}, lookups);
  }
  const auto twice = [&](int k) {
    const E sum = b.main(x_bytes[k]) + b.main(y_bytes[k]);
    return b.constant(2) * is_xor * b.main(xor_bytes[k]) + is_and * (sum - b.main(xor_bytes[k])) +
           is_or * (sum + b.main(xor_bytes[k]));
  };
  return {twice(0) + k256 * twice(1), twice(2) + k256 * twice(3)};
}

// Unsigned and signed order of a and b (limbs): cmp.br1 = (a <u b), cmp.lt = (a <s b). On a padding
// row (all zero) every constraint holds; the range checks have multiplicity `real`.
template <class B, class E = typename B::Expr>
void eval_compare(B& b, const CompareCols& c, const E& a_lo, const E& a_hi, const E& b_lo, const E& b_hi,
                  const E& real) {
  const E one = b.constant(1), two16 = b.constant(1u << 16), two15 = b.constant(1u << 15);
  const E br0 = b.main(c.br0), br1 = b.main(c.br1);
  b.assert_bool("br0 is a bit", br0);
  b.assert_bool("br1 is a bit", br1);
  b.assert_zero("a - b: lo limb", a_lo - b_lo + two16 * br0 - b.main(c.d_lo));
  b.assert_zero("a - b: hi limb", a_hi - b_hi - br0 + two16 * br1 - b.main(c.d_hi));
  b.send(kRange16Bus, {b.main(c.d_lo)}, real);
  b.send(kRange16Bus, {b.main(c.d_hi)}, real);
  const E sa = b.main(c.sa), sb = b.main(c.sb);
  b.assert_bool("sa is a bit", sa);
  b.assert_bool("sb is a bit", sb);
  b.assert_zero("a hi = 2^15 sa + ra", a_hi - two15 * sa - b.main(c.ra));
  b.assert_zero("b hi = 2^15 sb + rb", b_hi - two15 * sb - b.main(c.rb));
  b.send(kRange16Bus, {b.constant(2) * b.main(c.ra)}, real);
  b.send(kRange16Bus, {b.constant(2) * b.main(c.rb)}, real);
  const E signs_differ = sa + sb - b.constant(2) * sa * sb;
  b.assert_zero("signed less-than", b.main(c.lt) - signs_differ * sa - (one - signs_differ) * br1);
}

// A word's bytes: each pair looked up on BYTE (so each is a byte), byte 3 = 128 sign + rest with
// 2 rest a byte (so rest < 128 and sign is its top bit). The caller ties the bytes to its limbs
// (word_lo / word_hi).
template <class B, class E = typename B::Expr>
void eval_word_bytes(B& b, const WordBytesCols& w, const E& real) {
  b.send(kByteBus, {b.main(w.byte[0]), b.main(w.byte[1]), b.main(w.x[0])}, real);
  b.send(kByteBus, {b.main(w.byte[2]), b.main(w.byte[3]), b.main(w.x[1])}, real);
  b.assert_bool("a sign is a bit", b.main(w.sign));
  b.assert_zero("byte 3 = 128 sign + rest", b.main(w.byte[3]) - b.constant(128) * b.main(w.sign) - b.main(w.rest));
  b.send(kByteBus, {b.constant(2) * b.main(w.rest), b.constant(0), b.constant(2) * b.main(w.rest)}, real);
}
template <class B, class E = typename B::Expr>
E word_lo(B& b, const WordBytesCols& w) {
  return b.main(w.byte[0]) + b.constant(256) * b.main(w.byte[1]);
}
template <class B, class E = typename B::Expr>
E word_hi(B& b, const WordBytesCols& w) {
  return b.main(w.byte[2]) + b.constant(256) * b.main(w.byte[3]);
}

// Schoolbook product on bytes, modulo 2^64: for each byte column j,
// addend(j) + sum_(i + k = j) x(i) y(k) + carry_(j-1) = out(j) + 256 carry_j, every carry on
// RANGE16. With x, y, addend and out bytes (8 of each: a word's 4 and its extension), each column
// sum is below 2^20 and each carry below 2^12, so the equations hold over the integers and
// sum 256^j out(j) = (x y + addend) mod 2^64 (the last carry takes what lies above).
template <class B, class X, class Y, class A, class O, class E = typename B::Expr>
void eval_byte_product(B& b, const int (&carry)[8], const X& x, const Y& y, const A& addend, const O& out,
                       const E& real) {
  for (int j = 0; j < 8; ++j) {
    E column = j > 0 ? b.main(carry[j - 1]) + addend(j) : addend(j);
    for (int i = 0; i <= j; ++i) column = column + x(i) * y(j - i);
    b.assert_zero("product byte column", out(j) + b.constant(256) * b.main(carry[j]) - column);
    b.send(kRange16Bus, {b.main(carry[j])}, real);
  }
}

}  // namespace zkrv::riscv_air
