// Seeds for fuzz_checkpoint: every checkpoint file of the fuzzer's program, cut every 5 steps.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/fuzz/checkpoint_program.h"
#include "vm/checkpoint.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <seed-dir>\n", argv[0]);
    return 2;
  }
  using namespace zkrv;
  std::filesystem::create_directories(argv[1]);
  const fuzzing::CheckpointProgram program;
  int n = 0;
  vm::Vm(program.image, fuzzing::checkpoint_program_config()).run({}, 5, [&](const vm::Checkpoint& c) {
    const std::vector<uint8_t> bytes = vm::encode_checkpoint(c);
    std::ofstream(std::string(argv[1]) + "/checkpoint-" + std::to_string(n++), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  });
  return n > 0 ? 0 : 1;
}
