// Writes the hostile-guest corpus: small ELF programs, each built to attack one class of host
// weakness (docs/testing.md "Hostile inputs"). run.sh runs `zkrv` on them and on hostile
// command lines and checks each status and message. Generated here, never checked in as binaries.
//   make_corpus OUTPUT_DIR
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "isa/encode.h"
#include "tests/difftest/elf_writer.h"

namespace {

namespace enc = zkrv::isa::encode;
using zkrv::isa::Op;

constexpr uint32_t kCode = 0x10000;
constexpr uint32_t kData = 0x20000;
constexpr uint32_t kT0 = 5, kT1 = 6, kT2 = 7, kA0 = 10, kA1 = 11, kA2 = 12, kA7 = 17;
constexpr uint32_t kRegionBegin = 0x5A4B0001, kRegionEnd = 0x5A4B0002;

class Program {
 public:
  uint32_t pc() const { return kCode + static_cast<uint32_t>(4 * words_.size()); }
  Program& emit(uint32_t word) {
    words_.push_back(word);
    return *this;
  }
  Program& li(uint32_t rd, uint32_t value) {
    const auto pair = enc::li(rd, value);
    return emit(pair.first).emit(pair.second);
  }
  Program& ecall(uint32_t number) { return li(kA7, number).emit(enc::ecall()); }
  Program& exit_with(uint32_t reg) { return emit(enc::op_imm(Op::ADDI, kA0, reg, 0)).ecall(93); }
  Program& branch_back(Op op, uint32_t rs1, uint32_t rs2, uint32_t target) {
    return emit(enc::branch(op, rs1, rs2, static_cast<int32_t>(target - pc())));
  }

  std::vector<uint8_t> elf() const {
    std::vector<uint8_t> code;
    for (uint32_t w : words_) {
      for (int i = 0; i < 4; ++i) code.push_back(static_cast<uint8_t>(w >> (8 * i)));
    }
    return zkrv::difftest::write_elf(kCode, {{kCode, static_cast<uint32_t>(code.size()), 5, code},
                                             {kData, 0x10000, 6, {}}});
  }

 private:
  std::vector<uint32_t> words_;
};

// `count` regions named by a 4-byte counter, each ended right away when `end_each`.
Program region_loop(uint32_t count, bool end_each) {
  Program p;
  p.li(kT0, 0).li(kT1, count).li(kT2, kData);
  const uint32_t loop = p.pc();
  p.emit(enc::store(Op::SW, kT0, kT2, 0)).emit(enc::op_imm(Op::ADDI, kA0, kT2, 0)).li(kA1, 4).ecall(kRegionBegin);
  if (end_each) p.emit(enc::op_imm(Op::ADDI, kA0, kT2, 0)).li(kA1, 4).ecall(kRegionEnd);
  p.emit(enc::op_imm(Op::ADDI, kT0, kT0, 1)).branch_back(Op::BLTU, kT0, kT1, loop);
  p.li(kT0, 0).exit_with(kT0);
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_corpus OUTPUT_DIR\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  std::filesystem::create_directories(out);
  std::vector<std::pair<std::string, Program>> corpus;

  Program wou_top;  // an output word at tape offset 0xfffffffc: offset + 4 wraps in 32 bits
  wou_top.li(kT0, 0xfffffffc).emit(enc::wou(0, kT0, 0)).li(kT0, 0).exit_with(kT0);
  corpus.emplace_back("wou_top_offset", wou_top);

  Program write_huge;  // write(1, data, 0xffffffff): a 4 GiB log buffer if sized before checking
  write_huge.li(kA0, 1).li(kA1, kData).li(kA2, 0xffffffff).ecall(64).li(kT0, 0).exit_with(kT0);
  corpus.emplace_back("write_4gib", write_huge);

  corpus.emplace_back("regions_200k", region_loop(200000, true));  // 54 s of host time once
  corpus.emplace_back("regions_deep", region_loop(100000, false));

  Program echo_length;  // exits with the public input's length word
  echo_length.emit(enc::rin(kT0, 0, 0)).exit_with(kT0);
  corpus.emplace_back("echo_length", echo_length);

  for (const auto& [name, program] : corpus) {
    const std::vector<uint8_t> bytes = program.elf();
    std::ofstream(out / (name + ".elf"), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  // Malformed files: not an ELF at all, and a truncated header.
  std::ofstream(out / "not_an_elf.elf", std::ios::binary) << "#!/bin/sh\necho hi\n";
  const std::vector<uint8_t> elf = echo_length.elf();
  std::ofstream(out / "truncated.elf", std::ios::binary).write(reinterpret_cast<const char*>(elf.data()), 30);
  return 0;
}
