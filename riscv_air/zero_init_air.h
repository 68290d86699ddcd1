// ZeroInit: one row per touched word at or above the image's end (word address Z = zero_start_word),
// which starts as zero: sends (space, addr, 0, 0, 0) and receives the word's final record. Each real
// row selects one of the program's zero ranges (the mapped pages' words from Z on, a constant of
// the table, so the program key commits to it) and proves begin <= addr < end, taking the range's
// space: a word of a read-only page starts read-only, an unmapped word never starts at all. Real
// rows come first with strictly increasing addresses, so no word is initialised twice; the ranges
// start at or above Z, so none is also an Image word.
#pragma once

#include <string>
#include <vector>

#include "riscv_air/buses.h"
#include "riscv_air/columns.h"
#include "riscv_air/program.h"
#include "stark/air/air.h"

namespace zkrv::riscv_air {

// The selectors of the zero ranges follow these columns, one per range.
struct ZeroInitCols {
  int is_real, addr;
  int e0, e1;  // addr - begin = e0 + 2^16 e1, with e0 and 8 e1 16-bit
  int f0, f1;  // end - 1 - addr = f0 + 2^16 f1, likewise
  int g0, g1;  // next.addr - addr - 1 = g0 + 2^16 g1, likewise
  int final_ts, final_lo, final_hi;
};

// A word 2^29 or more from either end of its range, or from the word before it, is refused (the
// limbs keep the range and sortedness checks exact).
inline constexpr uint32_t kZeroInitSpan = 1u << 29;

struct ZeroInitTable {
  std::vector<ZeroRange> ranges;

  int selector(size_t k) const { return kWidth<ZeroInitCols> + static_cast<int>(k); }

  stark::air::TableInfo info() const {
    std::vector<std::string> names = {"is_real", "addr", "e0", "e1", "f0", "f1", "g0", "g1",
                                      "final_ts", "final_lo", "final_hi"};
    for (size_t k = 0; k < ranges.size(); ++k) names.push_back("range" + std::to_string(k));
    return {"zero_init", selector(ranges.size()), 0, 0, std::move(names), {}};
  }
  template <class B>
  void eval(B& b) const {
    const ZeroInitCols c = make_columns<ZeroInitCols>();
    const auto real = b.main(c.is_real), next_real = b.main_next(c.is_real);
    const auto one = b.constant(1), two16 = b.constant(1u << 16), eight = b.constant(8);
    b.assert_bool("is_real is a bit", real);
    b.assert_zero_last("the last row is padding", real);
    b.assert_zero_transition("real rows come first", next_real * (one - real));
    // The selected range: begin, end and space are the selectors' weighted sums (0 on padding).
    auto selected = b.constant(0), begin = b.constant(0), end = b.constant(0), space = b.constant(0);
    for (size_t k = 0; k < ranges.size(); ++k) {
      const auto s = b.main(selector(k));
      b.assert_bool("a range selector is a bit", s);
      selected = selected + s;
      begin = begin + s * b.constant(ranges[k].begin);
      end = end + s * b.constant(ranges[k].end);
      space = space + s * b.constant(ranges[k].space);
    }
    b.assert_zero("a real row selects one range", selected - real);
    const auto addr = b.main(c.addr);
    b.assert_zero("addr - begin = e0 + 2^16 e1", real * (addr - begin - b.main(c.e0) - two16 * b.main(c.e1)));
    b.send(kRange16Bus, {b.main(c.e0)}, real);
    b.send(kRange16Bus, {eight * b.main(c.e1)}, real);
    b.assert_zero("end - 1 - addr = f0 + 2^16 f1", real * (end - one - addr - b.main(c.f0) - two16 * b.main(c.f1)));
    b.send(kRange16Bus, {b.main(c.f0)}, real);
    b.send(kRange16Bus, {eight * b.main(c.f1)}, real);
    const auto both = real * next_real;
    b.assert_zero("addresses strictly increase",
                  both * (b.main_next(c.addr) - addr - one - b.main(c.g0) - two16 * b.main(c.g1)));
    b.send(kRange16Bus, {b.main(c.g0)}, both);
    b.send(kRange16Bus, {eight * b.main(c.g1)}, both);
    b.send(kMemoryBus, {space, addr, b.constant(0), b.constant(0), b.constant(0)}, real);
    b.receive(kMemoryBus, {space, addr, b.main(c.final_ts), b.main(c.final_lo), b.main(c.final_hi)}, real);
  }
};

}  // namespace zkrv::riscv_air
