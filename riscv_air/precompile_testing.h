// For tests: keccak-f[1600] and keccak absorb as precompile packages the VM resolves in process, so
// that tests can run and prove guests that declare zkrv.keccak_f1600 or zkrv.keccak_absorb without
// building the packages.
#pragma once

#include <cstdio>
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

// zkrv.keccak_absorb: the 136 bytes at rs2 XORed into the 200 at rs1, then keccak-f; rd = 0. As the
// package does, overlapping buffers fault (unless `allow_overlap`, for tests of what the prover does
// with a run no honest VM makes).
inline int absorb_eval_with(zkrv_precompile_call* call, bool allow_overlap) {
  uint8_t bytes[200], block[136];
  if (!allow_overlap && uint64_t{call->rs1} < uint64_t{call->rs2} + 136 && uint64_t{call->rs2} < uint64_t{call->rs1} + 200) {
    std::snprintf(call->error, sizeof call->error, "the state and the block overlap");
    return ZKRV_PRECOMPILE_FAULT;
  }
  if (call->memory->read(call->memory->context, call->rs1, bytes, 200) != 0) return ZKRV_PRECOMPILE_BAD_MEMORY;
  if (call->memory->read(call->memory->context, call->rs2, block, 136) != 0) return ZKRV_PRECOMPILE_BAD_MEMORY;
  for (size_t i = 0; i < 136; ++i) bytes[i] ^= block[i];
  precompile_air::keccak_f1600::State state{};
  std::memcpy(state.data(), bytes, 200);
  precompile_air::keccak_f1600::permute(state);
  std::memcpy(bytes, state.data(), 200);
  if (call->memory->write(call->memory->context, call->rs1, bytes, 200) != 0) return ZKRV_PRECOMPILE_BAD_MEMORY;
  call->rd = 0;
  return ZKRV_PRECOMPILE_OK;
}
inline int absorb_eval(zkrv_precompile_call* call) { return absorb_eval_with(call, false); }
inline int lenient_absorb_eval(zkrv_precompile_call* call) { return absorb_eval_with(call, true); }

// Any other name: rd = rs1 + 1, no memory access.
inline int widget_eval(zkrv_precompile_call* call) {
  call->rd = call->rs1 + 1;
  return ZKRV_PRECOMPILE_OK;
}

inline vm::VmConfig precompile_config(bool allow_overlap = false) {
  vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  config.precompile_resolver = [allow_overlap](const vm::PrecompileDescriptor& d) {
    int (*eval)(zkrv_precompile_call*) = &widget_eval;
    if (d.name == kKeccakF1600Name) eval = &keccak_eval;
    if (d.name == kKeccakAbsorbName) eval = allow_overlap ? &lenient_absorb_eval : &absorb_eval;
    return vm::PrecompileImplementation{d.name, "1.0.0", {}, eval, nullptr};
  };
  return config;
}

}  // namespace zkrv::riscv_air::testing
