#include "cli/report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/hex.h"

namespace zkrv::cli {
namespace {

std::string with_commas(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string describe_size(uint64_t bytes) {
  if (bytes < 10 * 1024) return fmt::format("{} B", bytes);
  if (bytes < 10 * 1024 * 1024) return fmt::format("{} KiB", bytes / 1024);
  return fmt::format("{} MiB", bytes / (1024 * 1024));
}

const char* status_word(const vm::RunResult& r) {
  switch (exit_status(r)) {
    case kExitSuccess: return "success";
    case kExitGuestFailure: return "guest-failure";
    case kExitCycleLimit: return "cycle-limit";
    default: return "fault";
  }
}

// Shows printable output as text too, so "hello" needs no hex decoding by eye.
std::string printable(const std::vector<uint8_t>& bytes) {
  for (uint8_t b : bytes) {
    if (b < 0x20 || b > 0x7e) {
      if (b != '\n' && b != '\t') return "";
    }
  }
  std::string s(bytes.begin(), bytes.end());
  for (auto& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return s;
}

}  // namespace

ExitStatus exit_status(const vm::RunResult& r) {
  if (r.reason == vm::StopReason::kFault) {
    return r.fault.kind == vm::FaultKind::kCycleLimit ? kExitCycleLimit : kExitGuestFault;
  }
  return r.exit_code == 0 ? kExitSuccess : kExitGuestFailure;
}

std::string human_report(const vm::RunResult& r, const ReportContext& c) {
  std::string out;
  const auto line = [&out](std::string_view key, const std::string& value) {
    out += fmt::format("  {:<13}{}\n", key, value);
  };
  const auto location_lines = [&line](const StopLocation& l) {
    if (!l.source.empty()) line("at", l.source);
    for (size_t i = 0; i < l.backtrace.size(); ++i) {
      const FaultFrame& f = l.backtrace[i];
      line(i == 0 ? "backtrace" : "",
           fmt::format("#{} 0x{:08x} {}{}{}", i, f.pc, f.function.empty() ? "??" : f.function,
                       f.source.empty() ? "" : " at " + f.source,
                       f.inlined.empty() ? "" : fmt::format(" (inlined: {})", fmt::join(f.inlined, " < "))));
    }
    if (!l.note.empty()) line("backtrace", l.note);
    if (!l.exception.empty()) {
      line("exception", fmt::format("{} would have been thrown: zkrv guests have no exceptions, so libc++ "
                                    "calls abort() instead (docs/guides/c-cpp.md)", l.exception));
    }
  };
  out += fmt::format("zkrv run {}\n", c.program);
  if (r.reason == vm::StopReason::kFault) {
    line("result", fmt::format("{} (no exit code)", vm::fault_name(r.fault.kind)));
    line("fault", c.fault_message);
    location_lines(c.stop_location);
  } else {
    line("result", r.exit_code == 0 ? "exit 0 (success)" : fmt::format("exit {} (guest failure)", r.exit_code));
    location_lines(c.stop_location);  // abort(): where it was called
    if (r.public_output.empty()) {
      line("output", "none");
    } else if (r.public_output.size() <= 64) {
      const std::string text = printable(r.public_output);
      line("output", fmt::format("{} bytes: {}{}", r.public_output.size(), base::to_hex(r.public_output),
                                 text.empty() ? "" : fmt::format(" \"{}\"", text)));
    } else {
      std::vector<uint8_t> head(r.public_output.begin(), r.public_output.begin() + 32);
      line("output", fmt::format("{} bytes: {}...{}", r.public_output.size(), base::to_hex(head),
                                 c.output_file.empty() ? " (--output FILE for all of it)" : ""));
    }
    if (!c.output_file.empty()) line("", fmt::format("written to {}", c.output_file));
  }
  line("instructions", with_commas(r.instructions));
  for (const auto& [name, count] : r.regions) {
    const double share = r.instructions ? 100.0 * static_cast<double>(count) / static_cast<double>(r.instructions) : 0;
    line("region", fmt::format("{} {} ({:.1f}%)", name, with_commas(count), share));
  }
  for (const auto& [name, calls] : r.precompile_calls) line("precompile", fmt::format("{} {} call{}", name, with_commas(calls), calls == 1 ? "" : "s"));
  line("misaligned", with_commas(r.misaligned_accesses));
  line("memory", fmt::format("{} pages touched ({}) of {} mapped", with_commas(r.pages_touched),
                             describe_size(r.pages_touched * vm::GuestMemory::kPageSize), describe_size(r.mapped_pages * vm::GuestMemory::kPageSize)));
  line("time", fmt::format("{:.3f} s ({:.0f} MIPS)", r.seconds, r.mips()));
  return out;
}

namespace {

nlohmann::json backtrace_json(const StopLocation& location) {
  nlohmann::json frames = nlohmann::json::array();
  for (const FaultFrame& f : location.backtrace) {
    frames.push_back({{"pc", f.pc}, {"function", f.function}, {"source", f.source}, {"inlined", f.inlined}});
  }
  return frames;
}

}  // namespace

nlohmann::json json_report(const vm::RunResult& r, const ReportContext& c) {
  nlohmann::json j;
  j["program"] = c.program;
  j["status"] = status_word(r);
  j["exit_code"] = r.reason == vm::StopReason::kExit ? nlohmann::json(r.exit_code) : nlohmann::json(nullptr);
  j["public_output_hex"] = base::to_hex(r.public_output);
  j["public_output_bytes"] = r.public_output.size();
  if (!c.output_file.empty()) j["output_file"] = c.output_file;
  // ere's ProgramExecutionReport names: total_num_cycles, region_cycles, execution_duration.
  j["total_num_cycles"] = r.instructions;
  nlohmann::json regions = nlohmann::json::object();
  for (const auto& [name, count] : r.regions) regions[name] = count;
  j["region_cycles"] = regions;
  j["ignored_region_calls"] = r.ignored_region_calls;
  const uint64_t nanos = static_cast<uint64_t>(r.seconds * 1e9);
  j["execution_duration"] = {{"secs", nanos / 1000000000}, {"nanos", nanos % 1000000000}};
  j["instructions"] = r.instructions;
  j["misaligned_accesses"] = r.misaligned_accesses;
  nlohmann::json calls = nlohmann::json::object();
  for (const auto& [name, count] : r.precompile_calls) calls[name] = count;
  j["precompile_calls"] = calls;
  j["pages_touched"] = r.pages_touched;
  j["peak_memory_bytes"] = r.pages_touched * vm::GuestMemory::kPageSize;
  j["mapped_bytes"] = r.mapped_pages * vm::GuestMemory::kPageSize;
  j["wall_seconds"] = r.seconds;
  j["mips"] = r.mips();
  if (r.reason != vm::StopReason::kFault && !c.stop_location.backtrace.empty()) {  // abort()
    j["abort"] = {{"backtrace", backtrace_json(c.stop_location)}};
    if (!c.stop_location.exception.empty()) j["abort"]["exception"] = c.stop_location.exception;
  }
  if (r.reason == vm::StopReason::kFault) {
    j["fault"] = {{"kind", vm::fault_name(r.fault.kind)},
                  {"pc", r.fault.pc},
                  {"address", r.fault.addr},
                  {"message", c.fault_message}};
    if (!c.stop_location.source.empty()) j["fault"]["source"] = c.stop_location.source;
    if (!c.stop_location.backtrace.empty()) j["fault"]["backtrace"] = backtrace_json(c.stop_location);
  }
  return j;
}

}  // namespace zkrv::cli
