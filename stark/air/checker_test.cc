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

std::vector<Matrix<Fp>> NoPreprocessed(const Machine& m) { return std::vector<Matrix<Fp>>(m.num_tables()); }

TEST(CheckerTest, ValidWitnessPasses) {
  const Machine m = machines::CpuAluMachine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}, {AluOp::kSub, 4}};
  const std::vector<TableWitness> w = machines::CpuAluWitness(program, 2, 3, 2);
  const MachineCheck check = CheckMachine(m, NoPreprocessed(m), w);
  EXPECT_TRUE(check.ok()) << check.ToString(m);
  EXPECT_EQ(w[0].public_values[1], Fp::FromU32((2 + 5) * 3 - 4));
}

TEST(CheckerTest, NamesTheFailingConstraintAndRow) {
  const Machine m = machines::CpuAluMachine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}};
  std::vector<TableWitness> w = machines::CpuAluWitness(program, 2, 2, 2);
  w[1].main.At(1, AluTable::kResult) += Fp::One();  // the ALU row of the first step lies
  const MachineCheck check = CheckMachine(m, NoPreprocessed(m), w);
  ASSERT_FALSE(check.failures.empty());
  EXPECT_EQ(check.failures[0].table, "alu");
  EXPECT_EQ(check.failures[0].constraint, "result");
  EXPECT_EQ(check.failures[0].row, 1u);
  EXPECT_THAT(check.ToString(m), HasSubstr("table alu: constraint result fails at row 1"));
}

TEST(CheckerTest, BusDebuggerListsUnmatchedTuples) {
  const Machine m = machines::CpuAluMachine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}};
  std::vector<TableWitness> w = machines::CpuAluWitness(program, 2, 2, 2);
  w[1].main.At(0, AluTable::kMultiplicity) = Fp::Zero();  // drop the receive of step 2 (ALU row 0)
  const std::vector<BusImbalance> imbalances = FindBusImbalances(m, NoPreprocessed(m), w);
  ASSERT_EQ(imbalances.size(), 1u);
  EXPECT_EQ(imbalances[0].bus, machines::kAluBus);
  EXPECT_EQ(imbalances[0].tuple, (std::vector<Fp>{Fp::FromU32(3), Fp::FromU32(7), Fp::FromU32(3), Fp::FromU32(21)}));
  EXPECT_EQ(imbalances[0].net, Fp::One());
  MachineCheck check;
  check.imbalances = imbalances;
  EXPECT_THAT(check.ToString(m), HasSubstr("bus 2 (alu): tuple (3, 7, 3, 21) unmatched, net multiplicity 1 (cpu row 1 sends x1)"));
}

TEST(CheckerTest, BusDebuggerSeesTheBoundary) {
  const Machine m = machines::CpuAluMachine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}};
  std::vector<TableWitness> w = machines::CpuAluWitness(program, 2, 1, 1);
  w[0].public_values[1] = Fp::FromU32(8);  // claims 8, computes 7
  const std::vector<BusImbalance> imbalances = FindBusImbalances(m, NoPreprocessed(m), w);
  ASSERT_EQ(imbalances.size(), 2u);
  EXPECT_EQ(imbalances[0].bus, machines::kOutputBus);
  MachineCheck check;
  check.imbalances = imbalances;
  const std::string text = check.ToString(m);
  EXPECT_THAT(text, HasSubstr("tuple (7) unmatched, net multiplicity 1 (cpu row 1 sends x1)"));
  EXPECT_THAT(text, HasSubstr("tuple (8) unmatched, net multiplicity -1 (boundary receives x1)"));
}

TEST(CheckerTest, WitnessShapeErrorsNameTheTable) {
  const Machine m = machines::CpuAluMachine();
  std::vector<TableWitness> w = machines::CpuAluWitness(std::vector<CpuStep>{{AluOp::kAdd, 1}}, 0, 1, 1);
  w[1].main = Matrix<Fp>(2, 3);
  try {
    CheckMachine(m, NoPreprocessed(m), w);
    FAIL();
  } catch (const AirError& e) {
    EXPECT_THAT(e.what(), HasSubstr("table alu: main trace has 3 columns, the table declares 7"));
  }
}

}  // namespace
}  // namespace zkrv::stark::air
