// libFuzzer target for RISC-V machine proof files (riscv_air/key.h): decode_proof_file, then
// riscv_air::verify against the id of the program key the file carries (so that the whole STARK
// verifier runs, not only the program id comparison) and against a fixed id. Rejection is fine; a
// crash, a sanitizer report or any exception other than the documented ones is a finding, and so
// is a decoded file whose encoding is not the input (the format has one encoding per file).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "riscv_air/key.h"
#include "riscv_air/verifier.h"
#include "stark/proof/byte_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace zkrv;
  const std::span<const uint8_t> bytes(data, size);
  riscv_air::ProofFile file;
  try {
    file = riscv_air::decode_proof_file(bytes);
  } catch (const stark::proof::ProofDecodeError&) {
    return 0;
  }
  const std::vector<uint8_t> again = riscv_air::encode_proof_file(file);
  if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) std::abort();
  for (const stark::Digest& id : {riscv_air::program_id(file.key), stark::Digest{}}) {
    try {
      riscv_air::verify(bytes, id);
    } catch (const riscv_air::RejectedProof&) {
    }
  }
  return 0;
}
