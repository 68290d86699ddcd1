// The interpreter's dispatch table against ZKRV_ISA_OPS: for every op and both of its forms, the
// handler the table picks must be the one stamped for that op's name and length. (A table written
// by position would fail this as soon as the list were reordered.)
#include <gtest/gtest.h>

#include "isa/isa.h"
#include "vm/machine.h"
#include "vm/testing/program.h"

namespace zkrv::vm {
namespace {

TEST(VmDispatch, TablePicksTheHandlerOfEachOpByName) {
  testing::TestProgram program;
  program.exit(0);
  const elf::ElfImage image = program.image();
  Machine machine(image, VmConfig{});
  for (unsigned i = 0; i < static_cast<unsigned>(isa::Op::kCount); ++i) {
    const auto op = static_cast<isa::Op>(i);
    for (const uint32_t length : {4u, 2u}) {
      const Machine::HandlerId handler = machine.dispatch_probe(op, length);
      EXPECT_EQ(isa::mnemonic(handler.op), isa::mnemonic(op)) << "the handler run for the " << length << "-byte form";
      EXPECT_EQ(handler.length, length) << "the length of the handler run for " << isa::mnemonic(op);
    }
  }
}

TEST(VmDispatch, ProbingLeavesTheProgramRunnable) {
  testing::TestProgram program;
  program.li(10, 7).exit_with(10);
  const elf::ElfImage image = program.image();
  Machine machine(image, VmConfig{});
  machine.dispatch_probe(isa::Op::ECALL, 4);
  const RunResult result = machine.run(Inputs{});
  EXPECT_EQ(result.reason, StopReason::kExit);
  EXPECT_EQ(result.exit_code, 7);
}

}  // namespace
}  // namespace zkrv::vm
