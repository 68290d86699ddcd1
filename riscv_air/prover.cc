#include "riscv_air/prover.h"

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
  return generate_witness(setup.program, setup.machine, trace.steps, result, trace.precompile_accesses.size());
}

namespace {

std::vector<uint8_t> encode_proof(const ProvingSetup& setup, const stark::protocol::StarkProof& proof) {
  ProofFile file{setup.profile, setup.key,
                 stark::protocol::encode_stark_proof(setup.params, setup.machine, setup.pk.vk, proof)};
  return encode_proof_file(file);
}

}  // namespace

std::vector<uint8_t> prove_witness(const ProvingSetup& setup, const MachineWitness& witness,
                                   const stark::prover::ProveOptions& options) {
  return encode_proof(setup, stark::prover::prove(setup.params, setup.machine, setup.pk, witness.tables, options).proof);
}

ProveOutput prove(const ProvingSetup& setup, const elf::ElfImage& elf, const vm::Inputs& inputs, vm::VmConfig config,
                  const PhaseCallback& on_phase) {
  if (on_phase) on_phase("trace (pass 2) and witness");
  const MachineWitness witness = run_witness(setup, elf, inputs, std::move(config));
  if (on_phase) on_phase("STARK prover");
  stark::prover::ProveResult result = stark::prover::prove(setup.params, setup.machine, setup.pk, witness.tables);
  ProveOutput out;
  out.proof = encode_proof(setup, result.proof);
  out.security = std::move(result.security);
  out.statement.program_id = program_id(setup.key);
  out.statement.exit_code = witness.exit_code;
  out.steps = witness.steps;
  return out;
}

}  // namespace zkrv::riscv_air
