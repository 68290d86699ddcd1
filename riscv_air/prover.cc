#include "riscv_air/prover.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <optional>
#include <random>

#include "riscv_air/memory_tree.h"
#include "vm/precompiles.h"

namespace zkrv::riscv_air {

ProvingSetup setup(const elf::ElfImage& elf, const stark::SecurityProfile& profile,
                   const PackageCircuitResolver& circuits) {
  ProgramImage program = program_image(elf);
  for (const vm::PrecompileDescriptor& d : vm::parse_precompile_descriptors(elf)) {
    DeclaredPrecompile declared{d.index, d.name, d.version_requirement, std::nullopt, nullptr, d.package_sha256};
    // zkrv's own circuits come first: a package cannot replace the circuit of a first-party name.
    if (circuits && !has_circuit(declared.name, declared.version_requirement)) {
      if (std::shared_ptr<const PackageCircuit> circuit = circuits(declared)) {
        check_package_circuit(declared.name, circuit->circuit);
        declared.circuit_digest = circuit->digest;
        declared.circuit = std::move(circuit);
      }
    }
    program.precompiles.push_back(std::move(declared));
  }
  stark::air::Machine machine = make_machine(program);
  const std::span<const stark::SecurityProfile> sets = stark::profile_parameter_sets(profile.name);
  const stark::fri::FriParams params = proof_params(sets.empty() ? profile : sets.front());
  stark::prover::ProvingKey pk = stark::prover::setup(params, machine);
  ProgramKey key{{program.entry, program.zero_start_word, program.zero_ranges, program.precompiles}, pk.vk, {}};
  std::vector<OtherParameterSet> others;
  for (size_t i = 1; i < sets.size(); ++i) {
    const stark::fri::FriParams other = proof_params(sets[i]);
    others.push_back({other, stark::prover::setup(other, machine)});
    const stark::protocol::VerifyingKey& vk = others.back().pk.vk;
    key.other_sets.push_back({vk.preprocessed_log_heights, vk.preprocessed_cap});
  }
  return {std::string(profile.name), params,         std::move(program), std::move(machine),
          std::move(pk),             std::move(key), std::move(others)};
}

ParameterSetRef parameter_set_for(const ProvingSetup& setup, const MachineWitness& witness) {
  std::vector<int> log_heights;
  std::vector<std::vector<stark::air::Fp>> public_values;
  for (const stark::air::TableWitness& w : witness.tables) {
    log_heights.push_back(std::bit_width(w.main.rows()) - 1);
    public_values.push_back(w.public_values);
  }
  const stark::air::Machine machine = statement_machine(setup, witness);
  const stark::air::Machine& committed = stark::protocol::committed_machine(setup.params, machine);
  const std::optional<stark::fri::FriParams> required = stark::protocol::required_params(
      setup.params, committed, log_heights, committed.boundary(public_values).size());
  for (size_t i = 0; required && i < setup.other_sets.size(); ++i) {
    if (*required == setup.other_sets[i].params) {
      return {static_cast<uint8_t>(i + 1), &setup.other_sets[i].params, &setup.other_sets[i].pk};
    }
  }
  return {0, &setup.params, &setup.pk};
}

namespace {

MachineWitness witness_reserving(const ProvingSetup& setup, const elf::ElfImage& elf, const vm::Inputs& inputs,
                                 vm::VmConfig config, size_t reserved_rows, const PackageRows& package_rows) {
  if (!config.log_sink) config.log_sink = [](int, std::span<const uint8_t>) {};
  vm::Vm vm(elf, config);
  vm::Trace trace;
  const vm::RunResult result = vm.run_traced(inputs, &trace);
  return generate_witness(setup.program, setup.machine, trace.steps, result,
                          {trace.precompile_accesses, trace.precompile_bytes, package_rows},
                          inputs.public_input, inputs.private_input, reserved_rows);
}

}  // namespace

MachineWitness run_witness(const ProvingSetup& setup, const elf::ElfImage& elf, const vm::Inputs& inputs,
                           vm::VmConfig config, const PackageRows& package_rows) {
  MachineWitness witness =
      witness_reserving(setup, elf, inputs, config, stark::protocol::reserved_rows(setup.params), package_rows);
  // A statement too tall for the first parameter set is proven with a later one, which may reserve
  // more rows for zero knowledge: its witness is generated again with them (only such tall runs
  // pay for pass 2 twice). Taller tables only lower the security, so the set stays the same.
  const size_t reserved = stark::protocol::reserved_rows(*parameter_set_for(setup, witness).params);
  if (reserved != stark::protocol::reserved_rows(setup.params)) {
    witness = {};  // a 2^22-step witness is gigabytes: not two at once
    witness = witness_reserving(setup, elf, inputs, std::move(config), reserved, package_rows);
  }
  return witness;
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
ProofFile proof_file(const ProvingSetup& setup, const ParameterSetRef& set, const stark::air::Machine& machine,
                     const MachineWitness& witness, const stark::protocol::StarkProof& proof) {
  return {setup.profile, set.index, setup.key,
          stark::protocol::encode_stark_proof(*set.params, machine, set.pk->vk, proof), witness.public_input,
          witness.public_output};
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
  const ParameterSetRef set = parameter_set_for(setup, witness);
  stark::prover::ProveResult result;
  try {
    result = consume != nullptr ? stark::prover::prove(*set.params, machine, *set.pk, std::move(*consume), options)
                                : stark::prover::prove(*set.params, machine, *set.pk, witness.tables, options);
  } catch (const stark::prover::RefusedStatement& refused) {
    throw refused_run(refused);
  }
  return {encode_proof_file(proof_file(setup, set, machine, witness, result.proof)), std::move(result.security)};
}

}  // namespace

std::vector<uint8_t> prove_witness(const ProvingSetup& setup, const MachineWitness& witness,
                                   const stark::prover::ProveOptions& options) {
  return prove_statement(setup, witness, nullptr, options).proof_file;
}

ProveOutput prove(const ProvingSetup& setup, const elf::ElfImage& elf, const vm::Inputs& inputs, vm::VmConfig config,
                  const PhaseCallback& on_phase, const PackageRows& package_rows) {
  if (on_phase) on_phase("trace (pass 2) and witness");
  MachineWitness witness = run_witness(setup, elf, inputs, std::move(config), package_rows);
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

SegmentSetup segment_setup(const ProvingSetup& setup) {
  stark::air::Machine machine = make_segment_machine(setup.program);
  stark::prover::ProvingKey pk = stark::prover::setup(setup.params, machine);
  SegmentKey key{setup.profile, setup.key.shape, mapped_chunk_ranges(setup.program), pk.vk};
  return {std::move(machine), std::move(pk), std::move(key)};
}

SegmentWitness segment_witness(const ProvingSetup& setup, const SegmentSetup& segments, const elf::ElfImage& elf,
                               const vm::Inputs& inputs, const vm::Checkpoint& from, uint64_t max_steps,
                               const ChunkWords& salt, vm::VmConfig config) {
  if (!config.log_sink) config.log_sink = [](int, std::span<const uint8_t>) {};
  vm::Vm vm(elf, config);
  vm::Trace trace;
  const std::optional<vm::RunResult> halted = vm.run_segment(from, inputs, max_steps, &trace);
  SegmentWitness witness =
      generate_segment_witness(setup.program, segments.machine, from, trace.steps, halted, inputs.public_input,
                               inputs.private_input, salt, stark::protocol::reserved_rows(setup.params));
  witness.statement.program_id = segment_program_id(segments.key);
  return witness;
}

SegmentProof prove_segment_witness(const ProvingSetup& setup, const SegmentSetup& segments, const SegmentWitness& witness,
                                   const stark::prover::ProveOptions& options) {
  const stark::air::Machine machine = make_segment_machine(setup.program, &witness.statement);
  stark::prover::ProveResult result;
  try {
    result = stark::prover::prove(setup.params, machine, segments.pk, witness.machine.tables, options);
  } catch (const stark::prover::RefusedStatement& refused) {
    throw refused_run(refused);
  }
  return {witness.statement, stark::protocol::encode_stark_proof(setup.params, machine, segments.pk.vk, result.proof)};
}

SegmentProof prove_segment(const ProvingSetup& setup, const SegmentSetup& segments, const elf::ElfImage& elf,
                           const vm::Inputs& inputs, const vm::Checkpoint& from, uint64_t max_steps,
                           const ChunkWords& salt, vm::VmConfig config) {
  return prove_segment_witness(setup, segments,
                               segment_witness(setup, segments, elf, inputs, from, max_steps, salt, std::move(config)));
}

RunProofOutput prove_run(const ProvingSetup& setup, const SegmentSetup& segments, const elf::ElfImage& elf,
                         const vm::Inputs& inputs, uint64_t segment_steps, vm::VmConfig config,
                         const SegmentCallback& on_segment) {
  if (segment_steps == 0 || segment_steps > (uint64_t{1} << kMaxLogSteps)) {
    throw RefusedError(fmt::format("segments of {} steps: a segment proves 1 to 2^{} steps", segment_steps, kMaxLogSteps));
  }
  if (!config.log_sink) config.log_sink = [](int, std::span<const uint8_t>) {};
  std::vector<vm::Checkpoint> checkpoints;
  vm::RunResult result;
  {
    vm::Vm vm(elf, config);
    result = vm.run(inputs, segment_steps, [&](vm::Checkpoint c) { checkpoints.push_back(std::move(c)); });
    if (result.reason == vm::StopReason::kFault) {
      throw RefusedError("the run does not exit, so it has no statement to prove: " + vm.describe(result.fault));
    }
  }
  // The salt hides the hint behind every root the statements reveal (memory_tree.h): fresh per
  // run, never zero (a zero salt is the empty leaf).
  ChunkWords salt{};
  std::random_device random;
  while (std::all_of(salt.begin(), salt.end(), [](uint32_t w) { return w == 0; })) {
    for (uint32_t& w : salt) w = random();
  }
  RunProofOutput out;
  out.file.key = segments.key;
  out.file.private_root = private_input_root(kMemoryTreeDepth, inputs.private_input, salt);
  for (size_t k = 0; k < checkpoints.size(); ++k) {
    if (on_segment) on_segment(k, checkpoints.size());
    out.file.segments.push_back(prove_segment(setup, segments, elf, inputs, checkpoints[k], segment_steps, salt, config));
  }
  out.steps = result.instructions;
  out.exit_code = result.exit_code;
  return out;
}

}  // namespace zkrv::riscv_air
