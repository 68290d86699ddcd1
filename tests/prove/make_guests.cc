// Writes the small guests the `zkrv prove` / `zkrv verify` tests run (run.sh): programs that use
// only what the RISC-V machine proves today (integer, multiply, jump, branch, aligned load/store,
// exit), one that exits non-zero, one the machine refuses (it has no program id), one that faults,
// one that calls the keccak-f[1600] precompile and one the SHA-256 compression precompile.
// Generated here, never checked in as binaries.
//   make_guests OUTPUT_DIR
#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "isa/encode.h"
#include "tests/difftest/elf_writer.h"

namespace {

namespace enc = zkrv::isa::encode;
using zkrv::isa::Op;

constexpr uint32_t kCode = 0x10000;
constexpr uint32_t kData = 0x20000;
constexpr uint32_t kT0 = 5, kT1 = 6, kT2 = 7, kS0 = 8, kA0 = 10, kA7 = 17;

class Program {
 public:
  explicit Program(uint32_t code = kCode) : code_(code) {}
  uint32_t pc() const { return code_ + static_cast<uint32_t>(4 * words_.size()); }
  Program& emit(uint32_t word) {
    words_.push_back(word);
    return *this;
  }
  Program& li(uint32_t rd, uint32_t value) {
    const auto pair = enc::li(rd, value);
    return emit(pair.first).emit(pair.second);
  }
  Program& exit_with(uint32_t reg) {
    return emit(enc::op_imm(Op::ADDI, kA0, reg, 0)).li(kA7, 93).emit(enc::ecall());
  }
  // Declares a precompile at a custom-0 index (a descriptor of docs/precompiles.md).
  Program& declare_precompile(uint16_t index, const std::string& name, const std::string& requirement) {
    std::vector<uint8_t> d(136, 0);
    const uint8_t magic[] = {0x5a, 0x4b, 0x50, 0x44};  // "ZKPD", little-endian 0x44504b5a
    std::copy(std::begin(magic), std::end(magic), d.begin());
    d[4] = 1;
    d[6] = static_cast<uint8_t>(index);
    d[7] = static_cast<uint8_t>(index >> 8);
    std::copy(name.begin(), name.end(), d.begin() + 8);
    std::copy(requirement.begin(), requirement.end(), d.begin() + 72);
    note_.insert(note_.end(), d.begin(), d.end());
    return *this;
  }
  std::vector<uint8_t>& data() { return data_; }
  std::vector<uint8_t> elf() const {
    std::vector<uint8_t> code;
    for (uint32_t w : words_) {
      for (int i = 0; i < 4; ++i) code.push_back(static_cast<uint8_t>(w >> (8 * i)));
    }
    std::vector<zkrv::difftest::ElfSection> sections;
    if (!note_.empty()) sections.push_back({".note.zkrv.precompiles", 7 /*SHT_NOTE*/, note_});
    return zkrv::difftest::write_elf(code_, {{code_, static_cast<uint32_t>(code.size()), 5, code},
                                             {kData, 0x1000, 6, data_}},
                                     sections);
  }

 private:
  uint32_t code_;
  std::vector<uint32_t> words_;
  std::vector<uint8_t> data_, note_;
};

// Sums i * i for i = 1..10 through memory (store, load, multiply, add, branch), then exits with
// `sum - 385 + exit_code`: 0 unless the arithmetic went wrong.
Program sum_of_squares(uint32_t exit_code, uint32_t code = kCode) {
  Program p(code);
  p.li(kT0, 10).li(kT2, 0).li(kS0, kData);
  const uint32_t loop = p.pc();
  p.emit(enc::store(Op::SW, kT0, kS0, 0))
      .emit(enc::load(Op::LW, kT1, kS0, 0))
      .emit(enc::op_reg(Op::MUL, kT1, kT1, kT1))
      .emit(enc::op_reg(Op::ADD, kT2, kT2, kT1))
      .emit(enc::op_imm(Op::ADDI, kT0, kT0, -1))
      .emit(enc::branch(Op::BNE, kT0, 0, static_cast<int32_t>(loop - p.pc())));
  p.emit(enc::op_imm(Op::ADDI, kT2, kT2, static_cast<int32_t>(exit_code) - 385));
  return p.exit_with(kT2);
}

// Two keccak-f[1600] calls (the first-party precompile, at the SDK's index 1016) on a 200-byte state
// at kData, then exits with (word 0 of the state) & 0x7f minus 103, what the VM computes for this
// state: 0 unless a call went wrong.
Program keccak_twice() {
  Program p;
  p.declare_precompile(1016, "zkrv.keccak_f1600", "^1.0");
  for (int i = 0; i < 200; ++i) p.data().push_back(static_cast<uint8_t>(i));
  p.li(kA0, kData);
  p.emit(enc::precompile(1016, 0, kA0, 0)).emit(enc::precompile(1016, 0, kA0, 0));
  p.emit(enc::load(Op::LW, kT0, kA0, 0)).emit(enc::op_imm(Op::ANDI, kT0, kT0, 0x7f));
  return p.emit(enc::op_imm(Op::ADDI, kT0, kT0, -103)).exit_with(kT0);
}

// One SHA-256 compression (the first-party precompile, at the SDK's index 1017) of the padded block
// of "abc" into H(0) at kData, then exits with (word 0 of the state) & 0x7f minus 63: word 0 is
// SHA-256("abc")'s first word 0xba7816bf (FIPS 180-4's example), so 0 unless the call went wrong.
Program sha256_abc() {
  Program p;
  p.declare_precompile(1017, "zkrv.sha256_compress", "^1.0");
  const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  for (const uint32_t word : initial) {
    for (int b = 0; b < 4; ++b) p.data().push_back(static_cast<uint8_t>(word >> (8 * b)));
  }
  p.data().resize(0x40 + 64);
  p.data()[0x40] = 'a';
  p.data()[0x41] = 'b';
  p.data()[0x42] = 'c';
  p.data()[0x43] = 0x80;
  p.data()[0x40 + 63] = 24;  // the message's length in bits, big-endian
  p.li(kA0, kData).li(kA0 + 1, kData + 0x40);
  p.emit(enc::precompile(1017, 0, kA0, kA0 + 1));
  p.emit(enc::load(Op::LW, kT0, kA0, 0)).emit(enc::op_imm(Op::ANDI, kT0, kT0, 0x7f));
  return p.emit(enc::op_imm(Op::ADDI, kT0, kT0, -63)).exit_with(kT0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_guests OUTPUT_DIR\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  std::filesystem::create_directories(out);
  std::vector<std::pair<std::string, Program>> guests;
  guests.emplace_back("squares", sum_of_squares(0));
  guests.emplace_back("squares_exit_7", sum_of_squares(7));
  // Code at 2^30: it runs, but the machine's pcs stay below 2^30, so it has no program id.
  guests.emplace_back("high_code", sum_of_squares(0, 0x40000000));
  Program fault;  // a load from an unmapped address
  fault.li(kS0, 0x100).emit(enc::load(Op::LW, kT0, kS0, 0)).exit_with(kT0);
  guests.emplace_back("fault", fault);
  guests.emplace_back("keccak", keccak_twice());
  Program misaligned;  // a word load at an odd address (the VM executes it; segment mode refuses it)
  misaligned.li(kS0, kData + 1).emit(enc::load(Op::LW, kT0, kS0, 0)).li(kT0, 0).exit_with(kT0);
  guests.emplace_back("misaligned", misaligned);
  guests.emplace_back("sha256", sha256_abc());
  for (const auto& [name, program] : guests) {
    const std::vector<uint8_t> bytes = program.elf();
    std::ofstream file(out / (name + ".elf"), std::ios::binary);
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!file) {
      std::fprintf(stderr, "make_guests: cannot write %s\n", (out / (name + ".elf")).c_str());
      return 1;
    }
  }
  return 0;
}
