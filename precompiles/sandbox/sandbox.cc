#include "precompiles/sandbox/sandbox.h"

#include <fmt/format.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "base/layout.h"
#include "precompiles/sandbox/channel.h"
#include "precompiles/sandbox/protocol.h"

namespace zkrv::precompiles::sandbox {
namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string syscall_name(uint32_t number) {
  char* name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, static_cast<int>(number));
  std::string text = name ? name : fmt::format("#{}", number);
  std::free(name);
  return text;
}

}  // namespace

std::filesystem::path default_worker_path() {
  if (const char* value = std::getenv("ZKRV_PRECOMPILE_WORKER"); value && *value) return value;
  const base::Layout& layout = base::running_layout();
  switch (layout.kind) {
    case base::LayoutKind::kInstalled: return layout.libexec_dir / kWorkerExecutable;
    // Where precompiles/CMakeLists.txt builds it.
    case base::LayoutKind::kBuildTree: return layout.libexec_dir / "precompiles" / kWorkerExecutable;
    case base::LayoutKind::kNone: break;
  }
  return {};
}

std::shared_ptr<SandboxedLibrary> SandboxedLibrary::start(int library_fd, const std::filesystem::path& worker,
                                                          const SandboxLimits& limits) {
  if (worker.empty()) {
    throw std::runtime_error(fmt::format("cannot start the precompile sandbox: no {} found (this program is neither an "
                                         "installed zkrv nor in its build tree); set ZKRV_PRECOMPILE_WORKER",
                                         kWorkerExecutable));
  }
  int sockets[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) != 0) {
    throw std::runtime_error(fmt::format("cannot create the sandbox socket: {}", std::strerror(errno)));
  }
  // Copies above the two target numbers, so that neither dup2 below clobbers the other's source
  // or is a same-number dup2 that would keep close-on-exec.
  const int socket_copy = ::fcntl(sockets[1], F_DUPFD_CLOEXEC, 10);
  const int library_copy = ::fcntl(library_fd, F_DUPFD_CLOEXEC, 10);
  const int channel_fd = ::memfd_create("zkrv-precompile-channel", MFD_CLOEXEC);
  ::close(sockets[1]);
  void* shared = MAP_FAILED;
  if (channel_fd >= 0 && ::ftruncate(channel_fd, sizeof(Channel)) == 0) {
    shared = ::mmap(nullptr, sizeof(Channel), PROT_READ | PROT_WRITE, MAP_SHARED, channel_fd, 0);
  }
  if (socket_copy < 0 || library_copy < 0 || shared == MAP_FAILED) {
    const int error = errno;
    for (int fd : {socket_copy, library_copy, channel_fd, sockets[0]}) {
      if (fd >= 0) ::close(fd);
    }
    throw std::runtime_error(fmt::format("cannot prepare the sandbox's channel: {}", std::strerror(error)));
  }
  auto* channel = static_cast<Channel*>(shared);
  // posix_spawn, not fork: the host may have threads, and only the two descriptors below cross.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, socket_copy, kWorkerSocketFd);
  posix_spawn_file_actions_adddup2(&actions, library_copy, kWorkerLibraryFd);
  posix_spawn_file_actions_adddup2(&actions, channel_fd, kWorkerChannelFd);
  const std::string program = worker.string();
  const std::string memory = std::to_string(limits.memory_bytes);
  const std::string cpu = std::to_string(limits.cpu_seconds);
  char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>(memory.c_str()), const_cast<char*>(cpu.c_str()),
                  nullptr};
  char* envp[] = {nullptr};  // nothing of the host's environment (LD_PRELOAD and the like)
  pid_t pid = 0;
  const int error = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  ::close(socket_copy);
  ::close(library_copy);
  ::close(channel_fd);
  if (error != 0) {
    ::close(sockets[0]);
    ::munmap(shared, sizeof(Channel));
    throw std::runtime_error(fmt::format("cannot start the precompile sandbox '{}': {}", program, std::strerror(error)));
  }
  return std::shared_ptr<SandboxedLibrary>(new SandboxedLibrary(pid, sockets[0], channel, limits));
}

SandboxedLibrary::~SandboxedLibrary() {
  ::close(socket_);
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  ::munmap(channel_, sizeof(Channel));
}

bool SandboxedLibrary::worker_still_answering(int64_t deadline_ms, std::string* why) {
  // The socket carries only the end of the worker or the filter's report.
  pollfd fd{socket_, POLLIN, 0};
  if (::poll(&fd, 1, 0) > 0) {
    MessageHeader report{};
    const ssize_t n = ::recv(socket_, &report, sizeof report, MSG_DONTWAIT | MSG_TRUNC);
    if (n == static_cast<ssize_t>(sizeof report) && report.type == static_cast<uint32_t>(MessageType::kViolation)) {
      *why = fmt::format("made a forbidden system call ({}) and was stopped", syscall_name(report.a));
    } else if (n > 0) {
      *why = fmt::format("broke the call protocol ({} bytes on its socket)", n);
    } else {
      *why = worker_failure();
    }
    return false;
  }
  if (now_ms() >= deadline_ms) {
    *why = fmt::format("did not answer within {} ms", limits_.call_timeout_ms);
    return false;
  }
  return true;
}

bool SandboxedLibrary::exchange(uint32_t type, uint32_t a, uint32_t b, const void* payload, size_t length,
                                int64_t deadline_ms, std::string* why, uint32_t c) {
  channel_->header = MessageHeader{type, a, b, c, 0};
  channel_->payload_length = static_cast<uint32_t>(length);
  if (length) std::memcpy(channel_->payload, payload, length);
  give_turn(channel_, kWorkersTurn);
  if (!wait_for_turn(channel_, kHostsTurn, 2'000'000,
                     [&] { return worker_still_answering(deadline_ms, why); })) {
    return false;
  }
  // Copied out once: the worker can rewrite the channel at any moment.
  header_ = channel_->header;
  const uint32_t n = channel_->payload_length;
  if (n > kMaxPayload) {
    *why = fmt::format("broke the call protocol (a payload of {} bytes)", n);
    return false;
  }
  payload_.assign(channel_->payload, channel_->payload + n);
  return true;
}

std::string SandboxedLibrary::worker_failure() {
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 200 && (done = ::waitpid(pid_, &status, WNOHANG)) == 0; ++i) ::usleep(1000);
  if (done != pid_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    return "closed its connection and was stopped";
  }
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    if (signal == SIGXCPU) return fmt::format("used up its CPU time limit ({} s) and was stopped", limits_.cpu_seconds);
    return fmt::format("crashed (signal {}: {})", signal, ::strsignal(signal));
  }
  return fmt::format("exited with status {}", WEXITSTATUS(status));
}

int SandboxedLibrary::fail(zkrv_precompile_call* call, const std::string& why) {
  if (!failed_) {
    failed_ = true;
    failure_ = why;
    ::kill(pid_, SIGKILL);
  }
  std::snprintf(call->error, sizeof call->error, "the sandboxed library %s", failure_.c_str());
  return ZKRV_PRECOMPILE_FAULT;
}

int SandboxedLibrary::witness(zkrv_precompile_call* call) {
  const zkrv_call_record* record = call->record;
  if (record == nullptr || (record->access_count != 0 && record->accesses == nullptr)) {
    std::snprintf(call->error, sizeof call->error, "the host passed no call record");
    return ZKRV_PRECOMPILE_FAULT;  // the host's mistake: the worker stays
  }
  if (record->access_count > kMaxWitnessAccesses) {
    std::snprintf(call->error, sizeof call->error, "the call record has %u word accesses; the sandbox carries at most %u",
                  record->access_count, kMaxWitnessAccesses);
    return ZKRV_PRECOMPILE_FAULT;
  }
  const uint32_t capacity =
      call->values == nullptr ? 0 : static_cast<uint32_t>(std::min<uint64_t>(call->capacity, kMaxWitnessValues));
  const int64_t deadline = now_ms() + limits_.call_timeout_ms;
  constexpr uint32_t kAccessesPerMessage = (kMaxPayload - kWitnessCallBytes) / kWitnessAccessBytes;
  static_assert(sizeof(zkrv_word_access) == kWitnessAccessBytes);
  std::vector<uint8_t> data(kWitnessCallBytes);
  const uint32_t fields[4] = {record->timestamp, record->rs1, record->rs2, record->rd};
  std::memcpy(data.data(), fields, sizeof fields);
  uint32_t sent = std::min(record->access_count, kAccessesPerMessage);
  if (sent) {
    const auto* first = reinterpret_cast<const uint8_t*>(record->accesses);
    data.insert(data.end(), first, first + size_t{sent} * kWitnessAccessBytes);
  }
  uint32_t type = static_cast<uint32_t>(MessageType::kWitness);
  uint32_t a = call->width, b = record->access_count, c = capacity;
  uint64_t received = 0;  // values taken into call->values, in order
  std::string why;
  while (true) {
    if (!exchange(type, a, b, data.data(), data.size(), deadline, &why, c)) return fail(call, why);
    const size_t length = payload_.size();
    data.clear();
    a = b = c = 0;
    switch (static_cast<MessageType>(header_.type)) {
      case MessageType::kWitnessMore: {
        if (length != 0 || sent == record->access_count) return fail(call, "broke the call protocol (a bad request for accesses)");
        const uint32_t n = std::min(record->access_count - sent, kMaxPayload / static_cast<uint32_t>(kWitnessAccessBytes));
        const auto* next = reinterpret_cast<const uint8_t*>(record->accesses + sent);
        data.assign(next, next + size_t{n} * kWitnessAccessBytes);
        sent += n;
        type = static_cast<uint32_t>(MessageType::kWitnessAccesses);
        break;
      }
      case MessageType::kWitnessRows: {
        // In order, whole values, within the capacity the worker was told: nothing else is written.
        if (header_.a != received || length % 4 != 0 || received + length / 4 > capacity) {
          return fail(call, fmt::format("broke the call protocol ({} witness values at offset {}; {} taken of {})",
                                        length / 4, header_.a, received, capacity));
        }
        std::memcpy(call->values + received, payload_.data(), length);
        received += length / 4;
        type = static_cast<uint32_t>(MessageType::kWitnessRowsReply);
        break;
      }
      case MessageType::kWitnessDone: {
        if (length > kMaxErrorText) return fail(call, "broke the call protocol (a bad witness reply)");
        const int status = static_cast<int>(header_.a);
        // The worker sends a successful call's rows, up to the capacity; the row count itself is
        // the library's answer, which the caller checks (precompiles::generate_witness).
        const uint64_t promised = std::min<uint64_t>(uint64_t{header_.b} * call->width, capacity);
        if (status == ZKRV_PRECOMPILE_OK ? received != promised : received != 0) {
          return fail(call, fmt::format("broke the call protocol ({} witness values for {} rows of {} columns)", received,
                                        header_.b, call->width));
        }
        call->row_count = header_.b;
        std::memcpy(call->error, payload_.data(), length);
        call->error[length] = 0;
        return status;
      }
      default: return fail(call, fmt::format("broke the call protocol (message type {} in a witness call)", header_.type));
    }
  }
}

int SandboxedLibrary::call(zkrv_precompile_call* call) {
  if (failed_) return fail(call, failure_);
  if (call->kind == ZKRV_CALL_WITNESS) return witness(call);
  const bool info = call->kind == ZKRV_CALL_INFO;
  if (!info && call->kind != ZKRV_CALL_EVAL) return fail(call, "was asked for an unknown call kind");
  const int64_t deadline = now_ms() + limits_.call_timeout_ms;
  std::string why;
  uint32_t type = static_cast<uint32_t>(info ? MessageType::kInfo : MessageType::kEval);
  uint32_t a = info ? 0 : call->rs1, b = info ? 0 : call->rs2;
  std::vector<uint8_t> data;
  while (true) {
    if (!exchange(type, a, b, data.data(), data.size(), deadline, &why)) return fail(call, why);
    const size_t length = payload_.size();
    data.clear();
    switch (static_cast<MessageType>(header_.type)) {
      case MessageType::kRead: {
        if (info || header_.b > kMaxPayload || length != 0) return fail(call, "broke the call protocol (a bad read request)");
        data.resize(header_.b);
        const int status = call->memory->read(call->memory->context, header_.a, data.data(), header_.b);
        if (status != 0) data.clear();
        type = static_cast<uint32_t>(MessageType::kReadReply);
        a = status == 0 ? 0 : 1;
        b = 0;
        break;
      }
      case MessageType::kWrite: {
        if (info || header_.b != length) return fail(call, "broke the call protocol (a bad write request)");
        // From the private copy: what the VM checks, writes and records is one and the same.
        const int status = call->memory->write(call->memory->context, header_.a, payload_.data(), header_.b);
        type = static_cast<uint32_t>(MessageType::kWriteReply);
        a = status == 0 ? 0 : 1;
        b = 0;
        break;
      }
      case MessageType::kDone: {
        if (info || length > kMaxErrorText) return fail(call, "broke the call protocol (a bad reply)");
        call->rd = header_.b;
        std::memcpy(call->error, payload_.data(), length);
        call->error[length] = 0;
        return static_cast<int>(header_.a);
      }
      case MessageType::kInfoReply: {
        if (!info) return fail(call, "broke the call protocol (an unexpected info reply)");
        const std::string text(payload_.begin(), payload_.end());
        const size_t first = text.find('\0');
        const size_t second = first == std::string::npos ? first : text.find('\0', first + 1);
        if (second == std::string::npos || text.size() - second - 1 > kMaxErrorText) {
          return fail(call, "broke the call protocol (a bad info reply)");
        }
        name_ = text.substr(0, first);
        version_ = text.substr(first + 1, second - first - 1);
        call->name = name_.c_str();
        call->version = version_.c_str();
        call->library_abi_version = header_.b;
        call->witness_rows_per_call = header_.c;
        call->witness_width = header_.d;
        const std::string error = text.substr(second + 1);
        std::memcpy(call->error, error.data(), error.size());
        call->error[error.size()] = 0;
        return static_cast<int>(header_.a);
      }
      default: return fail(call, fmt::format("broke the call protocol (message type {})", header_.type));
    }
  }
}

}  // namespace zkrv::precompiles::sandbox
