// A precompile library running out of process: one worker (worker.cc) per loaded package, under a
// seccomp-bpf filter with memory and CPU limits, reached through the call protocol (protocol.h).
// Guest memory is reached only through the caller's zkrv_guest_memory callbacks, so the VM checks
// and records every access exactly as for a library loaded in process. Any failure of the worker
// (a crash, a forbidden system call, a timeout, a broken protocol message) becomes a
// ZKRV_PRECOMPILE_FAULT whose error text says what happened; the worker is then stopped and every
// later call fails the same way.
#pragma once

#include <sys/types.h>
#include <zkrv/precompile.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "precompiles/sandbox/protocol.h"

namespace zkrv::precompiles::sandbox {

struct SandboxLimits {
  uint64_t memory_bytes = uint64_t{1} << 30;  // the worker's address space (RLIMIT_AS)
  uint32_t cpu_seconds = 600;                 // the worker's whole life (RLIMIT_CPU)
  int call_timeout_ms = 10'000;               // one call, wall clock
};

inline constexpr const char* kWorkerExecutable = "zkrv-precompile-worker";

// The worker executable: $ZKRV_PRECOMPILE_WORKER when set and not empty; else, for an installed
// zkrv (base::running_layout()), <libexecdir>/zkrv/zkrv-precompile-worker beside it; else, for an
// executable inside a build tree, that tree's worker; else empty (start() then refuses).
std::filesystem::path default_worker_path();

class SandboxedLibrary {
 public:
  // Starts the worker on the library open at `library_fd` (a sealed memfd; duplicated, not taken).
  // Throws std::runtime_error when the worker cannot be started.
  static std::shared_ptr<SandboxedLibrary> start(int library_fd, const std::filesystem::path& worker,
                                                 const SandboxLimits& limits);
  ~SandboxedLibrary();
  SandboxedLibrary(const SandboxedLibrary&) = delete;
  SandboxedLibrary& operator=(const SandboxedLibrary&) = delete;

  // A zkrv_precompile_eval_fn call carried out by the worker: ZKRV_CALL_INFO fills name and version
  // (pointing into this object), ZKRV_CALL_EVAL runs the precompile against call->memory,
  // ZKRV_CALL_WITNESS carries the record to the worker and the rows back (at most
  // kMaxWitnessValues of them, only ever within call->values[0, capacity)).
  int call(zkrv_precompile_call* call);

  pid_t worker_pid() const { return pid_; }

 private:
  SandboxedLibrary(pid_t pid, int socket, Channel* channel, const SandboxLimits& limits)
      : pid_(pid), socket_(socket), channel_(channel), limits_(limits) {}
  int fail(zkrv_precompile_call* call, const std::string& why);
  int witness(zkrv_precompile_call* call);
  std::string worker_failure();  // why the worker stopped, once it has
  // Hands a message to the worker and waits for its answer until the deadline; the answer's header
  // and payload are then copied into header_ and payload_. False (with *why) on a timeout, the
  // worker's end or a forbidden system call.
  bool exchange(uint32_t type, uint32_t a, uint32_t b, const void* payload, size_t length, int64_t deadline_ms,
                std::string* why, uint32_t c = 0);
  // Between waits: is the worker still there and within its time?
  bool worker_still_answering(int64_t deadline_ms, std::string* why);

  pid_t pid_;
  int socket_;
  Channel* channel_;
  SandboxLimits limits_;
  MessageHeader header_{};
  bool failed_ = false;
  std::string failure_;
  std::vector<uint8_t> payload_;
  std::string name_, version_;
};

}  // namespace zkrv::precompiles::sandbox
