// Where a guest faulted, for people: the source line of the faulting instruction and a backtrace.
// The fast pass keeps no call stack, so the backtrace comes from a second, tracing run of the same
// program and inputs (profile/'s call-stack rebuilder), paid only when a run faults.
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
};

struct FaultLocation {
  std::string source;               // of the faulting pc
  std::vector<FaultFrame> backtrace;  // innermost first; empty when not computed
  std::string note;                 // why there is no backtrace, if there is none
};

// Runs out of which a backtrace is rebuilt at most (a second run this long takes seconds).
inline constexpr uint64_t kBacktraceMaxSteps = uint64_t{1} << 28;

// `config` as for the faulting run (its log sink is replaced: the guest's log is not repeated).
FaultLocation locate_fault(const elf::ElfImage& image, std::span<const uint8_t> file, vm::VmConfig config,
                           const vm::Inputs& inputs, const vm::RunResult& faulted);

}  // namespace zkrv::cli
