// A range-check machine: a preprocessed table of every 16-bit value, whose main column counts how
// often each value is looked up (receive with an unbounded multiplicity), and a 16-bit adder table
// whose rows prove c = a + b mod 2^16 with a carry bit, sending a, b and c to the range bus.
#pragma once

#include <span>
#include <utility>
#include <vector>

#include "stark/air/machine.h"
#include "stark/air/witness.h"

namespace zkrv::stark::machines {

inline constexpr air::BusId kRangeBus = 1;
inline constexpr int kRangeLogRows = 16;

struct Range16Table {
  air::TableInfo info() const { return {"range16", 1, 1, 0, {"multiplicity"}, {"value"}}; }
  template <class B>
  void eval(B& b) const {
    b.receive(kRangeBus, {b.preprocessed(0)}, b.main(0), air::kUnbounded);
  }
  Matrix<air::Fp> preprocessed() const;
};

struct Add16Table {
  enum Column { kA, kB, kC, kCarry, kIsReal, kWidth };
  air::TableInfo info() const { return {"add16", kWidth, 0, 0, {"a", "b", "c", "carry", "is_real"}, {}}; }
  template <class B>
  void eval(B& b) const {
    const auto a = b.main(kA), x = b.main(kB), c = b.main(kC), carry = b.main(kCarry), real = b.main(kIsReal);
    b.assert_bool("carry is a bit", carry);
    b.assert_bool("is_real is a bit", real);
    b.assert_zero("a + b = c + 2^16 carry", a + x - c - b.constant(1u << 16) * carry);
    b.send(kRangeBus, {a}, real);
    b.send(kRangeBus, {x}, real);
    b.send(kRangeBus, {c}, real);
  }
};

air::Machine range_check_machine();
// Witnesses for the two tables: 2^log_rows - reserved_rows additions of the given (a, b) pairs
// (cycled; padding rows when pairs is empty), and the range table's multiplicities (2^16 rows, or
// 2^17 when rows are reserved: protocol::reserved_rows). The reserved rows are left zero.
std::vector<air::TableWitness> range_check_witness(int log_rows, std::span<const std::pair<uint32_t, uint32_t>> pairs,
                                                   size_t reserved_rows = 0);

}  // namespace zkrv::stark::machines
