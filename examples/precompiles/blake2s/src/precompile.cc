// example.blake2s_compress: rs1 = guest address of the 8-word state (little-endian), updated in
// place; rs2 = guest address of 76 bytes: the 64-byte block, the byte counter (u64) and the final
// flag (u32, non-zero for the last block). rd = 0.
#include <zkrv/precompile.hpp>

#include "blake2s.h"

namespace {

uint32_t blake2s_compress_precompile(uint32_t rs1, uint32_t rs2, zkrv::precompile::Memory& memory) {
  example::Blake2sState state = memory.load_array<uint32_t, 8>(rs1);
  const std::array<uint32_t, 16> block = memory.load_array<uint32_t, 16>(rs2);
  const uint64_t counter = memory.load<uint64_t>(rs2 + 64);
  const uint32_t last = memory.load<uint32_t>(rs2 + 72);
  if (last > 1) throw zkrv::precompile::Fault("example.blake2s_compress: the final flag must be 0 or 1");
  example::blake2s_compress(state, block, counter, last != 0);
  memory.store_array(rs1, state);
  return 0;
}

}  // namespace

ZKRV_DEFINE_PRECOMPILE("example.blake2s_compress", "1.0.0", blake2s_compress_precompile)
