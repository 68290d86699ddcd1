// Typed column layouts: a table's columns are a struct of `int` members (one per column, nested
// structs for repeated groups such as a memory access), and make_columns<T>() numbers them in
// declaration order, so constraints name columns (`c.rs1.prev_lo`) instead of magic indices and a
// new column cannot shift another by hand.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <type_traits>

namespace zkrv::riscv_air {

template <class Cols>
inline constexpr int kWidth = static_cast<int>(sizeof(Cols) / sizeof(int));

template <class Cols>
constexpr Cols make_columns() {
  static_assert(std::is_trivially_copyable_v<Cols> && sizeof(Cols) % sizeof(int) == 0);
  std::array<int, sizeof(Cols) / sizeof(int)> indices{};
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<int>(i);
  return std::bit_cast<Cols>(indices);
}

// One offline-memory-checking access (memory_air.h): the record it consumes and the two limbs of
// ts - prev_ts - 1 (16 bits + 8 bits).
struct AccessCols {
  int prev_ts, prev_lo, prev_hi, d0, d1;
};

// What every instruction-family row carries: whether it is real, its state (pc, ts) and the
// decoded instruction it looks up in the Program table (program_air.h has the tuple).
struct CoreCols {
  int is_real, pc, ts, pc_hi, rd, rs1, rs2, imm_lo, imm_hi, imm, rd_w, len;
};

// A 32-bit word as bytes (gadgets.h eval_word_bytes): bytes 0..3, the xors of the pairs (0, 1) and
// (2, 3) that the BYTE lookups carry, and byte 3 split into its top bit and the 7 bits below.
struct WordBytesCols {
  int byte[4], x[2], sign, rest;
};

// A comparison of a and b (gadgets.h eval_compare): a - b = d - 2^32 br1 on limbs, so br1 = (a <u b);
// the sign bits sa, sb with the 15 bits below them (ra, rb); lt = (a <s b).
struct CompareCols {
  int d_lo, d_hi, br0, br1, sa, sb, ra, rb, lt;
};

}  // namespace zkrv::riscv_air
