#include "cli/fault_location.h"

#include <fmt/format.h>

#include "debuginfo/source_map.h"
#include "profile/profile.h"

namespace zkrv::cli {

FaultLocation locate_fault(const elf::ElfImage& image, std::span<const uint8_t> file, vm::VmConfig config,
                           const vm::Inputs& inputs, const vm::RunResult& faulted) {
  FaultLocation out;
  const debuginfo::SourceMap sources(file);
  const auto source_of = [&](uint32_t pc) {
    const auto line = sources.line_at(pc);
    return line ? debuginfo::format(*line) : std::string();
  };
  out.source = source_of(faulted.fault.pc);
  if (image.symbols.empty()) {
    out.note = "no backtrace: the ELF has no symbols";
    return out;
  }
  if (faulted.instructions > kBacktraceMaxSteps) {
    out.note = fmt::format("no backtrace: the run is longer than {} instructions", kBacktraceMaxSteps);
    return out;
  }
  config.log_sink = [](int, std::span<const uint8_t>) {};
  profile::CallProfiler profiler(image);
  vm::Trace trace;
  trace.segment_steps = uint64_t{1} << 20;
  trace.on_segment = [&](const vm::Trace& t) { profiler.add(t.steps); };
  vm::Vm vm(image, config);
  const vm::RunResult again = vm.run_traced(inputs, &trace);
  if (again.reason != vm::StopReason::kFault || again.fault.pc != faulted.fault.pc ||
      again.instructions != faulted.instructions) {
    out.note = "no backtrace: the tracing run did not fault the same way";  // never, for a deterministic VM
    return out;
  }
  for (const profile::CallProfiler::BacktraceFrame& f : profiler.backtrace_at(faulted.fault.pc)) {
    out.backtrace.push_back({f.pc, f.function == "[unknown]" ? "" : f.function, source_of(f.pc)});
  }
  return out;
}

}  // namespace zkrv::cli
