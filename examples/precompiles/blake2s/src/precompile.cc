// example.blake2s_compress: rs1 = guest address of the 8-word state (little-endian), updated in
// place; rs2 = guest address of 76 bytes: the 64-byte block, the byte counter (u64) and the final
// flag (u32, 0 or 1). rd = 0. Both pointers must be word aligned and the two buffers must not
// overlap: the call faults otherwise, before it touches memory, since its circuit
// (circuit/README.md, "Binding") reads each word once at one memory slot through a word-aligned
// pointer and could not prove such a call.
//
// The package carries a circuit, so the library also fills the circuit's row for each recorded
// call (the witness call, docs/precompiles.md): with src/blake2s_rows.h, the code the circuit's own
// generation uses.
#include <zkrv/precompile.hpp>

#include <cstdio>
#include <string>

#include "blake2s.h"
#include "blake2s_rows.h"

namespace {

namespace circuit = example::blake2s_circuit;

constexpr uint32_t kStateBytes = 4 * circuit::kStateWords;          // 32
constexpr uint32_t kParameterBytes = 4 * circuit::kParameterWords;  // 76
// A call's word accesses as the VM records them: the 8 state words (read, then written back), then
// the 19 parameter words (only read), each in the order the call first touches it.
constexpr uint32_t kAccesses = circuit::kStateWords + circuit::kParameterWords;

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

// The circuit's row for one call: the inputs from the record's words as they were before the call,
// checked against everything else the record says (addresses, which words were written, the
// output the compression gives, rd), so that a record this precompile's calls cannot make is
// refused (BadRecord) rather than turned into a row the circuit rejects later.
void blake2s_compress_witness(const zkrv::precompile::CallRecord& call, zkrv::precompile::RowWriter& rows) {
  using zkrv::precompile::BadRecord;
  call.expect_access_count(kAccesses);
  if (call.rs1() % 4 != 0 || call.rs2() % 4 != 0 || call.rs2() - call.rs1() < kStateBytes || call.rs1() - call.rs2() < kParameterBytes) {
    throw BadRecord("the state at " + hex(call.rs1()) + " and the parameters at " + hex(call.rs2()) +
                    " are unaligned or overlap: this precompile faults on such a call");
  }
  if (call.rd() != 0) throw BadRecord("rd is " + std::to_string(call.rd()) + ", this precompile's calls return 0");
  const auto word = [&call](uint32_t i, uint32_t address, bool written) -> const zkrv_word_access& {
    const zkrv_word_access& access = call.access(i);
    if (access.address != address || (access.written != 0) != written) {
      throw BadRecord("word access " + std::to_string(i) + " is " + (access.written ? "a write" : "a read") + " at " +
                      hex(access.address) + ", this precompile's calls " + (written ? "write" : "read") + " " + hex(address) + " there");
    }
    return access;
  };
  circuit::Compression input;
  for (uint32_t i = 0; i < circuit::kStateWords; ++i) input.state[i] = word(i, call.rs1() + 4 * i, true).before;
  uint32_t parameters[circuit::kParameterWords];
  for (uint32_t w = 0; w < circuit::kParameterWords; ++w) {
    parameters[w] = word(circuit::kStateWords + w, call.rs2() + 4 * w, false).before;
  }
  for (size_t t = 0; t < circuit::kBlockWords; ++t) input.block[t] = parameters[t];
  input.counter = parameters[circuit::kCounterWord] | uint64_t{parameters[circuit::kCounterWord + 1]} << 32;
  if (parameters[circuit::kFlagWord] > 1) {
    throw BadRecord("the final flag is " + std::to_string(parameters[circuit::kFlagWord]) + ", this precompile faults on any but 0 or 1");
  }
  input.last = parameters[circuit::kFlagWord] == 1;

  const circuit::State output = circuit::fill_compression(input, [&rows](int column, uint32_t value) {
    rows.set(0, static_cast<uint32_t>(column), value);
  });
  for (uint32_t i = 0; i < circuit::kStateWords; ++i) {
    if (call.access(i).after != output[i]) {
      throw BadRecord("state word " + std::to_string(i) + " is " + hex(call.access(i).after) + " after the call, the compression gives " +
                      hex(output[i]));
    }
  }
  circuit::fill_call(call.timestamp(), call.rs1(), call.rs2(), [&rows](int column, uint32_t value) {
    rows.set(0, static_cast<uint32_t>(column), value);
  });
}

}  // namespace

ZKRV_DEFINE_PRECOMPILE_WITH_WITNESS("example.blake2s_compress", "2.0.0", blake2s_compress_precompile, blake2s_compress_witness, 1,
                                    circuit::Blake2sColumns::kNumColumns)
