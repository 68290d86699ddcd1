// zkrv.keccak_f1600: rs1 = guest address of the 200-byte Keccak state (25 little-endian lanes),
// permuted in place; rs2 is ignored; rd = 0.
#include <zkrv/precompile.hpp>

#include "keccak_f1600.h"

namespace {

uint32_t keccak_f1600_precompile(uint32_t rs1, uint32_t, zkrv::precompile::Memory& memory) {
  zkrv::precompiles::KeccakState state = memory.load_array<uint64_t, 25>(rs1);
  zkrv::precompiles::keccak_f1600(state);
  memory.store_array(rs1, state);
  return 0;
}

}  // namespace

ZKRV_DEFINE_PRECOMPILE("zkrv.keccak_f1600", "1.0.0", keccak_f1600_precompile)
