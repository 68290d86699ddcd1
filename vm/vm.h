// vm/: the zkrv virtual machine. Loads a validated ELF image into guest memory and executes it under
// guest ABI v1 (docs/abi.md): the interpreter, system calls, input/output tapes, faults and run
// statistics. Depends on elf/ and isa/; knows nothing of the prover or the command line.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "elf/elf.h"
#include "vm/checkpoint.h"
#include "vm/load_error.h"
#include "vm/memory.h"
#include "vm/precompiles.h"
#include "vm/trace.h"

namespace zkrv::vm {

// The largest values VmConfig's size limits may take. Every one of them sizes a host buffer that
// the guest fills (the output tape grows to 4 + max_output_bytes as the guest writes its end; an
// input tape is as large as its payload), and tape offsets and lengths are 32-bit words, so the
// limits stay well inside both. The Vm refuses a configuration past them (LoadError).
inline constexpr uint32_t kMaxOutputBytesLimit = 1u << 30;
inline constexpr uint64_t kMaxInputBytesLimit = uint64_t{1} << 30;

struct VmConfig {
  uint64_t max_cycles = uint64_t{1} << 32;     // instructions retired before the run is cut short
  uint32_t max_output_bytes = 1u << 20;        // public output payload (the tape holds 4 more bytes)
  uint64_t max_input_bytes = uint64_t{1} << 30;  // each input tape's payload
  elf::LoadLimits load_limits;
  // Receives what the guest writes to fd 1 and 2 (the debug log). Default: the host's stdout/stderr.
  std::function<void(int fd, std::span<const uint8_t> bytes)> log_sink;
  // Dynamic precompiles: a registry already resolved for this program (shared by its passes), or
  // else a resolver used at load for the descriptors the program declares.
  std::shared_ptr<const PrecompileRegistry> precompiles;
  PrecompileResolver precompile_resolver;
};

enum class FaultKind : uint8_t {
  kIllegalInstruction,
  kFetchFault,
  kLoadFault,
  kStoreFault,
  kMisalignedAtomic,
  kMisalignedTapeOffset,
  kOutputLimit,
  kUnknownSyscall,
  kBadSyscallArgument,
  kUnsupportedPrecompile,
  kPrecompileFault,
  kCycleLimit,
};

// The name used in messages, reports and docs/abi.md ("illegal-instruction", ...).
const char* fault_name(FaultKind kind);

struct Fault {
  FaultKind kind = FaultKind::kIllegalInstruction;
  uint32_t pc = 0;
  uint32_t raw = 0;          // instruction bits (16 for compressed)
  uint8_t raw_length = 0;    // 0 when the instruction could not be fetched
  uint32_t addr = 0;         // the memory address, tape offset or syscall number involved
  std::string detail;        // extra words for the message
};

enum class StopReason : uint8_t { kExit, kFault };

struct RunResult {
  StopReason reason = StopReason::kExit;
  int32_t exit_code = 0;
  Fault fault;                                  // valid when reason == kFault
  std::vector<uint8_t> public_output;
  uint64_t instructions = 0;                    // retired (a faulting instruction is not)
  std::vector<std::pair<std::string, uint64_t>> regions;  // in order of first use
  // Region calls the VM ignored (ending a region that is not open, past 4,096 names or 256 deep),
  // and the first of them ("pc 0x...: why"); empty when none.
  uint64_t ignored_region_calls = 0;
  std::string first_ignored_region_call;
  uint64_t misaligned_accesses = 0;
  uint64_t pages_touched = 0;
  uint64_t mapped_pages = 0;
  double seconds = 0;
  std::vector<std::pair<std::string, uint64_t>> precompile_calls;  // name, calls; declared ones only
  std::array<uint32_t, 32> registers{};
  uint32_t pc = 0;
  bool ok() const { return reason == StopReason::kExit && exit_code == 0; }
  double mips() const { return seconds > 0 ? static_cast<double>(instructions) / seconds / 1e6 : 0; }
};

struct Inputs {
  std::vector<uint8_t> public_input;
  std::vector<uint8_t> private_input;  // hints
};

class Machine;

// One guest memory access made by a debugged instruction (a load, store, AMO or precompile), for a
// debugger's watchpoints. Tape reads and writes (rin/hin/wou) touch no guest memory and are not here.
struct DebugAccess {
  uint32_t addr = 0;
  uint32_t size = 0;
  bool read = false;
  bool write = false;
};

// A run executed one instruction at a time, for a debugger (gdbstub/). Each step() is the
// interpreter's pass 2 given a budget of one instruction, so a stepped run has run()'s semantics,
// instruction count and faults; the normal passes pay nothing for it.
class DebugSession {
 public:
  explicit DebugSession(Machine& machine);
  ~DebugSession();
  DebugSession(const DebugSession&) = delete;
  DebugSession& operator=(const DebugSession&) = delete;

  // Executes one instruction; false once the guest has exited or faulted (then result() is the
  // run's result, as run() would have returned it). A halted session does not step again.
  bool step();
  bool halted() const { return halted_; }
  // Runs the rest of the program without stopping (a debugger detached), recording nothing.
  void resume();
  const RunResult& result() const { return result_; }
  uint64_t instructions() const;
  // The accesses of the last step (empty when it made none or faulted).
  const std::vector<DebugAccess>& accesses() const { return accesses_; }

  uint32_t pc() const;
  // False (and nothing changes) for a pc that is not 2-byte aligned.
  bool set_pc(uint32_t pc);
  uint32_t reg(unsigned i) const;  // x0..x31
  void set_reg(unsigned i, uint32_t value);
  // Any mapped page may be read or written, whatever its permissions (a debugger reads code and
  // plants nothing); false, and nothing copied, when a byte of the range is not mapped.
  bool read_memory(uint32_t addr, std::span<uint8_t> out) const;
  bool write_memory(uint32_t addr, std::span<const uint8_t> bytes);

 private:
  friend class Vm;  // debug() starts the machine on trace_
  bool mapped(uint32_t addr, size_t size) const;

  Machine& machine_;
  Trace trace_;
  std::vector<DebugAccess> accesses_;
  bool halted_ = false;
  RunResult result_;
};

// One program loaded into a fresh machine. Runs once; load again to run again.
class Vm {
 public:
  Vm(const elf::ElfImage& image, const VmConfig& config);
  ~Vm();
  Vm(const Vm&) = delete;
  Vm& operator=(const Vm&) = delete;

  // Pass 1: fast execution, no trace.
  RunResult run(const Inputs& inputs);
  // Pass 2: the same execution, recording each step into *trace (docs/trace.md). Same result,
  // instruction count and final memory as pass 1.
  RunResult run_traced(const Inputs& inputs, Trace* trace);
  // Pass 1 for continuations: the same run, handing on_checkpoint the state before step 0, N, 2N,
  // ... (N = checkpoint_steps >= 1) for each of them the run reaches without having halted, so a
  // run of S steps that ends by itself gives ceil(S / N) checkpoints (at least one). Same result as
  // run(); run() itself is not slowed by this.
  RunResult run(const Inputs& inputs, uint64_t checkpoint_steps, const std::function<void(Checkpoint)>& on_checkpoint);
  // Continuations: on a fresh Vm of the same program and configuration, restores `from` and runs
  // at most `steps` instructions, recording them into *trace when given (pass 2, with the steps'
  // indices in the whole run). Returns the run's result if the guest halted (exited or faulted)
  // within them, as run() would have returned it (pages_touched and seconds aside: they are this
  // Vm's); nullopt when the steps ran out first, and checkpoint() is then the state after them.
  std::optional<RunResult> run_segment(const Checkpoint& from, const Inputs& inputs, uint64_t steps, Trace* trace);
  // The state between two steps (after run_segment stopped short).
  Checkpoint checkpoint();
  // Starts the run for a debugger instead: nothing executes until the session steps. The session
  // borrows this Vm, which must outlive it.
  std::unique_ptr<DebugSession> debug(const Inputs& inputs);

  // "load-fault at pc 0x10234 (main+0x1c): lw a0, 0(a1): address 0x0 is not mapped"
  std::string describe(const Fault& fault) const;
  std::array<uint8_t, 32> memory_digest() const;
  const GuestMemory& memory() const;

 private:
  const elf::ElfImage& image_;
  std::unique_ptr<Machine> machine_;
};

}  // namespace zkrv::vm
