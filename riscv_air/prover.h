// Proving a guest run with the RISC-V machine: setup (the program's fixed tables committed under a
// profile, and its id), then prove (pass 2 of the VM, witness generation, the STARK prover) to
// proof bytes and the statement. Links the prover; the verifier (verifier.h) does not.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "elf/elf.h"
#include "riscv_air/generation.h"
#include "riscv_air/key.h"
#include "riscv_air/machine.h"
#include "riscv_air/package_circuit.h"
#include "riscv_air/program.h"
#include "riscv_air/run_proof.h"
#include "stark/prover/prover.h"
#include "vm/vm.h"

namespace zkrv::riscv_air {

// One of the profile's further parameter sets (stark::profile_parameter_sets) and its proving key.
struct OtherParameterSet {
  stark::fri::FriParams params;
  stark::prover::ProvingKey pk;
};

struct ProvingSetup {
  std::string profile;
  stark::fri::FriParams params;  // the profile's first parameter set, which most statements use
  ProgramImage program;
  stark::air::Machine machine;
  stark::prover::ProvingKey pk;  // under params
  ProgramKey key;
  std::vector<OtherParameterSet> other_sets;  // the profile's further sets, in order (fast: blowup 2)
};

// A parameter set of a setup, by its index in stark::profile_parameter_sets (0: setup.params).
struct ParameterSetRef {
  uint8_t index = 0;
  const stark::fri::FriParams* params = nullptr;
  const stark::prover::ProvingKey* pk = nullptr;
};
// The set a witness's statement must be proven with (stark::protocol::required_params: the first
// under which its tables fit and it reaches the bar); the first set when none does (the STARK
// prover then refuses the statement).
ParameterSetRef parameter_set_for(const ProvingSetup& setup, const MachineWitness& witness);

// Throws RefusedError for a program this machine cannot describe. `circuits` is asked for the
// package circuit of each declared precompile zkrv has no circuit for (PackageCircuitResolver): the
// program key commits to the digest of each one it returns, and the machine interprets it.
ProvingSetup setup(const elf::ElfImage& elf, const stark::SecurityProfile& profile,
                   const PackageCircuitResolver& circuits = {});

struct ProveOutput {
  std::vector<uint8_t> proof;
  Statement statement;
  uint64_t steps = 0;
  // The proof's security as the verifier computes it again (stark::prover::ProveResult::security).
  stark::SecurityReport security;
};

// Told the name of each phase of `prove` as it starts, for a progress display.
using PhaseCallback = std::function<void(std::string_view phase)>;

// Runs the program (pass 2), generates the witness and proves it. Throws RefusedError (before any
// proving work) for what this machine does not prove yet and for a statement the STARK prover
// refuses (refused_run). `package_rows` fills the tables of package circuits (PackageRows).
ProveOutput prove(const ProvingSetup& setup, const elf::ElfImage& elf, const vm::Inputs& inputs,
                  vm::VmConfig config = {}, const PhaseCallback& on_phase = {}, const PackageRows& package_rows = {});

// The RefusedError prove() throws for a statement the STARK prover refuses before any commitment
// (stark::prover::check_provable: a table above the profile's height limit, or a statement below
// its security bar, whose proof every verifier would reject): the table, its height and the limit
// or the bits and weakest round, said of the run.
RefusedError refused_run(const stark::prover::RefusedStatement& refused);

// The witness of a run, for tests that tamper with it before proving, with the rows zero knowledge
// reserves under the parameter set its statement needs (parameter_set_for).
MachineWitness run_witness(const ProvingSetup& setup, const elf::ElfImage& elf, const vm::Inputs& inputs,
                           vm::VmConfig config = {}, const PackageRows& package_rows = {});
// setup's machine with the witness's statement (its public input and output) as the IO boundary:
// the machine that proves, and checks (stark::air::check_machine), that witness.
stark::air::Machine statement_machine(const ProvingSetup& setup, const MachineWitness& witness);
// Proves a (possibly tampered) witness; `options` as for stark::prover::prove.
std::vector<uint8_t> prove_witness(const ProvingSetup& setup, const MachineWitness& witness,
                                   const stark::prover::ProveOptions& options = {});

// Segment mode (make_segment_machine): the segment machine's proving key under the setup's first
// parameter set, and the key a verifier checks segments with.
struct SegmentSetup {
  stark::air::Machine machine;
  stark::prover::ProvingKey pk;
  SegmentKey key;
};
SegmentSetup segment_setup(const ProvingSetup& setup);

// Runs at most `max_steps` instructions of the program from `from` (a pass-1 checkpoint:
// Vm::run(inputs, N, on_checkpoint)) traced, and proves them as one segment. `salt` is the private
// input subtree's (memory_tree.h), the same for every segment of a run. Throws RefusedError as
// generate_segment_witness does, and for a statement the STARK prover refuses (refused_run).
SegmentProof prove_segment(const ProvingSetup& setup, const SegmentSetup& segments, const elf::ElfImage& elf,
                           const vm::Inputs& inputs, const vm::Checkpoint& from, uint64_t max_steps,
                           const ChunkWords& salt, vm::VmConfig config = {});
// The witness of that segment, for tests that tamper with it; and a (tampered) segment witness
// proven, `options` as for stark::prover::prove.
SegmentWitness segment_witness(const ProvingSetup& setup, const SegmentSetup& segments, const elf::ElfImage& elf,
                               const vm::Inputs& inputs, const vm::Checkpoint& from, uint64_t max_steps,
                               const ChunkWords& salt, vm::VmConfig config = {});
SegmentProof prove_segment_witness(const ProvingSetup& setup, const SegmentSetup& segments, const SegmentWitness& witness,
                                   const stark::prover::ProveOptions& options = {});

// A whole run proven in segments of at most `segment_steps` steps (1 to 2^kMaxLogSteps): pass 1
// with a checkpoint every `segment_steps`, a fresh random salt for the private input's subtree,
// and each segment proven in turn (`on_segment` told each one's index and the count as it starts).
// The run must exit (RefusedError naming its stop otherwise); RefusedError as prove_segment throws.
using SegmentCallback = std::function<void(size_t segment, size_t count)>;
struct RunProofOutput {
  RunProofFile file;
  uint64_t steps = 0;
  int32_t exit_code = 0;
};
RunProofOutput prove_run(const ProvingSetup& setup, const SegmentSetup& segments, const elf::ElfImage& elf,
                         const vm::Inputs& inputs, uint64_t segment_steps, vm::VmConfig config = {},
                         const SegmentCallback& on_segment = {});

}  // namespace zkrv::riscv_air
