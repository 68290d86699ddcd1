// Writes seed inputs for fuzz_riscv_proof into the directory given as the only argument: honest
// proof files of two small guests (one exits 0, one exits 3) under the fast profile.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "isa/encode.h"
#include "riscv_air/prover.h"
#include "vm/testing/program.h"

int main(int argc, char** argv) {
  using namespace zkrv;
  namespace enc = isa::encode;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <seed-dir>\n", argv[0]);
    return 2;
  }
  std::filesystem::create_directories(argv[1]);
  for (uint32_t exit_code : {0u, 3u}) {
    vm::testing::TestProgram p;
    p.li(5, vm::testing::TestProgram::kData).li(6, 6).li(7, 7);
    p.emit(enc::op_reg(isa::Op::MUL, 6, 6, 7))               // 42
        .emit(enc::store(isa::Op::SW, 6, 5, 0))
        .emit(enc::load(isa::Op::LW, 7, 5, 0))
        .emit(enc::op_imm(isa::Op::ADDI, 7, 7, static_cast<int32_t>(exit_code) - 42))
        .emit(enc::branch(isa::Op::BEQ, 7, 7, 8))
        .emit(enc::op_imm(isa::Op::ADDI, 7, 7, 1))            // skipped
        .exit_with(7);
    const elf::ElfImage image = p.image();
    const riscv_air::ProvingSetup setup = riscv_air::setup(image, stark::fast_profile());
    const riscv_air::ProveOutput out = riscv_air::prove(setup, image, {});
    std::ofstream file(std::filesystem::path(argv[1]) / ("exit_" + std::to_string(exit_code) + ".proof"), std::ios::binary);
    file.write(reinterpret_cast<const char*>(out.proof.data()), static_cast<std::streamsize>(out.proof.size()));
  }
  return 0;
}
