// The program fuzz_run_proof verifies run proofs against, and its seed generator proves in
// segments: a store/load loop over zero-initialised memory and an image word changed, then an
// exit with the result (about 50 steps: two segments of 32, few so that each input verifies fast
// under the sanitizers).
#pragma once

#include "isa/encode.h"
#include "vm/testing/program.h"

namespace zkrv::fuzzing {

inline constexpr uint64_t kRunProofSegmentSteps = 32;

struct RunProofProgram {
  vm::testing::TestProgram program = build();
  elf::ElfImage image = program.image();  // points into `program`

  static vm::testing::TestProgram build() {
    using isa::Op;
    using vm::testing::TestProgram;
    namespace enc = isa::encode;
    TestProgram p;
    p.data() = {0x07, 0x00, 0x00, 0x00};
    p.store_load_sum_loop(TestProgram::kData + 0x100, 6);  // x7 = 21
    p.li(12, TestProgram::kData);
    p.emit(enc::load(Op::LW, 13, 12, 0));    // 7 from the image
    p.emit(enc::op_reg(Op::SUB, 7, 7, 13));  // 14
    p.emit(enc::store(Op::SW, 7, 12, 0));
    return p.exit_with(7);
  }
};

}  // namespace zkrv::fuzzing
