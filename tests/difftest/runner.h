// Runs one ELF on qemu-riscv32 (a child process with a timeout) or on the zkrv VM, and compares the
// two executions: exit code (qemu reports its low 8 bits) and everything written to stdout.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace zkrv::difftest {

struct Execution {
  enum class Status : uint8_t { kExited, kFaulted, kTimedOut, kError };
  Status status = Status::kError;
  int32_t exit_code = 0;       // zkrv: the guest's full value; qemu: the process exit status (0..255)
  std::string stdout_bytes;
  std::string detail;          // fault message, signal, spawn error or the guest's stderr
  uint64_t instructions = 0;   // zkrv only
  uint64_t misaligned_accesses = 0;  // zkrv only
};

// Runs `qemu elf_path`; kills it after timeout_ms.
Execution run_qemu(const std::string& qemu, const std::string& elf_path, int timeout_ms);

// Parses and runs the ELF on zkrv::vm::Vm, collecting fd 1 through VmConfig::log_sink.
Execution run_zkrv(std::span<const uint8_t> elf, uint64_t max_cycles);

// How to name the first differing stdout byte.
enum class OutputKind : uint8_t {
  kRegisterDump,  // a random program's output: x0..x31, then the data area (see generator.h)
  kText,          // a compiled program's text
};

// "" when the executions agree, else a description of the first difference.
std::string compare(const Execution& qemu, const Execution& zkrv, OutputKind kind);

// One line, e.g. "exited 3, 8320 bytes on stdout" or "faulted: load-fault at ...".
std::string summary(const Execution& execution);

}  // namespace zkrv::difftest
