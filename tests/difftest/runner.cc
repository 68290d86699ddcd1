#include "tests/difftest/runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

#include "elf/elf.h"
#include "isa/isa.h"
#include "tests/difftest/generator.h"
#include "vm/vm.h"

extern char** environ;

namespace zkrv::difftest {
namespace {

// Reads whatever is available on `fd` into `out`; false at end of file.
bool drain(int fd, std::string& out) {
  char buffer[65536];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n > 0) {
    out.append(buffer, static_cast<size_t>(n));
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

uint32_t word_at(const std::string& bytes, size_t at) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4 && at + i < bytes.size(); ++i) value |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + i])) << (8 * i);
  return value;
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
  Execution result;
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0) return {Execution::Status::kError, 0, "", fmt::format("pipe: {}", std::strerror(errno))};
  if (pipe(err_pipe) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return {Execution::Status::kError, 0, "", fmt::format("pipe: {}", std::strerror(errno))};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
  std::vector<char*> argv = {const_cast<char*>(qemu.c_str()), const_cast<char*>(elf_path.c_str()), nullptr};
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, qemu.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawn_error != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    result.detail = fmt::format("cannot start {}: {}", qemu, std::strerror(spawn_error));
    return result;
  }

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool out_open = true, err_open = true, timed_out = false;
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    pollfd fds[2] = {{out_open ? out_pipe[0] : -1, POLLIN, 0}, {err_open ? err_pipe[0] : -1, POLLIN, 0}};
    if (poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) out_open = drain(out_pipe[0], result.stdout_bytes);
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) err_open = drain(err_pipe[0], result.detail);
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    result.status = Execution::Status::kTimedOut;
    result.detail = fmt::format("killed after {} ms", timeout_ms);
  } else if (WIFEXITED(status)) {
    result.status = Execution::Status::kExited;
    result.exit_code = WEXITSTATUS(status);
  } else {
    result.status = Execution::Status::kFaulted;
    result.detail = fmt::format("killed by signal {} ({}); stderr: {}", WTERMSIG(status), strsignal(WTERMSIG(status)),
                                result.detail);
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
