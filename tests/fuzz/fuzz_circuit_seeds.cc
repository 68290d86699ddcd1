// Seeds for fuzz_circuit: the encodings of the example tables (Poseidon2, the stark/machines
// tables), so that mutations start from real DAGs, buses and preprocessed values.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "stark/circuit/circuit.h"
#include "stark/machines/cpu_alu.h"
#include "stark/machines/fibonacci.h"
#include "stark/machines/range_check.h"
#include "stark/poseidon2/poseidon2_air.h"

int main(int argc, char** argv) {
  using namespace zkrv::stark;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <seed-dir>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path out = argv[1];
  std::filesystem::create_directories(out);
  const auto write = [&](const std::string& name, const std::vector<uint8_t>& bytes) {
    std::ofstream(out / (name + ".circuit"), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  };
  write("poseidon2", circuit::encode(poseidon2::Poseidon2Table{}));
  write("fibonacci", circuit::encode(machines::FibonacciTable{}));
  write("cpu", circuit::encode(machines::CpuTable{}));
  write("alu", circuit::encode(machines::AluTable{}));
  write("range16", circuit::encode(machines::Range16Table{}));
  write("add16", circuit::encode(machines::Add16Table{}));
  return 0;
}
