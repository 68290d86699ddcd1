#include "cli/commands.h"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "cli/precompile_resolver.h"
#include "elf/elf.h"
#include "isa/isa.h"
#include "vm/trace.h"
#include "vm/vm.h"

namespace zkrv::cli {
namespace {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The two input tapes, as `run` and `trace` take them.
struct InputOptions {
  std::string input_file, input_hex, hint_file, hint_hex;
};

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
  ResolverOptions precompiles;
};

struct TraceOptions {
  std::string program;
  InputOptions inputs;
  uint64_t from = 0;
  uint64_t count = 100;
  uint64_t max_cycles = uint64_t{1} << 32;
  bool json = false;
  ResolverOptions precompiles;
};

struct InspectOptions {
  std::string program;
  bool json = false;
  bool all_symbols = false;
  ResolverOptions precompiles;
};

RunOptions run_options;
InspectOptions inspect_options;
TraceOptions trace_options;

std::vector<uint8_t> read_file(const std::string& path, uint64_t limit, const char* what) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw vm::LoadError(fmt::format("cannot open {} file '{}'", what, path));
  const auto size = static_cast<uint64_t>(in.tellg());
  if (size > limit) {
    throw vm::LoadError(fmt::format("{} file '{}' is {} bytes, more than the limit of {} bytes", what, path, size, limit));
  }
  std::vector<uint8_t> bytes(size);
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (!in) throw vm::LoadError(fmt::format("cannot read {} file '{}'", what, path));
  return bytes;
}

std::vector<uint8_t> parse_hex(std::string text, const char* option) {
  if (text.starts_with("0x") || text.starts_with("0X")) text = text.substr(2);
  if (text.size() % 2) throw UsageError(fmt::format("{}: odd number of hex digits ({})", option, text.size()));
  std::vector<uint8_t> bytes;
  bytes.reserve(text.size() / 2);
  const auto nibble = [&](char c, size_t pos) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
    throw UsageError(fmt::format("{}: '{}' at position {} is not a hex digit", option, c, pos));
  };
  for (size_t i = 0; i < text.size(); i += 2) bytes.push_back(static_cast<uint8_t>(nibble(text[i], i) << 4 | nibble(text[i + 1], i + 1)));
  return bytes;
}

std::vector<uint8_t> input_from(const std::string& file, const std::string& hex, const char* file_option,
                                const char* hex_option, uint64_t limit) {
  if (!file.empty() && !hex.empty()) throw UsageError(fmt::format("use {} or {}, not both", file_option, hex_option));
  if (!file.empty()) return read_file(file, limit, file_option + 2);
  if (!hex.empty()) return parse_hex(hex, hex_option);
  return {};
}

vm::Inputs read_inputs(const InputOptions& o, uint64_t limit) {
  vm::Inputs inputs;
  inputs.public_input = input_from(o.input_file, o.input_hex, "--input", "--input-hex", limit);
  inputs.private_input = input_from(o.hint_file, o.hint_hex, "--hint", "--hint-hex", limit);
  return inputs;
}

void add_input_options(CLI::App* command, InputOptions& o) {
  command->add_option("--input", o.input_file, "Public input: a file whose bytes the guest reads with rin");
  command->add_option("--input-hex", o.input_hex, "Public input as hex digits");
  command->add_option("--hint", o.hint_file, "Private input (hints; read_input): a file");
  command->add_option("--hint-hex", o.hint_hex, "Private input as hex digits");
}

int do_run() {
  const RunOptions& o = run_options;
  vm::VmConfig config;
  config.max_cycles = o.max_cycles;
  config.max_output_bytes = o.max_output;
  config.max_input_bytes = o.max_input;
  config.load_limits.max_mapped_size = o.max_memory;
  std::vector<std::string> warnings;
  config.precompile_resolver = package_resolver(o.precompiles, &warnings);
  if (o.json) {
    // stdout carries only the JSON report: the guest's debug log goes to stderr.
    config.log_sink = [](int, std::span<const uint8_t> bytes) {
      std::fwrite(bytes.data(), 1, bytes.size(), stderr);
    };
  }
  std::vector<uint8_t> storage;
  vm::RunResult result;
  ReportContext context{o.program, "", ""};
  try {
    const vm::Inputs inputs = read_inputs(o.inputs, o.max_input);
    const elf::ElfImage image = elf::load_file(o.program, &storage, config.load_limits);
    vm::Vm vm(image, config);
    for (const auto& w : warnings) std::cerr << "zkrv run: warning: " << w << "\n";
    result = vm.run(inputs);
    if (result.reason == vm::StopReason::kFault) context.fault_message = vm.describe(result.fault);
  } catch (const UsageError& e) {
    std::cerr << "zkrv run: " << e.what() << "\n";
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
  if (o.json) {
    std::cout << json_report(result, context).dump(2) << "\n";
  } else if (!o.quiet) {
    std::fflush(stdout);
    std::cerr << human_report(result, context);
  } else if (result.reason == vm::StopReason::kFault) {
    std::cerr << "zkrv run: " << context.fault_message << "\n";
  }
  return exit_status(result);
}

// One step as a person reads it: what the instruction wrote.
std::string step_effects(const vm::TraceStep& step) {
  const isa::DecodedInsn d = isa::decode(step.insn);
  std::string effects;
  const isa::Format f = isa::format(d.op);
  const bool writes_rd = f != isa::Format::Store && f != isa::Format::Branch && f != isa::Format::None && d.rd != 0;
  if (writes_rd || d.op == isa::Op::ECALL) {
    effects = fmt::format("{}=0x{:08x}", isa::reg_name(d.op == isa::Op::ECALL ? 10 : d.rd), step.rd_value);
  }
  const bool memory = f == isa::Format::Load || f == isa::Format::Store || f == isa::Format::Lr || f == isa::Format::Amo;
  if (memory) {
    const char* space = d.op == isa::Op::RIN ? "public" : d.op == isa::Op::HIN ? "hint" : d.op == isa::Op::WOU ? "output" : "mem";
    if (!effects.empty()) effects += "  ";
    if (step.mem_before == step.mem_after && f != isa::Format::Store) {
      effects += fmt::format("{}[0x{:x}] -> 0x{:x}", space, step.mem_addr, step.mem_before);
    } else {
      effects += fmt::format("{}[0x{:x}]: 0x{:x} => 0x{:x}", space, step.mem_addr, step.mem_before, step.mem_after);
    }
  }
  return effects;
}

int do_trace() {
  const TraceOptions& o = trace_options;
  vm::VmConfig config;
  config.max_cycles = o.max_cycles;
  config.log_sink = [](int, std::span<const uint8_t>) {};  // the trace is the output here
  config.precompile_resolver = package_resolver(o.precompiles, nullptr);
  std::vector<uint8_t> storage;
  vm::Inputs inputs;
  vm::RunResult fast, traced;
  vm::Trace trace;
  trace.from = o.from;
  trace.count = o.count;
  std::array<uint8_t, 32> fast_digest{}, traced_digest{};
  std::string fault_message;
  try {
    inputs = read_inputs(o.inputs, config.max_input_bytes);
    const elf::ElfImage image = elf::load_file(o.program, &storage, config.load_limits);
    // One registry for both passes, so every index means the same implementation in each.
    config.precompiles = vm::PrecompileRegistry::resolve(vm::parse_precompile_descriptors(image), config.precompile_resolver);
    {
      vm::Vm pass1(image, config);
      fast = pass1.run(inputs);
      fast_digest = pass1.memory_digest();
    }
    vm::Vm pass2(image, config);
    traced = pass2.run_traced(inputs, &trace);
    traced_digest = pass2.memory_digest();
    if (traced.reason == vm::StopReason::kFault) fault_message = pass2.describe(traced.fault);
  } catch (const UsageError& e) {
    std::cerr << "zkrv trace: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "zkrv trace: " << e.what() << "\n";
    return kExitBadInput;
  }
  const bool agree = fast.reason == traced.reason && fast.exit_code == traced.exit_code &&
                     fast.public_output == traced.public_output && fast.instructions == traced.instructions &&
                     fast_digest == traced_digest;
  if (o.json) {
    nlohmann::json j;
    j["program"] = o.program;
    j["passes_agree"] = agree;
    j["instructions"] = traced.instructions;
    j["memory_digest"] = to_hex(std::vector<uint8_t>(traced_digest.begin(), traced_digest.end()));
    j["status"] = traced.reason == vm::StopReason::kFault ? "fault" : traced.exit_code == 0 ? "success" : "guest-failure";
    j["steps"] = nlohmann::json::array();
    for (size_t i = 0; i < trace.steps.size(); ++i) {
      const vm::TraceStep& s = trace.steps[i];
      j["steps"].push_back({{"step", o.from + i}, {"pc", s.pc}, {"insn", s.insn},
                            {"disassembly", isa::disassemble(isa::decode(s.insn), s.pc)}, {"rs1_value", s.rs1_value},
                            {"rs2_value", s.rs2_value}, {"rd_value", s.rd_value}, {"mem_addr", s.mem_addr},
                            {"mem_before", s.mem_before}, {"mem_after", s.mem_after}});
    }
    j["precompile_accesses"] = trace.precompile_accesses.size();
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << fmt::format("{:>10}  {:<10}  {:<8}  {:<32}  {}\n", "step", "pc", "insn", "instruction", "effects");
    for (size_t i = 0; i < trace.steps.size(); ++i) {
      const vm::TraceStep& s = trace.steps[i];
      const isa::DecodedInsn d = isa::decode(s.insn);
      std::cout << fmt::format("{:>10}  0x{:08x}  {:<8}  {:<32}  {}\n", o.from + i, s.pc,
                               d.length == 2 ? fmt::format("{:04x}", s.insn) : fmt::format("{:08x}", s.insn),
                               isa::disassemble(d, s.pc), step_effects(s));
    }
    std::cout << fmt::format("{} instructions; pass 1 and pass 2 {}\n", traced.instructions,
                             agree ? "agree (exit, output, count, memory)" : "DISAGREE");
    if (!fault_message.empty()) std::cout << fault_message << "\n";
  }
  if (!agree) return kExitGuestFault;
  return exit_status(traced);
}

std::string flags_text(uint32_t flags) {
  return fmt::format("{}{}{}", flags & elf::kRead ? 'R' : '-', flags & elf::kWrite ? 'W' : '-', flags & elf::kExec ? 'X' : '-');
}

int do_inspect() {
  const InspectOptions& o = inspect_options;
  std::vector<uint8_t> storage;
  elf::ElfImage image;
  try {
    image = elf::load_file(o.program, &storage);
  } catch (const std::exception& e) {
    if (o.json) std::cout << nlohmann::json{{"program", o.program}, {"valid", false}, {"error", e.what()}}.dump(2) << "\n";
    std::cerr << "zkrv inspect: " << e.what() << "\n";
    return kExitBadInput;
  }
  // ABI checks that do not make a program invalid but that a user wants to see.
  std::vector<std::pair<std::string, std::string>> checks;
  const elf::Symbol* start = image.find_symbol("_start");
  checks.emplace_back("entry", start && start->value == image.entry ? "at _start"
                                                                     : fmt::format("0x{:x} ({})", image.entry, image.symbolize(image.entry)));
  std::optional<uint32_t> abi_version;
  if (const elf::Section* note = image.find_section(".note.zkrv.abi"); note && note->bytes.size() >= 4) {
    abi_version = static_cast<uint32_t>(note->bytes[0] | note->bytes[1] << 8 | note->bytes[2] << 16 | note->bytes[3] << 24);
  }
  checks.emplace_back("abi", abi_version ? fmt::format("zkrv guest ABI v{}{}", *abi_version, *abi_version == 1 ? "" : " (this VM runs v1)")
                                         : "no .note.zkrv.abi note (not built with the zkrv SDK; runs if it follows ABI v1)");
  checks.emplace_back("compressed", image.flags & 1 ? "yes (RVC)" : "no");
  const uint64_t mapped = image.mapped_size();
  checks.emplace_back("mapped", fmt::format("{} bytes in {} segments", mapped, image.segments.size()));

  // Declared precompiles and what each resolves to here (a failure is shown, not fatal).
  struct Declared {
    vm::PrecompileDescriptor descriptor;
    std::string resolution;
    bool ok;
  };
  std::vector<Declared> declared;
  std::string descriptor_error;
  try {
    const vm::PrecompileResolver resolver = package_resolver(o.precompiles, nullptr);
    for (const auto& d : vm::parse_precompile_descriptors(image)) {
      try {
        const vm::PrecompileImplementation impl = resolver(d);
        declared.push_back({d, fmt::format("{} {} (package sha256 {})", impl.name, impl.version,
                                           to_hex(std::vector<uint8_t>(impl.package_sha256.begin(), impl.package_sha256.end()))), true});
      } catch (const std::exception& e) {
        declared.push_back({d, e.what(), false});
      }
    }
  } catch (const std::exception& e) {
    descriptor_error = e.what();
  }

  if (o.json) {
    nlohmann::json j;
    j["program"] = o.program;
    j["valid"] = true;
    j["entry"] = image.entry;
    j["abi_version"] = abi_version ? nlohmann::json(*abi_version) : nlohmann::json(nullptr);
    j["segments"] = nlohmann::json::array();
    for (const auto& s : image.segments) {
      j["segments"].push_back({{"index", s.index}, {"vaddr", s.vaddr}, {"memsz", s.memsz},
                               {"filesz", s.file_bytes.size()}, {"flags", flags_text(s.flags)}});
    }
    j["sections"] = nlohmann::json::array();
    for (const auto& s : image.sections) {
      if (s.name.empty()) continue;
      j["sections"].push_back({{"name", s.name}, {"addr", s.addr}, {"size", s.bytes.size()}});
    }
    j["symbols"] = image.symbols.size();
    j["precompiles"] = nlohmann::json::array();
    for (const auto& p : declared) {
      j["precompiles"].push_back({{"index", p.descriptor.index}, {"name", p.descriptor.name},
                                  {"requirement", p.descriptor.version_requirement}, {"resolved", p.ok},
                                  {"resolution", p.resolution}});
    }
    if (!descriptor_error.empty()) j["precompile_error"] = descriptor_error;
    for (const auto& [k, v] : checks) j["checks"][k] = v;
    std::cout << j.dump(2) << "\n";
    return kExitSuccess;
  }
  std::cout << fmt::format("{}: valid zkrv guest ELF\n", o.program);
  for (const auto& [k, v] : checks) std::cout << fmt::format("  {:<11}{}\n", k, v);
  std::cout << "  segments:\n";
  for (const auto& s : image.segments) {
    std::cout << fmt::format("    #{:<2} {}  0x{:08x}-0x{:08x}  {:>10} bytes ({} from the file)\n", s.index,
                             flags_text(s.flags), s.vaddr, uint64_t{s.vaddr} + s.memsz, s.memsz, s.file_bytes.size());
  }
  bool header = false;
  for (const auto& s : image.sections) {
    if (!s.name.starts_with(".note.zkrv")) continue;
    if (!header) std::cout << "  zkrv notes:\n";
    header = true;
    std::cout << fmt::format("    {} ({} bytes)\n", s.name, s.bytes.size());
  }
  if (!declared.empty() || !descriptor_error.empty()) std::cout << "  precompiles:\n";
  for (const auto& p : declared) {
    std::cout << fmt::format("    #{:<4} {} {}: {}{}\n", p.descriptor.index, p.descriptor.name,
                             p.descriptor.version_requirement, p.ok ? "" : "NOT RESOLVED: ", p.resolution);
  }
  if (!descriptor_error.empty()) std::cout << "    invalid: " << descriptor_error << "\n";
  std::cout << fmt::format("  symbols:   {}\n", image.symbols.size());
  if (o.all_symbols) {
    for (const auto& s : image.symbols) {
      std::cout << fmt::format("    0x{:08x} {:>8} {} {}\n", s.value, s.size, s.is_function ? 'F' : 'O', s.name);
    }
  }
  return kExitSuccess;
}

}  // namespace

void register_run(CLI::App& app) {
  RunOptions& o = run_options;
  CLI::App* run = app.add_subcommand("run", "Run a guest program and print its run report");
  run->add_option("program", o.program, "Guest ELF file")->required();
  add_input_options(run, o.inputs);
  run->add_option("--output", o.output_file, "Write the public output bytes to this file");
  run->add_option("--max-cycles", o.max_cycles, "Stop after this many instructions (exit status 4)")
      ->capture_default_str()->check(CLI::PositiveNumber);
  run->add_option("--max-output", o.max_output, "Largest public output in bytes")->capture_default_str();
  run->add_option("--max-memory", o.max_memory, "Largest total size of the program's segments in bytes")
      ->capture_default_str();
  run->add_option("--max-input", o.max_input, "Largest input (each tape) in bytes")->capture_default_str();
  run->add_flag("--json", o.json, "Print the report as JSON on stdout (the guest's log goes to stderr)");
  run->add_flag("-q,--quiet", o.quiet, "Print no report (faults are still reported)");
  run->add_flag("--allow-untrusted", o.precompiles.allow_untrusted,
                "Accept unsigned or untrusted precompile packages (with a warning)");
  run->add_option("--trust-key", o.precompiles.trust_keys, "Also trust this public key (file or text) for precompile packages");
}

void register_inspect(CLI::App& app) {
  InspectOptions& o = inspect_options;
  CLI::App* inspect = app.add_subcommand("inspect", "Validate a guest ELF and show its segments, notes and ABI checks");
  inspect->add_option("program", o.program, "Guest ELF file")->required();
  inspect->add_flag("--json", o.json, "Print as JSON");
  inspect->add_flag("--symbols", o.all_symbols, "List every symbol");
  inspect->add_flag("--allow-untrusted", o.precompiles.allow_untrusted, "Accept unsigned or untrusted precompile packages");
}

void register_trace(CLI::App& app) {
  TraceOptions& o = trace_options;
  CLI::App* trace = app.add_subcommand(
      "trace", "Run a guest twice (fast pass, then trace pass), check they agree, and print trace steps");
  trace->add_option("program", o.program, "Guest ELF file")->required();
  add_input_options(trace, o.inputs);
  trace->add_option("--from", o.from, "First step to print")->capture_default_str();
  trace->add_option("--count", o.count, "Number of steps to print")->capture_default_str();
  trace->add_option("--max-cycles", o.max_cycles, "Stop after this many instructions")->capture_default_str();
  trace->add_flag("--json", o.json, "Print as JSON");
  trace->add_flag("--allow-untrusted", o.precompiles.allow_untrusted, "Accept unsigned or untrusted precompile packages");
  trace->add_option("--trust-key", o.precompiles.trust_keys, "Also trust this public key for precompile packages");
}

int dispatch(CLI::App& app) {
  if (app.got_subcommand("trace")) return do_trace();
  if (app.got_subcommand("run")) return do_run();
  if (app.got_subcommand("inspect")) return do_inspect();
  if (app.got_subcommand("build")) return run_build();
  if (app.got_subcommand("precompile")) return run_precompile(app);
  return kExitUsage;
}

}  // namespace zkrv::cli
