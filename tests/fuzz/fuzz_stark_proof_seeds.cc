// Writes seed inputs for fuzz_stark_proof into the directory given as the only argument: for each
// toy machine, its case byte followed by an honest proof under the fuzzer's parameters.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/fuzz/stark_proof_cases.h"

int main(int argc, char** argv) {
  using namespace zkrv::stark;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <seed-dir>\n", argv[0]);
    return 2;
  }
  std::filesystem::create_directories(argv[1]);
  const fri::FriParams params = zkrv::fuzz::stark_fuzz_params();
  const std::vector<zkrv::fuzz::StarkFuzzCase> cases = zkrv::fuzz::stark_fuzz_cases();
  for (size_t i = 0; i < cases.size(); ++i) {
    const zkrv::fuzz::StarkFuzzCase& c = cases[i];
    const protocol::StarkProof proof = prover::prove(params, c.toy.machine, c.pk, c.toy.witnesses).proof;
    std::vector<uint8_t> bytes = protocol::encode_stark_proof(params, c.toy.machine, c.pk.vk, proof);
    bytes.insert(bytes.begin(), static_cast<uint8_t>(i));
    std::ofstream out(std::filesystem::path(argv[1]) / (c.toy.machine.name() + ".proof"), std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  return 0;
}
