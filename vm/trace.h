// The execution trace of pass 2 (docs/trace.md): one compact fixed-size record per retired
// instruction, plus the memory accesses of precompile calls. Kept in memory; a window [from,
// from + count) bounds what is kept while the whole run is still executed and counted.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace zkrv::vm {

struct TraceStep {
  uint32_t pc;
  uint32_t insn;        // raw bits (16 for a compressed instruction)
  uint32_t rs1_value;   // register values read, before the instruction (whether or not it reads them)
  uint32_t rs2_value;
  uint32_t rd_value;    // value written to rd (0 when the instruction writes no register or rd = x0)
  uint32_t mem_addr;    // load/store/AMO: guest address; rin/hin/wou: tape offset
  uint32_t mem_before;  // the accessed value before the instruction (zero-extended; loads: the value read)
  uint32_t mem_after;   // the accessed value after it (loads: same as before)
};
static_assert(sizeof(TraceStep) == 32);

// One memory access made by a precompile through the VM.
struct PrecompileAccess {
  uint64_t step;         // index of the custom-0 step that made it
  uint32_t addr;
  uint32_t length;
  bool write;
  uint64_t data_offset;  // into Trace::precompile_bytes: the bytes read, or the bytes before then after a write
};

struct Trace {
  uint64_t from = 0;                                     // first step kept
  uint64_t count = std::numeric_limits<uint64_t>::max();  // steps kept at most
  std::vector<TraceStep> steps;                          // steps[i] is step from + i
  std::vector<PrecompileAccess> precompile_accesses;
  std::vector<uint8_t> precompile_bytes;

  bool keeps(uint64_t step) const { return step >= from && step - from < count; }
};

}  // namespace zkrv::vm
