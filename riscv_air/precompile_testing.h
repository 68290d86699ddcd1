// For tests: keccak-f[1600] as a precompile package the VM resolves in process, so that tests can
// run and prove guests that declare zkrv.keccak_f1600 without building the package.
#pragma once

#include <cstring>

#include "precompile_air/keccak_f1600/keccak_air.h"
#include "riscv_air/machine.h"
#include "vm/vm.h"

namespace zkrv::riscv_air::testing {

// keccak-f[1600] of the 200 bytes at rs1, every byte through the guest-memory callbacks; rd = 0.
inline int keccak_eval(zkrv_precompile_call* call) {
  uint8_t bytes[200];
  if (call->memory->read(call->memory->context, call->rs1, bytes, 200) != 0) return ZKRV_PRECOMPILE_BAD_MEMORY;
  precompile_air::keccak_f1600::State state{};
  std::memcpy(state.data(), bytes, 200);
  precompile_air::keccak_f1600::permute(state);
  std::memcpy(bytes, state.data(), 200);
  if (call->memory->write(call->memory->context, call->rs1, bytes, 200) != 0) return ZKRV_PRECOMPILE_BAD_MEMORY;
  call->rd = 0;
  return ZKRV_PRECOMPILE_OK;
}

// Any other name: rd = rs1 + 1, no memory access.
inline int widget_eval(zkrv_precompile_call* call) {
  call->rd = call->rs1 + 1;
  return ZKRV_PRECOMPILE_OK;
}

inline vm::VmConfig precompile_config() {
  vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  config.precompile_resolver = [](const vm::PrecompileDescriptor& d) {
    return vm::PrecompileImplementation{d.name, "1.0.0", {}, d.name == kKeccakF1600Name ? &keccak_eval : &widget_eval,
                                        nullptr};
  };
  return config;
}

}  // namespace zkrv::riscv_air::testing
