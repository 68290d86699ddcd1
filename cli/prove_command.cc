// `zkrv prove`: runs a guest (pass 1), proves the run with the RISC-V machine (riscv_air) and
// writes the proof file (with --segment-steps, the run-proof file of its segments); prints the statement, cycles, times, sizes, peak memory and security.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <new>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "host/package_circuits.h"
#include "host/package_rows.h"
#include "host/precompile_resolver.h"
#include "cli/proof_report.h"
#include "elf/elf.h"
#include "riscv_air/program.h"
#include "riscv_air/prover.h"
#include "vm/vm.h"

namespace zkrv::cli {
namespace {

struct ProveOptions {
  std::string program;
  InputOptions inputs;
  std::string proof_file;
  std::string profile = "fast";
  SecurityOption security;
  uint64_t max_cycles = uint64_t{1} << 32;
  uint64_t max_input = uint64_t{1} << 30;
  bool json = false;
  uint64_t segment_steps = 0;  // 0: one proof; else the run-proof file of segments of this many steps
};

CLI::App* add_command(CLI::App& app, ProveOptions& o) {
  CLI::App* prove = app.add_subcommand("prove", "Run a guest program and prove the run (writes a proof file)");
  prove->add_option("program", o.program, "Guest ELF file")->required();
  add_input_options(prove, o.inputs);
  prove->add_option("-o,--proof", o.proof_file, "Write the proof to this file")->required();
  o.security = add_security_option(prove, o.profile, "Security profile: fast (conjectured bits) or secure (proven bits)");
  o.security.security->capture_default_str();
  prove->add_option("--max-cycles", o.max_cycles, "Stop after this many instructions (exit status 4)")
      ->capture_default_str()->check(whole_number_in(1, UINT64_MAX));
  prove->add_option("--max-input", o.max_input, "Largest input (each tape) in bytes")
      ->capture_default_str()->check(whole_number_in(0, vm::kMaxInputBytesLimit));
  prove->add_option("--segment-steps", o.segment_steps,
                    "Prove the run in segments of at most this many steps (1 to 2^22) and write a run-proof file")
      ->check(whole_number_in(1, uint64_t{1} << riscv_air::kMaxLogSteps));
  prove->add_flag("--json", o.json, "Print the report as JSON on stdout");
  return prove;
}

// Phase names on stderr, with the time since the start, when a person is watching; nothing when
// stderr is a file or a pipe (logs and CI stay clean).
class Progress {
 public:
  Progress() : shown_(isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {}
  void phase(std::string_view name) const {
    if (shown_) std::cerr << fmt::format("zkrv prove: [{:6.2f} s] {}\n", seconds(), name);
  }
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  bool shown_;
  std::chrono::steady_clock::time_point start_;
};

double since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int refuse(const ProveOptions& o, int status, const std::string& reason) {
  if (o.json) {
    std::cout << nlohmann::json{{"program", o.program}, {"status", "refused"}, {"error", reason}}.dump(2) << "\n";
  }
  std::cerr << "zkrv prove: cannot prove this run: " << reason << "\n";
  return status;
}

// What segment mode does not prove yet (riscv_air/generation.h, generate_segment_witness), refused
// before any proving work: the reason, or empty.
std::string segment_mode_refusal(const vm::Inputs& inputs, const vm::RunResult& run) {
  const auto tape = [](std::string_view name, size_t bytes) {
    return fmt::format("the run has a {} of {} bytes, and segment mode does not prove tapes yet", name, bytes);
  };
  if (!inputs.public_input.empty()) return tape("public input", inputs.public_input.size());
  if (!inputs.private_input.empty()) return tape("private input", inputs.private_input.size());
  if (!run.public_output.empty()) return tape("public output", run.public_output.size());
  for (const auto& [name, calls] : run.precompile_calls) {
    if (calls != 0) {
      return fmt::format("the run calls precompile {} ({} times), and segment mode does not prove precompile calls yet",
                         name, calls);
    }
  }
  if (run.misaligned_accesses != 0) {
    return fmt::format("the run makes {} misaligned accesses, and segment mode does not prove them yet",
                       run.misaligned_accesses);
  }
  return "";
}

// `--segment-steps N`: the run proven in segments, written as a run-proof file (riscv_air/run_proof.h).
int prove_segments(const ProveOptions& o, const elf::ElfImage& image, const vm::Inputs& inputs, const vm::RunResult& run,
                   const vm::VmConfig& config, const Progress& progress) {
  if (const std::string reason = segment_mode_refusal(inputs, run); !reason.empty()) {
    return refuse(o, kExitNotProvable, reason);
  }
  const stark::SecurityProfile& profile = o.profile == "secure" ? stark::secure_profile() : stark::fast_profile();
  riscv_air::RunProofOutput out;
  double setup_seconds = 0;
  double proving_seconds = 0;
  try {
    progress.phase(fmt::format("setup: commit the program's fixed tables for segments (profile {})", o.profile));
    const auto setup_start = std::chrono::steady_clock::now();
    const riscv_air::ProvingSetup setup = riscv_air::setup(image, profile);
    const riscv_air::SegmentSetup segments = riscv_air::segment_setup(setup);
    setup_seconds = since(setup_start);
    const auto prove_start = std::chrono::steady_clock::now();
    vm::VmConfig pass2;
    pass2.max_cycles = o.max_cycles;
    pass2.max_input_bytes = o.max_input;
    pass2.precompile_resolver = config.precompile_resolver;
    out = riscv_air::prove_run(setup, segments, image, inputs, o.segment_steps, pass2, [&](size_t k, size_t count) {
      progress.phase(fmt::format("prove segment {} of {}", k + 1, count));
    });
    proving_seconds = since(prove_start);
  } catch (const riscv_air::RefusedError& e) {
    return refuse(o, kExitNotProvable, e.what());
  } catch (const std::bad_alloc&) {
    return refuse(o, kExitNotProvable,
                  fmt::format("out of memory while proving segments of {} steps; prove with smaller --segment-steps",
                              o.segment_steps));
  } catch (const std::exception& e) {
    std::cerr << "zkrv prove: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  progress.phase("write the run proof");
  const std::vector<uint8_t> bytes = riscv_air::encode_run_proof_file(out.file);
  {
    std::ofstream file(o.proof_file, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!file) {
      std::cerr << "zkrv prove: cannot write the proof to '" << o.proof_file << "'\n";
      return kExitBadInput;
    }
  }
  riscv_air::Statement statement;
  statement.program_id = riscv_air::segment_program_id(out.file.key);
  statement.exit_code = out.exit_code;
  const uint64_t peak = peak_memory_bytes();
  if (o.json) {
    nlohmann::json j;
    j["program"] = o.program;
    j["status"] = "proved";
    j["proof_file"] = o.proof_file;
    j["proof_kind"] = "run";
    j["profile"] = o.profile;
    add_statement_json(j, statement);
    j["segments"] = out.file.segments.size();
    j["segment_steps"] = o.segment_steps;
    j["total_num_cycles"] = out.steps;
    j["proving_time"] = duration_json(proving_seconds);
    j["setup_time"] = duration_json(setup_seconds);
    j["execution_duration"] = duration_json(run.seconds);
    j["proof_size"] = bytes.size();
    j["peak_memory_bytes"] = peak;
    std::cout << j.dump(2) << "\n";
  } else {
    std::string text = fmt::format("zkrv prove {} -> {} (run proof)\n", o.program, o.proof_file);
    text += statement_lines(statement, o.profile);
    text += report_line("cycles", fmt::format("{}", out.steps));
    text += report_line("segments", fmt::format("{} of at most {} steps", out.file.segments.size(), o.segment_steps));
    text += report_line("proving", fmt::format("{:.3f} s ({:.0f} cycles/s), setup {:.3f} s", proving_seconds,
                                               proving_seconds > 0 ? static_cast<double>(out.steps) / proving_seconds : 0.0,
                                               setup_seconds));
    text += report_line("proof", fmt::format("{} bytes", bytes.size()));
    text += report_line("peak memory", fmt::format("{} MiB", peak >> 20));
    std::cout << text;
  }
  return out.exit_code == 0 ? kExitSuccess : kExitGuestFailure;
}

int do_prove(const ProveOptions& o) {
  if (!check_security_option("prove", o.security)) return kExitUsage;
  const Progress progress;
  const stark::SecurityProfile& profile = o.profile == "secure" ? stark::secure_profile() : stark::fast_profile();
  vm::VmConfig config;
  config.max_cycles = o.max_cycles;
  config.max_input_bytes = o.max_input;
  // stdout carries only the report: the guest's debug log (pass 1) goes to stderr.
  config.log_sink = [](int, std::span<const uint8_t> bytes) { std::fwrite(bytes.data(), 1, bytes.size(), stderr); };
  // Installed packages resolve a program's precompiles as for `zkrv run` (same search path, trust
  // files and sandbox); the libraries they load fill their circuits' rows, and their circuits come
  // from the same store (package_circuits.h).
  std::vector<std::string> warnings;
  const auto loaded = std::make_shared<host::LoadedPackages>();
  config.precompile_resolver = host::package_resolver(host::ResolverOptions{}, &warnings, loaded);
  const auto resolved = std::make_shared<host::ResolvedCircuits>();
  const riscv_air::PackageCircuitResolver circuits = host::package_circuit_resolver(host::ResolverOptions{}, resolved);
  std::vector<uint8_t> storage;
  elf::ElfImage image;
  vm::Inputs inputs;
  vm::RunResult run;
  std::string fault;
  try {
    inputs = read_inputs(o.inputs, o.max_input);
    image = elf::load_file(o.program, &storage, config.load_limits);
    progress.phase("run (pass 1)");
    vm::Vm vm(image, config);
    for (const auto& w : warnings) std::cerr << "zkrv prove: warning: " << w << "\n";
    run = vm.run(inputs);
    if (run.reason == vm::StopReason::kFault) fault = vm.describe(run.fault);
  } catch (const UsageError& e) {
    std::cerr << "zkrv prove: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {  // elf::ElfError, vm::LoadError
    if (o.json) std::cout << nlohmann::json{{"program", o.program}, {"status", "load-error"}, {"error", e.what()}}.dump(2) << "\n";
    std::cerr << "zkrv prove: " << e.what() << "\n";
    return kExitBadInput;
  }
  // Only a run that exited has a statement; a fault has no exit code to prove.
  if (run.reason == vm::StopReason::kFault) {
    if (run.fault.kind == vm::FaultKind::kCycleLimit) {
      return refuse(o, kExitCycleLimit, fmt::format("the guest did not exit within --max-cycles {}", o.max_cycles));
    }
    return refuse(o, kExitGuestFault, "the guest faulted: " + fault);
  }
  // Refused before any proving work, naming each precompile called that no circuit proves (neither
  // zkrv's own nor one its installed package carries), as `zkrv run` reports it
  // (docs/proof-system.md, "Precompile calls").
  std::vector<std::string> called;
  const std::vector<vm::PrecompileDescriptor> declared = vm::parse_precompile_descriptors(image);
  for (const auto& [name, calls] : run.precompile_calls) {
    if (calls == 0) continue;
    for (const vm::PrecompileDescriptor& d : declared) {
      if (d.name != name || riscv_air::has_circuit(d.name, d.version_requirement)) continue;
      try {
        if (circuits(riscv_air::DeclaredPrecompile{d.index, d.name, d.version_requirement, std::nullopt, nullptr, d.package_sha256})) break;
      } catch (const std::exception& e) {  // precompiles::PackageError, riscv_air::RefusedError
        return refuse(o, kExitNotProvable, fmt::format("the circuit of precompile {}: {}", d.name, e.what()));
      }
      // The summary below already says "no circuit proves it"; a circuit for another version is
      // worth naming.
      const bool other_version = riscv_air::circuit_version(d.name).has_value();
      called.push_back(fmt::format("{} ({} call{}{})", name, calls, calls == 1 ? "" : "s",
                                   other_version ? ": " + riscv_air::why_no_circuit(d.name, d.version_requirement) : ""));
      break;
    }
  }
  if (!called.empty()) {
    return refuse(o, kExitNotProvable, fmt::format("the run calls precompile{} {}: no circuit proves {}",
                                                   called.size() == 1 ? "" : "s", fmt::join(called, ", "),
                                                   called.size() == 1 ? "it" : "them"));
  }

  if (o.segment_steps != 0) return prove_segments(o, image, inputs, run, config, progress);

  riscv_air::ProveOutput out;
  double setup_seconds = 0;
  double proving_seconds = 0;
  try {
    progress.phase(fmt::format("setup: commit the program's fixed tables (profile {})", o.profile));
    const auto setup_start = std::chrono::steady_clock::now();
    const riscv_air::ProvingSetup setup = riscv_air::setup(image, profile, circuits);
    setup_seconds = since(setup_start);
    const auto prove_start = std::chrono::steady_clock::now();
    vm::VmConfig pass2;
    pass2.max_cycles = o.max_cycles;
    pass2.max_input_bytes = o.max_input;
    pass2.precompile_resolver = config.precompile_resolver;
    out = riscv_air::prove(setup, image, inputs, pass2, [&progress](std::string_view phase) { progress.phase(phase); },
                           host::package_rows(loaded));
    proving_seconds = since(prove_start);
  } catch (const riscv_air::RefusedError& e) {
    return refuse(o, kExitNotProvable, e.what());
  } catch (const precompiles::PackageError& e) {  // a declared package's circuit, at setup
    return refuse(o, kExitNotProvable, e.what());
  } catch (const std::bad_alloc&) {
    // A resource limit of this machine, not a bug: the run is provable with more memory.
    return refuse(o, kExitNotProvable,
                  fmt::format("out of memory while proving {} steps (docs/benchmarks.md gives the peak memory of "
                              "runs of each length); prove on a machine with more memory or a shorter run",
                              run.instructions));
  } catch (const std::exception& e) {
    std::cerr << "zkrv prove: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  progress.phase("write the proof");
  {
    std::ofstream file(o.proof_file, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(out.proof.data()), static_cast<std::streamsize>(out.proof.size()));
    if (!file) {
      std::cerr << "zkrv prove: cannot write the proof to '" << o.proof_file << "'\n";
      return kExitBadInput;
    }
  }
  const uint64_t peak = peak_memory_bytes();
  if (o.json) {
    nlohmann::json j;
    j["program"] = o.program;
    j["status"] = "proved";
    j["proof_file"] = o.proof_file;
    j["profile"] = o.profile;
    add_statement_json(j, out.statement);
    j["public_input_bytes"] = out.statement.public_input.size();
    j["total_num_cycles"] = out.steps;
    j["proving_time"] = duration_json(proving_seconds);
    j["setup_time"] = duration_json(setup_seconds);
    j["execution_duration"] = duration_json(run.seconds);
    j["proof_size"] = out.proof.size();
    j["peak_memory_bytes"] = peak;
    j["security"] = security_json(out.security, o.profile);
    j["package_circuits"] = package_circuits_json(*resolved);
    std::cout << j.dump(2) << "\n";
  } else {
    std::string text = fmt::format("zkrv prove {} -> {}\n", o.program, o.proof_file);
    text += statement_lines(out.statement, o.profile);
    text += report_line("cycles", fmt::format("{}", out.steps));
    text += report_line("proving", fmt::format("{:.3f} s ({:.0f} cycles/s), setup {:.3f} s", proving_seconds,
                                               proving_seconds > 0 ? static_cast<double>(out.steps) / proving_seconds : 0.0,
                                               setup_seconds));
    text += report_line("proof", fmt::format("{} bytes", out.proof.size()));
    text += report_line("peak memory", fmt::format("{} MiB", peak >> 20));
    text += security_line(out.security, o.profile);
    text += package_circuit_lines(*resolved);
    std::cout << text;
  }
  // The proof states the exit code; the status says it as `zkrv run` does (1 for a non-zero code).
  return out.statement.exit_code == 0 ? kExitSuccess : kExitGuestFailure;
}

}  // namespace

Subcommand register_prove(CLI::App& app) { return make_subcommand(app, add_command, do_prove); }

}  // namespace zkrv::cli
