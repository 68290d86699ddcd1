// The toy machines of stark/machines with the witnesses the end-to-end tests prove, and the FRI
// parameters those tests use. Shared by the machines, prover and protocol tests.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "stark/air/machine.h"
#include "stark/air/witness.h"
#include "stark/machines/cpu_alu.h"
#include "stark/machines/fibonacci.h"
#include "stark/machines/range_check.h"
#include "stark/protocol/protocol.h"
#include "stark/testing/small_params.h"

namespace zkrv::stark::testing {

// small_fri_params() with 20 queries, cap height 2 and zero knowledge on: the toy machines' proofs.
inline fri::FriParams toy_fri_params() {
  fri::FriParams params = small_fri_params();
  params.num_queries = 20;
  params.cap_height = 2;
  params.zk = true;
  return params;
}

// A machine and a witness for it.
struct ToyCase {
  air::Machine machine;
  std::vector<air::TableWitness> witnesses;
};

// The rows toy_fri_params() reserves at the end of every table (48: 2 * 20 queries + 8), which
// the witnesses below leave to the prover.
inline size_t toy_reserved_rows() { return protocol::reserved_rows(toy_fri_params()); }

// 2^log_rows rows, of which all but the reserved ones run the sequence.
inline ToyCase fibonacci_case(int log_rows = 6, const fri::FriParams& params = toy_fri_params()) {
  return {machines::fibonacci_machine(),
          {machines::fibonacci_witness(log_rows, air::Fp::zero(), air::Fp::one(), protocol::reserved_rows(params))}};
}

// Five steps from input 2 over the ALU bus; CPU and ALU tables of 16 and 80 active rows, sized
// for `params`' reserved rows (2^6 and 2^7 rows under toy_fri_params()).
inline ToyCase cpu_alu_case(const fri::FriParams& params = toy_fri_params()) {
  using machines::AluOp;
  const std::vector<machines::CpuStep> program = {
      {AluOp::kAdd, 5}, {AluOp::kMul, 3}, {AluOp::kSub, 4}, {AluOp::kMul, 7}, {AluOp::kAdd, 100}};
  return {machines::cpu_alu_machine(),
          machines::cpu_alu_witness(program, 2, protocol::padded_log_height(params, 16),
                                    protocol::padded_log_height(params, 80), protocol::reserved_rows(params))};
}

inline ToyCase range_check_case(const fri::FriParams& params = toy_fri_params()) {
  const std::vector<std::pair<uint32_t, uint32_t>> pairs = {{1, 2}, {65535, 1}, {40000, 30000}, {0, 0}, {123, 456}};
  return {machines::range_check_machine(), machines::range_check_witness(6, pairs, protocol::reserved_rows(params))};
}

}  // namespace zkrv::stark::testing
