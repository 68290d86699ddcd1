// `zkrv run`: runs a guest program and prints its run report (cli/report.h).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <utility>

#include "cli/commands.h"
#include "cli/fault_location.h"
#include "cli/inputs.h"
#include "host/precompile_resolver.h"
#include "elf/elf.h"
#include "gdbstub/server.h"
#include "gdbstub/stub.h"
#include "profile/profile.h"
#include "riscv_air/machine.h"
#include "vm/vm.h"

namespace zkrv::cli {
namespace {

struct RunOptions {
  std::string program;
  InputOptions inputs;
  std::string output_file;
  uint64_t max_cycles = uint64_t{1} << 32;
  uint32_t max_output = 1u << 20;
  uint64_t max_memory = uint64_t{3} << 30;
  uint64_t max_input = uint64_t{1} << 30;
  bool json = false;
  bool quiet = false;
  std::vector<std::string> profiles;
  std::string profile_weight = "cycles";
  host::ResolverOptions precompiles;
  uint64_t segment_steps = 0;  // 0: no checkpoints
  std::string gdb;  // HOST:PORT to serve gdb on, or empty
  uint64_t gdb_timeout = 0;  // seconds to wait for gdb to connect; 0: no limit
};

// A day: enough for any script, and far from overflowing the milliseconds the server waits in.
constexpr uint64_t kMaxGdbTimeoutSeconds = 86400;

// Weighs each step by the committed cells of the table row that proves it (riscv_air's W): the
// family table of its instruction, or the Misaligned table for a misaligned load or store (not
// LoadStore, which proves only aligned ones). Table widths do not depend on the program, so an
// empty machine shape gives them.
void weigh_by_proving_cells(profile::CallProfiler& profiler) {
  const stark::air::Machine machine = riscv_air::make_machine(riscv_air::MachineShape{});
  std::vector<uint64_t> cells(static_cast<size_t>(isa::Op::kCount), 0);
  for (size_t op = 0; op < cells.size(); ++op) {
    const size_t table = riscv_air::table_of(static_cast<isa::Op>(op));
    if (table < riscv_air::kNumTables) cells[op] = riscv_air::cells_per_row(machine, table);
  }
  profiler.set_op_weights(std::move(cells));
  profiler.set_misaligned_weight(riscv_air::cells_per_row(machine, riscv_air::kMisalignedTable));
}

// Writes the profile in the format its file name asks for: .svg, .json (speedscope), else folded.
void write_profile(const std::string& path, const profile::Profile& p, const std::string& program) {
  const bool svg = path.ends_with(".svg");
  const bool json = path.ends_with(".json");
  const std::string text = svg    ? profile::to_svg(p, program)
                           : json ? profile::to_speedscope(p, program)
                                  : profile::to_folded(p);
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw UsageError("cannot write the profile to '" + path + "'");
}

CLI::App* add_command(CLI::App& app, RunOptions& o) {
  CLI::App* run = app.add_subcommand("run", "Run a guest program and print its run report");
  run->add_option("program", o.program, "Guest ELF file")->required();
  add_input_options(run, o.inputs);
  run->add_option("--output", o.output_file, "Write the public output bytes to this file");
  run->add_option("--max-cycles", o.max_cycles, "Stop after this many instructions (exit status 4)")
      ->capture_default_str()->check(whole_number_in(1, UINT64_MAX));
  run->add_option("--max-output", o.max_output, "Largest public output in bytes")
      ->capture_default_str()->check(whole_number_in(0, vm::kMaxOutputBytesLimit));
  run->add_option("--max-memory", o.max_memory, "Largest total size of the program's segments in bytes")
      ->capture_default_str()->check(whole_number_in(vm::GuestMemory::kPageSize, uint64_t{4} << 30));
  run->add_option("--max-input", o.max_input, "Largest input (each tape) in bytes")
      ->capture_default_str()->check(whole_number_in(0, vm::kMaxInputBytesLimit));
  run->add_flag("--json", o.json, "Print the report as JSON on stdout (the guest's log goes to stderr)");
  run->add_flag("-q,--quiet", o.quiet, "Print no report (faults are still reported)");
  run->add_option("--profile", o.profiles,
                  "Write a cycle profile (call stacks) to this file: .svg flame graph, .json speedscope, "
                  "else folded stacks; repeat for several")
      ->type_name("FILE");
  run->add_option("--profile-weight", o.profile_weight,
                  "What a profile counts: cycles (instructions), or cells (the committed cells of the table "
                  "row that proves each instruction: proving cost)")
      ->check(CLI::IsMember({"cycles", "cells"}))
      ->capture_default_str();
  run->add_option("--segment-steps", o.segment_steps,
                  "Record a checkpoint every N steps, as continuations cut a run into segments, and report "
                  "the segments (docs/trace.md, \"Checkpoints\")")
      ->type_name("N")
      ->check(whole_number_in(1, UINT64_MAX));
  CLI::Option* gdb =
      run->add_option("--gdb", o.gdb,
                      "Wait for gdb on this address (HOST:PORT, or PORT for 127.0.0.1; port 0 picks a free one) "
                      "and run under its control (docs/guides/debugging.md)")
          ->type_name("HOST:PORT");
  run->add_option("--gdb-timeout", o.gdb_timeout,
                  "Give up (exit status 2) when no gdb connects within this many seconds (default: wait as "
                  "long as it takes)")
      ->type_name("SECONDS")
      ->check(whole_number_in(1, kMaxGdbTimeoutSeconds))
      ->needs(gdb);
  run->add_flag("--allow-untrusted", o.precompiles.allow_untrusted,
                "Accept unsigned or untrusted precompile packages (with a warning)");
  run->add_option("--trust-key", o.precompiles.trust_keys, "Also trust this public key (file or text) for precompile packages");
  return run;
}

// "HOST:PORT" or "PORT" (127.0.0.1) into its parts; UsageError when malformed.
std::pair<std::string, uint16_t> parse_gdb_address(const std::string& text) {
  const size_t colon = text.rfind(':');
  const std::string host = colon == std::string::npos ? "127.0.0.1" : text.substr(0, colon);
  const std::string port = colon == std::string::npos ? text : text.substr(colon + 1);
  const bool digits = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos;
  if (host.empty() || !digits || std::stoul(port) > 65535) {
    throw UsageError("--gdb wants HOST:PORT or PORT (a port from 0 to 65535), not '" + text + "'");
  }
  return {host, static_cast<uint16_t>(std::stoul(port))};
}

// Serves gdb on `o.gdb` over a stepped run; returns the run's result (a detached or disconnected
// gdb lets the run finish), or nullopt when gdb killed the run.
std::optional<vm::RunResult> run_under_gdb(vm::Vm& vm, const vm::Inputs& inputs, const RunOptions& o) {
  const auto [host, port] = parse_gdb_address(o.gdb);
  gdbstub::Listener listener(host, port);
  // One write: std::cerr is unbuffered, and a script reading the port must never see half of it.
  std::cerr << fmt::format("waiting for gdb on {}:{}\n", host, listener.port()) << std::flush;
  const std::unique_ptr<vm::DebugSession> session = vm.debug(inputs);
  gdbstub::Stub stub(*session);
  std::optional<std::chrono::milliseconds> accept_timeout;
  if (o.gdb_timeout != 0) accept_timeout = std::chrono::seconds(o.gdb_timeout);
  listener.serve(stub, accept_timeout);
  if (stub.killed() && !session->halted()) {
    std::cerr << fmt::format("zkrv run: gdb killed the run at pc 0x{:x} after {} instructions\n", session->pc(),
                             session->instructions());
    return std::nullopt;
  }
  session->resume();
  return session->result();
}

// What --segment-steps reports of each checkpoint.
struct CheckpointSummary {
  uint64_t step = 0;
  uint32_t pc = 0;
  size_t pages = 0;
  uint64_t bytes = 0;
};

nlohmann::json segments_json(uint64_t steps, const std::vector<CheckpointSummary>& checkpoints) {
  nlohmann::json list = nlohmann::json::array();
  for (const CheckpointSummary& c : checkpoints) {
    list.push_back({{"step", c.step}, {"pc", fmt::format("0x{:x}", c.pc)}, {"pages", c.pages}, {"bytes", c.bytes}});
  }
  return {{"segment_steps", steps}, {"count", checkpoints.size()}, {"checkpoints", list}};
}

int do_run(const RunOptions& o) {
  if (!o.gdb.empty() && !o.profiles.empty()) {
    std::cerr << "zkrv run: --gdb and --profile cannot be combined\n";
    return kExitUsage;
  }
  if (o.segment_steps != 0 && (!o.gdb.empty() || !o.profiles.empty())) {
    std::cerr << "zkrv run: --segment-steps cannot be combined with --gdb or --profile\n";
    return kExitUsage;
  }
  std::vector<CheckpointSummary> checkpoints;
  vm::VmConfig config;
  config.max_cycles = o.max_cycles;
  config.max_output_bytes = o.max_output;
  config.max_input_bytes = o.max_input;
  config.load_limits.max_mapped_size = o.max_memory;
  std::vector<std::string> warnings;
  config.precompile_resolver = host::package_resolver(o.precompiles, &warnings);
  if (o.json) {
    // stdout carries only the JSON report: the guest's debug log goes to stderr.
    config.log_sink = [](int, std::span<const uint8_t> bytes) {
      std::fwrite(bytes.data(), 1, bytes.size(), stderr);
    };
  }
  std::vector<uint8_t> storage;
  vm::RunResult result;
  ReportContext context{o.program, "", "", {}};
  try {
    const vm::Inputs inputs = read_inputs(o.inputs, o.max_input);
    const elf::ElfImage image = elf::load_file(o.program, &storage, config.load_limits);
    vm::Vm vm(image, config);
    for (const auto& w : warnings) std::cerr << "zkrv run: warning: " << w << "\n";
    if (!o.gdb.empty()) {
      std::optional<vm::RunResult> debugged = run_under_gdb(vm, inputs, o);
      if (!debugged) return kExitGuestFault;
      result = std::move(*debugged);
    } else if (o.segment_steps != 0) {
      result = vm.run(inputs, o.segment_steps, [&](const vm::Checkpoint& c) {
        checkpoints.push_back({c.step, c.pc, c.pages.size(), c.size_bytes()});
      });
    } else if (o.profiles.empty()) {
      result = vm.run(inputs);
    } else {
      std::vector<std::string> precompile_names;
      for (const vm::PrecompileDescriptor& d : vm::parse_precompile_descriptors(image)) {
        if (d.index >= precompile_names.size()) precompile_names.resize(d.index + 1);
        precompile_names[d.index] = d.name;
      }
      profile::CallProfiler profiler(image, std::move(precompile_names));
      if (o.profile_weight == "cells") weigh_by_proving_cells(profiler);
      result = profile::run_profiled(vm, inputs, profiler);
      const profile::Profile p = profiler.finish();
      for (const std::string& path : o.profiles) write_profile(path, p, o.program);
    }
    if (result.reason == vm::StopReason::kFault) context.fault_message = vm.describe(result.fault);
    if (stopped_badly(result)) context.stop_location = locate_stop(image, storage, config, inputs, result);
  } catch (const UsageError& e) {
    std::cerr << "zkrv run: " << e.what() << "\n";
    return kExitUsage;
  } catch (const gdbstub::ServerError& e) {
    std::cerr << "zkrv run: --gdb: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {  // elf::ElfError, vm::LoadError
    if (o.json) {
      std::cout << nlohmann::json{{"program", o.program}, {"status", "load-error"}, {"error", e.what()}}.dump(2) << "\n";
    }
    std::cerr << "zkrv run: " << e.what() << "\n";
    return kExitBadInput;
  }
  if (!o.output_file.empty() && result.reason == vm::StopReason::kExit) {
    std::ofstream out(o.output_file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(result.public_output.data()),
              static_cast<std::streamsize>(result.public_output.size()));
    if (!out) {
      std::cerr << "zkrv run: cannot write the output to '" << o.output_file << "'\n";
      return kExitBadInput;
    }
    context.output_file = o.output_file;
  }
  if (result.ignored_region_calls != 0) {
    std::cerr << fmt::format("zkrv run: warning: {} region call{} ignored (the first at {}); regions only feed "
                             "the report, never the proven result\n",
                             result.ignored_region_calls, result.ignored_region_calls == 1 ? "" : "s",
                             result.first_ignored_region_call);
  }
  if (o.json) {
    nlohmann::json report = json_report(result, context);
    if (o.segment_steps != 0) report["segments"] = segments_json(o.segment_steps, checkpoints);
    std::cout << report.dump(2) << "\n";
  } else if (!o.quiet) {
    std::fflush(stdout);
    std::string text = human_report(result, context);
    if (o.segment_steps != 0) {
      uint64_t bytes = 0;
      size_t pages = 0;
      for (const CheckpointSummary& c : checkpoints) {
        bytes += c.bytes;
        pages = std::max(pages, c.pages);
      }
      text += fmt::format("  segments     {} of {} steps (checkpoints: {} bytes in all, at most {} pages each)\n",
                          checkpoints.size(), o.segment_steps, bytes, pages);
    }
    std::cerr << text;
  } else if (result.reason == vm::StopReason::kFault) {
    std::cerr << "zkrv run: " << context.fault_message << "\n";
  }
  return exit_status(result);
}

}  // namespace

Subcommand register_run(CLI::App& app) { return make_subcommand(app, add_command, do_run); }

}  // namespace zkrv::cli
