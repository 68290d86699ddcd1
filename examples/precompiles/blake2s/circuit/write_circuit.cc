// blake2s_write_circuit: writes the example package's circuit blob from zkrv's own build:
// stark::circuit::encode of the BLAKE2s table in its package flavour (on the RISC-V machine's
// precompile buses, no index: the machine prepends the index a guest declares the package at,
// riscv_air/package_circuit.h). The package's own build makes the blob through the SDK's circuit
// kit (`zkrv precompile build`); e2e.sh checks the two are the same bytes, and uses this writer's
// --table-name for another version's circuit.
//
//   blake2s_write_circuit OUT [--table-name NAME]
//
// --table-name renames the table (default blake2s_compress): the same constraints under another
// name are another circuit digest, which is what the tests use to stand for another version's
// circuit.
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "circuit/blake2s_air.h"

#include "riscv_air/buses.h"
#include "stark/circuit/circuit.h"

int main(int argc, char** argv) {
  namespace riscv = ::zkrv::riscv_air;
  using example::blake2s_circuit::Blake2sTable;
  std::string out;
  Blake2sTable table;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--table-name" && i + 1 < argc) {
      table.name = argv[++i];
    } else if (out.empty() && !arg.starts_with("-")) {
      out = arg;
    } else {
      std::fprintf(stderr, "blake2s_write_circuit: unexpected argument '%s'\nusage: blake2s_write_circuit OUT [--table-name NAME]\n",
                   argv[i]);
      return 2;
    }
  }
  if (out.empty()) {
    std::fprintf(stderr, "usage: blake2s_write_circuit OUT [--table-name NAME]\n");
    return 2;
  }
  table.buses = Blake2sTable::CallBuses{riscv::kPrecompileBus, riscv::kPrecompileWordBus, riscv::kPrecompileReadBus,
                                        riscv::kRange16Bus, std::nullopt};
  try {
    const std::vector<uint8_t> bytes = zkrv::stark::circuit::encode(table);
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!file.flush()) {
      std::fprintf(stderr, "blake2s_write_circuit: cannot write '%s'\n", out.c_str());
      return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "blake2s_write_circuit: %s\n", e.what());
    return 1;
  }
  return 0;
}
