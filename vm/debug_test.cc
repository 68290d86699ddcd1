// DebugSession: a run stepped one instruction at a time must be the run that run() and run_traced()
// make (the same pcs step by step, result and memory), and report each step's memory accesses.
#include <gtest/gtest.h>

#include <vector>

#include "isa/encode.h"
#include "vm/testing/program.h"
#include "vm/trace.h"
#include "vm/vm.h"

namespace zkrv::vm {
namespace {

using isa::Op;
using testing::TestProgram;
namespace enc = isa::encode;

VmConfig quiet_config() {
  VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  return config;
}

// A loop of loads, stores, a tape read and a compressed instruction, then exit(x6).
TestProgram loop_program() {
  TestProgram p;
  p.data() = {0x11, 0x22, 0x33, 0x44};
  p.li(5, TestProgram::kData);
  p.li(8, 3);                                   // iterations
  const uint32_t loop = p.pc();
  p.emit(enc::load(Op::LW, 6, 5, 0));
  p.emit(enc::op_imm(Op::ADDI, 6, 6, 1));
  p.emit(enc::store(Op::SH, 6, 5, 2));
  p.emit(enc::rin(7, 0, 4));
  p.emit16(0x4505);                             // c.li a0, 1
  p.emit(enc::op_imm(Op::ADDI, 8, 8, -1));
  p.emit(enc::branch(Op::BNE, 8, 0, static_cast<int32_t>(loop - p.pc())));
  p.exit_with(6);
  return p;
}

TEST(DebugSession, SteppingIsPassTwo) {
  const TestProgram p = loop_program();
  const elf::ElfImage image = p.image();
  Inputs inputs;
  inputs.public_input = {1, 2, 3, 4};

  Vm traced_vm(image, quiet_config());
  Trace trace;
  const RunResult traced = traced_vm.run_traced(inputs, &trace);
  ASSERT_EQ(traced.reason, StopReason::kExit);

  Vm vm(image, quiet_config());
  auto session = vm.debug(inputs);
  std::vector<uint32_t> pcs;
  do {
    pcs.push_back(session->pc());
  } while (session->step());
  ASSERT_TRUE(session->halted());
  EXPECT_FALSE(session->step());
  const RunResult& stepped = session->result();
  ASSERT_EQ(pcs.size(), trace.steps.size());
  for (size_t i = 0; i < pcs.size(); ++i) EXPECT_EQ(pcs[i], trace.steps[i].pc) << "step " << i;
  EXPECT_EQ(stepped.reason, traced.reason);
  EXPECT_EQ(stepped.exit_code, traced.exit_code);
  EXPECT_EQ(stepped.instructions, traced.instructions);
  EXPECT_EQ(stepped.registers, traced.registers);
  EXPECT_EQ(stepped.pc, traced.pc);
  EXPECT_EQ(stepped.public_output, traced.public_output);
  EXPECT_EQ(vm.memory_digest(), traced_vm.memory_digest());
}

TEST(DebugSession, ResumeRunsToTheEnd) {
  const TestProgram p = loop_program();
  const auto fast = p.run();
  const elf::ElfImage image = p.image();
  Vm vm(image, quiet_config());
  auto session = vm.debug({});
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(session->step());
  session->resume();
  ASSERT_TRUE(session->halted());
  EXPECT_EQ(session->result().exit_code, fast.result.exit_code);
  EXPECT_EQ(session->result().instructions, fast.result.instructions);
  EXPECT_EQ(vm.memory_digest(), fast.digest);
}

TEST(DebugSession, ReportsAccesses) {
  const TestProgram p = loop_program();
  const elf::ElfImage image = p.image();
  Vm vm(image, quiet_config());
  auto session = vm.debug({});
  std::vector<std::vector<DebugAccess>> seen;
  while (session->step()) seen.push_back(session->accesses());
  // li, li (two each), then lw, addi, sh, rin.
  ASSERT_GT(seen.size(), 7u);
  for (size_t i = 0; i < 4; ++i) EXPECT_TRUE(seen[i].empty());
  ASSERT_EQ(seen[4].size(), 1u);
  EXPECT_EQ(seen[4][0].addr, TestProgram::kData);
  EXPECT_EQ(seen[4][0].size, 4u);
  EXPECT_TRUE(seen[4][0].read);
  EXPECT_FALSE(seen[4][0].write);
  EXPECT_TRUE(seen[5].empty());
  ASSERT_EQ(seen[6].size(), 1u);
  EXPECT_EQ(seen[6][0].addr, TestProgram::kData + 2);
  EXPECT_EQ(seen[6][0].size, 2u);
  EXPECT_TRUE(seen[6][0].write);
  EXPECT_FALSE(seen[6][0].read);
  EXPECT_TRUE(seen[7].empty()) << "a tape read touches no guest memory";
}

TEST(DebugSession, FaultsLikeRun) {
  TestProgram p;
  p.li(5, 0x40);
  p.emit(enc::load(Op::LW, 6, 5, 0));  // unmapped
  p.exit(0);
  const auto fast = p.run();
  ASSERT_EQ(fast.result.reason, StopReason::kFault);
  const elf::ElfImage image = p.image();
  Vm vm(image, quiet_config());
  auto session = vm.debug({});
  while (session->step()) {
  }
  EXPECT_EQ(session->result().reason, StopReason::kFault);
  EXPECT_EQ(session->result().fault.kind, fast.result.fault.kind);
  EXPECT_EQ(session->result().fault.pc, fast.result.fault.pc);
  EXPECT_EQ(session->result().instructions, fast.result.instructions);
  EXPECT_TRUE(session->accesses().empty());
}

TEST(DebugSession, StopsAtTheCycleLimit) {
  const TestProgram p = loop_program();
  VmConfig config = quiet_config();
  config.max_cycles = 5;
  const auto fast = p.run({}, config);
  ASSERT_EQ(fast.result.fault.kind, FaultKind::kCycleLimit);
  const elf::ElfImage image = p.image();
  Vm vm(image, config);
  auto session = vm.debug({});
  int steps = 0;
  while (session->step()) ++steps;
  EXPECT_EQ(steps, 4);  // the fifth step retires and then the limit stops the run
  EXPECT_EQ(session->result().fault.kind, FaultKind::kCycleLimit);
  EXPECT_EQ(session->result().instructions, 5u);
}

TEST(DebugSession, WritingCodeReplacesADecodedInstruction) {
  TestProgram p;
  p.li(8, 2);
  const uint32_t loop = p.pc();
  p.emit(enc::op_imm(Op::ADDI, 6, 6, 1));
  p.emit(enc::op_imm(Op::ADDI, 8, 8, -1));
  p.emit(enc::branch(Op::BNE, 8, 0, static_cast<int32_t>(loop - p.pc())));
  p.exit_with(6);
  const elf::ElfImage image = p.image();
  Vm vm(image, quiet_config());
  auto session = vm.debug({});
  while (session->pc() != loop + 4) ASSERT_TRUE(session->step());  // loop's first insn decoded and run
  const uint32_t patched = enc::op_imm(Op::ADDI, 6, 6, 10);
  const uint8_t bytes[4] = {static_cast<uint8_t>(patched), static_cast<uint8_t>(patched >> 8),
                            static_cast<uint8_t>(patched >> 16), static_cast<uint8_t>(patched >> 24)};
  ASSERT_TRUE(session->write_memory(loop, bytes));
  while (session->step()) {
  }
  EXPECT_EQ(session->result().exit_code, 11);
}

TEST(DebugSession, RegistersAndMemory) {
  const TestProgram p = loop_program();
  const elf::ElfImage image = p.image();
  Vm vm(image, quiet_config());
  auto session = vm.debug({});
  EXPECT_EQ(session->pc(), TestProgram::kCode);
  EXPECT_FALSE(session->set_pc(TestProgram::kCode + 1));
  session->set_reg(0, 5);
  EXPECT_EQ(session->reg(0), 0u);
  session->set_reg(9, 77);
  EXPECT_EQ(session->reg(9), 77u);
  uint8_t word[4] = {};
  EXPECT_TRUE(session->read_memory(TestProgram::kData, word));
  EXPECT_EQ(word[0], 0x11);
  EXPECT_FALSE(session->read_memory(0x40, word));
  EXPECT_FALSE(session->read_memory(0xfffffffe, word));
  EXPECT_TRUE(session->read_memory(TestProgram::kCode, word)) << "code is readable to a debugger";
  EXPECT_FALSE(session->write_memory(0x40, word));
}

}  // namespace
}  // namespace zkrv::vm
