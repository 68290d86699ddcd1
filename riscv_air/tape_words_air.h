// The tapes' words (docs/proof-system.md, "Input and output tapes"): one table per tape, one row per
// word it holds, real rows first with strictly increasing word addresses below 2^30 (so no word is
// initialised twice), the last row padding. Each row sends the word's initial record
// (space, addr, 0, init) on MEMORY and receives its final one.
//
// - Public input (space 3): a row with `io` = 1 sends (space, addr, init) on IO, where the verifier
//   receives words 0..n of the statement's public input (word 0 = its length, then the payload,
//   zero-padded); every other row starts at zero. Addresses are unique, so the verifier's words are
//   exactly the io rows, and every word past them reads as zero.
// - Private input (space 4): the prover chooses each word's initial value (two range-checked limbs);
//   no row is io. The bytes past the length L (word 0) read as zero, as the VM's tape does: row 0
//   is word 0, every row carries L as ⌊L/4⌋ and L mod 4 (PrivateLengthCols), and the rows from word
//   ⌊L/4⌋ + 1 on (the word holding byte L, then words wholly past it) are `past`; the first of them
//   (`boundary`, always present) keeps only its low L mod 4 bytes, the others are zero. Row 0 also
//   proves L <= 2^30, the VM's largest input.
// - Public output (space 5): every word starts at zero; a row with `io` = 1 sends (space, addr,
//   final) on IO, where the verifier receives words 0..m of the statement's output (word 0 = its
//   length, then the bytes; the last word's bytes past the length are this table's public values).
//
// The verifier's words enter the transcript through each table's public values, a BLAKE2s digest of
// the bytes (machine.h, io_digest), which the verifier checks against the statement.
#pragma once

#include <string>
#include <vector>

#include "riscv_air/buses.h"
#include "riscv_air/columns.h"
#include "stark/air/air.h"

namespace zkrv::riscv_air {

struct TapeWordsCols {
  int is_real, addr;
  int e0, e1;  // addr = e0 + 2^16 e1, with e0 and 4 e1 16-bit (addr < 2^30)
  int g0, g1;  // next.addr - addr - 1 = g0 + 2^16 g1, likewise
  int init_lo, init_hi;
  int io;  // the word is one of the statement's (public input, public output)
  int final_ts, final_lo, final_hi;
};

// The private input's length L (word 0's initial value), carried to every row of its table, and each
// row's place relative to it. Row 0 (word 0) reuses its address limbs e0, e1, idle there since
// addr = 0: e0 = ⌊lo / 4⌋ of L's low limb (so L mod 4 is exact), e1 = 2^14 − 1 − hi + top (so
// hi <= 2^14 − 1 + top, and top forces L = 2^30: L <= 2^30).
struct PrivateLengthCols {
  int len_q;             // ⌊L / 4⌋, the same on every row
  int rem1, rem2, rem3;  // L mod 4, one-hot (none set: 0), the same on every row
  int past;              // a real row whose word is at or past word len_q + 1, the one holding byte L
  int boundary;          // the first past row: word len_q + 1, its bytes from L mod 4 on are zero
  int top;               // row 0 only: L's high limb is 2^14
};

struct PrivateWordsCols {
  TapeWordsCols words;
  PrivateLengthCols len;
};

// The digest of the statement's bytes, as 16-bit limbs: the tape tables' public values.
inline constexpr int kIoDigestLimbs = 16;

enum class TapeKind : uint8_t { kPublicInput, kPrivateInput, kOutput };

struct TapeWordsTable {
  TapeKind kind = TapeKind::kPublicInput;

  uint32_t space() const {
    return kind == TapeKind::kPublicInput ? kPublicInputSpace : kind == TapeKind::kPrivateInput ? kPrivateInputSpace : kOutputSpace;
  }
  // Public input: the digest; output: the digest, then the last word's bytes past the length
  // (lo, hi limbs); private input: none.
  int public_values() const {
    return kind == TapeKind::kPublicInput ? kIoDigestLimbs : kind == TapeKind::kOutput ? kIoDigestLimbs + 2 : 0;
  }
  stark::air::TableInfo info() const {
    const char* name = kind == TapeKind::kPublicInput ? "public_input" : kind == TapeKind::kPrivateInput ? "private_input" : "public_output";
    std::vector<std::string> names = {"is_real", "addr", "e0",      "e1",       "g0",      "g1",
                                      "init_lo", "init_hi", "io", "final_ts", "final_lo", "final_hi"};
    if (kind != TapeKind::kPrivateInput) return {name, kWidth<TapeWordsCols>, 0, public_values(), names, {}};
    for (const char* n : {"len_q", "rem1", "rem2", "rem3", "past", "boundary", "top"}) names.emplace_back(n);
    return {name, kWidth<PrivateWordsCols>, 0, public_values(), names, {}};
  }
  template <class B>
  void eval(B& b) const {
    const TapeWordsCols c = make_columns<TapeWordsCols>();
    const auto real = b.main(c.is_real), next_real = b.main_next(c.is_real), io = b.main(c.io);
    const auto one = b.constant(1), two16 = b.constant(1u << 16), four = b.constant(4);
    b.assert_bool("is_real is a bit", real);
    b.assert_zero_last("the last row is padding", real);
    b.assert_zero_transition("real rows come first", next_real * (one - real));
    const auto addr_limbs = real * (b.main(c.addr) - b.main(c.e0) - two16 * b.main(c.e1));
    if (kind == TapeKind::kPrivateInput) {
      // Row 0 is word 0, whose e0 and e1 hold L's limbs' bounds instead (eval_length).
      b.assert_zero("addr = e0 + 2^16 e1", (one - b.is_first_row()) * addr_limbs);
    } else {
      b.assert_zero("addr = e0 + 2^16 e1", addr_limbs);
    }
    b.send(kRange16Bus, {b.main(c.e0)}, real);
    b.send(kRange16Bus, {four * b.main(c.e1)}, real);
    const auto both = real * next_real;
    b.assert_zero("addresses strictly increase",
                  both * (b.main_next(c.addr) - b.main(c.addr) - one - b.main(c.g0) - two16 * b.main(c.g1)));
    b.send(kRange16Bus, {b.main(c.g0)}, both);
    b.send(kRange16Bus, {four * b.main(c.g1)}, both);
    b.assert_bool("io is a bit", io);
    b.assert_zero("padding is not io", io * (one - real));
    const auto init_lo = b.main(c.init_lo), init_hi = b.main(c.init_hi);
    switch (kind) {
      case TapeKind::kPublicInput:
        b.assert_zero("past the statement's words the input is zero: lo", (one - io) * init_lo);
        b.assert_zero("past the statement's words the input is zero: hi", (one - io) * init_hi);
        b.send(kIoBus, {b.constant(space()), b.main(c.addr), init_lo, init_hi}, io);
        break;
      case TapeKind::kPrivateInput:
        b.assert_zero("no private word is io", io);
        b.send(kRange16Bus, {init_lo}, real);
        b.send(kRange16Bus, {init_hi}, real);
        break;
      case TapeKind::kOutput:
        b.assert_zero("the output starts zero: lo", init_lo);
        b.assert_zero("the output starts zero: hi", init_hi);
        b.send(kIoBus, {b.constant(space()), b.main(c.addr), b.main(c.final_lo), b.main(c.final_hi)}, io);
        break;
    }
    const auto tape = b.constant(space());
    b.send(kMemoryBus, {tape, b.main(c.addr), b.constant(0), init_lo, init_hi}, real);
    b.receive(kMemoryBus, {tape, b.main(c.addr), b.main(c.final_ts), b.main(c.final_lo), b.main(c.final_hi)}, real);
    if (kind == TapeKind::kPrivateInput) eval_length(b);
  }

  // The private input's bytes from L on are zero (docs/proof-system.md, "Input and output tapes").
  template <class B>
  void eval_length(B& b) const {
    const PrivateWordsCols pc = make_columns<PrivateWordsCols>();
    const TapeWordsCols& c = pc.words;
    const PrivateLengthCols& l = pc.len;
    const auto one = b.constant(1), first = b.is_first_row();
    const auto real = b.main(c.is_real), next_real = b.main_next(c.is_real);
    const auto lo = b.main(c.init_lo), hi = b.main(c.init_hi);
    const auto q = b.main(l.len_q), past = b.main(l.past), next_past = b.main_next(l.past);
    const auto boundary = b.main(l.boundary), top = b.main(l.top);
    const auto rem1 = b.main(l.rem1), rem2 = b.main(l.rem2), rem3 = b.main(l.rem3);
    // L on row 0: lo = 4 e0 + L mod 4 with e0 on RANGE16 (so e0 = ⌊lo / 4⌋ exactly), hi as it is.
    b.assert_zero_first("row 0 is real", one - real);
    b.assert_zero_first("row 0 is word 0", b.main(c.addr));
    b.assert_bool("rem1 is a bit", rem1);
    b.assert_bool("rem2 is a bit", rem2);
    b.assert_bool("rem3 is a bit", rem3);
    b.assert_bool("L mod 4 is one-hot", rem1 + rem2 + rem3);
    b.assert_zero_first("word 0's low limb = 4 e0 + L mod 4",
                        lo - b.constant(4) * b.main(c.e0) - rem1 - b.constant(2) * rem2 - b.constant(3) * rem3);
    b.assert_zero_first("len_q = e0 + 2^14 hi", q - b.main(c.e0) - b.constant(1u << 14) * hi);
    // L <= 2^30 (vm::kMaxInputBytesLimit): 4 e1 on RANGE16 makes 2^14 - 1 - hi + top >= 0.
    b.assert_bool("top is a bit", top);
    b.assert_zero("top only on row 0", (one - first) * top);
    b.assert_zero_first("e1 = 2^14 - 1 - hi + top", b.main(c.e1) - b.constant((1u << 14) - 1) + hi - top);
    b.assert_zero_first("L = 2^30 when top", top * lo);
    b.assert_zero_first("top only when hi = 2^14", top * (hi - b.constant(1u << 14)));
    // The same L on every active row (a transition: the row after the last active one is random
    // under zero knowledge, stark::protocol::reserved_rows).
    b.assert_zero_transition("len_q is carried", b.main_next(l.len_q) - q);
    b.assert_zero_transition("rem1 is carried", b.main_next(l.rem1) - rem1);
    b.assert_zero_transition("rem2 is carried", b.main_next(l.rem2) - rem2);
    b.assert_zero_transition("rem3 is carried", b.main_next(l.rem3) - rem3);
    // past: 0 on row 0 and on padding, 1 on the last real row, never 1 then 0 between real rows.
    b.assert_bool("past is a bit", past);
    b.assert_zero_first("word 0 is not past", past);
    b.assert_zero("padding is not past", (one - real) * past);
    b.assert_zero("past stays past", next_real * past * (one - next_past));
    b.assert_zero("the last real row is past", real * (one - next_real) * (one - past));
    // boundary: the row where past turns 1, whose word is len_q + 1 (addresses increase, so the
    // rows before it are words 0..len_q: all their bytes are below L). Row 0 (word 0, past 0) is
    // no boundary: "the boundary is word len_q + 1" rules it out.
    b.assert_zero_transition("boundary is where past starts", b.main_next(l.boundary) - (one - past) * next_past);
    b.assert_zero("the boundary is word len_q + 1", boundary * (b.main(c.addr) - q - one));
    b.assert_zero("past the boundary the input is zero: lo", past * (one - boundary) * lo);
    b.assert_zero("past the boundary the input is zero: hi", past * (one - boundary) * hi);
    // The boundary word keeps its low L mod 4 bytes: none (lo = hi = 0), 1 (lo < 2^8, hi = 0),
    // 2 (hi = 0) or 3 (hi < 2^8).
    b.assert_zero("the boundary word's lo is zero when L mod 4 = 0", boundary * (one - rem1 - rem2 - rem3) * lo);
    b.assert_zero("the boundary word's hi is zero unless L mod 4 = 3", boundary * (one - rem3) * hi);
    const auto two8 = b.constant(1u << 8);
    b.send(kRange16Bus, {two8 * lo}, boundary * rem1);
    b.send(kRange16Bus, {two8 * hi}, boundary * rem3);
  }
};

}  // namespace zkrv::riscv_air
