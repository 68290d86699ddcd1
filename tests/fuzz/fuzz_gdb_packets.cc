// The GDB remote protocol engine (gdbstub/) on arbitrary bytes from the debugger, over a small
// looping program: framing, checksums, every command with hostile arguments, breakpoints and
// watchpoints on any address, registers and memory written anywhere. Everything it sends back must
// be acks and well-formed packets.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gdbstub/stub.h"
#include "isa/encode.h"
#include "vm/testing/program.h"

namespace {

using zkrv::isa::Op;
namespace enc = zkrv::isa::encode;

const zkrv::elf::ElfImage& program() {
  static zkrv::vm::testing::TestProgram p;  // the image's segments point into it
  static const zkrv::elf::ElfImage image = [] {
    p.li(5, zkrv::vm::testing::TestProgram::kData);
    const uint32_t loop = p.pc();
    p.emit(enc::op_imm(Op::ADDI, 6, 6, 1));
    p.emit(enc::store(Op::SW, 6, 5, 0));
    p.emit(enc::load(Op::LW, 7, 5, 4));
    p.emit(enc::branch(Op::BNE, 6, 0, static_cast<int32_t>(loop - p.pc())));
    p.exit_with(6);
    return p.image();
  }();
  return image;
}

// Acks, and packets whose checksum matches their payload.
void check_output(std::string_view out) {
  size_t i = 0;
  while (i < out.size()) {
    if (out[i] == '+' || out[i] == '-') {
      ++i;
      continue;
    }
    if (out[i] != '$') std::abort();
    const size_t hash = out.find('#', i);
    if (hash == std::string_view::npos || hash + 3 > out.size()) std::abort();
    uint8_t sum = 0;
    for (size_t k = i + 1; k < hash; ++k) sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(out[k]));
    if (std::stoul(std::string(out.substr(hash + 1, 2)), nullptr, 16) != sum) std::abort();
    i = hash + 3;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zkrv::vm::VmConfig config;
  config.max_cycles = 100000;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  zkrv::vm::Vm vm(program(), config);
  const auto session = vm.debug({});
  zkrv::gdbstub::Stub stub(*session);
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // In two pieces: a packet split across reads must parse as one.
  for (const std::string_view piece : {bytes.substr(0, size / 2), bytes.substr(size / 2)}) {
    check_output(stub.receive(piece));
    for (int i = 0; i < 10 && stub.running(); ++i) check_output(stub.run(1000));
  }
  if (session->pc() & 1) std::abort();
  return 0;
}
