#include "tests/difftest/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "base/little_endian.h"
#include "base/process.h"
#include "elf/elf.h"
#include "isa/isa.h"
#include "tests/difftest/generator.h"
#include "vm/vm.h"

namespace zkrv::difftest {
namespace {

// The word at `at`, zero-padded past the end of `bytes`.
uint32_t word_at(const std::string& bytes, size_t at) {
  uint8_t word[4] = {};
  for (size_t i = 0; i < 4 && at + i < bytes.size(); ++i) word[i] = static_cast<uint8_t>(bytes[at + i]);
  return base::load_le32(word);
}

std::string line_containing(const std::string& text, size_t at) {
  const size_t begin = text.rfind('\n', at == 0 ? 0 : at - 1);
  const size_t from = begin == std::string::npos || at == 0 ? 0 : begin + 1;
  const size_t end = text.find('\n', at);
  return text.substr(from, (end == std::string::npos ? text.size() : end) - from);
}

std::string describe_output_difference(const std::string& q, const std::string& z, OutputKind kind) {
  size_t at = 0;
  while (at < q.size() && at < z.size() && q[at] == z[at]) ++at;
  std::string out;
  if (q.size() != z.size()) out = fmt::format("stdout length differs: qemu {} bytes, zkrv {} bytes; ", q.size(), z.size());
  if (at == q.size() || at == z.size()) return out + fmt::format("one is a prefix of the other (first {} bytes equal)", at);

  if (kind == OutputKind::kRegisterDump && at < kDumpSize) {
    const unsigned reg = static_cast<unsigned>(at / 4);
    return out + fmt::format("first difference: register x{} ({}): qemu 0x{:08x}, zkrv 0x{:08x}", reg,
                             isa::reg_name(reg), word_at(q, reg * 4), word_at(z, reg * 4));
  }
  if (kind == OutputKind::kRegisterDump && at < kOutputSize) {
    const uint32_t addr = kDataBase + static_cast<uint32_t>(at - kDumpSize);
    return out + fmt::format("first difference: data byte at 0x{:08x}: qemu 0x{:02x}, zkrv 0x{:02x}", addr,
                             static_cast<uint8_t>(q[at]), static_cast<uint8_t>(z[at]));
  }
  const size_t line = static_cast<size_t>(std::count(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
  return out + fmt::format("first difference at stdout byte {} (line {}):\n  qemu: {}\n  zkrv: {}", at, line,
                           line_containing(q, at), line_containing(z, at));
}

}  // namespace

Execution run_qemu(const std::string& qemu, const std::string& elf_path, int timeout_ms) {
  base::ProcessOptions options;
  options.stdout_mode = base::ChildOutput::kCapture;
  options.stderr_mode = base::ChildOutput::kCapture;
  options.timeout_ms = timeout_ms;
  base::ProcessResult process = base::run_process({qemu, elf_path}, options);
  Execution result;
  result.stdout_bytes = std::move(process.stdout_text);
  if (!process.started) {
    result.detail = process.start_error;
  } else if (process.timed_out) {
    result.status = Execution::Status::kTimedOut;
    result.detail = fmt::format("killed after {} ms", timeout_ms);
  } else if (process.signal == 0) {
    result.status = Execution::Status::kExited;
    result.exit_code = process.exit_status;
    result.detail = std::move(process.stderr_text);
  } else {
    result.status = Execution::Status::kFaulted;
    result.detail = fmt::format("killed by signal {} ({}); stderr: {}", process.signal, strsignal(process.signal),
                                process.stderr_text);
  }
  return result;
}

Execution run_zkrv(std::span<const uint8_t> elf_bytes, uint64_t max_cycles) {
  Execution result;
  try {
    const elf::ElfImage image = elf::parse(elf_bytes);
    vm::VmConfig config;
    config.max_cycles = max_cycles;
    config.log_sink = [&result](int fd, std::span<const uint8_t> bytes) {
      (fd == 1 ? result.stdout_bytes : result.detail).append(bytes.begin(), bytes.end());
    };
    vm::Vm machine(image, config);
    const vm::RunResult run = machine.run({});
    result.instructions = run.instructions;
    result.misaligned_accesses = run.misaligned_accesses;
    if (run.reason == vm::StopReason::kExit) {
      result.status = Execution::Status::kExited;
      result.exit_code = run.exit_code;
    } else {
      result.status = Execution::Status::kFaulted;
      result.detail = machine.describe(run.fault);
    }
  } catch (const std::exception& error) {
    result.status = Execution::Status::kError;
    result.detail = fmt::format("zkrv could not load the program: {}", error.what());
  }
  return result;
}

std::string summary(const Execution& e) {
  switch (e.status) {
    case Execution::Status::kExited: return fmt::format("exited {}, {} bytes on stdout", e.exit_code, e.stdout_bytes.size());
    case Execution::Status::kFaulted: return fmt::format("faulted: {}", e.detail);
    case Execution::Status::kTimedOut: return fmt::format("timed out: {}", e.detail);
    case Execution::Status::kError: return fmt::format("error: {}", e.detail);
  }
  return "?";
}

std::string compare(const Execution& qemu, const Execution& zkrv, OutputKind kind) {
  if (qemu.status != Execution::Status::kExited || zkrv.status != Execution::Status::kExited)
    return fmt::format("qemu {}; zkrv {}", summary(qemu), summary(zkrv));
  std::string difference;
  // A Linux exit status keeps the low 8 bits of the code.
  if ((static_cast<uint32_t>(zkrv.exit_code) & 0xff) != static_cast<uint32_t>(qemu.exit_code))
    difference = fmt::format("exit code: qemu {}, zkrv {} (low byte {})", qemu.exit_code, zkrv.exit_code,
                             static_cast<uint32_t>(zkrv.exit_code) & 0xff);
  if (qemu.stdout_bytes != zkrv.stdout_bytes) {
    if (!difference.empty()) difference += "; ";
    difference += describe_output_difference(qemu.stdout_bytes, zkrv.stdout_bytes, kind);
  }
  return difference;
}

}  // namespace zkrv::difftest
