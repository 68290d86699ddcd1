// The execution trace of pass 2 (docs/trace.md): one compact fixed-size record per retired
// instruction, plus the memory accesses of precompile calls. Kept in memory; a window [from,
// from + count) bounds what is kept while the whole run is still executed and counted.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <new>
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

// Trace storage comes straight from mmap, populated up front: a long trace is gigabytes written
// once, and taking a page fault per 4 KiB costs more than the recording itself. (Transparent huge
// pages were measured slower here: the kernel compacts memory to find them.)
template <typename T>
struct TraceAllocator {
  using value_type = T;  // NOLINT(readability-identifier-naming): the Allocator requirements name it
  TraceAllocator() = default;
  template <typename U>
  TraceAllocator(const TraceAllocator<U>&) {}
  T* allocate(size_t n) {
    void* p = mmap(nullptr, n * sizeof(T), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) { munmap(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const TraceAllocator<U>&) const { return true; }
};

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
  std::vector<TraceStep, TraceAllocator<TraceStep>> steps;  // steps[i] is step first_step + i
  uint64_t first_step = 0;

  // Segments: when set, every `segment_steps` kept steps are handed to on_segment and the buffers
  // are reused, so a long run is traced in bounded memory (what a prover with continuations
  // consumes). Unset: the whole window stays in memory.
  uint64_t segment_steps = 0;
  std::function<void(const Trace&)> on_segment;
  // Hands the buffered steps to on_segment and empties the buffers (keeping their memory).
  void flush() {
    if (on_segment && !steps.empty()) on_segment(*this);
    first_step += steps.size();
    steps.clear();
    precompile_accesses.clear();
    precompile_bytes.clear();
  }
  std::vector<PrecompileAccess> precompile_accesses;
  std::vector<uint8_t> precompile_bytes;

  bool keeps(uint64_t step) const { return step >= from && step - from < count; }
};

}  // namespace zkrv::vm
