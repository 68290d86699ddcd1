// Witness generation: from a program's image and pass 2's trace of a halted run, every table's
// main trace and public values. Anything this machine does not prove yet is refused here, before
// any proving work, with a RefusedError naming the pc and the instruction.
#pragma once

#include <zkrv/precompile.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "riscv_air/memory_tree.h"
#include "riscv_air/program.h"
#include "riscv_air/segment_chain.h"
#include "stark/air/machine.h"
#include "stark/air/witness.h"
#include "vm/checkpoint.h"
#include "vm/trace.h"
#include "vm/vm.h"

namespace zkrv::riscv_air {

struct MachineWitness {
  std::vector<stark::air::TableWitness> tables;  // in TableIndex order, then the precompiles' tables
  int32_t exit_code = 0;
  uint64_t steps = 0;
  std::vector<uint8_t> public_input;   // the statement's: the payload of the public input tape
  std::vector<uint8_t> public_output;  // the output tape's bytes [4, 4 + word 0)
};

// The rows of a package circuit's table for one call (docs/precompiles.md, "The witness call"): a
// whole number of rows of the circuit's main width, row-major, each value below p. `call` is the
// call as the proof holds it: its ts, rs1, rs2, rd (0 when rd is x0) and every word it accessed
// once, in the order it first touched them, with the value before and after (the host asks the
// package's library: precompiles::generate_witness).
using PackageRows =
    std::function<std::vector<uint32_t>(const DeclaredPrecompile& precompile, const zkrv_call_record& call)>;

// What pass 2 recorded of the run's precompile calls (vm::Trace::precompile_accesses, _bytes), and
// who fills the tables of package circuits (none: a call to one is refused, naming it).
struct PrecompileTrace {
  std::span<const vm::PrecompileAccess> accesses;
  std::span<const uint8_t> bytes;
  PackageRows package_rows;
};

// `steps` is the whole trace of the run (pass 2, no window); `result` its outcome; `public_input`
// and `private_input` the payloads the run had (the private one's length and the word holding its
// byte L are rows of the PrivateInput table whether the run read them or not); `reserved_rows` the
// rows zero knowledge reserves at the end of every table (stark::protocol::reserved_rows of the
// proof's parameters), left zero for the prover. Throws RefusedError for a run that did not halt, is too
// long, or uses what is not proven yet, and for a package circuit's rows that fail its constraints
// (naming the package and the constraint) or are not whole rows of field elements. A package
// table's rows after its calls' are all zero.
MachineWitness generate_witness(const ProgramImage& program, const stark::air::Machine& machine,
                                std::span<const vm::TraceStep> steps, const vm::RunResult& result,
                                const PrecompileTrace& precompiles = {}, std::span<const uint8_t> public_input = {},
                                std::span<const uint8_t> private_input = {}, size_t reserved_rows = 0);

// Segment mode (make_segment_machine): one segment's witness and statement (its program id left to
// the caller: the key's).
struct SegmentWitness {
  MachineWitness machine;  // the segment machine's tables; exit_code and steps as for a run
  SegmentStatement statement;
};

// `from` is the checkpoint the segment starts at, `steps` pass 2's trace of the segment
// (Vm::run_segment), `halted` its result when the guest exited within it (nullopt when the steps
// ran out). Timestamps restart at 4. root_in is the root of memory_tree_at(program, from, the
// inputs, salt), the boundary rows' old words that tree's, and root_out the tree after the
// segment's chunks. Throws RefusedError for a fault, no steps, more than 2^22, or what segment mode
// does not prove yet (rin / hin / wou, precompile calls, misaligned accesses), naming the pc and
// the instruction.
SegmentWitness generate_segment_witness(const ProgramImage& program, const stark::air::Machine& machine,
                                       const vm::Checkpoint& from, std::span<const vm::TraceStep> steps,
                                       const std::optional<vm::RunResult>& halted,
                                       std::span<const uint8_t> public_input, std::span<const uint8_t> private_input,
                                       const ChunkWords& salt, size_t reserved_rows = 0);

// Recomputes the lookup tables' counts (Program, Range16, ByteXor, Readable) from the other tables'
// rows: for tests that edit a witness and want the lookups to stay balanced. A value no Range16 or
// Readable row holds (a forgery's) counts nowhere, so its bus stays unbalanced and names it.
void fill_lookup_counts(const ProgramImage& program, const stark::air::Machine& machine, MachineWitness& witness,
                        size_t reserved_rows = 0);

}  // namespace zkrv::riscv_air
