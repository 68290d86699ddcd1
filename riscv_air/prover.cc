#include "riscv_air/prover.h"

#include <fmt/format.h>

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
                          inputs.public_input, inputs.private_input, stark::protocol::reserved_rows(setup.params));
}

stark::air::Machine statement_machine(const ProvingSetup& setup, const MachineWitness& witness) {
  return make_machine(setup.program, std::make_shared<const PublicIo>(PublicIo{witness.public_input, witness.public_output}));
}

RefusedError refused_run(const stark::prover::RefusedStatement& refused) {
  return RefusedError(fmt::format("the run needs {}. One proof of this profile covers shorter runs "
                                  "(docs/proof-system.md, \"Limits\")",
                                  refused.reason()));
}

namespace {

// Its constraints are setup's, so the proving key fits the statement's machine.
ProofFile proof_file(const ProvingSetup& setup, const stark::air::Machine& machine, const MachineWitness& witness,
                     const stark::protocol::StarkProof& proof) {
  return {setup.profile, setup.key, stark::protocol::encode_stark_proof(setup.params, machine, setup.pk.vk, proof),
          witness.public_input, witness.public_output};
}

struct ProvenStatement {
  std::vector<uint8_t> proof_file;
  stark::SecurityReport security;
};

// The one place a witness meets the STARK prover, so that prove() and prove_witness() refuse alike:
// a statement the STARK prover refuses is said of the run (refused_run). With `consume` the witness's
// tables are handed to the prover, which frees them as it goes (stark::prover::prove); the rest
// of the witness (its statement) stays.
ProvenStatement prove_statement(const ProvingSetup& setup, const MachineWitness& witness,
                                std::vector<stark::air::TableWitness>* consume,
                                const stark::prover::ProveOptions& options) {
  const stark::air::Machine machine = statement_machine(setup, witness);
  stark::prover::ProveResult result;
  try {
    result = consume != nullptr ? stark::prover::prove(setup.params, machine, setup.pk, std::move(*consume), options)
                     : stark::prover::prove(setup.params, machine, setup.pk, witness.tables, options);
  } catch (const stark::prover::RefusedStatement& refused) {
    throw refused_run(refused);
  }
  return {encode_proof_file(proof_file(setup, machine, witness, result.proof)), std::move(result.security)};
}

}  // namespace

std::vector<uint8_t> prove_witness(const ProvingSetup& setup, const MachineWitness& witness,
                                   const stark::prover::ProveOptions& options) {
  return prove_statement(setup, witness, nullptr, options).proof_file;
}

ProveOutput prove(const ProvingSetup& setup, const elf::ElfImage& elf, const vm::Inputs& inputs, vm::VmConfig config,
                  const PhaseCallback& on_phase) {
  if (on_phase) on_phase("trace (pass 2) and witness");
  MachineWitness witness = run_witness(setup, elf, inputs, std::move(config));
  if (on_phase) on_phase("STARK prover");
  ProvenStatement proven = prove_statement(setup, witness, &witness.tables, {});
  ProveOutput out;
  out.proof = std::move(proven.proof_file);
  out.security = std::move(proven.security);
  out.statement.program_id = program_id(setup.key);
  out.statement.exit_code = witness.exit_code;
  out.statement.public_input = witness.public_input;
  out.statement.public_output = witness.public_output;
  out.steps = witness.steps;
  return out;
}

}  // namespace zkrv::riscv_air
