#include "stark/air/logup.h"

#include <gtest/gtest.h>

#include "stark/machines/cpu_alu.h"
#include "stark/machines/range_check.h"

namespace zkrv::stark::air {
namespace {

using machines::AluOp;
using machines::CpuStep;

const LogUpChallenges kChallenges{Ext({Fp::from_u32(11), Fp::from_u32(22), Fp::from_u32(33), Fp::from_u32(44)}),
                                  Ext({Fp::from_u32(5), Fp::from_u32(6), Fp::from_u32(7), Fp::from_u32(8)})};

// Checks every LogUp constraint of the interaction trace on every active row, as the quotient
// would.
void expect_log_up_constraints_hold(const Machine& m, size_t t, const Matrix<Fp>& pre, const TableWitness& w,
                                const InteractionTrace& trace, size_t reserved_rows = 0) {
  const TableAnalysis& a = m.analysis(t);
  RowEvaluator evaluator(m.table(t), a, pre, w, reserved_rows);
  const LogUpConstants<Ext> k = make_log_up_constants<Ext>(a, kChallenges);
  const size_t n = evaluator.rows();
  const size_t values = a.logup_groups.size() + 1;
  for (size_t row = 0; row < evaluator.active_rows(); ++row) {
    const ValueBuilder<Fp>& b = evaluator.evaluate(row);
    std::vector<Ext> local, next, out;
    for (size_t e = 0; e < values; ++e) {
      local.push_back(extension_at(trace.columns.row(row), e));
      next.push_back(extension_at(trace.columns.row((row + 1) % n), e));
    }
    eval_log_up_constraints<Fp, Ext>(a, k, b.interaction_values, local.data(), next.data(), b.first_row, b.transition,
                                     b.last_row, trace.claimed_sum, out);
    ASSERT_EQ(out.size(), logup_constraint_count(a));
    for (size_t c = 0; c < out.size(); ++c) EXPECT_TRUE(out[c].is_zero()) << "table " << t << " row " << row << " constraint " << c;
  }
}

// The reserved rows (zero knowledge's random rows) never count: garbage there, real-looking bus
// messages included, leaves every claimed sum and the balance as it was.
TEST(LogUpTest, ReservedRowsDoNotCount) {
  const Machine m = machines::cpu_alu_machine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}, {AluOp::kSub, 4}};
  const size_t reserved = 10;
  std::vector<TableWitness> w = machines::cpu_alu_witness(program, 2, 4, 4, reserved);
  const Matrix<Fp> none;
  std::vector<Ext> clean;
  for (size_t t = 0; t < 2; ++t) {
    clean.push_back(generate_interaction_trace(m.table(t), m.analysis(t), none, w[t], kChallenges, reserved).claimed_sum);
  }
  // A copy of the CPU's first (real) row, and junk, on reserved rows.
  for (size_t c = 0; c < w[0].main.width(); ++c) w[0].main.at(15, c) = w[0].main.at(0, c);
  for (size_t c = 0; c < w[1].main.width(); ++c) w[1].main.at(12, c) = Fp::from_u32(static_cast<uint32_t>(1000 + c));
  Ext total = boundary_sum(kChallenges, m.boundary(std::vector<std::vector<Fp>>{w[0].public_values, w[1].public_values}));
  for (size_t t = 0; t < 2; ++t) {
    const InteractionTrace trace = generate_interaction_trace(m.table(t), m.analysis(t), none, w[t], kChallenges, reserved);
    EXPECT_EQ(trace.claimed_sum, clean[t]) << t;
    expect_log_up_constraints_hold(m, t, none, w[t], trace, reserved);
    total += trace.claimed_sum;
  }
  EXPECT_TRUE(total.is_zero());
  // Counted as a whole table, the copied row would unbalance the bus.
  Ext all_rows = Ext::zero();
  for (size_t t = 0; t < 2; ++t) all_rows += generate_interaction_trace(m.table(t), m.analysis(t), none, w[t], kChallenges).claimed_sum;
  EXPECT_NE(all_rows, clean[0] + clean[1]);
}

TEST(LogUpTest, CpuAluSumsBalanceWithTheBoundaryAndConstraintsHold) {
  const Machine m = machines::cpu_alu_machine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}, {AluOp::kSub, 4}};
  const std::vector<TableWitness> w = machines::cpu_alu_witness(program, 2, 3, 2);
  const Matrix<Fp> none;
  Ext total = Ext::zero();
  for (size_t t = 0; t < 2; ++t) {
    const InteractionTrace trace = generate_interaction_trace(m.table(t), m.analysis(t), none, w[t], kChallenges);
    expect_log_up_constraints_hold(m, t, none, w[t], trace);
    total += trace.claimed_sum;
  }
  const std::vector<std::vector<Fp>> publics = {w[0].public_values, w[1].public_values};
  EXPECT_FALSE(total.is_zero());  // the output bus is open until the boundary closes it
  total += boundary_sum(kChallenges, m.boundary(publics));
  EXPECT_TRUE(total.is_zero());
}

// Tables of 2^6 rows: the witness generator's full 16-row blocks, the wrap from the last row
// to the first inside the last block, and a claimed sum spread over several blocks.
TEST(LogUpTest, ConstraintsHoldAcrossSeveralBlocksOfRows) {
  const Machine m = machines::cpu_alu_machine();
  std::vector<CpuStep> program;
  for (uint32_t i = 0; i < 40; ++i) program.push_back({static_cast<AluOp>(1 + i % 3), 7 * i + 1});
  const std::vector<TableWitness> w = machines::cpu_alu_witness(program, 3, 6, 6);
  const Matrix<Fp> none;
  Ext total = Ext::zero();
  for (size_t t = 0; t < 2; ++t) {
    const InteractionTrace trace = generate_interaction_trace(m.table(t), m.analysis(t), none, w[t], kChallenges);
    ASSERT_EQ(trace.columns.rows(), size_t{64});
    expect_log_up_constraints_hold(m, t, none, w[t], trace);
    total += trace.claimed_sum;
  }
  total += boundary_sum(kChallenges, m.boundary(std::vector<std::vector<Fp>>{w[0].public_values, w[1].public_values}));
  EXPECT_TRUE(total.is_zero());
}

TEST(LogUpTest, ADroppedReceiveLeavesANonZeroSum) {
  const Machine m = machines::cpu_alu_machine();
  const std::vector<CpuStep> program = {{AluOp::kAdd, 5}, {AluOp::kMul, 3}};
  std::vector<TableWitness> w = machines::cpu_alu_witness(program, 2, 2, 2);
  w[1].main.at(0, machines::AluTable::kMultiplicity) = Fp::zero();
  const Matrix<Fp> none;
  Ext total = boundary_sum(kChallenges, m.boundary(std::vector<std::vector<Fp>>{w[0].public_values, {}}));
  for (size_t t = 0; t < 2; ++t) total += generate_interaction_trace(m.table(t), m.analysis(t), none, w[t], kChallenges).claimed_sum;
  EXPECT_FALSE(total.is_zero());
}

TEST(LogUpTest, RangeTableMultiplicitiesBalanceTheSends) {
  const Machine m = machines::range_check_machine();
  const std::vector<std::pair<uint32_t, uint32_t>> pairs = {{1, 2}, {65535, 1}, {40000, 30000}};
  const std::vector<TableWitness> w = machines::range_check_witness(3, pairs);
  const Matrix<Fp> range_values = m.table(0).preprocessed();
  const Matrix<Fp> none;
  const InteractionTrace range = generate_interaction_trace(m.table(0), m.analysis(0), range_values, w[0], kChallenges);
  const InteractionTrace add = generate_interaction_trace(m.table(1), m.analysis(1), none, w[1], kChallenges);
  expect_log_up_constraints_hold(m, 1, none, w[1], add);
  EXPECT_TRUE((range.claimed_sum + add.claimed_sum).is_zero());
}

TEST(LogUpTest, FingerprintSeparatesBusesAndPositions) {
  const std::vector<Fp> t12 = {Fp::from_u32(1), Fp::from_u32(2)};
  const std::vector<Fp> t21 = {Fp::from_u32(2), Fp::from_u32(1)};
  EXPECT_NE(fingerprint(kChallenges, 1, t12), fingerprint(kChallenges, 1, t21));
  EXPECT_NE(fingerprint(kChallenges, 1, t12), fingerprint(kChallenges, 2, t12));
}

}  // namespace
}  // namespace zkrv::stark::air
