#include "stark/air/checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stark/machines/cpu_alu.h"

namespace zkrv::stark::air {
namespace {

using ::testing::HasSubstr;
using machines::AluOp;
using machines::AluTable;
using machines::CpuStep;
using machines::CpuTable;

std::vector<Matrix<Fp>> no_preprocessed(const Machine& m) { return std::vector<Matrix<Fp>>(m.num_tables()); }

TEST(CheckerTest, ValidWitnessPasses) {
  const Machine m = machines::cpu_alu_machine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}, {AluOp::kSub, 4}};
  const std::vector<TableWitness> w = machines::cpu_alu_witness(program, 2, 3, 2);
  const MachineCheck check = check_machine(m, no_preprocessed(m), w);
  EXPECT_TRUE(check.ok()) << check.to_string(m);
  EXPECT_EQ(w[0].public_values[1], Fp::from_u32((2 + 5) * 3 - 4));
}

TEST(CheckerTest, NamesTheFailingConstraintAndRow) {
  const Machine m = machines::cpu_alu_machine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}};
  std::vector<TableWitness> w = machines::cpu_alu_witness(program, 2, 2, 2);
  w[1].main.at(1, AluTable::kResult) += Fp::one();  // the ALU row of the first step lies
  const MachineCheck check = check_machine(m, no_preprocessed(m), w);
  ASSERT_FALSE(check.failures.empty());
  EXPECT_EQ(check.failures[0].table, "alu");
  EXPECT_EQ(check.failures[0].constraint, "result");
  EXPECT_EQ(check.failures[0].row, 1u);
  EXPECT_THAT(check.to_string(m), HasSubstr("table alu: constraint result fails at row 1"));
}

TEST(CheckerTest, BusDebuggerListsUnmatchedTuples) {
  const Machine m = machines::cpu_alu_machine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}};
  std::vector<TableWitness> w = machines::cpu_alu_witness(program, 2, 2, 2);
  w[1].main.at(0, AluTable::kMultiplicity) = Fp::zero();  // drop the receive of step 2 (ALU row 0)
  const std::vector<BusImbalance> imbalances = find_bus_imbalances(m, no_preprocessed(m), w);
  ASSERT_EQ(imbalances.size(), 1u);
  EXPECT_EQ(imbalances[0].bus, machines::kAluBus);
  EXPECT_EQ(imbalances[0].tuple, (std::vector<Fp>{Fp::from_u32(3), Fp::from_u32(7), Fp::from_u32(3), Fp::from_u32(21)}));
  EXPECT_EQ(imbalances[0].net, Fp::one());
  MachineCheck check;
  check.imbalances = imbalances;
  EXPECT_THAT(check.to_string(m), HasSubstr("bus 2 (alu): tuple (3, 7, 3, 21) unmatched, net multiplicity 1 (cpu row 1 sends x1)"));
}

TEST(CheckerTest, BusDebuggerSeesTheBoundary) {
  const Machine m = machines::cpu_alu_machine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}};
  std::vector<TableWitness> w = machines::cpu_alu_witness(program, 2, 1, 1);
  w[0].public_values[1] = Fp::from_u32(8);  // claims 8, computes 7
  const std::vector<BusImbalance> imbalances = find_bus_imbalances(m, no_preprocessed(m), w);
  ASSERT_EQ(imbalances.size(), 2u);
  EXPECT_EQ(imbalances[0].bus, machines::kOutputBus);
  MachineCheck check;
  check.imbalances = imbalances;
  const std::string text = check.to_string(m);
  EXPECT_THAT(text, HasSubstr("tuple (7) unmatched, net multiplicity 1 (cpu row 1 sends x1)"));
  EXPECT_THAT(text, HasSubstr("tuple (8) unmatched, net multiplicity -1 (boundary receives x1)"));
}

TEST(CheckerTest, WitnessShapeErrorsNameTheTable) {
  const Machine m = machines::cpu_alu_machine();
  std::vector<TableWitness> w = machines::cpu_alu_witness(std::vector<CpuStep>{{AluOp::kAdd, 1}}, 0, 1, 1);
  w[1].main = Matrix<Fp>(2, 3);
  try {
    check_machine(m, no_preprocessed(m), w);
    FAIL();
  } catch (const AirError& e) {
    EXPECT_THAT(e.what(), HasSubstr("table alu: main trace has 3 columns, the table declares 7"));
  }
}

// One bit column; `gated` decides whether the next-row constraint carries its transition gate.
template <bool kGated>
struct NextBitTable {
  TableInfo info() const { return {kGated ? "gated" : "ungated", 1, 0, 0, {"bit"}, {}}; }
  template <class B>
  void eval(B& b) const {
    const auto next = b.main_next(0);
    if constexpr (kGated) {
      b.assert_zero_transition("next bit is boolean", next * (next - b.constant(1)));
    } else {
      b.assert_zero("next bit is boolean", next * (next - b.constant(1)));
    }
  }
};

// 8 rows, the last 3 reserved (zero in the witness, random in a proof): row 4 is the last active.
TableWitness bits_with_reserved_rows() {
  TableWitness w{Matrix<Fp>(8, 1), {}};
  for (size_t r = 0; r < 5; ++r) w.main.at(r, 0) = Fp::from_u32(r % 2);
  return w;
}

TEST(CheckerTest, ANextRowConstraintWithoutItsTransitionGateFailsOnTheLastActiveRow) {
  // The zero reserved row would satisfy it; the proof's random one would not.
  const Machine m("ungated", {make_table(NextBitTable<false>{})});
  const std::vector<TableWitness> w = {bits_with_reserved_rows()};
  const MachineCheck check = check_machine(m, no_preprocessed(m), w, 16, 3);
  ASSERT_EQ(check.failures.size(), 1u) << check.to_string(m);
  EXPECT_EQ(check.failures[0].row, 4u);
  EXPECT_THAT(check.to_string(m), HasSubstr("table ungated: constraint next bit is boolean fails at row 4"));
  // Without reserved rows the trace wraps to row 0, a bit: nothing fails.
  EXPECT_TRUE(check_machine(m, no_preprocessed(m), w).ok());
}

TEST(CheckerTest, AGatedNextRowConstraintPassesWithReservedRows) {
  const Machine m("gated", {make_table(NextBitTable<true>{})});
  const std::vector<TableWitness> w = {bits_with_reserved_rows()};
  const MachineCheck check = check_machine(m, no_preprocessed(m), w, 16, 3);
  EXPECT_TRUE(check.ok()) << check.to_string(m);
}

// Receives each row's value and sends the next row's: a cyclic shift that balances when the
// trace wraps, and, with rows reserved, only if nothing reads the row after the last active one.
struct ShiftTable {
  TableInfo info() const { return {"shift", 1, 0, 0, {"x"}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.receive(9, {b.main(0)}, b.constant(1));
    b.send(9, {b.main_next(0)}, b.constant(1));
  }
};

TEST(CheckerTest, BusDebuggerSeesANextRowTupleOnTheLastActiveRow) {
  const Machine m("shift", {make_table(ShiftTable{})}, {{9, "shift"}});
  // x = 0, 1, 2, 3, 4 on the active rows: the zero reserved row would close the cycle at 0.
  TableWitness w{Matrix<Fp>(8, 1), {}};
  for (size_t r = 0; r < 5; ++r) w.main.at(r, 0) = Fp::from_u32(static_cast<uint32_t>(r));
  const std::vector<TableWitness> ws = {w};
  const std::vector<BusImbalance> imbalances = find_bus_imbalances(m, no_preprocessed(m), ws, 16, 3);
  ASSERT_EQ(imbalances.size(), 2u);
  MachineCheck check;
  check.imbalances = imbalances;
  EXPECT_THAT(check.to_string(m), HasSubstr("tuple (0) unmatched, net multiplicity -1 (shift row 0 receives x1)"));
  EXPECT_THAT(check.to_string(m), HasSubstr("(shift row 4 sends x1)"));
}

}  // namespace
}  // namespace zkrv::stark::air
