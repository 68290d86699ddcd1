// The program fuzz_checkpoint resumes checkpoints into, and its seed generator records them from:
// stores into two data pages, a misaligned load, the output tape, a cycle region around a loop,
// an LR/SC pair, then an exit.
#pragma once

#include "isa/encode.h"
#include "vm/testing/program.h"
#include "vm/vm.h"

namespace zkrv::fuzzing {

inline vm::VmConfig checkpoint_program_config() {
  vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  config.max_cycles = 1u << 20;
  return config;
}

struct CheckpointProgram {
  vm::testing::TestProgram program = build();
  elf::ElfImage image = program.image();  // points into `program`

  static vm::testing::TestProgram build() {
    using isa::Op;
    using vm::testing::TestProgram;
    namespace enc = isa::encode;
    TestProgram p;
    p.rodata() = {'l', 'o', 'o', 'p'};
    p.data() = {1, 2, 3, 4};
    p.li(5, TestProgram::kData).li(6, 0x1234);
    p.emit(enc::store(Op::SW, 6, 5, 0));
    p.li(7, TestProgram::kData + 0x3800);
    p.emit(enc::store(Op::SW, 6, 7, 8));
    p.emit(enc::load(Op::LW, 12, 5, 2));
    p.li(8, 4).emit(enc::wou(8, 0, 0)).emit(enc::wou(6, 0, 4));
    p.li(10, TestProgram::kRodata).li(11, 4).ecall(0x5A4B0001);
    p.li(9, 20);
    p.emit(enc::op_imm(Op::ADDI, 9, 9, -1));
    p.emit(enc::branch(Op::BNE, 9, 0, -4));
    p.li(10, TestProgram::kRodata).li(11, 4).ecall(0x5A4B0002);
    p.emit(enc::amo(Op::LR_W, 13, 5, 0));
    p.emit(enc::op_imm(Op::ADDI, 14, 14, 1));
    p.emit(enc::amo(Op::SC_W, 10, 5, 6));
    p.exit_with(10);
    return p;
  }
};

}  // namespace zkrv::fuzzing
