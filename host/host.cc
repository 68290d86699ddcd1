// zkrv::host: Program, execute and prove over elf/, vm/ and riscv_air's prover, with precompile
// packages resolved as the CLI resolves them (host/precompile_resolver.h).
#include "zkrv/host.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "elf/elf.h"
#include "host/precompile_resolver.h"
#include "riscv_air/program.h"
#include "riscv_air/prover.h"
#include "stark/security/security.h"
#include "vm/vm.h"

namespace zkrv::host {

struct Program::Impl {
  std::vector<uint8_t> storage;  // the ELF's bytes: the image's segments are views into them
  elf::ElfImage image;
  // Setup per profile, made on first use. Each lives in a node of its own, so a reference stays
  // valid while others are added.
  mutable std::mutex mutex;
  mutable std::map<std::string, std::unique_ptr<riscv_air::ProvingSetup>, std::less<>> setups;

  const riscv_air::ProvingSetup& setup(std::string_view profile_name) const {
    const std::optional<stark::SecurityProfile> profile = stark::profile_by_name(profile_name);
    if (!profile) throw std::invalid_argument(fmt::format("unknown profile '{}' (fast or secure)", profile_name));
    const std::lock_guard lock(mutex);
    auto it = setups.find(profile_name);
    if (it == setups.end()) {
      try {
        it = setups.emplace(std::string(profile_name), std::make_unique<riscv_air::ProvingSetup>(riscv_air::setup(image, *profile)))
                 .first;
      } catch (const riscv_air::RefusedError& e) {
        throw Error(fmt::format("this machine does not prove this program: {}", e.what()));
      }
    }
    return *it->second;
  }
};

Program::Program(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Program::Program(Program&&) noexcept = default;
Program& Program::operator=(Program&&) noexcept = default;
Program::~Program() = default;

Program Program::from_elf(std::vector<uint8_t> elf_bytes) {
  auto impl = std::make_unique<Impl>();
  impl->storage = std::move(elf_bytes);
  try {
    impl->image = elf::parse(impl->storage);
  } catch (const std::exception& e) {  // elf::ElfError
    throw Error(e.what());
  }
  return Program(std::move(impl));
}

Program Program::load(const std::filesystem::path& elf) {
  auto impl = std::make_unique<Impl>();
  try {
    impl->image = elf::load_file(elf.string(), &impl->storage);
  } catch (const std::exception& e) {  // elf::ElfError, file errors
    throw Error(e.what());
  }
  return Program(std::move(impl));
}

ProgramId Program::id(std::string_view profile) const { return riscv_air::program_id(impl_->setup(profile).key); }

namespace {

vm::VmConfig vm_config(const ExecuteOptions& options, std::vector<std::string>* warnings) {
  vm::VmConfig config;
  config.max_cycles = options.max_cycles;
  config.max_input_bytes = options.max_input_bytes;
  config.log_sink = options.log_sink;
  config.precompile_resolver = package_resolver({options.precompiles.allow_untrusted, options.precompiles.trust_keys}, warnings);
  return config;
}

}  // namespace

ExecuteReport execute(const Program& program, const Inputs& inputs, const ExecuteOptions& options) {
  ExecuteReport report;
  const vm::VmConfig config = vm_config(options, &report.warnings);
  vm::RunResult run;
  try {
    vm::Vm vm(program.impl_->image, config);
    run = vm.run({inputs.public_input, inputs.private_input});
    if (run.reason == vm::StopReason::kFault) report.fault = vm.describe(run.fault);
  } catch (const std::exception& e) {  // vm::LoadError (a precompile package missing, refused, too large an input)
    throw Error(e.what());
  }
  report.stop = run.reason == vm::StopReason::kExit              ? Stop::kExit
                : run.fault.kind == vm::FaultKind::kCycleLimit ? Stop::kCycleLimit
                                                               : Stop::kFault;
  report.exit_code = run.exit_code;
  report.public_output = std::move(run.public_output);
  report.cycles = run.instructions;
  report.seconds = run.seconds;
  report.precompile_calls = std::move(run.precompile_calls);
  return report;
}

ProveResult prove(const Program& program, const Inputs& inputs, const ProveOptions& options) {
  // Pass 1 first, as `zkrv prove` does: a run without a statement is refused before setup.
  const ExecuteReport run = execute(program, inputs, options.execute);
  if (run.stop == Stop::kCycleLimit) {
    throw Error(fmt::format("cannot prove this run: the guest did not exit within max_cycles {}", options.execute.max_cycles));
  }
  if (run.stop == Stop::kFault) throw Error("cannot prove this run: the guest faulted: " + run.fault);
  const riscv_air::ProvingSetup& setup = program.impl_->setup(options.profile);
  riscv_air::ProveOutput out;
  try {
    out = riscv_air::prove(setup, program.impl_->image, {inputs.public_input, inputs.private_input},
                           vm_config(options.execute, nullptr));
  } catch (const riscv_air::RefusedError& e) {
    throw Error(fmt::format("cannot prove this run: {}", e.what()));
  }
  ProveResult result;
  result.proof = std::move(out.proof);
  result.statement = {out.statement.program_id, out.statement.exit_code, std::move(out.statement.public_input),
                      std::move(out.statement.public_output)};
  result.security = {out.security.conjectured_bits, std::max(out.security.unique_decoding.bits, out.security.johnson.bits)};
  result.profile = options.profile;
  result.cycles = out.steps;
  return result;
}

}  // namespace zkrv::host
