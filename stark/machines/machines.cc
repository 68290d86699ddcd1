#include <algorithm>
#include <bit>
#include <stdexcept>

#include "stark/machines/cpu_alu.h"
#include "stark/machines/fibonacci.h"
#include "stark/machines/range_check.h"

namespace zkrv::stark::machines {

using air::Fp;

air::Machine fibonacci_machine() { return air::Machine("fibonacci", {air::make_table(FibonacciTable{})}); }

air::TableWitness fibonacci_witness(int log_rows, Fp a0, Fp b0, size_t reserved_rows) {
  const size_t height = size_t{1} << log_rows;
  if (reserved_rows >= height) throw std::invalid_argument("fibonacci_witness: no active row besides the reserved ones");
  const size_t rows = height - reserved_rows;
  air::TableWitness w{Matrix<Fp>(height, FibonacciTable::kWidth), {}};
  Fp a = a0, b = b0;
  for (size_t r = 0; r < rows; ++r) {
    w.main.at(r, FibonacciTable::kA) = a;
    w.main.at(r, FibonacciTable::kB) = b;
    if (r + 1 < rows) {
      const Fp next = a + b;
      a = b;
      b = next;
    }
  }
  w.public_values = {a0, b0, b};
  return w;
}

Matrix<Fp> Range16Table::preprocessed() const {
  Matrix<Fp> values(size_t{1} << kRangeLogRows, 1);
  for (size_t r = 0; r < values.rows(); ++r) values.at(r, 0) = Fp::from_u32(static_cast<uint32_t>(r));
  return values;
}

air::Machine range_check_machine() {
  return air::Machine("range-check", {air::make_table(Range16Table{}), air::make_table(Add16Table{})},
                      {{kRangeBus, "range16"}});
}

std::vector<air::TableWitness> range_check_witness(int log_rows, std::span<const std::pair<uint32_t, uint32_t>> pairs,
                                                   size_t reserved_rows) {
  const size_t height = size_t{1} << log_rows;
  if (reserved_rows >= height) throw std::invalid_argument("range_check_witness: no active row besides the reserved ones");
  const size_t rows = height - reserved_rows;
  // The fixed table's 2^16 values fill its rows; reserved rows double it (prover::setup pads the
  // preprocessed column with zeros the same way).
  const size_t range_rows = reserved_rows == 0 ? size_t{1} << kRangeLogRows
                                               : std::bit_ceil((size_t{1} << kRangeLogRows) + reserved_rows);
  air::TableWitness range{Matrix<Fp>(range_rows, 1), {}};
  air::TableWitness add{Matrix<Fp>(height, Add16Table::kWidth), {}};
  std::vector<uint32_t> counts(size_t{1} << kRangeLogRows, 0);
  for (size_t r = 0; r < rows && !pairs.empty(); ++r) {
    const auto [a, b] = pairs[r % pairs.size()];
    if (a > 0xFFFF || b > 0xFFFF) throw std::invalid_argument("range_check_witness: operands must be 16-bit");
    const uint32_t sum = a + b;
    const uint32_t c = sum & 0xFFFF;
    add.main.at(r, Add16Table::kA) = Fp::from_u32(a);
    add.main.at(r, Add16Table::kB) = Fp::from_u32(b);
    add.main.at(r, Add16Table::kC) = Fp::from_u32(c);
    add.main.at(r, Add16Table::kCarry) = Fp::from_u32(sum >> 16);
    add.main.at(r, Add16Table::kIsReal) = Fp::one();
    ++counts[a];
    ++counts[b];
    ++counts[c];
  }
  for (size_t v = 0; v < counts.size(); ++v) range.main.at(v, 0) = Fp::from_u32(counts[v]);
  return {std::move(range), std::move(add)};
}

air::Machine cpu_alu_machine() {
  air::BoundaryFunction boundary = [](std::span<const std::vector<Fp>> public_values) {
    std::vector<air::BoundaryInteraction> result;
    if (!public_values.empty() && public_values[0].size() == 2) {
      result.push_back({kOutputBus, air::Direction::kReceive, {public_values[0][1]}, Fp::one()});
    }
    return result;
  };
  return air::Machine("cpu-alu", {air::make_table(CpuTable{}), air::make_table(AluTable{})},
                      {{kAluBus, "alu"}, {kOutputBus, "output"}}, boundary);
}

std::vector<air::TableWitness> cpu_alu_witness(std::span<const CpuStep> program, uint32_t input, int cpu_log_rows,
                                             int alu_log_rows, size_t reserved_rows) {
  const size_t cpu_height = size_t{1} << cpu_log_rows;
  const size_t alu_height = size_t{1} << alu_log_rows;
  const size_t cpu_rows = cpu_height > reserved_rows ? cpu_height - reserved_rows : 0;
  const size_t alu_rows = alu_height > reserved_rows ? alu_height - reserved_rows : 0;
  if (program.empty() || program.size() > cpu_rows || program.size() > alu_rows) {
    throw std::invalid_argument("cpu_alu_witness: the program must have 1..min(active rows) steps");
  }
  air::TableWitness cpu{Matrix<Fp>(cpu_height, CpuTable::kWidth), {}};
  air::TableWitness alu{Matrix<Fp>(alu_height, AluTable::kWidth), {}};
  Fp acc = Fp::from_u32(input);
  for (size_t r = 0; r < cpu_rows; ++r) {
    if (r < program.size()) {
      const CpuStep& step = program[r];
      const Fp b = Fp::from_u32(step.operand);
      const Fp result = step.op == AluOp::kAdd ? acc + b : step.op == AluOp::kSub ? acc - b : acc * b;
      cpu.main.at(r, CpuTable::kIsReal) = Fp::one();
      cpu.main.at(r, CpuTable::kOp) = Fp::from_u32(static_cast<uint32_t>(step.op));
      cpu.main.at(r, CpuTable::kA) = acc;
      cpu.main.at(r, CpuTable::kB) = b;
      cpu.main.at(r, CpuTable::kResult) = result;
      // The ALU lists the same operations in reverse order.
      const size_t a_row = program.size() - 1 - r;
      alu.main.at(a_row, AluTable::kIsAdd) = step.op == AluOp::kAdd ? Fp::one() : Fp::zero();
      alu.main.at(a_row, AluTable::kIsSub) = step.op == AluOp::kSub ? Fp::one() : Fp::zero();
      alu.main.at(a_row, AluTable::kIsMul) = step.op == AluOp::kMul ? Fp::one() : Fp::zero();
      alu.main.at(a_row, AluTable::kA) = acc;
      alu.main.at(a_row, AluTable::kB) = b;
      alu.main.at(a_row, AluTable::kResult) = result;
      alu.main.at(a_row, AluTable::kMultiplicity) = Fp::one();
      acc = result;
    } else {
      cpu.main.at(r, CpuTable::kResult) = acc;  // padding carries the result
    }
  }
  for (size_t r = program.size(); r < alu_rows; ++r) alu.main.at(r, AluTable::kIsAdd) = Fp::one();  // 0 + 0 = 0
  cpu.public_values = {Fp::from_u32(input), acc};
  return {std::move(cpu), std::move(alu)};
}

}  // namespace zkrv::stark::machines
