// Pass 2 (the traced run) must agree with pass 1 and record each step exactly.
#include <gtest/gtest.h>

#include <cstring>

#include "isa/encode.h"
#include "vm/testing/program.h"
#include "vm/trace.h"
#include "vm/vm.h"

namespace zkrv::vm {
namespace {

using isa::Op;
using testing::TestProgram;
namespace enc = isa::encode;

TestProgram sample_program() {
  TestProgram p;
  p.data() = {0x11, 0x22, 0x33, 0x44};
  p.li(5, TestProgram::kData);                          // steps 0, 1
  p.emit(enc::load(Op::LW, 6, 5, 0));                   // 2: load 0x44332211
  p.emit(enc::op_imm(Op::ADDI, 6, 6, 1));               // 3
  p.emit(enc::store(Op::SH, 6, 5, 2));                  // 4: 0x4433 -> 0x2212
  p.emit(enc::rin(7, 0, 4));                            // 5: public input word 1
  p.emit(enc::wou(7, 0, 4));                            // 6
  p.emit(enc::op_imm(Op::ADDI, 0, 7, 1));               // 7: write to x0 is discarded
  p.emit16(0x4505);                                     // 8: c.li a0, 1
  p.exit_with(10);
  return p;
}

TEST(Trace, RecordsEveryStep) {
  const TestProgram p = sample_program();
  const elf::ElfImage image = p.image();
  VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  Vm vm(image, config);
  Trace trace;
  Inputs inputs;
  inputs.public_input = {0xaa, 0xbb, 0xcc, 0xdd};
  const RunResult r = vm.run_traced(inputs, &trace);
  ASSERT_EQ(r.reason, StopReason::kExit);
  ASSERT_EQ(trace.steps.size(), r.instructions);
  const auto& s = trace.steps;
  EXPECT_EQ(s[0].pc, TestProgram::kCode);
  EXPECT_EQ(s[2].insn, enc::load(Op::LW, 6, 5, 0));
  EXPECT_EQ(s[2].rs1_value, TestProgram::kData);
  EXPECT_EQ(s[2].mem_addr, TestProgram::kData);
  EXPECT_EQ(s[2].mem_before, 0x44332211u);
  EXPECT_EQ(s[2].rd_value, 0x44332211u);
  EXPECT_EQ(s[3].rd_value, 0x44332212u);
  EXPECT_EQ(s[4].mem_addr, TestProgram::kData + 2);
  EXPECT_EQ(s[4].mem_before, 0x4433u);
  EXPECT_EQ(s[4].mem_after, 0x2212u);
  EXPECT_EQ(s[5].mem_addr, 4u);
  EXPECT_EQ(s[5].rd_value, 0xddccbbaau);
  EXPECT_EQ(s[6].mem_before, 0u);
  EXPECT_EQ(s[6].mem_after, 0xddccbbaau);
  EXPECT_EQ(s[7].rd_value, 0u);
  EXPECT_EQ(s[8].insn, 0x4505u);
  EXPECT_EQ(s[8].pc, s[7].pc + 4);
  EXPECT_EQ(s[9].pc, s[8].pc + 2);
  EXPECT_EQ(s.back().insn, enc::ecall());
}

TEST(Trace, BothPassesAgree) {
  const TestProgram p = sample_program();
  Inputs inputs;
  inputs.public_input = {1, 2, 3, 4, 5};
  const auto fast = p.run(inputs);
  const elf::ElfImage image = p.image();
  VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  Vm vm(image, config);
  Trace trace;
  const RunResult traced = vm.run_traced(inputs, &trace);
  EXPECT_EQ(traced.exit_code, fast.result.exit_code);
  EXPECT_EQ(traced.public_output, fast.result.public_output);
  EXPECT_EQ(traced.instructions, fast.result.instructions);
  EXPECT_EQ(vm.memory_digest(), fast.digest);
}

TEST(Trace, WindowKeepsOnlyTheRequestedSteps) {
  const TestProgram p = sample_program();
  const elf::ElfImage image = p.image();
  VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  Vm vm(image, config);
  Trace trace;
  trace.from = 2;
  trace.count = 3;
  const RunResult r = vm.run_traced({}, &trace);
  EXPECT_GT(r.instructions, 5u);
  ASSERT_EQ(trace.steps.size(), 3u);
  EXPECT_EQ(trace.steps[0].insn, enc::load(Op::LW, 6, 5, 0));
}

TEST(Trace, SegmentsDeliverEveryStepOnce) {
  const TestProgram p = sample_program();
  const elf::ElfImage image = p.image();
  VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  Trace whole;
  Vm(image, config).run_traced({}, &whole);
  Trace segmented;
  segmented.segment_steps = 4;
  std::vector<TraceStep> seen;
  std::vector<uint64_t> firsts;
  segmented.on_segment = [&](const Trace& t) {
    firsts.push_back(t.first_step);
    seen.insert(seen.end(), t.steps.begin(), t.steps.end());
  };
  const RunResult r = Vm(image, config).run_traced({}, &segmented);
  ASSERT_EQ(seen.size(), r.instructions);
  EXPECT_EQ(firsts, (std::vector<uint64_t>{0, 4, 8, 12}));
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(std::memcmp(&seen[i], &whole.steps[i], sizeof(TraceStep)), 0) << "step " << i;
  }
}

TEST(Trace, FaultingInstructionIsNotRecorded) {
  TestProgram p;
  p.emit(enc::op_imm(Op::ADDI, 5, 0, 1)).emit(enc::load(Op::LW, 6, 0, 0)).exit(0);
  const elf::ElfImage image = p.image();
  Vm vm(image, {});
  Trace trace;
  const RunResult r = vm.run_traced({}, &trace);
  EXPECT_EQ(r.reason, StopReason::kFault);
  EXPECT_EQ(r.instructions, 1u);
  EXPECT_EQ(trace.steps.size(), 1u);
}

int touch_memory(zkrv_precompile_call* call) {
  uint32_t word;
  if (call->memory->read(call->memory->context, call->rs1, &word, 4)) return ZKRV_PRECOMPILE_BAD_MEMORY;
  word = ~word;
  if (call->memory->write(call->memory->context, call->rs1, &word, 4)) return ZKRV_PRECOMPILE_BAD_MEMORY;
  call->rd = word;
  return ZKRV_PRECOMPILE_OK;
}

TEST(Trace, PrecompileCallsRecordTheirMemoryAccesses) {
  TestProgram p;
  p.data() = {1, 0, 0, 0};
  p.declare_precompile(3, "test.invert", "*");
  p.li(11, TestProgram::kData).emit(enc::precompile(3, 10, 11, 0)).exit(0);
  const elf::ElfImage image = p.image();
  VmConfig config;
  config.precompile_resolver = [](const PrecompileDescriptor&) {
    return PrecompileImplementation{"test.invert", "1.0.0", {}, &touch_memory, nullptr};
  };
  Vm vm(image, config);
  Trace trace;
  const RunResult r = vm.run_traced({}, &trace);
  ASSERT_EQ(r.reason, StopReason::kExit);
  EXPECT_EQ(trace.steps[2].rd_value, 0xfffffffeu);
  ASSERT_EQ(trace.precompile_accesses.size(), 2u);
  EXPECT_EQ(trace.precompile_accesses[0].step, 2u);
  EXPECT_FALSE(trace.precompile_accesses[0].write);
  EXPECT_TRUE(trace.precompile_accesses[1].write);
  const auto& bytes = trace.precompile_bytes;
  const size_t w = trace.precompile_accesses[1].data_offset;
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin() + w, bytes.begin() + w + 8),
            (std::vector<uint8_t>{1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff}));
}

}  // namespace
}  // namespace zkrv::vm
