#include "riscv_air/prover.h"

#include <algorithm>
#include <bit>
#include <optional>

#include <fmt/format.h>

#include "stark/protocol/protocol.h"
#include "stark/security/security.h"

namespace zkrv::riscv_air {

ProvingSetup setup(const elf::ElfImage& elf, const stark::SecurityProfile& profile) {
  ProgramImage program = program_image(elf);
  stark::air::Machine machine = make_machine(program);
  const stark::fri::FriParams params = proof_params(profile);
  stark::prover::ProvingKey pk = stark::prover::setup(params, machine);
  ProgramKey key{{program.entry, program.zero_start_word, program.zero_ranges}, pk.vk};
  return {std::string(profile.name), params, std::move(program), std::move(machine), std::move(pk), std::move(key)};
}

MachineWitness run_witness(const ProvingSetup& setup, const elf::ElfImage& elf, const vm::Inputs& inputs,
                           vm::VmConfig config) {
  if (!config.log_sink) config.log_sink = [](int, std::span<const uint8_t>) {};
  vm::Vm vm(elf, config);
  vm::Trace trace;
  const vm::RunResult result = vm.run_traced(inputs, &trace);
  return generate_witness(setup.program, setup.machine, trace.steps, result, trace.precompile_accesses.size(),
                          inputs.public_input, inputs.private_input);
}

stark::air::Machine statement_machine(const ProvingSetup& setup, const MachineWitness& witness) {
  return make_machine(setup.program, std::make_shared<const PublicIo>(PublicIo{witness.public_input, witness.public_output}));
}

void require_security_bar(const ProvingSetup& setup, const stark::air::Machine& machine,
                          std::span<const int> log_heights, size_t num_boundary_interactions) {
  const size_t tallest = static_cast<size_t>(std::max_element(log_heights.begin(), log_heights.end()) - log_heights.begin());
  const int max_log_height = stark::protocol::max_log_height(setup.params);
  if (log_heights[tallest] > max_log_height) {
    throw RefusedError(fmt::format("the run needs table {} of 2^{} rows, above the 2^{} rows one proof of profile {} "
                                   "allows (docs/proof-system.md, \"Limits\")",
                                   machine.analysis(tallest).info.name, log_heights[tallest], max_log_height,
                                   setup.profile));
  }
  const std::optional<stark::SecurityProfile> profile = stark::fri::profile_for_params(setup.params);
  if (!profile) return;
  const stark::SecurityReport report =
      stark::protocol::statement_security(setup.params, machine, log_heights, num_boundary_interactions);
  const double achieved = stark::bar_bits(*profile, report);
  if (achieved >= profile->min_bits) return;
  throw RefusedError(fmt::format(
      "the run needs table {} of 2^{} rows, for which profile {} reaches {:.1f} {} bits (weakest: {}), below its bar "
      "of {}: a proof of it would be rejected. One proof of this profile covers shorter runs (docs/proof-system.md, "
      "\"Limits\")",
      machine.analysis(tallest).info.name, log_heights[tallest], profile->name, achieved,
      profile->bar == stark::SecurityBar::kConjectured ? "conjectured" : "proven (UDR)", stark::bar_weakest_round(*profile, report),
      profile->min_bits));
}

namespace {

// The statement's table heights and boundary size, as the prover will state them.
void require_security_bar(const ProvingSetup& setup, const stark::air::Machine& machine, const MachineWitness& witness) {
  std::vector<int> log_heights;
  std::vector<std::vector<stark::air::Fp>> public_values;
  for (const stark::air::TableWitness& table : witness.tables) {
    log_heights.push_back(std::countr_zero(table.main.rows()));
    public_values.push_back(table.public_values);
  }
  require_security_bar(setup, machine, log_heights, machine.boundary(public_values).size());
}

// Its constraints are setup's, so the proving key fits the statement's machine.
ProofFile proof_file(const ProvingSetup& setup, const stark::air::Machine& machine, const MachineWitness& witness,
                     const stark::protocol::StarkProof& proof) {
  return {setup.profile, setup.key, stark::protocol::encode_stark_proof(setup.params, machine, setup.pk.vk, proof),
          witness.public_input, witness.public_output};
}

}  // namespace

std::vector<uint8_t> prove_witness(const ProvingSetup& setup, const MachineWitness& witness,
                                   const stark::prover::ProveOptions& options) {
  const stark::air::Machine machine = statement_machine(setup, witness);
  require_security_bar(setup, machine, witness);
  const stark::protocol::StarkProof proof =
      stark::prover::prove(setup.params, machine, setup.pk, witness.tables, options).proof;
  return encode_proof_file(proof_file(setup, machine, witness, proof));
}

ProveOutput prove(const ProvingSetup& setup, const elf::ElfImage& elf, const vm::Inputs& inputs, vm::VmConfig config,
                  const PhaseCallback& on_phase) {
  if (on_phase) on_phase("trace (pass 2) and witness");
  const MachineWitness witness = run_witness(setup, elf, inputs, std::move(config));
  if (on_phase) on_phase("STARK prover");
  const stark::air::Machine machine = statement_machine(setup, witness);
  require_security_bar(setup, machine, witness);
  stark::prover::ProveResult result = stark::prover::prove(setup.params, machine, setup.pk, witness.tables);
  ProveOutput out;
  out.proof = encode_proof_file(proof_file(setup, machine, witness, result.proof));
  out.security = std::move(result.security);
  out.statement.program_id = program_id(setup.key);
  out.statement.exit_code = witness.exit_code;
  out.statement.public_input = witness.public_input;
  out.statement.public_output = witness.public_output;
  out.steps = witness.steps;
  return out;
}

}  // namespace zkrv::riscv_air
