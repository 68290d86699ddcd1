// A well-behaved test precompile: rd = the 32-bit word at rs1 plus rs2.
#include <zkrv/precompile.hpp>

namespace {
uint32_t add_word(uint32_t rs1, uint32_t rs2, zkrv::precompile::Memory& memory) { return memory.load<uint32_t>(rs1) + rs2; }
}  // namespace

ZKRV_DEFINE_PRECOMPILE("test.good", "1.2.0", add_word)
