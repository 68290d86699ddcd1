// A two-table machine: a CPU-like accumulator table runs a program of (op, operand) steps, sending
// each step's (op, a, b, result) to an ALU table over a bus; the ALU table receives the tuples (in
// any order) and constrains result = a op b. The CPU's last row sends the final result on an
// output bus that the verifier balances itself from the public output (a boundary term).
#pragma once

#include <span>
#include <vector>

#include "stark/air/machine.h"
#include "stark/air/witness.h"

namespace zkrv::stark::machines {

inline constexpr air::BusId kAluBus = 2;
inline constexpr air::BusId kOutputBus = 3;

enum class AluOp : uint32_t { kAdd = 1, kSub = 2, kMul = 3 };

struct CpuTable {
  enum Column { kIsReal, kOp, kA, kB, kResult, kWidth };
  // public[0]: the initial accumulator; public[1]: the final result (checked via the output bus).
  air::TableInfo info() const { return {"cpu", kWidth, 0, 2, {"is_real", "op", "a", "b", "result"}, {}}; }
  template <class B>
  void eval(B& b) const {
    const auto real = b.main(kIsReal), a = b.main(kA), result = b.main(kResult);
    const auto next_real = b.main_next(kIsReal);
    const auto one = b.constant(1);
    b.assert_bool("is_real is a bit", real);
    b.assert_zero_first("the first row is real", real - one);
    b.assert_zero_first("the first a is the input", a - b.public_value(0));
    b.assert_zero_transition("padding stays padding", next_real * (one - real));
    b.assert_zero_transition("next a = result", next_real * (b.main_next(kA) - result));
    b.assert_zero_transition("padding carries the result", (one - next_real) * (b.main_next(kResult) - result));
    b.send(kAluBus, {b.main(kOp), a, b.main(kB), result}, real);
    b.send(kOutputBus, {result}, b.is_last_row());
  }
};

struct AluTable {
  enum Column { kIsAdd, kIsSub, kIsMul, kA, kB, kResult, kMultiplicity, kWidth };
  air::TableInfo info() const {
    return {"alu", kWidth, 0, 0, {"is_add", "is_sub", "is_mul", "a", "b", "result", "multiplicity"}, {}};
  }
  template <class B>
  void eval(B& b) const {
    const auto add = b.main(kIsAdd), sub = b.main(kIsSub), mul = b.main(kIsMul);
    const auto a = b.main(kA), x = b.main(kB), result = b.main(kResult);
    b.assert_bool("is_add is a bit", add);
    b.assert_bool("is_sub is a bit", sub);
    b.assert_bool("is_mul is a bit", mul);
    b.assert_bool("multiplicity is a bit", b.main(kMultiplicity));
    b.assert_zero("exactly one op", add + sub + mul - b.constant(1));
    b.assert_zero("result", result - (add * (a + x) + sub * (a - x) + mul * a * x));
    const auto op = add + b.constant(2) * sub + b.constant(3) * mul;
    b.receive(kAluBus, {op, a, x, result}, b.main(kMultiplicity));
  }
};

struct CpuStep {
  AluOp op;
  uint32_t operand;
};

air::Machine cpu_alu_machine();
// Runs the program from `input` and lays out both tables: the CPU table has 2^cpu_log_rows rows
// (the program plus padding), the ALU table 2^alu_log_rows rows (one per step in reverse order, then
// padding), so the bus really has to match tuples across orders; the last `reserved_rows` of each
// (protocol::reserved_rows) are left zero. Public values: {input, output}.
std::vector<air::TableWitness> cpu_alu_witness(std::span<const CpuStep> program, uint32_t input, int cpu_log_rows,
                                             int alu_log_rows, size_t reserved_rows = 0);

}  // namespace zkrv::stark::machines
