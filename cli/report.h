// Run reports for people (aligned text) and machines (JSON with ere-compatible field names).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cli/fault_location.h"
#include "vm/vm.h"

namespace zkrv::cli {

// How `zkrv run`, `prove` and `verify` end; also the process exit status (docs/cli.md).
enum ExitStatus : int {
  kExitSuccess = 0,
  kExitGuestFailure = 1,  // the guest exited with a non-zero code
  kExitUsage = 2,         // bad command line
  kExitGuestFault = 3,    // the VM stopped the guest: illegal instruction, bad access, ...
  kExitCycleLimit = 4,    // --max-cycles reached
  kExitBadInput = 5,      // the program or an input could not be loaded
  kExitNotProvable = 6,   // `prove`: the machine does not prove this run (riscv_air::RefusedError)
  kExitInvalidProof = 7,  // `verify`: the proof is malformed, for another program, or does not verify
  kExitUnexpected = 8,    // `verify`: a valid proof whose statement is not the expected one
  kExitUnsound = 9,       // `precompile check`: the package's circuit is refused, or its rows or cells have a problem
  kExitInternal = 70,     // a bug (sysexits' EX_SOFTWARE): an internal check failed
};

ExitStatus exit_status(const vm::RunResult& result);

struct ReportContext {
  std::string program;        // path as given
  std::string fault_message;  // Vm::describe() of the fault, if any
  std::string output_file;    // where the output was written, if anywhere
  StopLocation stop_location;  // source line and backtrace of a fault or an abort, when known
};

std::string human_report(const vm::RunResult& result, const ReportContext& context);
nlohmann::json json_report(const vm::RunResult& result, const ReportContext& context);

}  // namespace zkrv::cli
