// Unit tests of the protocol description: the round layout and opening points, the selectors,
// the verifying-key hash, the statement checks, and the proof format (round trip, and rejection
// of malformed bytes with the field and offset named).
#include "stark/protocol/protocol.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "stark/machines/cpu_alu.h"
#include "stark/machines/fibonacci.h"
#include "stark/machines/range_check.h"
#include "stark/proof/byte_io.h"
#include "stark/prover/prover.h"
#include "stark/testing/small_params.h"

namespace zkrv::stark::protocol {
namespace {

using ::testing::HasSubstr;

struct Proven {
  air::Machine machine;
  prover::ProvingKey pk;
  StarkProof proof;
  std::vector<uint8_t> bytes;
};

Proven prove_cpu_alu(const fri::FriParams& params) {
  const std::vector<machines::CpuStep> program = {{machines::AluOp::kAdd, 5}, {machines::AluOp::kMul, 3}};
  Proven p{machines::cpu_alu_machine(), {}, {}, {}};
  p.pk = prover::setup(params, p.machine);
  p.proof = prover::prove(params, p.machine, p.pk, machines::cpu_alu_witness(program, 2, 3, 4)).proof;
  p.bytes = encode_stark_proof(params, p.machine, p.pk.vk, p.proof);
  return p;
}

std::string decode_error(const fri::FriParams& params, const Proven& p, const std::vector<uint8_t>& bytes) {
  try {
    decode_stark_proof(params, p.machine, p.pk.vk, bytes);
  } catch (const proof::ProofDecodeError& e) {
    return e.what();
  }
  return "";
}

TEST(ProtocolTest, LayoutOfAMachineWithoutBusesOrFixedColumns) {
  const air::Machine machine = machines::fibonacci_machine();
  VerifyingKey vk;
  vk.constraint_digest = machine.constraint_digest();
  vk.preprocessed_log_heights = {-1};
  const std::vector<int> heights = {5};
  const RoundLayout layout = make_layout(testing::small_fri_params(), machine, vk, heights);
  EXPECT_EQ(layout.preprocessed_round, -1);
  EXPECT_EQ(layout.interaction_round, -1);
  EXPECT_EQ(layout.main_round, 0);
  EXPECT_EQ(layout.quotient_round, 1);
  ASSERT_EQ(layout.shapes.size(), 2u);
  EXPECT_EQ(layout.shapes[0], (std::vector<fri::MatrixShape>{{5, machine.analysis(0).info.main_width}}));
  EXPECT_EQ(layout.points_per_matrix[0], std::vector<size_t>{2});  // zeta and zeta * g
  EXPECT_EQ(layout.points_per_matrix[1].front(), 1u);              // quotients at zeta only

  const Ext zeta(Fp::from_u32(12345));
  const fri::OpeningPoints points = make_opening_points(layout, machine, heights, zeta);
  ASSERT_EQ(points[0][0].size(), 2u);
  EXPECT_EQ(points[0][0][0], zeta);
  EXPECT_EQ(points[0][0][1], zeta * Fp::two_adic_generator(5));
}

TEST(ProtocolTest, LayoutOfAMachineWithBusesAndFixedColumns) {
  const fri::FriParams params = testing::small_fri_params();
  const air::Machine machine = machines::range_check_machine();
  const prover::ProvingKey pk = prover::setup(params, machine);
  std::vector<int> heights;
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    heights.push_back(pk.vk.preprocessed_log_heights[t] >= 0 ? pk.vk.preprocessed_log_heights[t] : 4);
  }
  const RoundLayout layout = make_layout(params, machine, pk.vk, heights);
  EXPECT_EQ(layout.preprocessed_round, 0);
  EXPECT_EQ(layout.main_round, 1);
  EXPECT_EQ(layout.interaction_round, 2);
  EXPECT_EQ(layout.quotient_round, 3);
  ASSERT_EQ(layout.interaction_matrix.size(), machine.num_tables());
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    EXPECT_EQ(layout.interaction_matrix[t] >= 0, machine.analysis(t).has_interactions()) << t;
    EXPECT_EQ(layout.preprocessed_matrix[t] >= 0, machine.analysis(t).info.preprocessed_width > 0) << t;
  }
}

// The security calculator's batch size N (the opened functions summed over the tables) is the
// layout's: every committed matrix's columns times its opening points, with zero knowledge's
// randomized quotient chunks and masking polynomial, and without.
TEST(ProtocolTest, TheSecurityShapeOpensWhatTheLayoutOpens) {
  for (const bool zk : {false, true}) {
    fri::FriParams params = testing::small_fri_params();
    params.zk = zk;
    const air::Machine machine = machines::cpu_alu_machine();
    const prover::ProvingKey pk = prover::setup(params, machine);
    const std::vector<int> heights = {6, 7};
    const RoundLayout layout = make_layout(params, machine, pk.vk, heights);
    double opened = 0;
    for (size_t r = 0; r < layout.shapes.size(); ++r) {
      for (size_t m = 0; m < layout.shapes[r].size(); ++m) {
        opened += static_cast<double>(layout.shapes[r][m].width) * static_cast<double>(layout.points_per_matrix[r][m]);
      }
    }
    const StatementShape shape = statement_shape(params, committed_machine(params, machine), heights, 1);
    double counted = 0;
    for (const TableSecurityShape& t : shape.tables) counted += t.num_opened_functions;
    EXPECT_EQ(counted, opened) << "zk " << zk;
  }
}

TEST(ProtocolTest, SelectorsMatchTheirDefinitions) {
  const int log_n = 4;
  const Ext x(Fp::from_u32(987654));
  const SelectorValues<Ext> s = selectors_at(x, log_n, 0);
  const Ext n(Fp::from_u32(16));
  const Ext one = Ext::one();
  EXPECT_EQ(s.vanishing, x.pow(16) - one);
  EXPECT_EQ(s.trace_vanishing, s.vanishing);
  EXPECT_EQ(s.first * n * (x - one), s.vanishing);
  EXPECT_EQ(s.last * n * (x * Fp::two_adic_generator(log_n) - one), s.vanishing);
  EXPECT_EQ(s.transition, one - s.last);
}

// With rows 13..15 reserved: last is the Lagrange polynomial of row 12, and the vanishing
// polynomial that of rows 0..12 only.
TEST(ProtocolTest, SelectorsSkipTheReservedRows) {
  const int log_n = 4;
  const Fp g = Fp::two_adic_generator(log_n);
  const Ext x(Fp::from_u32(987654));
  const SelectorValues<Ext> s = selectors_at(x, log_n, 3);
  const Ext n(Fp::from_u32(16));
  const Ext one = Ext::one();
  const Ext z_h = x.pow(16) - one;
  EXPECT_EQ(s.trace_vanishing, z_h);
  EXPECT_EQ(s.first * n * (x - one), z_h);
  EXPECT_EQ(s.last * n * (x - Ext(g.pow(12))), z_h * Ext(g.pow(12)));
  EXPECT_EQ(s.transition, one - s.last);
  Ext active = one;
  for (uint64_t j = 0; j <= 12; ++j) active *= x - Ext(g.pow(j));
  EXPECT_EQ(s.vanishing, active);
}

TEST(ProtocolTest, PaddedHeightsLeaveTheReservedRows) {
  fri::FriParams params = testing::small_fri_params();
  EXPECT_EQ(reserved_rows(params), 0u);
  EXPECT_EQ(padded_log_height(params, 16), 4);
  EXPECT_EQ(padded_log_height(params, 1), kMinLogHeight);
  params.zk = true;
  params.num_queries = 20;
  EXPECT_EQ(reserved_rows(params), 48u);
  EXPECT_EQ(padded_log_height(params, 16), 6);
  EXPECT_EQ(padded_log_height(params, 17), 7);
  EXPECT_EQ(padded_log_height(params, size_t{1} << 16), 17);
  EXPECT_EQ(active_rows(params, 6), 16u);
  EXPECT_EQ(active_rows(params, 5), 0u);
}

TEST(ProtocolTest, VerifyingKeyHashCoversEveryField) {
  VerifyingKey vk;
  vk.preprocessed_log_heights = {-1, 4};
  const Digest base = vk.hash();
  EXPECT_EQ(vk.hash(), base);
  VerifyingKey other = vk;
  other.preprocessed_log_heights[1] = 5;
  EXPECT_NE(other.hash(), base);
  other = vk;
  other.constraint_digest[0] ^= 1;
  EXPECT_NE(other.hash(), base);
  other = vk;
  other.preprocessed_cap.push_back(Digest{});
  EXPECT_NE(other.hash(), base);
}

TEST(ProtocolTest, ProofRoundTripsThroughTheFormat) {
  const fri::FriParams params = testing::small_fri_params();
  const Proven p = prove_cpu_alu(params);
  EXPECT_EQ(decode_stark_proof(params, p.machine, p.pk.vk, p.bytes), p.proof);
  EXPECT_EQ(encode_stark_proof(params, p.machine, p.pk.vk, decode_stark_proof(params, p.machine, p.pk.vk, p.bytes)),
            p.bytes);
}

TEST(ProtocolTest, DecodingNamesTheBadFieldAndOffset) {
  const fri::FriParams params = testing::small_fri_params();
  const Proven p = prove_cpu_alu(params);
  std::vector<uint8_t> bad = p.bytes;
  bad[0] = 'X';
  EXPECT_THAT(decode_error(params, p, bad), HasSubstr("magic at byte offset 0"));
  bad = p.bytes;
  bad[7] = 99;
  EXPECT_THAT(decode_error(params, p, bad), HasSubstr("format version at byte offset 7"));
  bad = p.bytes;
  bad[8] ^= 1;
  EXPECT_THAT(decode_error(params, p, bad), HasSubstr("parameters hash at byte offset 8"));
  bad = p.bytes;
  bad[40] ^= 1;
  EXPECT_THAT(decode_error(params, p, bad), HasSubstr("verifying key hash at byte offset 40"));
  bad = p.bytes;
  bad[72] = 7;
  EXPECT_THAT(decode_error(params, p, bad), HasSubstr("table count at byte offset 72"));
  bad = p.bytes;
  bad[73] = 60;
  EXPECT_THAT(decode_error(params, p, bad), HasSubstr("byte offset 73"));
  bad = p.bytes;
  bad.push_back(0);
  EXPECT_THAT(decode_error(params, p, bad), HasSubstr("end of proof"));
  bad = p.bytes;
  bad.pop_back();
  EXPECT_NE(decode_error(params, p, bad), "");
}

TEST(ProtocolTest, DecodingRejectsOtherParameters) {
  const fri::FriParams params = testing::small_fri_params();
  const Proven p = prove_cpu_alu(params);
  fri::FriParams other = params;
  other.num_queries += 1;
  EXPECT_THAT(decode_error(other, p, p.bytes), HasSubstr("parameters hash"));
}

TEST(ProtocolTest, CheckStatementRejectsMismatchedShapes) {
  const fri::FriParams params = testing::small_fri_params();
  const Proven p = prove_cpu_alu(params);
  StarkProof proof = p.proof;
  proof.claimed_sums.push_back(Ext::one());
  EXPECT_THROW(check_statement(params, p.machine, p.pk.vk, proof), air::AirError);
  proof = p.proof;
  proof.public_values[0].push_back(Fp::one());
  EXPECT_THROW(check_statement(params, p.machine, p.pk.vk, proof), air::AirError);
  EXPECT_THROW(encode_stark_proof(params, p.machine, p.pk.vk, proof), air::AirError);
  VerifyingKey vk = p.pk.vk;
  vk.preprocessed_log_heights.push_back(-1);
  EXPECT_THROW(check_statement(params, p.machine, vk, p.proof), air::AirError);
}

}  // namespace
}  // namespace zkrv::stark::protocol
