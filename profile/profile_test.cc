// The call-stack rebuilder on hand-made traces (calls, returns, tail calls, unmatched returns,
// precompile calls, pcs without a symbol) and the three output formats.
#include "profile/profile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "isa/encode.h"

namespace zkrv::profile {
namespace {

namespace enc = isa::encode;
using ::testing::HasSubstr;

// main at 0x100, helper at 0x200, leaf at 0x300 (no size: it ends where the next symbol starts),
// next at 0x400 (16 bytes); nothing from 0x410 on.
elf::ElfImage image() {
  elf::ElfImage elf;
  elf.symbols = {{"main", 0x100, 0x100, true},
                 {"helper", 0x200, 0x100, true},
                 {"leaf", 0x300, 0, true},
                 {"next", 0x400, 0x10, true},
                 {"a_data_object", 0x500, 0x10, false}};
  return elf;
}

vm::TraceStep step(uint32_t pc, uint32_t insn) { return {pc, insn, 0, 0, 0, 0, 0, 0}; }
constexpr uint32_t kAdd = enc::op_imm(isa::Op::ADDI, 10, 10, 1);
constexpr uint32_t kReturn = enc::jalr(0, 1, 0);

std::string folded(const std::vector<vm::TraceStep>& steps, std::vector<std::string> names = {}) {
  CallProfiler profiler(image(), std::move(names));
  profiler.add(steps);
  return to_folded(profiler.finish());
}

TEST(CallProfiler, CallsAndReturnsNestFrames) {
  const std::string out = folded({
      step(0x100, kAdd),
      step(0x104, enc::jal(1, 0xfc)),       // call helper
      step(0x200, kAdd),
      step(0x204, enc::jalr(1, 6, 0)),      // call leaf through a register
      step(0x300, kAdd),
      step(0x304, kReturn),
      step(0x208, kReturn),
      step(0x108, kAdd),
  });
  EXPECT_EQ(out, "main 3\nmain;helper 3\nmain;helper;leaf 2\n");
}

TEST(CallProfiler, AlternateLinkRegisterT0IsACallAndItsReturn) {
  const std::string out = folded({
      step(0x100, enc::jal(5, 0x200)),      // call leaf linking t0
      step(0x300, enc::jalr(0, 5, 0)),      // return through t0
      step(0x104, kAdd),
  });
  EXPECT_EQ(out, "main 2\nmain;leaf 1\n");
}

TEST(CallProfiler, TailCallsAndUnmatchedJumpsReplaceTheTopFrame) {
  const std::string out = folded({
      step(0x100, enc::jal(1, 0x100)),      // call helper
      step(0x200, enc::jal(0, 0x100)),      // tail call: jump to leaf, linking nothing
      step(0x300, kReturn),                 // returns to main
      step(0x104, kAdd),
      step(0x400, kAdd),                    // jumped into `next` with no call: replaces main
  });
  EXPECT_EQ(out, "main 2\nmain;helper 1\nmain;leaf 1\nnext 1\n");
}

TEST(CallProfiler, PcsOutsideEveryFunctionAreUnknown) {
  const std::string out = folded({step(0x50, kAdd), step(0x410, kAdd), step(0x500, kAdd)});
  EXPECT_EQ(out, "[unknown] 3\n");
}

TEST(CallProfiler, PrecompileCallsAreLeafFramesNamedByTheDeclarations) {
  const std::string out = folded({step(0x100, enc::precompile(2, 10, 11, 12)), step(0x104, enc::precompile(7, 10, 11, 12)),
                                  step(0x108, kAdd)},
                                 {"", "", "blake2s"});
  EXPECT_EQ(out, "main 1\nmain;[precompile #7] 1\nmain;[precompile blake2s] 1\n");
}

TEST(CallProfiler, OpWeightsReplaceTheInstructionCount) {
  CallProfiler profiler(image());
  std::vector<uint64_t> weights(static_cast<size_t>(isa::Op::kCount), 1);
  weights[static_cast<size_t>(isa::Op::ADDI)] = 74;
  weights[static_cast<size_t>(isa::Op::JAL)] = 79;
  profiler.set_op_weights(weights);
  profiler.add(std::vector<vm::TraceStep>{step(0x100, enc::jal(1, 0x100)), step(0x200, kAdd), step(0x204, kReturn),
                                          step(0x104, kAdd)});
  EXPECT_EQ(to_folded(profiler.finish()), "main 153\nmain;helper 75\n");  // the return (JALR) weighs 1
}

// A misaligned access is proven by a Misaligned row, not a LoadStore one: it weighs what that row
// costs, whichever op it is; aligned ones and byte accesses keep their op's weight.
TEST(CallProfiler, MisalignedAccessesWeighTheirOwnWeight) {
  CallProfiler profiler(image());
  profiler.set_op_weights(std::vector<uint64_t>(static_cast<size_t>(isa::Op::kCount), 10));
  profiler.set_misaligned_weight(1000);
  auto access = [](uint32_t pc, uint32_t insn, uint32_t addr) { return vm::TraceStep{pc, insn, 0, 0, 0, addr, 0, 0}; };
  profiler.add(std::vector<vm::TraceStep>{
      access(0x100, enc::load(isa::Op::LW, 10, 11, 0), 0x2001),   // misaligned: 1000
      access(0x104, enc::load(isa::Op::LW, 10, 11, 0), 0x2004),   // aligned: 10
      access(0x108, enc::load(isa::Op::LHU, 10, 11, 0), 0x2003),  // misaligned: 1000
      access(0x10c, enc::load(isa::Op::LH, 10, 11, 0), 0x2002),   // aligned: 10
      access(0x110, enc::store(isa::Op::SW, 10, 11, 0), 0x2002),  // misaligned: 1000
      access(0x114, enc::store(isa::Op::SH, 10, 11, 0), 0x2001),  // misaligned: 1000
      access(0x118, enc::load(isa::Op::LBU, 10, 11, 0), 0x2003),  // a byte is never misaligned: 10
  });
  EXPECT_EQ(to_folded(profiler.finish()), "main 4030\n");
  // Without a misaligned weight, every access weighs its op's (the instruction count by default).
  EXPECT_EQ(folded({access(0x100, enc::load(isa::Op::LW, 10, 11, 0), 0x2001)}), "main 1\n");
}

TEST(CallProfiler, SegmentsGiveTheSameProfileAsOneSpan) {
  const std::vector<vm::TraceStep> steps = {step(0x100, enc::jal(1, 0x100)), step(0x200, kReturn), step(0x104, kAdd)};
  CallProfiler whole(image());
  whole.add(steps);
  CallProfiler pieces(image());
  for (const vm::TraceStep& s : steps) pieces.add({&s, 1});
  EXPECT_EQ(to_folded(whole.finish()), to_folded(pieces.finish()));
}

std::vector<std::string> described(const std::vector<CallProfiler::BacktraceFrame>& frames) {
  std::vector<std::string> out;
  for (const auto& f : frames) out.push_back(f.function + "@" + std::to_string(f.pc));
  return out;
}

TEST(CallProfiler, BacktraceNamesEachFrameAndTheCallItIsAt) {
  CallProfiler profiler(image());
  profiler.add(std::vector<vm::TraceStep>{
      step(0x100, kAdd),
      step(0x104, enc::jal(1, 0xfc)),   // main calls helper
      step(0x200, kAdd),
      step(0x204, enc::jal(1, 0xfc)),   // helper calls leaf
      step(0x300, kAdd),
  });
  using ::testing::ElementsAre;
  EXPECT_THAT(described(profiler.backtrace_at(0x304)), ElementsAre("leaf@772", "helper@516", "main@260"));
  // Not yet retired: a fault on a call's target, or in a function reached without a call.
  profiler.add(std::vector<vm::TraceStep>{step(0x304, enc::jal(1, 0x100 - 4))});  // leaf calls next
  EXPECT_THAT(described(profiler.backtrace_at(0x400)), ElementsAre("next@1024", "leaf@772", "helper@516", "main@260"));
  CallProfiler tail(image());
  tail.add(std::vector<vm::TraceStep>{step(0x100, enc::jal(1, 0x100)), step(0x200, enc::jal(0, 0x100))});
  EXPECT_THAT(described(tail.backtrace_at(0x300)), ElementsAre("leaf@768", "main@256"));
  EXPECT_THAT(described(CallProfiler(image()).backtrace_at(0x100)), ElementsAre("main@256"));
}

TEST(ProfileFormats, SpeedscopeHasTheSamplesAndWeights) {
  CallProfiler profiler(image());
  profiler.add(std::vector<vm::TraceStep>{step(0x100, enc::jal(1, 0x100)), step(0x200, kReturn), step(0x104, kAdd)});
  const nlohmann::json file = nlohmann::json::parse(to_speedscope(profiler.finish(), "guest.elf"));
  EXPECT_EQ(file["$schema"], "https://www.speedscope.app/file-format-schema.json");
  const nlohmann::json& p = file["profiles"][0];
  EXPECT_EQ(p["type"], "sampled");
  EXPECT_EQ(p["endValue"], 3);
  ASSERT_EQ(p["samples"].size(), 2u);
  std::vector<std::string> stacks;
  for (size_t i = 0; i < p["samples"].size(); ++i) {
    std::string names;
    for (const auto& f : p["samples"][i]) names += file["shared"]["frames"][f.get<size_t>()]["name"].get<std::string>() + ";";
    stacks.push_back(names + std::to_string(p["weights"][i].get<int>()));
  }
  EXPECT_THAT(stacks, ::testing::UnorderedElementsAre("main;2", "main;helper;1"));
}

TEST(ProfileFormats, SvgDrawsEveryFrameWithItsWeightAndEscapesNames) {
  elf::ElfImage elf = image();
  elf.symbols[1].name = "_ZNSt3__16vectorIiNS_9allocatorIiEEE2atEm";  // demangled on the way in
  CallProfiler profiler(elf);
  profiler.add(std::vector<vm::TraceStep>{step(0x100, enc::jal(1, 0x100)), step(0x200, kReturn), step(0x104, kAdd)});
  const std::string svg = to_svg(profiler.finish(), "guest & co");
  EXPECT_THAT(svg, HasSubstr("<svg"));
  EXPECT_THAT(svg, HasSubstr("guest &amp; co (3 instructions)"));
  EXPECT_THAT(svg, HasSubstr("<title>main (3 instructions, 100.00%)</title>"));
  EXPECT_THAT(svg, HasSubstr("<title>std::__1::vector&lt;int, std::__1::allocator&lt;int&gt; &gt;::at(unsigned long) (1 instructions, 33.33%)</title>"));
}

}  // namespace
}  // namespace zkrv::profile
