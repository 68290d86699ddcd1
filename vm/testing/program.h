// A guest program built in memory for tests: code, read-only data and writable data segments at
// fixed addresses, turned into an ElfImage without an ELF file and run on the VM.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "elf/elf.h"
#include "isa/encode.h"
#include "vm/vm.h"

namespace zkrv::vm::testing {

class TestProgram {
 public:
  static constexpr uint32_t kCode = 0x10000;
  static constexpr uint32_t kRodata = 0x100000;
  static constexpr uint32_t kData = 0x200000;
  static constexpr uint32_t kDataSize = 0x10000;  // sixteen RW pages, zero beyond data()

  uint32_t pc() const { return kCode + static_cast<uint32_t>(code_.size()); }
  TestProgram& emit(uint32_t insn) {
    for (int i = 0; i < 4; ++i) code_.push_back(static_cast<uint8_t>(insn >> (8 * i)));
    return *this;
  }
  TestProgram& emit16(uint16_t insn) {
    code_.push_back(static_cast<uint8_t>(insn));
    code_.push_back(static_cast<uint8_t>(insn >> 8));
    return *this;
  }
  TestProgram& li(uint32_t rd, uint32_t value) {
    const auto p = isa::encode::li(rd, value);
    return emit(p.first).emit(p.second);
  }
  TestProgram& ecall(uint32_t number) { return li(17, number).emit(isa::encode::ecall()); }
  // exit(a0 = code)
  TestProgram& exit(uint32_t code) { return li(10, code).ecall(93); }
  // exit with the value of register `reg` as the exit code
  TestProgram& exit_with(uint32_t reg) { return emit(isa::encode::op_imm(isa::Op::ADDI, 10, reg, 0)).ecall(93); }

  // Memory traffic for tests: stores count, count - 1, ..., 1 into the words from `address` on and
  // adds each back into x7 as it loads it (x7 = count (count + 1) / 2; uses x5 to x8).
  TestProgram& store_load_sum_loop(uint32_t address, int32_t count) {
    using isa::Op;
    namespace enc = isa::encode;
    li(5, address);
    emit(enc::op_imm(Op::ADDI, 6, 0, count));
    emit(enc::op_imm(Op::ADDI, 7, 0, 0));
    const uint32_t loop = pc();
    emit(enc::store(Op::SW, 6, 5, 0));
    emit(enc::load(Op::LW, 8, 5, 0));
    emit(enc::op_reg(Op::ADD, 7, 7, 8));
    emit(enc::op_imm(Op::ADDI, 5, 5, 4));
    emit(enc::op_imm(Op::ADDI, 6, 6, -1));
    return emit(enc::branch(Op::BNE, 6, 0, static_cast<int32_t>(loop - pc())));
  }

  std::vector<uint8_t>& rodata() { return rodata_; }
  std::vector<uint8_t>& data() { return data_; }
  // Contents of the .note.zkrv.precompiles section (descriptors), if the program declares any.
  std::vector<uint8_t>& precompile_note() { return precompile_note_; }

  // Appends one descriptor in the format of docs/precompiles.md.
  TestProgram& declare_precompile(uint16_t index, const std::string& name, const std::string& requirement) {
    std::vector<uint8_t> d(136, 0);
    const uint32_t magic = 0x44504b5a;
    std::memcpy(d.data(), &magic, 4);
    d[4] = 1;
    d[6] = static_cast<uint8_t>(index);
    d[7] = static_cast<uint8_t>(index >> 8);
    std::memcpy(d.data() + 8, name.data(), std::min<size_t>(name.size(), 64));
    std::memcpy(d.data() + 72, requirement.data(), std::min<size_t>(requirement.size(), 32));
    precompile_note_.insert(precompile_note_.end(), d.begin(), d.end());
    return *this;
  }

  // Builds the image. Segments: code RX at kCode, rodata R at kRodata (if any), data RW at kData.
  elf::ElfImage image() const {
    elf::ElfImage img;
    img.entry = kCode;
    img.segments.push_back({0, kCode, static_cast<uint32_t>(code_.size()), elf::kRead | elf::kExec, code_});
    if (!rodata_.empty())
      img.segments.push_back({1, kRodata, static_cast<uint32_t>(rodata_.size()), elf::kRead, rodata_});
    img.segments.push_back({2, kData, std::max<uint32_t>(kDataSize, static_cast<uint32_t>(data_.size())),
                            elf::kRead | elf::kWrite, data_});
    img.symbols.push_back({"test_code", kCode, static_cast<uint32_t>(code_.size()), true});
    if (!precompile_note_.empty()) img.sections.push_back({".note.zkrv.precompiles", 0, 7, 2, precompile_note_});
    return img;
  }

  struct Outcome {
    RunResult result;
    std::string stdout_log;
    std::string stderr_log;
    std::string fault_message;
    std::array<uint8_t, 32> digest{};
  };

  Outcome run(const Inputs& inputs = {}, VmConfig config = {}) const {
    Outcome out;
    config.log_sink = [&out](int fd, std::span<const uint8_t> bytes) {
      (fd == 1 ? out.stdout_log : out.stderr_log).append(bytes.begin(), bytes.end());
    };
    const elf::ElfImage img = image();
    Vm vm(img, config);
    out.result = vm.run(inputs);
    if (out.result.reason == StopReason::kFault) out.fault_message = vm.describe(out.result.fault);
    out.digest = vm.memory_digest();
    return out;
  }

 private:
  std::vector<uint8_t> code_;
  std::vector<uint8_t> rodata_;
  std::vector<uint8_t> data_;
  std::vector<uint8_t> precompile_note_;
};

}  // namespace zkrv::vm::testing
