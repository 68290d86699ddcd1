// The interpreter on arbitrary code: the input is the code segment (and, after the first 512
// bytes, the initial data and the public input). Every run must end in an exit or a fault within
// the cycle limit, with the instruction count inside it, and never crash the host.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "elf/elf.h"
#include "vm/vm.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t code_size = size < 512 ? size : 512;
  const std::vector<uint8_t> code(data, data + code_size);
  const std::vector<uint8_t> rest(data + code_size, data + size);

  zkrv::elf::ElfImage image;
  image.entry = 0x10000;
  image.segments.push_back({0, 0x10000, static_cast<uint32_t>(code.size()), zkrv::elf::kRead | zkrv::elf::kExec, code});
  image.segments.push_back({1, 0x20000, 0x2000, zkrv::elf::kRead | zkrv::elf::kWrite, rest});
  image.segments.push_back({2, 0x30000, 0x1000, zkrv::elf::kRead, {}});

  zkrv::vm::VmConfig config;
  config.max_cycles = 20000;
  config.max_output_bytes = 4096;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  zkrv::vm::Vm vm(image, config);
  zkrv::vm::Inputs inputs;
  inputs.public_input = rest;
  inputs.private_input = code;
  const zkrv::vm::RunResult result = vm.run(inputs);
  if (result.instructions > config.max_cycles) std::abort();
  if (result.reason == zkrv::vm::StopReason::kFault && vm.describe(result.fault).empty()) std::abort();
  if (result.public_output.size() > config.max_output_bytes) std::abort();
  return 0;
}
