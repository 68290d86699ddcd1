// The machine state behind Vm: registers, memory, decoded-instruction cache, tapes, statistics.
// Internal to vm/.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "elf/elf.h"
#include "isa/isa.h"
#include "vm/checkpoint.h"
#include "vm/memory.h"
#include "vm/trace.h"
#include "vm/vm.h"

namespace zkrv::vm {

// One decoded instruction in the cache, indexed by (pc - exec_lo) / 2. op is slot_op() below, 0 for
// "not decoded yet". rd 0 is stored as 32, a sink register, so no handler tests for x0.
struct Slot {
  uint8_t op;
  uint8_t rd;
  uint8_t rs1;
  uint8_t rs2;
  int32_t imm;
  uint32_t raw;       // the instruction's bits, for the trace
  int32_t handler;    // the interpreter's handler for op, as an offset; 0 = decode first
  // 16 bytes: a power-of-two size keeps pc <-> slot conversions to shifts.
};
static_assert(sizeof(Slot) == 16);

// Slot::op for `op` in its 4-byte form (length 4) or compressed form (length 2): each has its own
// interpreter handler, and this is the index of that handler in the dispatch table.
constexpr uint8_t slot_op(isa::Op op, uint32_t length) {
  return static_cast<uint8_t>(1 + 2 * static_cast<unsigned>(op) + (length == 2 ? 1 : 0));
}
constexpr size_t kSlotOps = 1 + 2 * static_cast<size_t>(isa::Op::kCount);
static_assert(kSlotOps <= 256, "Slot::op is one byte");

// Region bookkeeping is host work the guest drives: bounded so that each call stays O(1) amortized
// (a hash lookup, an open-region stack no deeper than this) and its memory stays small.
inline constexpr size_t kMaxRegions = 4096;       // distinct names per run
inline constexpr size_t kMaxOpenRegions = 256;    // nesting depth

class Machine {
 public:
  Machine(const elf::ElfImage& image, const VmConfig& config);
  ~Machine();

  // trace: when given, pass 2 records every step into it (docs/trace.md).
  RunResult run(const Inputs& inputs, Trace* trace = nullptr);

  // run() in pieces, for a debugger: start() loads the inputs, each execute() runs up to `steps`
  // more instructions with the same interpreter (true once the guest has exited or faulted, false
  // when the step budget ran out first), finish() makes the result.
  void start(const Inputs& inputs, Trace* trace);
  bool execute(uint64_t steps);
  RunResult finish();

  // Pass 1 that hands on_checkpoint the state before step 0, every, 2 * every, ... for as long as
  // the run has not halted there. Pages unchanged since the previous checkpoint are shared with it.
  RunResult run_checkpointed(const Inputs& inputs, uint64_t every, const std::function<void(Checkpoint)>& on_checkpoint);
  // The state now, between two steps.
  Checkpoint checkpoint();
  // After start(), on a machine that has not run: makes `from` the state. Throws LoadError when
  // the checkpoint cannot belong to this program (a page it does not map writable, a register x0
  // that is not zero, ...).
  void restore(const Checkpoint& from);

  uint32_t reg(unsigned i) const { return i == 0 ? 0 : x_[i]; }
  void set_reg(unsigned i, uint32_t value) {
    if (i != 0) x_[i] = value;
  }
  uint32_t pc() const { return pc_; }
  void set_pc(uint32_t pc) { pc_ = pc; }
  uint64_t retired() const { return retired_; }
  bool started() const { return started_; }
  const RunResult& stop_state() const { return result_; }
  // Forgets the decoded instructions that overlap [addr, addr + size), after a debugger wrote there.
  void invalidate_code(uint32_t addr, uint32_t size);

  GuestMemory memory;

  // The handler that the interpreter's dispatch table picks for a slot holding `op` in the form of
  // `length` bytes, as that handler names itself; the handler's semantics are not run. For the test
  // that the table matches ZKRV_ISA_OPS.
  struct HandlerId {
    isa::Op op = isa::Op::ILLEGAL;
    uint32_t length = 0;
  };
  HandlerId dispatch_probe(isa::Op op, uint32_t length);

 private:
  enum class Stop : uint8_t { kContinue, kExit, kFault };
  // kRun: pass 1; kTrace: pass 2, recording every step; kRunTracked: pass 1 marking the pages it
  // writes (checkpoints); kProbe: dispatch_probe().
  enum class Mode : uint8_t { kRun, kTrace, kRunTracked, kProbe };

  // The interpreter loop; returns when the guest exits or faults, or after `budget` instructions
  // (paused_ is then set when the run's own limit is not what stopped it). Defined in interpreter.cc.
  template <Mode kMode>
  void execute_loop(uint64_t budget);
  // Pass 2: starts the record of step `index` (kept when inside the trace window, else scratch).
  TraceStep* begin_step(uint32_t pc, uint32_t raw, uint64_t index, uint32_t rs1_value, uint32_t rs2_value) {
    TraceStep* step = &scratch_step_;
    if (trace_->keeps(index)) {
      if (trace_->segment_steps && trace_->steps.size() == trace_->segment_steps) trace_->flush();
      if (trace_->steps.empty()) trace_->first_step = index;
      step = &trace_->steps.emplace_back();
    }
    *step = TraceStep{pc, raw, rs1_value, rs2_value, 0, 0, 0, 0};
    return step;
  }
  // Pass 2: forgets the record of step `index`, which did not retire.
  void drop_step(uint64_t index);

  // Reads the instruction bits at pc from executable memory: returns 4, or 2 for a compressed
  // instruction or the first half of one whose second half cannot be fetched, or 0.
  uint8_t fetch(uint32_t pc, uint32_t* bits) const;
  bool decode_into(Slot* slot, uint32_t pc);
  bool slow_access(uint32_t addr, uint32_t size, uint8_t need);
  Stop ecall(uint64_t retired);
  Stop tape_write(uint32_t offset, uint32_t value);
  Stop call_precompile(uint32_t index, uint32_t rs1, uint32_t rs2, uint32_t* rd);
  Stop fault(FaultKind kind, uint32_t pc, uint32_t addr, std::string detail = {});
  // The page's contents as the program image loaded them.
  void initial_page(uint32_t page, uint8_t* out) const;
  bool region_name(uint32_t ptr, uint32_t len, std::string* name);
  void ignore_region_call(std::string why);
  void finish_output();
  std::string access_fault_message(uint32_t addr, uint8_t need) const;
  void log(int fd, std::span<const uint8_t> bytes);

  const elf::ElfImage& image_;
  VmConfig config_;

  Slot* slots_ = nullptr;
  size_t slots_bytes_ = 0;
  uint32_t exec_lo_ = 0;
  uint32_t exec_span_ = 0;  // bytes; a multiple of the page size

  uint32_t x_[33] = {};  // x0..x31, then the x0 sink
  uint32_t pc_ = 0;
  uint64_t retired_ = 0;
  uint64_t misaligned_ = 0;
  bool paused_ = false;
  bool started_ = false;  // start() was called: the machine is no longer fresh
  bool reservation_valid_ = false;
  uint32_t reservation_ = 0;

  std::vector<uint8_t> public_tape_;   // word 0 = payload length, padded to whole words
  std::vector<uint8_t> private_tape_;
  std::vector<uint8_t> output_tape_;   // grows as written; never beyond 4 + max_output_bytes

  struct Region {
    std::string name;
    uint64_t total = 0;
  };
  struct OpenRegion {
    size_t index;
    uint64_t start;
  };
  std::vector<Region> regions_;  // in order of first use
  std::unordered_map<std::string, size_t> region_index_;  // name -> index in regions_
  std::vector<OpenRegion> open_regions_;

  std::shared_ptr<const PrecompileRegistry> precompiles_;
  std::vector<uint64_t> precompile_calls_;  // per registry entry

  Trace* trace_ = nullptr;
  TraceStep scratch_step_{};
  HandlerId probed_{};  // set by the handler that kProbe reaches

  RunResult result_;
  std::vector<Checkpoint::Page> checkpoint_pages_;  // the last checkpoint's, to share unchanged pages
  // One byte per guest page, set when the page is written, cleared by checkpoint(); null unless this
  // machine records or resumed from checkpoints.
  std::unique_ptr<uint8_t[]> dirty_;
  void track_writes();
};

}  // namespace zkrv::vm
