// zkrv.sha256_compress: rs1 = guest address of the state (8 little-endian 32-bit words, H0..H7),
// rs2 = guest address of the 64-byte message block; the state is updated in place; rd = 0. The two
// buffers must not overlap: a call whose state and block share a byte faults (the circuit makes each
// word of a call one memory access, so it could not prove a word that is both; docs/precompiles.md).
#include <zkrv/precompile.hpp>

#include <cstdio>

#include "sha256_compress.h"

namespace {

constexpr uint32_t kStateBytes = 32, kBlockBytes = 64;

uint32_t sha256_compress_precompile(uint32_t rs1, uint32_t rs2, zkrv::precompile::Memory& memory) {
  // Distances mod 2^32, so that buffers at the two ends of the address space are compared too.
  if (rs2 - rs1 < kStateBytes || rs1 - rs2 < kBlockBytes) {
    char message[128];
    std::snprintf(message, sizeof message, "the state (32 bytes at 0x%08x) and the block (64 bytes at 0x%08x) overlap",
                  rs1, rs2);
    throw zkrv::precompile::Fault(message);
  }
  zkrv::precompiles::Sha256State state = memory.load_array<uint32_t, 8>(rs1);
  const std::array<uint8_t, 64> block = memory.load_array<uint8_t, 64>(rs2);
  zkrv::precompiles::sha256_compress(state, block);
  memory.store_array(rs1, state);
  return 0;
}

}  // namespace

ZKRV_DEFINE_PRECOMPILE("zkrv.sha256_compress", "1.0.0", sha256_compress_precompile)
