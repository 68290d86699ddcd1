#include "stark/air/logup.h"

#include <gtest/gtest.h>

#include "stark/machines/cpu_alu.h"
#include "stark/machines/range_check.h"

namespace zkrv::stark::air {
namespace {

using machines::AluOp;
using machines::CpuStep;

const LogUpChallenges kChallenges{Ext({Fp::FromU32(11), Fp::FromU32(22), Fp::FromU32(33), Fp::FromU32(44)}),
                                  Ext({Fp::FromU32(5), Fp::FromU32(6), Fp::FromU32(7), Fp::FromU32(8)})};

// Checks every LogUp constraint of the interaction trace on every row, as the quotient would.
void ExpectLogUpConstraintsHold(const Machine& m, size_t t, const Matrix<Fp>& pre, const TableWitness& w,
                                const InteractionTrace& trace) {
  const TableAnalysis& a = m.analysis(t);
  RowEvaluator evaluator(m.table(t), a, pre, w);
  const LogUpConstants<Ext> k = MakeLogUpConstants<Ext>(a, kChallenges);
  const size_t n = evaluator.rows();
  const Ext claimed_over_n = trace.claimed_sum * Fp::FromU64(n).Inverse();
  const size_t values = a.logup_groups.size() + 1;
  for (size_t row = 0; row < n; ++row) {
    const ValueBuilder<Fp>& b = evaluator.Evaluate(row);
    std::vector<Ext> local, next, out;
    for (size_t e = 0; e < values; ++e) {
      local.push_back(ExtensionAt(trace.columns.Row(row), e));
      next.push_back(ExtensionAt(trace.columns.Row((row + 1) % n), e));
    }
    EvalLogUpConstraints<Fp, Ext>(a, k, b.interaction_values, local.data(), next.data(), claimed_over_n, out);
    ASSERT_EQ(out.size(), values);
    for (size_t c = 0; c < out.size(); ++c) EXPECT_TRUE(out[c].IsZero()) << "table " << t << " row " << row << " constraint " << c;
  }
}

TEST(LogUpTest, CpuAluSumsBalanceWithTheBoundaryAndConstraintsHold) {
  const Machine m = machines::CpuAluMachine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}, {AluOp::kSub, 4}};
  const std::vector<TableWitness> w = machines::CpuAluWitness(program, 2, 3, 2);
  const Matrix<Fp> none;
  Ext total = Ext::Zero();
  for (size_t t = 0; t < 2; ++t) {
    const InteractionTrace trace = GenerateInteractionTrace(m.table(t), m.analysis(t), none, w[t], kChallenges);
    ExpectLogUpConstraintsHold(m, t, none, w[t], trace);
    total += trace.claimed_sum;
  }
  const std::vector<std::vector<Fp>> publics = {w[0].public_values, w[1].public_values};
  EXPECT_FALSE(total.IsZero());  // the output bus is open until the boundary closes it
  total += BoundarySum(kChallenges, m.Boundary(publics));
  EXPECT_TRUE(total.IsZero());
}

TEST(LogUpTest, ADroppedReceiveLeavesANonZeroSum) {
  const Machine m = machines::CpuAluMachine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}};
  std::vector<TableWitness> w = machines::CpuAluWitness(program, 2, 2, 2);
  w[1].main.At(0, machines::AluTable::kMultiplicity) = Fp::Zero();
  const Matrix<Fp> none;
  Ext total = BoundarySum(kChallenges, m.Boundary(std::vector<std::vector<Fp>>{w[0].public_values, {}}));
  for (size_t t = 0; t < 2; ++t) total += GenerateInteractionTrace(m.table(t), m.analysis(t), none, w[t], kChallenges).claimed_sum;
  EXPECT_FALSE(total.IsZero());
}

TEST(LogUpTest, RangeTableMultiplicitiesBalanceTheSends) {
  const Machine m = machines::RangeCheckMachine();
  const std::vector<std::pair<uint32_t, uint32_t>> pairs = {{1, 2}, {65535, 1}, {40000, 30000}};
  const std::vector<TableWitness> w = machines::RangeCheckWitness(3, pairs);
  const Matrix<Fp> range_values = m.table(0).Preprocessed();
  const Matrix<Fp> none;
  const InteractionTrace range = GenerateInteractionTrace(m.table(0), m.analysis(0), range_values, w[0], kChallenges);
  const InteractionTrace add = GenerateInteractionTrace(m.table(1), m.analysis(1), none, w[1], kChallenges);
  ExpectLogUpConstraintsHold(m, 1, none, w[1], add);
  EXPECT_TRUE((range.claimed_sum + add.claimed_sum).IsZero());
}

TEST(LogUpTest, FingerprintSeparatesBusesAndPositions) {
  const std::vector<Fp> t12 = {Fp::FromU32(1), Fp::FromU32(2)};
  const std::vector<Fp> t21 = {Fp::FromU32(2), Fp::FromU32(1)};
  EXPECT_NE(Fingerprint(kChallenges, 1, t12), Fingerprint(kChallenges, 1, t21));
  EXPECT_NE(Fingerprint(kChallenges, 1, t12), Fingerprint(kChallenges, 2, t12));
}

}  // namespace
}  // namespace zkrv::stark::air
