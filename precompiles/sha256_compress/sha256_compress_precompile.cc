// zkrv.sha256_compress: rs1 = guest address of the state (8 little-endian 32-bit words, H0..H7),
// rs2 = guest address of the 64-byte message block; the state is updated in place; rd = 0.
#include <zkrv/precompile.hpp>

#include "sha256_compress.h"

namespace {

uint32_t sha256_compress_precompile(uint32_t rs1, uint32_t rs2, zkrv::precompile::Memory& memory) {
  zkrv::precompiles::Sha256State state = memory.load_array<uint32_t, 8>(rs1);
  const std::array<uint8_t, 64> block = memory.load_array<uint8_t, 64>(rs2);
  zkrv::precompiles::sha256_compress(state, block);
  memory.store_array(rs1, state);
  return 0;
}

}  // namespace

ZKRV_DEFINE_PRECOMPILE("zkrv.sha256_compress", "1.0.0", sha256_compress_precompile)
