// Checkpoint files (vm/checkpoint.h): what a prover process receives from rank 0 and resumes from.
// Any bytes decode or are refused with LoadError; what decodes re-encodes to the same bytes (one
// encoding per checkpoint); and a decoded checkpoint either resumes a small program for a bounded
// number of steps or is refused by the VM, never crashes it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "tests/fuzz/checkpoint_program.h"
#include "vm/checkpoint.h"
#include "vm/load_error.h"
#include "vm/vm.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace zkrv;
  const std::span<const uint8_t> bytes(data, size);
  vm::Checkpoint checkpoint;
  try {
    checkpoint = vm::decode_checkpoint(bytes);
  } catch (const vm::LoadError&) {
    return 0;
  }
  const std::vector<uint8_t> again = vm::encode_checkpoint(checkpoint);
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();

  static const fuzzing::CheckpointProgram kProgram;
  vm::Vm machine(kProgram.image, fuzzing::checkpoint_program_config());
  try {
    machine.run_segment(checkpoint, {}, 256, nullptr);
  } catch (const vm::LoadError&) {
  }
  return 0;
}
