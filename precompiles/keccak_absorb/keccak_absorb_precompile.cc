// zkrv.keccak_absorb: one absorb step of a Keccak sponge at rate 136 bytes (SHA3-256, Keccak-256).
// rs1 = guest address of the 200-byte state (25 little-endian lanes), rs2 = guest address of a
// 136-byte block (17 lanes); the block is XORed into the state's first 136 bytes, then the state is
// permuted in place by keccak-f[1600]; rd = 0. The two buffers must not overlap: the call faults
// rather than define an in-place XOR of a buffer with itself, which its circuit could not prove
// (every word of a call is one memory access, at one slot: docs/precompiles.md).
#include <zkrv/precompile.hpp>

#include <cstdio>

#include "../keccak_f1600/keccak_f1600.h"

namespace {

constexpr uint32_t kStateBytes = 200;
constexpr uint32_t kBlockBytes = 136;

uint32_t keccak_absorb_precompile(uint32_t rs1, uint32_t rs2, zkrv::precompile::Memory& memory) {
  // Compared as 64-bit intervals so that a buffer running past 2^32 still overlaps what it wraps onto
  // (the memory callbacks refuse such a buffer anyway).
  const uint64_t state = rs1, block = rs2;
  if (state < block + kBlockBytes && block < state + kStateBytes) {
    char message[128];
    std::snprintf(message, sizeof message,
                  "zkrv.keccak_absorb: the state at 0x%08x (200 bytes) and the block at 0x%08x (136 bytes) overlap", rs1,
                  rs2);
    throw zkrv::precompile::Fault(message);
  }
  zkrv::precompiles::KeccakState lanes = memory.load_array<uint64_t, 25>(rs1);
  const auto words = memory.load_array<uint64_t, kBlockBytes / 8>(rs2);
  for (size_t i = 0; i < words.size(); ++i) lanes[i] ^= words[i];
  zkrv::precompiles::keccak_f1600(lanes);
  memory.store_array(rs1, lanes);
  return 0;
}

}  // namespace

ZKRV_DEFINE_PRECOMPILE("zkrv.keccak_absorb", "1.0.0", keccak_absorb_precompile)
