#include "cli/fault_location.h"

#include <fmt/format.h>

#include "debuginfo/source_map.h"
#include "profile/profile.h"

namespace zkrv::cli {

bool stopped_badly(const vm::RunResult& result) {
  return result.reason == vm::StopReason::kFault ||
         (result.reason == vm::StopReason::kExit && result.exit_code == kAbortExitCode);
}

StopLocation locate_stop(const elf::ElfImage& image, std::span<const uint8_t> file, vm::VmConfig config,
                         const vm::Inputs& inputs, const vm::RunResult& result) {
  StopLocation out;
  const bool fault = result.reason == vm::StopReason::kFault;
  const debuginfo::SourceMap sources(file);
  const auto source_of = [&](uint32_t pc) {
    const auto line = sources.line_at(pc);
    return line ? debuginfo::format(*line) : std::string();
  };
  if (fault) out.source = source_of(result.fault.pc);
  if (image.symbols.empty()) {
    out.note = "no backtrace: the ELF has no symbols";
    return out;
  }
  if (result.instructions > kBacktraceMaxSteps) {
    out.note = fmt::format("no backtrace: the run is longer than {} instructions", kBacktraceMaxSteps);
    return out;
  }
  config.log_sink = [](int, std::span<const uint8_t>) {};
  profile::CallProfiler profiler(image);
  vm::Vm vm(image, config);
  const vm::RunResult again = profile::run_profiled(vm, inputs, profiler);
  if (again.reason != result.reason || again.instructions != result.instructions ||
      (fault && again.fault.pc != result.fault.pc)) {
    out.note = "no backtrace: the tracing run did not end the same way";  // never, for a deterministic VM
    return out;
  }
  const uint32_t pc = fault ? result.fault.pc : profiler.last_pc();  // the exit ecall
  for (const profile::CallProfiler::BacktraceFrame& f : profiler.backtrace_at(pc)) {
    out.backtrace.push_back({f.pc, f.function == "[unknown]" ? "" : f.function, source_of(f.pc), sources.inlined_at(f.pc)});
  }
  // libc++ names its throw helpers __throw_<exception> (std::__throw_out_of_range, ...).
  for (const FaultFrame& frame : out.backtrace) {
    std::vector<std::string> names = frame.inlined;
    names.push_back(frame.function);
    for (const std::string& name : names) {
      const size_t at = name.find("__throw_");
      if (at != std::string::npos && out.exception.empty()) {
        const std::string rest = name.substr(at + 8);
        out.exception = "std::" + rest.substr(0, rest.find('('));
      }
    }
  }
  return out;
}

}  // namespace zkrv::cli
