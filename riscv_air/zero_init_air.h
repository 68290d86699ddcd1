// ZeroInit: one row per touched word at or above the image's end (word address Z = zero_start_word),
// which starts as zero: sends (memory, addr, 0, 0, 0) and receives the word's final record. Real
// rows come first with strictly increasing addresses, so no word is initialised twice, and every
// address lies in [Z, Z + 2^29 + 2^16), disjoint from the Image table's words (all below Z).
#pragma once

#include "riscv_air/buses.h"
#include "riscv_air/columns.h"
#include "stark/air/air.h"

namespace zkrv::riscv_air {

struct ZeroInitCols {
  int is_real, addr;
  int e0, e1;  // addr - Z = e0 + 2^16 e1, with e0 and 8 e1 16-bit
  int g0, g1;  // next.addr - addr - 1 = g0 + 2^16 g1, likewise
  int final_ts, final_lo, final_hi;
};

// Words at or above Z + kZeroInitSpan are refused (the span keeps the sortedness check exact).
inline constexpr uint32_t kZeroInitSpan = 1u << 29;

struct ZeroInitTable {
  uint32_t zero_start_word = 0;

  stark::air::TableInfo info() const {
    return {"zero_init", kWidth<ZeroInitCols>, 0, 0,
            {"is_real", "addr", "e0", "e1", "g0", "g1", "final_ts", "final_lo", "final_hi"}, {}};
  }
  template <class B>
  void eval(B& b) const {
    const ZeroInitCols c = make_columns<ZeroInitCols>();
    const auto real = b.main(c.is_real), next_real = b.main_next(c.is_real);
    const auto one = b.constant(1), two16 = b.constant(1u << 16), eight = b.constant(8);
    b.assert_bool("is_real is a bit", real);
    b.assert_zero_last("the last row is padding", real);
    b.assert_zero_transition("real rows come first", next_real * (one - real));
    b.assert_zero("addr - Z = e0 + 2^16 e1",
                  real * (b.main(c.addr) - b.constant(zero_start_word) - b.main(c.e0) - two16 * b.main(c.e1)));
    b.send(kRange16Bus, {b.main(c.e0)}, real);
    b.send(kRange16Bus, {eight * b.main(c.e1)}, real);
    const auto both = real * next_real;
    b.assert_zero("addresses strictly increase",
                  both * (b.main_next(c.addr) - b.main(c.addr) - one - b.main(c.g0) - two16 * b.main(c.g1)));
    b.send(kRange16Bus, {b.main(c.g0)}, both);
    b.send(kRange16Bus, {eight * b.main(c.g1)}, both);
    b.send(kMemoryBus, {b.constant(kMemorySpace), b.main(c.addr), b.constant(0), b.constant(0), b.constant(0)}, real);
    b.receive(kMemoryBus,
              {b.constant(kMemorySpace), b.main(c.addr), b.main(c.final_ts), b.main(c.final_lo), b.main(c.final_hi)},
              real);
  }
};

}  // namespace zkrv::riscv_air
