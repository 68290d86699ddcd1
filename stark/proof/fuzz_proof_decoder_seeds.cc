// Writes seed proofs for fuzz_proof_decoder into the directory given as the only argument: valid
// proofs of a few shapes under the fuzzer's parameters (tiny_fri_params(4, 1)).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "stark/testing/small_params.h"
#include "stark/proof/proof.h"

int main(int argc, char** argv) {
  using zkrv::stark::Matrix;
  using zkrv::stark::fri::Fp;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <seed-dir>\n", argv[0]);
    return 2;
  }
  std::filesystem::create_directories(argv[1]);
  std::mt19937_64 rng(1);
  auto random_matrix = [&](size_t rows, size_t width) {
    Matrix<Fp> m(rows, width);
    for (Fp& x : m.values()) x = Fp::from_u64(rng());
    return m;
  };
  const std::vector<std::vector<std::vector<Matrix<Fp>>>> statements = {
      {{random_matrix(8, 1)}},
      {{random_matrix(16, 2), random_matrix(4, 1)}, {random_matrix(8, 1)}},
      {{random_matrix(32, 3)}},
  };
  const auto params = zkrv::stark::testing::tiny_fri_params(/*num_queries=*/4, /*query_pow_bits=*/1);
  for (size_t i = 0; i < statements.size(); ++i) {
    const auto bytes =
        zkrv::stark::proof::encode_proof(params, zkrv::stark::proof::prove_evaluations(params, statements[i]));
    std::ofstream out(std::filesystem::path(argv[1]) / ("proof" + std::to_string(i)), std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  return 0;
}
