// example.blake2s_compress: rs1 = guest address of the 8-word state (little-endian), updated in
// place; rs2 = guest address of 76 bytes: the 64-byte block, the byte counter (u64) and the final
// flag (u32, 0 or 1). rd = 0. Both pointers must be word aligned and the two buffers must not
// overlap: the call faults otherwise, before it touches memory, since its circuit
// (circuit/README.md, "Binding") reads each word once at one memory slot through a word-aligned
// pointer and could not prove such a call.
#include <zkrv/precompile.hpp>

#include <cstdio>
#include <string>

#include "blake2s.h"
#include "blake2s_columns.h"

namespace {

namespace circuit = example::blake2s_circuit;

constexpr uint32_t kStateBytes = 4 * circuit::kStateWords;          // 32
constexpr uint32_t kParameterBytes = 4 * circuit::kParameterWords;  // 76

std::string hex(uint32_t value) {
  char text[11];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

uint32_t blake2s_compress_precompile(uint32_t rs1, uint32_t rs2, zkrv::precompile::Memory& memory) {
  if (rs1 % 4 != 0 || rs2 % 4 != 0) {
    throw zkrv::precompile::Fault("example.blake2s_compress: the state at " + hex(rs1) + " and the parameters at " + hex(rs2) +
                                  " must be word aligned (multiples of 4)");
  }
  // Distances mod 2^32, so that buffers at the two ends of the address space are compared too.
  if (rs2 - rs1 < kStateBytes || rs1 - rs2 < kParameterBytes) {
    throw zkrv::precompile::Fault("example.blake2s_compress: the state (32 bytes at " + hex(rs1) + ") and the parameters (76 bytes at " +
                                  hex(rs2) + ") overlap");
  }
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

ZKRV_DEFINE_PRECOMPILE("example.blake2s_compress", "2.0.0", blake2s_compress_precompile)
