// Cycle profiles of a guest run: the call stacks rebuilt from pass 2's trace (calls and returns by
// the RISC-V calling convention, functions from the ELF's symbols), weighted by retired
// instructions, and written as folded stacks, a speedscope file or an SVG flame graph.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "elf/elf.h"
#include "vm/trace.h"
#include "vm/vm.h"

namespace zkrv::profile {

// One distinct call stack (outermost frame first) and the instructions retired in it (or their
// weight, CallProfiler::set_op_weights).
struct Stack {
  std::vector<uint32_t> frames;  // indices into Profile::frame_names
  uint64_t weight = 0;
};

struct Profile {
  std::vector<std::string> frame_names;
  std::vector<Stack> stacks;  // in first-seen order
  uint64_t total = 0;
};

// Feeds on the trace's steps in order (segment after segment, docs/trace.md) and keeps one node
// per distinct stack, so memory grows with the program's call structure, not the run's length.
//
// A call is JAL/JALR linking into ra or t0 (the RISC-V psABI's link registers); a return is JALR
// through ra or t0 that links nothing. Anything else that lands in another function (a tail call,
// longjmp, an unmatched return) replaces the top frame: the stack stays consistent with the pc.
// A custom-0 step (a dynamic precompile call) is counted in a leaf frame "[precompile NAME]".
class CallProfiler {
 public:
  // precompile_names[i] names precompile index i ("" or absent: "#i").
  explicit CallProfiler(const elf::ElfImage& elf, std::vector<std::string> precompile_names = {});
  // Weighs each step by its instruction: op_weights[op] (indexed by isa::Op; e.g. the proving
  // cost of the table row that proves it) instead of 1. A precompile call weighs op_weights of
  // PRECOMPILE.
  void set_op_weights(std::vector<uint64_t> op_weights) { op_weights_ = std::move(op_weights); }
  // Weighs each misaligned LH, LHU, LW, SH and SW (its address, the step's mem_addr, is no multiple
  // of its width) by this instead of op_weights: a different table's row proves it (riscv_air's
  // Misaligned table, docs/proof-system.md "Misaligned accesses"), and it costs more.
  void set_misaligned_weight(uint64_t weight) { misaligned_weight_ = weight; }
  void add(std::span<const vm::TraceStep> steps);
  Profile finish() const;

  // The call stack when the instruction at `pc` is about to run after the steps added so far
  // (e.g. a faulting instruction, which the trace does not hold): innermost frame first, each with
  // the pc it is at (`pc` for the innermost, the call instruction for the others).
  struct BacktraceFrame {
    std::string function;
    uint32_t pc;
  };
  std::vector<BacktraceFrame> backtrace_at(uint32_t pc);
  uint32_t last_pc() const { return last_pc_; }  // of the last step added

 private:
  struct Node {
    uint32_t parent;
    uint32_t frame;
    uint64_t weight = 0;
  };
  struct Function {
    uint32_t start;
    uint32_t end;  // exclusive
    uint32_t frame;
  };
  uint32_t frame_of_pc(uint32_t pc);
  uint32_t frame_named(const std::string& name);
  uint32_t child(uint32_t node, uint32_t frame);

  std::vector<Function> functions_;  // sorted by start, non-overlapping
  std::vector<std::string> frame_names_;
  std::unordered_map<std::string, uint32_t> frame_by_name_;
  std::vector<std::string> precompile_names_;
  std::vector<uint64_t> op_weights_;  // empty: every step weighs 1
  std::optional<uint64_t> misaligned_weight_;  // none: a misaligned access weighs as its op
  std::vector<Node> nodes_;  // nodes_[0]: the root (no frame)
  std::unordered_map<uint64_t, uint32_t> children_;
  uint32_t node_ = 0;
  // call_sites_[i]: the pc of the call that entered the frame at depth i + 1 (0 for the first).
  std::vector<uint32_t> call_sites_;
  uint32_t last_pc_ = 0;
  bool entering_ = false;  // the previous step was a call: this step's function is a new frame
  const Function* last_ = nullptr;
  uint32_t unknown_frame_ = 0;
};

// Runs the guest with pass 2's trace in segments of 2^20 steps, each handed to `profiler`: memory
// stays bounded for runs of any length.
vm::RunResult run_profiled(vm::Vm& vm, const vm::Inputs& inputs, CallProfiler& profiler);

// "outer;inner 123" lines (Brendan Gregg's folded format, as flamegraph.pl and speedscope read it).
std::string to_folded(const Profile& profile);
// speedscope's file format (https://www.speedscope.app/file-format-schema.json): one sampled
// profile whose samples are the distinct stacks, weighted by instructions.
std::string to_speedscope(const Profile& profile, std::string_view name);
// A self-contained SVG flame graph (hover a frame for its name and instructions).
std::string to_svg(const Profile& profile, std::string_view title);

}  // namespace zkrv::profile
