// Where a guest stopped badly, for people: the source line of the faulting instruction and a
// backtrace, or for abort() (exit code 134) the backtrace of its exit call. The fast pass keeps no
// call stack, so the backtrace comes from a second, tracing run of the same program and inputs
// (profile/'s call-stack rebuilder), paid only when a run faults or aborts.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "elf/elf.h"
#include "vm/vm.h"

namespace zkrv::cli {

struct FaultFrame {
  uint32_t pc = 0;
  std::string function;  // "" when no symbol holds pc
  std::string source;    // "dir/file.c:12", "" without DWARF
  std::vector<std::string> inlined;  // functions inlined at pc, innermost first (DWARF)
};

struct StopLocation {
  std::string source;               // of the faulting pc (none for an abort: see the backtrace)
  std::vector<FaultFrame> backtrace;  // innermost first; empty when not computed
  std::string note;                 // why there is no backtrace, if there is none
  // For an abort from libc++'s throw helpers (`std::__throw_out_of_range` and the like, which call
  // abort() in a guest without exceptions): the exception it would have thrown.
  std::string exception;
};

// Runs out of which a backtrace is rebuilt at most (a second run this long takes seconds).
inline constexpr uint64_t kBacktraceMaxSteps = uint64_t{1} << 28;

// The exit code of abort() in the SDK (128 + SIGABRT, as a POSIX shell reports it).
inline constexpr int32_t kAbortExitCode = 134;

// Whether a run's end deserves a location: a fault, or an exit with kAbortExitCode.
bool stopped_badly(const vm::RunResult& result);

// `config` as for the run (its log sink is replaced: the guest's log is not repeated).
StopLocation locate_stop(const elf::ElfImage& image, std::span<const uint8_t> file, vm::VmConfig config,
                         const vm::Inputs& inputs, const vm::RunResult& result);

}  // namespace zkrv::cli
