// For tests: keccak-f[1600], keccak absorb and SHA-256 compression as precompile packages the VM
// resolves in process, so that tests can run and prove guests that declare zkrv.keccak_f1600,
// zkrv.keccak_absorb or zkrv.sha256_compress without building the packages.
#pragma once

#include <cstdio>
#include <cstring>

#include "precompile_air/keccak_f1600/keccak_air.h"
#include "precompile_air/sha256_compress/sha256_air.h"
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
// SHA-256 compression of the 64-byte block at rs2 into the 8 little-endian words at rs1, as the
// package does (precompiles/sha256_compress): overlapping buffers fault, unless `allow_overlap`
// (the semantics a careless implementation would have: both read, then the state written).
template <bool allow_overlap = false>
int sha256_eval(zkrv_precompile_call* call) {
  namespace sha = precompile_air::sha256_compress;
  if (!allow_overlap && (call->rs2 - call->rs1 < 32 || call->rs1 - call->rs2 < 64)) {
    std::snprintf(call->error, sizeof call->error, "the state and the block overlap");
    return ZKRV_PRECOMPILE_FAULT;
  }
  uint8_t state_bytes[32], block_bytes[64];
  if (call->memory->read(call->memory->context, call->rs1, state_bytes, 32) != 0) return ZKRV_PRECOMPILE_BAD_MEMORY;
  if (call->memory->read(call->memory->context, call->rs2, block_bytes, 64) != 0) return ZKRV_PRECOMPILE_BAD_MEMORY;
  sha::ChainingValue state{};
  sha::Block block{};
  std::memcpy(state.data(), state_bytes, 32);
  for (size_t t = 0; t < sha::kBlockWords; ++t) {
    block[t] = uint32_t{block_bytes[4 * t]} << 24 | uint32_t{block_bytes[4 * t + 1]} << 16 |
               uint32_t{block_bytes[4 * t + 2]} << 8 | block_bytes[4 * t + 3];
  }
  state = sha::compress(state, block);
  std::memcpy(state_bytes, state.data(), 32);
  if (call->memory->write(call->memory->context, call->rs1, state_bytes, 32) != 0) return ZKRV_PRECOMPILE_BAD_MEMORY;
  call->rd = 0;
  return ZKRV_PRECOMPILE_OK;
}

// Any other name: rd = rs1 + 1, no memory access.
inline int widget_eval(zkrv_precompile_call* call) {
  call->rd = call->rs1 + 1;
  return ZKRV_PRECOMPILE_OK;
}

// `allow_overlap`: keccak absorb and SHA-256 compression without their overlap faults (for the
// aliasing forgeries: the runs no honest VM makes).
inline vm::VmConfig precompile_config(bool allow_overlap = false) {
  vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  config.precompile_resolver = [allow_overlap](const vm::PrecompileDescriptor& d) {
    zkrv_precompile_eval_fn eval = &widget_eval;
    if (d.name == kKeccakF1600Name) eval = &keccak_eval;
    if (d.name == kKeccakAbsorbName) eval = allow_overlap ? &lenient_absorb_eval : &absorb_eval;
    if (d.name == kSha256CompressName) eval = allow_overlap ? &sha256_eval<true> : &sha256_eval<false>;
    return vm::PrecompileImplementation{d.name, "1.0.0", {}, eval, nullptr};
  };
  return config;
}

}  // namespace zkrv::riscv_air::testing
