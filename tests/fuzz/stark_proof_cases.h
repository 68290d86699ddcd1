// The statements fuzz_stark_proof verifies against and its seed generator proves: the toy
// machines of stark/machines under tiny FRI parameters without grinding (so that mutated proofs
// reach the checks behind the proof of work). An input's first byte picks the case.
#pragma once

#include <vector>

#include "stark/prover/prover.h"
#include "stark/testing/toy_cases.h"

namespace zkrv::fuzz {

inline stark::fri::FriParams stark_fuzz_params() {
  return stark::testing::tiny_fri_params(/*num_queries=*/4, /*query_pow_bits=*/0);
}

struct StarkFuzzCase {
  stark::testing::ToyCase toy;
  stark::prover::ProvingKey pk;
};

inline std::vector<StarkFuzzCase> stark_fuzz_cases() {
  std::vector<stark::testing::ToyCase> toys;
  // Witnesses sized for the fuzz parameters' reserved rows, not the toy tests' (fewer queries).
  toys.push_back(stark::testing::fibonacci_case(6, stark_fuzz_params()));
  toys.push_back(stark::testing::cpu_alu_case(stark_fuzz_params()));
  toys.push_back(stark::testing::range_check_case(stark_fuzz_params()));
  std::vector<StarkFuzzCase> cases;
  for (stark::testing::ToyCase& toy : toys) {
    stark::prover::ProvingKey pk = stark::prover::setup(stark_fuzz_params(), toy.machine);
    cases.push_back({std::move(toy), std::move(pk)});
  }
  return cases;
}

}  // namespace zkrv::fuzz
