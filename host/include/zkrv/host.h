// zkrv host API (library zkrv::host): load a guest program, execute it, prove the run. The
// counterpart of RISC Zero's default_prover() and SP1's ProverClient for a C++ host. Precompile
// packages resolve as in `zkrv run` (search path, trust files; docs/precompiles.md). Verifying
// needs only zkrv/verifier.h and the zkrv::verifier library.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zkrv/verifier.h"

namespace zkrv::host {

// A program that cannot be loaded (not a valid zkrv ELF, a missing precompile package) or that
// this machine does not prove; what() says why.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Inputs {
  std::vector<uint8_t> public_input;   // part of the statement
  std::vector<uint8_t> private_input;  // hints: not part of the statement
};

struct PrecompileOptions {
  bool allow_untrusted = false;
  std::vector<std::string> trust_keys;  // extra public keys (files or key text) trusted for this run
};

struct ExecuteOptions {
  uint64_t max_cycles = uint64_t{1} << 32;
  uint64_t max_input_bytes = uint64_t{1} << 30;  // each input
  PrecompileOptions precompiles;
  // Receives what the guest writes to fd 1 and 2. Default: this process's stdout and stderr.
  std::function<void(int fd, std::span<const uint8_t> bytes)> log_sink;
};

enum class Stop {
  kExit,        // the guest called exit: exit_code and public_output are valid
  kFault,       // the guest faulted (fault says where and why)
  kCycleLimit,  // max_cycles ran out
};

struct ExecuteReport {
  Stop stop = Stop::kExit;
  int32_t exit_code = 0;
  std::vector<uint8_t> public_output;
  std::string fault;  // empty unless stop != kExit
  uint64_t cycles = 0;
  double seconds = 0;
  std::vector<std::pair<std::string, uint64_t>> precompile_calls;  // name, calls
  std::vector<std::string> warnings;  // from precompile resolution (e.g. an untrusted package)
};

struct ProveOptions {
  std::string profile = "fast";  // "fast" (conjectured bits) or "secure" (proven bits)
  ExecuteOptions execute;
};

struct ProveResult {
  std::vector<uint8_t> proof;  // the proof file's bytes, as `zkrv prove -o` writes them
  Statement statement;
  Security security;
  std::string profile;
  uint64_t cycles = 0;
};

// A loaded guest ELF. Setup for a profile (committing the program's fixed tables) is done once,
// on first use, and kept; a Program may be used from several threads.
class Program {
 public:
  // Throw Error.
  static Program load(const std::filesystem::path& elf);
  static Program from_elf(std::vector<uint8_t> elf_bytes);

  Program(Program&&) noexcept;
  Program& operator=(Program&&) noexcept;
  ~Program();

  // The id proofs of this program carry under `profile`. Throws Error for a program this machine
  // does not prove, std::invalid_argument for an unknown profile.
  ProgramId id(std::string_view profile = "fast") const;

  struct Impl;

 private:
  explicit Program(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend ExecuteReport execute(const Program&, const Inputs&, const ExecuteOptions&);
  friend ProveResult prove(const Program&, const Inputs&, const ProveOptions&);
};

// Runs the program once, without proving. Throws Error when it cannot start (a precompile
// package missing or refused); a guest fault is a report, not an exception.
ExecuteReport execute(const Program& program, const Inputs& inputs, const ExecuteOptions& options = {});

// Runs and proves the program. Throws Error for a run that has no statement (a fault, the cycle
// limit) or that this machine does not prove.
ProveResult prove(const Program& program, const Inputs& inputs, const ProveOptions& options = {});

}  // namespace zkrv::host
