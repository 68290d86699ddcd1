// zkrv-precompile-worker: runs one precompile library for one zkrv process, under a seccomp-bpf
// filter and resource limits (docs/precompiles.md "Sandbox"). Started by sandbox.cc with the
// socket at fd 3 and the sealed library at fd 4; never started by hand.
//   zkrv-precompile-worker MEMORY_BYTES CPU_SECONDS
//
// Order matters: limits and the first filter are in place before dlopen runs any of the library's
// code (its constructors included); the second, stricter filter before the first call.
#include <dlfcn.h>
#include <fcntl.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zkrv/precompile.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "precompiles/sandbox/channel.h"
#include "precompiles/sandbox/protocol.h"

namespace {

using zkrv::precompiles::sandbox::Channel;
using zkrv::precompiles::sandbox::give_turn;
using zkrv::precompiles::sandbox::kHostsTurn;
using zkrv::precompiles::sandbox::kMaxErrorText;
using zkrv::precompiles::sandbox::kMaxPayload;
using zkrv::precompiles::sandbox::kMaxWitnessAccesses;
using zkrv::precompiles::sandbox::kMaxWitnessValues;
using zkrv::precompiles::sandbox::kWitnessAccessBytes;
using zkrv::precompiles::sandbox::kWitnessCallBytes;
using zkrv::precompiles::sandbox::kWorkerChannelFd;
using zkrv::precompiles::sandbox::kWorkerLibraryFd;
using zkrv::precompiles::sandbox::kWorkersTurn;
using zkrv::precompiles::sandbox::kWorkerSocketFd;
using zkrv::precompiles::sandbox::MessageHeader;
using zkrv::precompiles::sandbox::MessageType;
using zkrv::precompiles::sandbox::wait_for_turn;

constexpr int kExitSetupFailed = 70;
constexpr int kExitViolation = 71;
constexpr int kExitHostGone = 72;

Channel* channel = nullptr;
pid_t host_pid = 0;

// Hands a message to the host; returns when it is the worker's turn again (the host's reply is
// then in the channel). Exits when the host is gone.
void exchange(MessageType type, uint32_t a, uint32_t b, const void* payload = nullptr, size_t length = 0,
              uint32_t c = 0, uint32_t d = 0) {
  channel->header = MessageHeader{static_cast<uint32_t>(type), a, b, c, d};
  channel->payload_length = static_cast<uint32_t>(length);
  if (length) std::memcpy(channel->payload, payload, length);
  give_turn(channel, kHostsTurn);
  if (!wait_for_turn(channel, kWorkersTurn, 200'000'000, [] { return ::getppid() == host_pid; })) {
    std::_Exit(kExitHostGone);
  }
}

// SIGSYS from the filter (SCMP_ACT_TRAP): tell the host which call it was, then stop. Only
// async-signal-safe calls, and only ones the filter allows.
void on_forbidden_syscall(int, siginfo_t* info, void*) {
  const MessageHeader header{static_cast<uint32_t>(MessageType::kViolation), static_cast<uint32_t>(info->si_syscall), 0, 0};
  [[maybe_unused]] const ssize_t ignored = ::write(kWorkerSocketFd, &header, sizeof header);
  ::_exit(kExitViolation);
}

// libseccomp's SCMP_A* macros leave a field to the compiler (clang's -Wmissing-field-initializers).
scmp_arg_cmp argument(unsigned index, scmp_compare op, uint64_t a, uint64_t b = 0) {
  return scmp_arg_cmp{index, op, a, b};
}

void allow(scmp_filter_ctx filter, int syscall) {
  if (seccomp_rule_add(filter, SCMP_ACT_ALLOW, syscall, 0) != 0) std::_Exit(kExitSetupFailed);
}
template <typename... Conditions>
void allow_if(scmp_filter_ctx filter, int syscall, Conditions... conditions) {
  if (seccomp_rule_add(filter, SCMP_ACT_ALLOW, syscall, sizeof...(conditions), conditions...) != 0) {
    std::_Exit(kExitSetupFailed);
  }
}

// What every stage allows: the protocol's socket and channel (futex), memory within RLIMIT_AS
// (never executable after loading), and the calls a C/C++ runtime makes on its own (locks, signal
// return, exit, abort's tgkill of itself).
void allow_runtime(scmp_filter_ctx filter) {
#ifndef ZKRV_WORKER_UNDER_SANITIZER
  allow_if(filter, SCMP_SYS(read), argument(0, SCMP_CMP_EQ, kWorkerSocketFd));
  allow_if(filter, SCMP_SYS(write), argument(0, SCMP_CMP_EQ, kWorkerSocketFd));
#else
  // The sanitizer runtimes probe memory through a pipe (UBSan's vptr check) and write reports to
  // stderr; standard output stays closed to the library.
  allow(filter, SCMP_SYS(read));
  allow_if(filter, SCMP_SYS(write), argument(0, SCMP_CMP_NE, 1));
  allow(filter, SCMP_SYS(pipe2));
  allow(filter, SCMP_SYS(sigaltstack));  // ASan, when an exception unwinds
  allow(filter, SCMP_SYS(close));
#endif
  for (int call : {SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(futex),
                   SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
                   SCMP_SYS(getpid), SCMP_SYS(getppid), SCMP_SYS(gettid), SCMP_SYS(tgkill), SCMP_SYS(clock_gettime),
                   SCMP_SYS(getrandom), SCMP_SYS(sched_yield)}) {
    allow(filter, call);
  }
}

// Stage 1, while dlopen maps the library: read-only opens (the loader opens the library's
// /proc/self/fd path), reads of any descriptor, executable mappings, and loading stage 2. No
// exec, no sockets, no processes or threads, no ptrace, no writes but to the socket.
void load_stage1() {
  scmp_filter_ctx filter = seccomp_init(SCMP_ACT_TRAP);
  if (!filter) std::_Exit(kExitSetupFailed);
  allow_runtime(filter);
  allow_if(filter, SCMP_SYS(openat), argument(2, SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY));
  for (int call : {SCMP_SYS(read), SCMP_SYS(pread64), SCMP_SYS(close), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
                   SCMP_SYS(mmap), SCMP_SYS(mprotect), SCMP_SYS(prctl), SCMP_SYS(seccomp)}) {
    allow(filter, call);
  }
  if (seccomp_load(filter) != 0) std::_Exit(kExitSetupFailed);
  seccomp_release(filter);
}

// Stage 2, for every call: only the protocol socket and non-executable memory.
void load_stage2() {
  scmp_filter_ctx filter = seccomp_init(SCMP_ACT_TRAP);
  if (!filter) std::_Exit(kExitSetupFailed);
  allow_runtime(filter);
  allow_if(filter, SCMP_SYS(mmap), argument(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
  allow_if(filter, SCMP_SYS(mprotect), argument(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
  if (seccomp_load(filter) != 0) std::_Exit(kExitSetupFailed);
  seccomp_release(filter);
}

void set_limit(int resource, rlim_t value) {
  const rlimit limit{value, value};
  if (::setrlimit(resource, &limit) != 0) std::_Exit(kExitSetupFailed);
}

// Guest memory as the library sees it: every access becomes messages to the host, which checks
// and records it exactly as for an in-process library.
struct RemoteMemory {
  static int read(void*, uint32_t address, void* out, uint32_t length) {
    auto* bytes = static_cast<uint8_t*>(out);
    for (uint32_t done = 0; done < length;) {
      const uint32_t n = std::min(length - done, kMaxPayload);
      exchange(MessageType::kRead, address + done, n);
      if (channel->header.type != static_cast<uint32_t>(MessageType::kReadReply)) std::_Exit(kExitHostGone);
      if (channel->header.a != 0) return 1;
      if (channel->payload_length != n) std::_Exit(kExitHostGone);
      std::memcpy(bytes + done, channel->payload, n);
      done += n;
    }
    return 0;
  }
  static int write(void*, uint32_t address, const void* data, uint32_t length) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    for (uint32_t done = 0; done < length;) {
      const uint32_t n = std::min(length - done, kMaxPayload);
      exchange(MessageType::kWrite, address + done, n, bytes + done, n);
      if (channel->header.type != static_cast<uint32_t>(MessageType::kWriteReply)) std::_Exit(kExitHostGone);
      if (channel->header.a != 0) return 1;
      done += n;
    }
    return 0;
  }
};

// One witness call (protocol.h, kWitness): the record in, the library's rows out in order.
void serve_witness(zkrv_precompile_eval_fn eval, const MessageHeader& request) {
  const uint32_t width = request.a, access_count = request.b, capacity = request.c;
  size_t length = channel->payload_length;
  if (access_count > kMaxWitnessAccesses || capacity > kMaxWitnessValues || length < kWitnessCallBytes ||
      (length - kWitnessCallBytes) % kWitnessAccessBytes != 0) {
    std::_Exit(kExitHostGone);
  }
  uint32_t fields[4];
  std::memcpy(fields, channel->payload, sizeof fields);
  std::vector<zkrv_word_access> accesses(access_count);
  size_t have = (length - kWitnessCallBytes) / kWitnessAccessBytes;
  if (have > access_count) std::_Exit(kExitHostGone);
  // A record of no access has no storage to copy into (data() may be null, which memcpy may not take).
  if (have > 0) std::memcpy(accesses.data(), channel->payload + kWitnessCallBytes, have * kWitnessAccessBytes);
  while (have < access_count) {
    exchange(MessageType::kWitnessMore, 0, 0);
    length = channel->payload_length;
    const size_t n = length / kWitnessAccessBytes;
    if (channel->header.type != static_cast<uint32_t>(MessageType::kWitnessAccesses) || length % kWitnessAccessBytes != 0 ||
        n == 0 || n > access_count - have) {
      std::_Exit(kExitHostGone);
    }
    std::memcpy(accesses.data() + have, channel->payload, length);
    have += n;
  }
  const zkrv_call_record record{fields[0], fields[1], fields[2], fields[3], access_count, accesses.data()};
  std::vector<uint32_t> values(capacity);
  zkrv_precompile_call call{};
  call.abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
  call.struct_size = sizeof call;
  call.kind = ZKRV_CALL_WITNESS;
  call.record = &record;
  call.width = width;
  call.values = values.data();
  call.capacity = capacity;
  const int status = eval(&call);
  call.error[sizeof call.error - 1] = 0;
  if (status == ZKRV_PRECOMPILE_OK) {
    // The rows the library says it wrote, never past the buffer: the host checks the count.
    const size_t total = static_cast<size_t>(std::min<uint64_t>(uint64_t{call.row_count} * width, capacity));
    for (size_t done = 0; done < total;) {
      const size_t n = std::min<size_t>(total - done, kMaxPayload / 4);
      exchange(MessageType::kWitnessRows, static_cast<uint32_t>(done), 0, values.data() + done, n * 4);
      if (channel->header.type != static_cast<uint32_t>(MessageType::kWitnessRowsReply)) std::_Exit(kExitHostGone);
      done += n;
    }
  }
  const size_t error_length = status == ZKRV_PRECOMPILE_OK ? 0 : std::strlen(call.error);
  exchange(MessageType::kWitnessDone, static_cast<uint32_t>(status), call.row_count, call.error, error_length);
}

std::string bounded(const char* text) {
  std::string s = text ? text : "";
  if (s.size() > kMaxErrorText) s.resize(kMaxErrorText);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "zkrv-precompile-worker is started by zkrv, not by hand\n");
    return 2;
  }
  const rlim_t memory_bytes = std::strtoull(argv[1], nullptr, 10);
  const rlim_t cpu_seconds = std::strtoull(argv[2], nullptr, 10);
#ifndef ZKRV_WORKER_UNDER_SANITIZER
  set_limit(RLIMIT_AS, memory_bytes);
#else
  (void)memory_bytes;
#endif
  set_limit(RLIMIT_CPU, cpu_seconds);
  set_limit(RLIMIT_FSIZE, 0);
  set_limit(RLIMIT_CORE, 0);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return kExitSetupFailed;
  // Die with the host: no orphaned worker spinning on a channel nobody serves.
  host_pid = ::getppid();
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (::getppid() != host_pid) return kExitHostGone;
  void* shared = ::mmap(nullptr, sizeof(Channel), PROT_READ | PROT_WRITE, MAP_SHARED, kWorkerChannelFd, 0);
  if (shared == MAP_FAILED) return kExitSetupFailed;
  ::close(kWorkerChannelFd);
  channel = static_cast<Channel*>(shared);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);  // no ptrace of this process by its peers

  struct sigaction action {};
  action.sa_sigaction = on_forbidden_syscall;
  action.sa_flags = SA_SIGINFO;
  ::sigaction(SIGSYS, &action, nullptr);

  load_stage1();
  const std::string library_path = "/proc/self/fd/" + std::to_string(kWorkerLibraryFd);
  void* library = ::dlopen(library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  zkrv_precompile_eval_fn eval = nullptr;
  std::string load_error;
  if (!library) {
    load_error = "the library does not load: " + bounded(::dlerror());
  } else if (!(eval = reinterpret_cast<zkrv_precompile_eval_fn>(::dlsym(library, ZKRV_PRECOMPILE_SYMBOL)))) {
    load_error = std::string("the library does not export ") + ZKRV_PRECOMPILE_SYMBOL;
  }
  load_stage2();

  const zkrv_guest_memory memory{nullptr, &RemoteMemory::read, &RemoteMemory::write};
  // The first request: the host handed the turn over before or after this process started.
  if (!wait_for_turn(channel, kWorkersTurn, 200'000'000, [] { return ::getppid() == host_pid; })) {
    return kExitHostGone;
  }
  while (true) {
    const MessageHeader request = channel->header;
    zkrv_precompile_call call{};
    call.abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
    call.struct_size = sizeof call;
    if (request.type == static_cast<uint32_t>(MessageType::kInfo)) {
      call.kind = ZKRV_CALL_INFO;
      int status = ZKRV_PRECOMPILE_FAULT;
      if (eval) {
        status = eval(&call);
      } else {
        std::snprintf(call.error, sizeof call.error, "%s", load_error.c_str());
      }
      call.error[sizeof call.error - 1] = 0;
      std::string payload = bounded(call.name);
      payload.push_back('\0');
      payload += bounded(call.version);
      payload.push_back('\0');
      payload += call.error;
      exchange(MessageType::kInfoReply, static_cast<uint32_t>(status), call.library_abi_version, payload.data(),
               payload.size(), call.witness_rows_per_call, call.witness_width);
    } else if (request.type == static_cast<uint32_t>(MessageType::kEval) && eval) {
      call.kind = ZKRV_CALL_EVAL;
      call.rs1 = request.a;
      call.rs2 = request.b;
      call.memory = &memory;
      const int status = eval(&call);
      call.error[sizeof call.error - 1] = 0;
      const size_t error_length = status == ZKRV_PRECOMPILE_OK ? 0 : std::strlen(call.error);
      exchange(MessageType::kDone, static_cast<uint32_t>(status), call.rd, call.error, error_length);
    } else if (request.type == static_cast<uint32_t>(MessageType::kWitness) && eval) {
      serve_witness(eval, request);
    } else {
      return kExitHostGone;
    }
  }
}
