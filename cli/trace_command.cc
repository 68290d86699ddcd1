// `zkrv trace`: runs a guest twice (the fast pass, then the tracing pass), checks that the two
// agree, and prints the requested trace steps.
#include <fmt/format.h>

#include <array>
#include <iostream>

#include "base/hex.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "host/precompile_resolver.h"
#include "debuginfo/source_map.h"
#include "elf/elf.h"
#include "isa/isa.h"
#include "vm/trace.h"
#include "vm/vm.h"

namespace zkrv::cli {
namespace {

struct TraceOptions {
  std::string program;
  InputOptions inputs;
  uint64_t from = 0;
  uint64_t count = 100;
  uint64_t max_cycles = uint64_t{1} << 32;
  bool json = false;
  host::ResolverOptions precompiles;
};

CLI::App* add_command(CLI::App& app, TraceOptions& o) {
  CLI::App* trace =
      app.add_subcommand("trace", "Run a guest twice (fast pass, then trace pass), check they agree, and print trace steps");
  trace->add_option("program", o.program, "Guest ELF file")->required();
  add_input_options(trace, o.inputs);
  trace->add_option("--from", o.from, "First step to print")->capture_default_str()->check(whole_number_in(0, UINT64_MAX));
  trace->add_option("--count", o.count, "Number of steps to print")
      ->capture_default_str()->check(whole_number_in(0, UINT64_MAX));
  trace->add_option("--max-cycles", o.max_cycles, "Stop after this many instructions")
      ->capture_default_str()->check(whole_number_in(1, UINT64_MAX));
  trace->add_flag("--json", o.json, "Print as JSON");
  trace->add_flag("--allow-untrusted", o.precompiles.allow_untrusted, "Accept unsigned or untrusted precompile packages");
  trace->add_option("--trust-key", o.precompiles.trust_keys, "Also trust this public key for precompile packages");
  return trace;
}

// One step as a person reads it: what the instruction wrote.
std::string step_effects(const vm::TraceStep& step) {
  const isa::DecodedInsn d = isa::decode(step.insn);
  std::string effects;
  const isa::Format f = isa::format(d.op);
  const bool writes_rd = f != isa::Format::kStore && f != isa::Format::kBranch && f != isa::Format::kNone && d.rd != 0;
  if (writes_rd || d.op == isa::Op::ECALL) {
    effects = fmt::format("{}=0x{:08x}", isa::reg_name(d.op == isa::Op::ECALL ? 10 : d.rd), step.rd_value);
  }
  const bool memory = f == isa::Format::kLoad || f == isa::Format::kStore || f == isa::Format::kLr || f == isa::Format::kAmo;
  if (memory) {
    const char* space = d.op == isa::Op::RIN ? "public" : d.op == isa::Op::HIN ? "hint" : d.op == isa::Op::WOU ? "output" : "mem";
    if (!effects.empty()) effects += "  ";
    if (step.mem_before == step.mem_after && f != isa::Format::kStore) {
      effects += fmt::format("{}[0x{:x}] -> 0x{:x}", space, step.mem_addr, step.mem_before);
    } else {
      effects += fmt::format("{}[0x{:x}]: 0x{:x} => 0x{:x}", space, step.mem_addr, step.mem_before, step.mem_after);
    }
  }
  return effects;
}

int do_trace(const TraceOptions& o) {
  vm::VmConfig config;
  config.max_cycles = o.max_cycles;
  config.log_sink = [](int, std::span<const uint8_t>) {};  // the trace is the output here
  config.precompile_resolver = host::package_resolver(o.precompiles, nullptr);
  std::vector<uint8_t> storage;
  vm::Inputs inputs;
  vm::RunResult fast, traced;
  vm::Trace trace;
  trace.from = o.from;
  trace.count = o.count;
  std::array<uint8_t, 32> fast_digest{}, traced_digest{};
  std::string fault_message;
  elf::ElfImage image;
  try {
    inputs = read_inputs(o.inputs, config.max_input_bytes);
    image = elf::load_file(o.program, &storage, config.load_limits);
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
  const debuginfo::SourceMap sources(storage);
  const auto source_of = [&](uint32_t pc) {
    const auto line = sources.line_at(pc);
    return line ? debuginfo::format(*line) : std::string();
  };
  if (o.json) {
    nlohmann::json j;
    j["program"] = o.program;
    j["passes_agree"] = agree;
    j["instructions"] = traced.instructions;
    j["memory_digest"] = base::to_hex(traced_digest);
    j["status"] = traced.reason == vm::StopReason::kFault ? "fault" : traced.exit_code == 0 ? "success" : "guest-failure";
    j["steps"] = nlohmann::json::array();
    for (size_t i = 0; i < trace.steps.size(); ++i) {
      const vm::TraceStep& s = trace.steps[i];
      j["steps"].push_back({{"step", o.from + i}, {"pc", s.pc}, {"insn", s.insn},
                            {"disassembly", isa::disassemble(isa::decode(s.insn), s.pc)}, {"rs1_value", s.rs1_value},
                            {"rs2_value", s.rs2_value}, {"rd_value", s.rd_value}, {"mem_addr", s.mem_addr},
                            {"mem_before", s.mem_before}, {"mem_after", s.mem_after},
                            {"function", image.symbolize(s.pc)}, {"source", source_of(s.pc)}});
    }
    j["precompile_accesses"] = trace.precompile_accesses.size();
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << fmt::format("{:>10}  {:<10}  {:<8}  {:<32}  {}\n", "step", "pc", "insn", "instruction", "effects");
    std::string place;  // function and source line of the steps printed last
    for (size_t i = 0; i < trace.steps.size(); ++i) {
      const vm::TraceStep& s = trace.steps[i];
      // A line naming the function and source line whenever they change, as a debugger would.
      const std::string symbol = image.symbolize(s.pc);
      const std::string function = symbol.substr(0, symbol.find('+'));
      const std::string source = source_of(s.pc);
      const std::string here = function.empty() ? source : source.empty() ? function : function + " at " + source;
      if (here != place && !here.empty()) std::cout << fmt::format("{:>10}  -- {}\n", "", here);
      place = here;
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

}  // namespace

Subcommand register_trace(CLI::App& app) { return make_subcommand(app, add_command, do_trace); }

}  // namespace zkrv::cli
