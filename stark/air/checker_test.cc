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

}  // namespace
}  // namespace zkrv::stark::air
