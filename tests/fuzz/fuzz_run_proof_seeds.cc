// Writes seed inputs for fuzz_run_proof into the directory given as the only argument: the honest
// run-proof file of run_proof_program.h in segments of kRunProofSegmentSteps under the fast profile.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "riscv_air/prover.h"
#include "riscv_air/run_proof.h"
#include "tests/fuzz/run_proof_program.h"

int main(int argc, char** argv) {
  using namespace zkrv;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <seed-dir>\n", argv[0]);
    return 2;
  }
  std::filesystem::create_directories(argv[1]);
  const fuzzing::RunProofProgram program;
  const riscv_air::ProvingSetup setup = riscv_air::setup(program.image, stark::fast_profile());
  const riscv_air::SegmentSetup segments = riscv_air::segment_setup(setup);
  const riscv_air::RunProofOutput out =
      riscv_air::prove_run(setup, segments, program.image, {}, fuzzing::kRunProofSegmentSteps);
  const std::vector<uint8_t> bytes = riscv_air::encode_run_proof_file(out.file);
  std::ofstream file(std::filesystem::path(argv[1]) / "two_segments.run", std::ios::binary);
  file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return file ? 0 : 1;
}
