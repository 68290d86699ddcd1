// The circuit generator's main, which zkrv_add_precompile_circuit links with the author's table
// sources (one of which has ZKRV_DEFINE_CIRCUIT): writes the table's canonical encoding to OUT.
//
//   <target>_circuit_generator OUT
//
// The build runs it; an encoder error (a constraint of degree 4, a tuple too long, ...) is printed
// with the encoder's message and fails the build.
#include <cstdio>
#include <exception>
#include <fstream>
#include <vector>

#include <zkrv/circuit.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT\n", argc > 0 ? argv[0] : "circuit_generator");
    return 2;
  }
  std::vector<uint8_t> bytes;
  try {
    bytes = zkrv::circuit_kit::internal::encode_defined_circuit();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "zkrv circuit kit: the table is not a circuit: %s\n", e.what());
    return 1;
  }
  std::ofstream file(argv[1], std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!file.flush()) {
    std::fprintf(stderr, "zkrv circuit kit: cannot write '%s'\n", argv[1]);
    return 1;
  }
  return 0;
}
