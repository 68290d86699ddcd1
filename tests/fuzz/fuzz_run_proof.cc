// libFuzzer target for run-proof files (riscv_air/run_proof.h): decode_run_proof_file, then
// riscv_air::verify_run against the program of run_proof_program.h with the id of the segment key
// the file carries (so that the chain check and the segments' STARK verifier run, not only the id
// comparison) and against a fixed id. Rejection is fine; a crash, a sanitizer report, an unbounded
// allocation or any exception other than the documented ones is a finding, and so is a decoded
// file whose encoding is not the input (the format has one encoding per file).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "riscv_air/program.h"
#include "riscv_air/run_proof.h"
#include "riscv_air/verifier.h"
#include "stark/proof/byte_io.h"
#include "tests/fuzz/run_proof_program.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace zkrv;
  static const fuzzing::RunProofProgram kProgram;
  static const riscv_air::ProgramImage kImage = riscv_air::program_image(kProgram.image);
  const std::span<const uint8_t> bytes(data, size);
  riscv_air::RunProofFile file;
  try {
    file = riscv_air::decode_run_proof_file(bytes);
  } catch (const stark::proof::ProofDecodeError&) {
    return 0;
  }
  const std::vector<uint8_t> again = riscv_air::encode_run_proof_file(file);
  if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) std::abort();
  for (const stark::Digest& id : {riscv_air::segment_program_id(file.key), stark::Digest{}}) {
    try {
      riscv_air::verify_run(bytes, id, kImage);
    } catch (const riscv_air::RejectedProof&) {
    }
  }
  return 0;
}
