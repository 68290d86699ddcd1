// Checkpoints and resumed segments (vm/checkpoint.h): every segment resumed from pass 1's
// checkpoint is the same window of the straight traced run, whatever the interval, including cuts
// between an LR and its SC, inside a cycle region, right before the exit, and between a store and
// the load that reads it back on a later segment.
#include <gtest/gtest.h>

#include <gmock/gmock.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "isa/encode.h"
#include "vm/checkpoint.h"
#include "vm/precompiles.h"
#include "vm/testing/program.h"
#include "vm/testing/segments.h"
#include "vm/vm.h"

namespace zkrv::vm {
namespace {

using isa::Op;
using testing::TestProgram;
using ::testing::HasSubstr;
namespace enc = isa::encode;

constexpr uint32_t kA0 = 10, kA1 = 11;

VmConfig quiet() {
  VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  return config;
}

// Stores to two pages (one the image initialised, one it left zero), loads a misaligned word,
// writes the output, loops a
// while (a cycle region around the loop), then reads the stored words back into the exit code.
TestProgram sample_program() {
  TestProgram p;
  p.rodata() = {'l', 'o', 'o', 'p'};
  p.data() = {1, 2, 3, 4};
  p.li(5, TestProgram::kData).li(6, 0x1234);
  p.emit(enc::store(Op::SW, 6, 5, 0));                  // page 0 of data: initialised by the image
  p.li(7, TestProgram::kData + 0x3800);
  p.emit(enc::store(Op::SW, 6, 7, 8));                  // page 3, past its first bytes: zero in the image
  p.emit(enc::load(Op::LW, 12, 5, 2));                  // a misaligned load (counted)
  p.li(8, 4).emit(enc::wou(8, 0, 0)).emit(enc::wou(6, 0, 4));  // output: 4 bytes
  p.li(kA0, TestProgram::kRodata).li(kA1, 4).ecall(0x5A4B0001);
  p.li(9, 20);
  p.emit(enc::op_imm(Op::ADDI, 9, 9, -1));              // the loop: 20 rounds of 2 steps
  p.emit(enc::branch(Op::BNE, 9, 0, -4));
  p.li(kA0, TestProgram::kRodata).li(kA1, 4).ecall(0x5A4B0002);
  p.emit(enc::load(Op::LW, 10, 5, 0));
  p.emit(enc::load(Op::LW, 11, 7, 8));
  p.emit(enc::op_reg(Op::SUB, 10, 10, 11));             // 0 when both reads saw 0x1234
  p.emit16(0x0505);                                     // c.addi a0, 1
  p.exit_with(10);
  return p;
}

void expect_segments_agree(const TestProgram& p, uint64_t every, const Inputs& inputs = {}) {
  const elf::ElfImage image = p.image();
  const testing::SegmentCheck check = testing::check_segments(image, quiet(), inputs, every);
  EXPECT_EQ(check.mismatch, "") << "every " << every;
  EXPECT_FALSE(check.checkpoints.empty());
}

TEST(Checkpoints, EverySegmentIsTheStraightRunsWindow) {
  const TestProgram p = sample_program();
  const uint64_t steps = p.run().result.instructions;
  ASSERT_GT(steps, 60u);
  // 1, odd, a power of two, the whole run less one (a cut right before the exit), the whole run,
  // and more than the run.
  for (const uint64_t every : {uint64_t{1}, uint64_t{7}, uint64_t{16}, steps - 1, steps, steps + 100}) {
    expect_segments_agree(p, every);
  }
}

TEST(Checkpoints, CountOnePerIntervalStarted) {
  const TestProgram p = sample_program();
  const uint64_t steps = p.run().result.instructions;
  const elf::ElfImage image = p.image();
  for (const uint64_t every : {uint64_t{1}, uint64_t{7}, steps, steps + 1}) {
    uint64_t count = 0;
    const RunResult r = Vm(image, quiet()).run({}, every, [&](const Checkpoint& c) {
      EXPECT_EQ(c.step, count * every);
      ++count;
    });
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(count, (steps + every - 1) / every) << "every " << every;
  }
}

TEST(Checkpoints, HoldThePagesWrittenBeforeTheCut) {
  const TestProgram p = sample_program();
  const elf::ElfImage image = p.image();
  std::vector<Checkpoint> checkpoints;
  Vm(image, quiet()).run({}, 12, [&](Checkpoint c) { checkpoints.push_back(std::move(c)); });
  ASSERT_GE(checkpoints.size(), 3u);
  EXPECT_TRUE(checkpoints[0].pages.empty());  // the initial image: nothing differs yet
  const Checkpoint& later = checkpoints.back();
  ASSERT_EQ(later.pages.size(), 2u);
  EXPECT_EQ(later.pages[0].number, TestProgram::kData >> 12);
  EXPECT_EQ(later.pages[1].number, (TestProgram::kData + 0x3000) >> 12);
  uint32_t word = 0;
  std::memcpy(&word, later.pages[1].bytes->data() + 0x808, 4);
  EXPECT_EQ(word, 0x1234u);
  // Unchanged pages are shared between checkpoints, not copied again.
  EXPECT_EQ(checkpoints[checkpoints.size() - 2].pages[1].bytes, later.pages[1].bytes);
  EXPECT_EQ(later.output_tape.size(), 8u);
  EXPECT_GT(later.size_bytes(), 2u * 4096u);
}

TEST(Checkpoints, AResumedRunReadsWhatEarlierSegmentsWrote) {
  const TestProgram p = sample_program();
  const elf::ElfImage image = p.image();
  std::vector<Checkpoint> checkpoints;
  const RunResult straight = Vm(image, quiet()).run({}, 30, [&](Checkpoint c) { checkpoints.push_back(std::move(c)); });
  ASSERT_EQ(straight.exit_code, 1);
  Checkpoint last = checkpoints.back();
  const std::optional<RunResult> end = Vm(image, quiet()).run_segment(last, {}, 1000, nullptr);
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->exit_code, 1);
  EXPECT_EQ(end->public_output, (std::vector<uint8_t>{0x34, 0x12, 0, 0}));
  // Without the written page the load after the cut reads the image's zero: the exit code shows it.
  last.pages.pop_back();
  EXPECT_NE(Vm(image, quiet()).run_segment(last, {}, 1000, nullptr)->exit_code, 1);
}

TEST(Checkpoints, ACutInsideACycleRegionKeepsItOpen) {
  const TestProgram p = sample_program();
  const elf::ElfImage image = p.image();
  const RunResult straight = p.run().result;
  ASSERT_EQ(straight.regions.size(), 1u);
  std::vector<Checkpoint> checkpoints;
  Vm(image, quiet()).run({}, 40, [&](Checkpoint c) { checkpoints.push_back(std::move(c)); });
  ASSERT_GE(checkpoints.size(), 2u);
  ASSERT_EQ(checkpoints[1].open_regions.size(), 1u);  // step 40 is inside the loop's region
  EXPECT_EQ(checkpoints[1].regions[0].name, "loop");
  const std::optional<RunResult> end = Vm(image, quiet()).run_segment(checkpoints[1], {}, 1000, nullptr);
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->regions, straight.regions);
}

// lr.w, then `gap` steps, then sc.w at the same address; exits with sc's result (0: stored).
TestProgram lr_sc_program(int gap) {
  TestProgram p;
  p.li(5, TestProgram::kData);
  p.emit(enc::amo(Op::LR_W, 6, 5, 0));
  for (int i = 0; i < gap; ++i) p.emit(enc::op_imm(Op::ADDI, 7, 7, 1));
  p.li(8, 99);
  p.emit(enc::amo(Op::SC_W, 10, 5, 8));
  p.exit_with(10);
  return p;
}

TEST(Checkpoints, ACutBetweenLrAndScKeepsTheReservation) {
  const TestProgram p = lr_sc_program(4);
  ASSERT_EQ(p.run().result.exit_code, 0);  // the SC succeeds in the straight run
  const elf::ElfImage image = p.image();
  std::vector<Checkpoint> checkpoints;
  Vm(image, quiet()).run({}, 5, [&](Checkpoint c) { checkpoints.push_back(std::move(c)); });
  ASSERT_GE(checkpoints.size(), 2u);
  Checkpoint cut = checkpoints[1];  // step 5: after the LR (step 2), before the SC
  EXPECT_TRUE(cut.reservation_valid);
  EXPECT_EQ(cut.reservation, TestProgram::kData);
  EXPECT_EQ(Vm(image, quiet()).run_segment(cut, {}, 100, nullptr)->exit_code, 0);
  for (const uint64_t every : {uint64_t{1}, uint64_t{3}, uint64_t{4}, uint64_t{5}}) expect_segments_agree(p, every);
  // The reservation lost at the cut: the SC fails (exit code 1), so the reservation is what decides.
  cut.reservation_valid = false;
  EXPECT_EQ(Vm(image, quiet()).run_segment(cut, {}, 100, nullptr)->exit_code, 1);
}

TEST(Checkpoints, AFaultingRunEndsInItsLastSegment) {
  TestProgram p;
  p.li(5, 0x40);  // unmapped
  p.emit(enc::op_imm(Op::ADDI, 6, 0, 1));
  p.emit(enc::load(Op::LW, 6, 5, 0));
  p.exit(0);
  for (const uint64_t every : {uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{100}}) expect_segments_agree(p, every);
}

TEST(Checkpoints, InputsAreGivenAgainOnResume) {
  TestProgram p;
  p.emit(enc::rin(6, 0, 4));
  p.emit(enc::op_imm(Op::ADDI, 7, 0, 1));
  p.emit(enc::hin(7, 0, 4));
  p.emit(enc::op_reg(Op::ADD, 10, 6, 7));
  p.exit_with(10);
  Inputs inputs;
  inputs.public_input = {5, 0, 0, 0};
  inputs.private_input = {7, 0, 0, 0};
  for (const uint64_t every : {uint64_t{1}, uint64_t{2}, uint64_t{64}}) expect_segments_agree(p, every, inputs);
  EXPECT_EQ(p.run(inputs).result.exit_code, 12);
}

TEST(Checkpoints, PrecompileCallsAreCountedAcrossCuts) {
  TestProgram p;
  p.data() = {1, 0, 0, 0};
  p.declare_precompile(3, "test.invert", "*");
  p.li(11, TestProgram::kData).emit(enc::precompile(3, 10, 11, 0)).emit(enc::precompile(3, 10, 11, 0)).exit(0);
  const elf::ElfImage image = p.image();
  VmConfig config = quiet();
  config.precompile_resolver = [](const PrecompileDescriptor&) {
    return PrecompileImplementation{"test.invert", "1.0.0", {}, [](zkrv_precompile_call* call) {
      uint32_t word;
      if (call->memory->read(call->memory->context, call->rs1, &word, 4)) return ZKRV_PRECOMPILE_BAD_MEMORY;
      word = ~word;
      if (call->memory->write(call->memory->context, call->rs1, &word, 4)) return ZKRV_PRECOMPILE_BAD_MEMORY;
      call->rd = word;
      return ZKRV_PRECOMPILE_OK;
    }, nullptr};
  };
  for (const uint64_t every : {uint64_t{1}, uint64_t{3}, uint64_t{8}}) {
    const testing::SegmentCheck check = testing::check_segments(image, config, {}, every);
    EXPECT_EQ(check.mismatch, "") << "every " << every;
    ASSERT_EQ(check.straight.precompile_calls.size(), 1u);
    EXPECT_EQ(check.straight.precompile_calls[0].second, 2u);
  }
}

TEST(Checkpoints, ZeroStepsIsRefused) {
  const TestProgram p = sample_program();
  const elf::ElfImage image = p.image();
  try {
    Vm(image, quiet()).run({}, 0, [](const Checkpoint&) {});
    FAIL() << "no error";
  } catch (const LoadError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the interval must be at least 1"));
  }
}

TEST(Checkpoints, ACheckpointOfAnotherProgramIsRefused) {
  const TestProgram p = sample_program();
  const elf::ElfImage image = p.image();
  Checkpoint c;
  c.pages.push_back({TestProgram::kCode >> 12, std::make_shared<PageBytes>()});
  try {
    Vm(image, quiet()).run_segment(c, {}, 10, nullptr);
    FAIL() << "no error";
  } catch (const LoadError& e) {
    EXPECT_THAT(e.what(), HasSubstr("page 0x10 is not writable memory of this program"));
  }
  Vm used(image, quiet());
  used.run({});
  try {
    used.run_segment(Checkpoint{}, {}, 10, nullptr);
    FAIL() << "no error";
  } catch (const LoadError& e) {
    EXPECT_THAT(e.what(), HasSubstr("this Vm has already run"));
  }
  Checkpoint x0;
  x0.registers[0] = 1;
  try {
    Vm(image, quiet()).run_segment(x0, {}, 10, nullptr);
    FAIL() << "no error";
  } catch (const LoadError& e) {
    EXPECT_THAT(e.what(), HasSubstr("register x0 holds 0x1"));
  }
}

// The checkpoint file: what the process proving a segment receives.

std::vector<Checkpoint> sample_checkpoints(uint64_t every) {
  const TestProgram p = sample_program();  // the image points into it
  const elf::ElfImage image = p.image();
  std::vector<Checkpoint> checkpoints;
  Vm(image, quiet()).run({}, every, [&](Checkpoint c) { checkpoints.push_back(std::move(c)); });
  return checkpoints;
}

std::string decode_error(std::span<const uint8_t> bytes) {
  try {
    decode_checkpoint(bytes);
  } catch (const LoadError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CheckpointFiles, RoundTripAndResumeAsTheOriginal) {
  const TestProgram p = sample_program();
  const elf::ElfImage image = p.image();
  const std::vector<Checkpoint> checkpoints = sample_checkpoints(7);
  ASSERT_GE(checkpoints.size(), 6u);
  bool saw_open_region = false;
  for (const Checkpoint& c : checkpoints) {
    const std::vector<uint8_t> bytes = encode_checkpoint(c);
    EXPECT_EQ(bytes.size(), c.size_bytes());
    const Checkpoint back = decode_checkpoint(bytes);
    EXPECT_EQ(encode_checkpoint(back), bytes) << "step " << c.step;
    saw_open_region |= !back.open_regions.empty();
    // The decoded checkpoint resumes to the same end and the same next checkpoint.
    Vm original(image, quiet()), decoded(image, quiet());
    const std::optional<RunResult> a = original.run_segment(c, {}, 7, nullptr);
    const std::optional<RunResult> b = decoded.run_segment(back, {}, 7, nullptr);
    ASSERT_EQ(a.has_value(), b.has_value());
    if (a) {
      EXPECT_EQ(a->exit_code, b->exit_code);
      EXPECT_EQ(a->regions, b->regions);
    } else {
      EXPECT_EQ(encode_checkpoint(original.checkpoint()), encode_checkpoint(decoded.checkpoint()));
    }
  }
  EXPECT_TRUE(saw_open_region);
}

TEST(CheckpointFiles, EveryTruncationAndAnyTrailingByteIsRefused) {
  const Checkpoint c = sample_checkpoints(40)[1];
  ASSERT_FALSE(c.pages.empty());
  ASSERT_FALSE(c.open_regions.empty());
  const std::vector<uint8_t> bytes = encode_checkpoint(c);
  for (size_t n = 0; n < bytes.size(); ++n) {
    const std::string why = decode_error(std::span(bytes).first(n));
    ASSERT_NE(why, "no error") << n << " bytes";
    ASSERT_THAT(why, HasSubstr("checkpoint file, byte ")) << n << " bytes";
  }
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0);
  EXPECT_THAT(decode_error(longer), HasSubstr("1 bytes follow the checkpoint"));
}

// Offsets in the version-1 layout (vm/checkpoint.cc, encode_checkpoint).
constexpr size_t kVersionAt = 8, kPcAt = 20, kX0At = 24, kFlagAt = 152, kTapeLengthAt = 165;

void put32(std::vector<uint8_t>& bytes, size_t at, uint32_t v) { std::memcpy(bytes.data() + at, &v, 4); }

TEST(CheckpointFiles, WhatNoCheckpointHoldsIsRefusedNamingIt) {
  const Checkpoint c = sample_checkpoints(40)[1];
  const std::vector<uint8_t> good = encode_checkpoint(c);
  auto refused = [&](const std::function<void(std::vector<uint8_t>&)>& edit) {
    std::vector<uint8_t> bytes = good;
    edit(bytes);
    return decode_error(bytes);
  };
  EXPECT_THAT(refused([](auto& b) { b[0] = 'Z'; }), HasSubstr("not a checkpoint"));
  EXPECT_THAT(refused([](auto& b) { put32(b, kVersionAt, 2); }), HasSubstr("format version 2"));
  EXPECT_THAT(refused([](auto& b) { put32(b, kPcAt, 0x1001); }), HasSubstr("pc 0x1001 is not 2-byte aligned"));
  EXPECT_THAT(refused([](auto& b) { put32(b, kX0At, 5); }), HasSubstr("register x0 holds 0x5"));
  EXPECT_THAT(refused([](auto& b) { b[kFlagAt] = 2; }), HasSubstr("the reservation flag is 2"));
  // A length the file cannot hold is refused before it sizes anything.
  EXPECT_THAT(refused([](auto& b) { put32(b, kTapeLengthAt, 0xfffffff0); }),
              HasSubstr("the output tape's length is 4294967280, but the"));

  // Fields past the tape: edit a decoded copy and re-encode.
  auto refused_checkpoint = [](const std::function<void(Checkpoint&)>& edit) {
    Checkpoint bad = sample_checkpoints(40)[1];
    edit(bad);
    return decode_error(encode_checkpoint(bad));
  };
  EXPECT_THAT(refused_checkpoint([](Checkpoint& b) { b.output_tape.resize(6); }),
              HasSubstr("the output tape's length 6 is not whole words"));
  EXPECT_THAT(refused_checkpoint([](Checkpoint& b) { b.regions.push_back(b.regions[0]); }),
              HasSubstr("is listed twice"));
  EXPECT_THAT(refused_checkpoint([](Checkpoint& b) { b.open_regions[0].index = 7; }),
              HasSubstr("open region 7 (opened at step"));
  EXPECT_THAT(refused_checkpoint([](Checkpoint& b) { b.open_regions[0].start = b.step + 1; }),
              HasSubstr("is not a region before step"));
  EXPECT_THAT(refused_checkpoint([](Checkpoint& b) { b.regions[0].name.assign(kMaxCheckpointString + 1, 'x'); }),
              HasSubstr("a region's name is 1025, more than 1024"));
  EXPECT_THAT(refused_checkpoint([](Checkpoint& b) { b.precompile_calls.assign(kMaxPrecompiles + 1, 0); }),
              HasSubstr("the number of precompile counters is 1025, more than 1024"));
  EXPECT_THAT(refused_checkpoint([](Checkpoint& b) { std::swap(b.pages[0], b.pages[1]); }),
              HasSubstr("pages are in ascending order"));
  EXPECT_THAT(refused_checkpoint([](Checkpoint& b) { b.pages[1].number = b.pages[0].number; }),
              HasSubstr("pages are in ascending order"));
  EXPECT_THAT(refused_checkpoint([](Checkpoint& b) { b.pages[1].number = 1u << 20; }),
              HasSubstr("page 0x100000 is past the address space"));
}

// One shape check (check_checkpoint_shape) for the file and for the Vm: a checkpoint the file
// refuses, the Vm refuses with the same words, so what a process decodes is what it can resume.
TEST(CheckpointFiles, TheFileAndTheVmRefuseTheSameShapes) {
  const TestProgram p = sample_program();
  const elf::ElfImage image = p.image();
  const std::vector<std::function<void(Checkpoint&)>> edits = {
      [](Checkpoint& b) { b.registers[0] = 3; },
      [](Checkpoint& b) { b.pc = 0x1001; },
      [](Checkpoint& b) { b.output_tape.resize(6); },
      [](Checkpoint& b) { b.regions.push_back(b.regions[0]); },
      [](Checkpoint& b) { b.open_regions[0].index = 7; },
      [](Checkpoint& b) { b.open_regions[0].start = b.step + 1; },
      [](Checkpoint& b) { std::swap(b.pages[0], b.pages[1]); },
      [](Checkpoint& b) { b.pages[1].number = 1u << 20; },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    Checkpoint bad = sample_checkpoints(40)[1];
    edits[i](bad);
    const std::string file = decode_error(encode_checkpoint(bad));
    ASSERT_THAT(file, HasSubstr("checkpoint file: ")) << "edit " << i;
    std::string vm = "no error";
    try {
      Vm(image, quiet()).run_segment(bad, {}, 10, nullptr);
    } catch (const LoadError& e) {
      vm = e.what();
    }
    EXPECT_EQ(vm, "checkpoint: " + file.substr(std::string("checkpoint file: ").size())) << "edit " << i;
  }
}

}  // namespace
}  // namespace zkrv::vm
