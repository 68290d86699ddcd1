// Fibonacci: one table, public first and last values. Row i holds (a, b) = (F_i, F_(i+1)) of the
// sequence that starts with public[0], public[1]; the last (active) row's b is public[2].
#pragma once

#include "stark/air/machine.h"
#include "stark/air/witness.h"

namespace zkrv::stark::machines {

struct FibonacciTable {
  enum Column { kA, kB, kWidth };
  air::TableInfo info() const { return {"fibonacci", kWidth, 0, 3, {"a", "b"}, {}}; }

  template <class B>
  void eval(B& b) const {
    const auto a = b.main(kA);
    const auto x = b.main(kB);
    b.assert_zero_first("first a = public[0]", a - b.public_value(0));
    b.assert_zero_first("first b = public[1]", x - b.public_value(1));
    b.assert_zero_transition("next a = b", b.main_next(kA) - x);
    b.assert_zero_transition("next b = a + b", b.main_next(kB) - (a + x));
    b.assert_zero_last("last b = public[2]", x - b.public_value(2));
  }
};

air::Machine fibonacci_machine();
// 2^log_rows rows starting from (a0, b0), the sequence on all but the last `reserved_rows`
// (protocol::reserved_rows; zeros there); public values {a0, b0, b on the last active row}.
air::TableWitness fibonacci_witness(int log_rows, air::Fp a0 = air::Fp::zero(), air::Fp b0 = air::Fp::one(),
                                    size_t reserved_rows = 0);

}  // namespace zkrv::stark::machines
