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
//   no row is io.
// - Public output (space 5): every word starts at zero; a row with `io` = 1 sends (space, addr,
//   final) on IO, where the verifier receives words 0..m of the statement's output (word 0 = its
//   length, then the bytes; the last word's bytes past the length are this table's public values).
//
// The verifier's words enter the transcript through each table's public values, a BLAKE2s digest of
// the bytes (machine.h, io_digest), which the verifier checks against the statement.
#pragma once

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
    return {name, kWidth<TapeWordsCols>, 0, public_values(),
            {"is_real", "addr", "e0", "e1", "g0", "g1", "init_lo", "init_hi", "io", "final_ts", "final_lo", "final_hi"},
            {}};
  }
  template <class B>
  void eval(B& b) const {
    const TapeWordsCols c = make_columns<TapeWordsCols>();
    const auto real = b.main(c.is_real), next_real = b.main_next(c.is_real), io = b.main(c.io);
    const auto one = b.constant(1), two16 = b.constant(1u << 16), four = b.constant(4);
    b.assert_bool("is_real is a bit", real);
    b.assert_zero_last("the last row is padding", real);
    b.assert_zero_transition("real rows come first", next_real * (one - real));
    b.assert_zero("addr = e0 + 2^16 e1", real * (b.main(c.addr) - b.main(c.e0) - two16 * b.main(c.e1)));
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
  }
};

}  // namespace zkrv::riscv_air
