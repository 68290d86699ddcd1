// Reports a name its package manifest does not have (packed as "test.good").
#include <zkrv/precompile.hpp>

namespace {
uint32_t zero(uint32_t, uint32_t, zkrv::precompile::Memory&) { return 0; }
}  // namespace

ZKRV_DEFINE_PRECOMPILE("test.impostor", "1.2.0", zero)
