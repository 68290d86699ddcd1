// Seeds for fuzz_gdb_packets: the packets of a gdb session (handshake, registers, memory,
// breakpoints, watchpoints, stepping), framed with correct checksums, one session per file.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "gdbstub/stub.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::vector<std::vector<std::string>> sessions = {
      {"qSupported:multiprocess+;swbreak+", "QStartNoAckMode", "?", "qXfer:features:read:target.xml:0,ffb"},
      {"g", "p20", "P6=2a000000", "m200000,10", "M200000,4:01020304", "G" + std::string(33 * 8, '0')},
      {"Z0,10008,4", "c", "s", "z0,10008,4", "c"},
      {"Z2,200000,4", "c", "Z3,200004,4", "c", "Z4,200000,8", "s", "D"},
      {"vCont?", "Hg0", "qAttached", "P20=00000001", "c", "c", "k"},
  };
  // tests/fuzz/run.sh hands over a folder that does not exist yet.
  std::filesystem::create_directories(argv[1]);
  int n = 0;
  for (const auto& packets : sessions) {
    const std::string path = std::string(argv[1]) + "/session-" + std::to_string(n++);
    std::ofstream out(path, std::ios::binary);
    for (const std::string& p : packets) out << zkrv::gdbstub::frame(p) << "+";
    if (!out.flush()) {
      std::cerr << "fuzz_gdb_packets_seeds: cannot write " << path << "\n";
      return 1;
    }
  }
  return 0;
}
