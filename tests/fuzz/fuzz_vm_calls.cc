// The interpreter's calls out of the guest with hostile arguments: each 13-byte record of the input
// becomes one call (a syscall of ABI v1, an unknown syscall, a tape access or a dynamic-precompile
// call) with three 32-bit arguments taken verbatim, so lengths near 2^32, addresses that wrap,
// unmapped or read-only buffers, region names and tape offsets at the edges all occur. Every run
// must end in an exit or a fault within the cycle limit, never crash or over-allocate in the host.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "isa/encode.h"
#include "vm/testing/program.h"

namespace {

namespace enc = zkrv::isa::encode;
using zkrv::vm::testing::TestProgram;

constexpr uint32_t kA0 = 10, kA1 = 11, kA2 = 12, kT0 = 5;
constexpr uint32_t kSyscalls[] = {64, 93, 94, 0x5A4B0001, 0x5A4B0002, 0x5A4B0003, 0, 0xffffffff};

// A stand-in library that touches guest memory as the arguments say: reads rs2 & 0xffff bytes at
// rs1 and writes them back one word further; the VM must check both, whatever the lengths.
int echo_memory(zkrv_precompile_call* call) {
  const uint32_t length = call->rs2 & 0xffff;
  std::vector<uint8_t> bytes(length);
  if (call->memory->read(call->memory->context, call->rs1, bytes.data(), length) != 0) return ZKRV_PRECOMPILE_BAD_MEMORY;
  if (call->memory->write(call->memory->context, call->rs1 + 4, bytes.data(), length) != 0) {
    return ZKRV_PRECOMPILE_BAD_MEMORY;
  }
  call->rd = length;
  return ZKRV_PRECOMPILE_OK;
}

uint32_t word(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  TestProgram p;
  p.rodata() = {'r', 'e', 'g', 'i', 'o', 'n'};
  p.declare_precompile(1, "fuzz.echo", "*");
  for (size_t at = 0; at + 13 <= size && at < 13 * 64; at += 13) {
    const uint8_t kind = data[at];
    const uint32_t a = word(data + at + 1), b = word(data + at + 5), c = word(data + at + 9);
    p.li(kA0, a).li(kA1, b).li(kA2, c);
    switch (kind % 6) {
      case 0:
      case 1:
      case 2: p.ecall(kSyscalls[kind % 8]); break;
      case 3: p.li(kT0, b).emit(enc::wou(kA0, kT0, static_cast<int32_t>(c << 20) >> 20)); break;
      case 4: p.li(kT0, b).emit(kind & 8 ? enc::rin(kA0, kT0, static_cast<int32_t>(c << 20) >> 20)
                                         : enc::hin(kA0, kT0, static_cast<int32_t>(c << 20) >> 20));
        break;
      default: p.emit(enc::precompile(kind & 64 ? 1 : 2, kA0, kA0, kA1)); break;
    }
  }
  p.exit(0);

  zkrv::vm::VmConfig config;
  config.max_cycles = 4096;
  config.max_output_bytes = 1 << 16;
  config.precompile_resolver = [](const zkrv::vm::PrecompileDescriptor& d) {
    return zkrv::vm::PrecompileImplementation{d.name, "1.0.0", {}, &echo_memory, nullptr};
  };
  zkrv::vm::Inputs inputs;
  inputs.public_input.assign(data, data + (size < 64 ? size : 64));
  const auto out = p.run(inputs, config);
  if (out.result.instructions > config.max_cycles) std::abort();
  if (out.result.public_output.size() > config.max_output_bytes) std::abort();
  if (out.result.reason == zkrv::vm::StopReason::kFault && out.fault_message.empty()) std::abort();
  return 0;
}
