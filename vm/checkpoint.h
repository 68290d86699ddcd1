// Checkpoints for continuations (docs/trace.md, "Checkpoints"): the whole state of a run before a
// given step, recorded by pass 1, from which a fresh Vm of the same program resumes and runs one
// segment (traced or not) exactly as the straight run would have. Plain data: it holds copies of
// guest pages, never a pointer into a live machine.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zkrv::vm {

inline constexpr uint32_t kCheckpointPageSize = 4096;  // GuestMemory::kPageSize
using PageBytes = std::array<uint8_t, kCheckpointPageSize>;

struct Checkpoint {
  uint64_t step = 0;  // instructions retired before the cut: the next one is step `step`
  uint32_t pc = 0;
  std::array<uint32_t, 32> registers{};  // x0 is 0
  bool reservation_valid = false;  // LR/SC: an LR's reservation still open across the cut
  uint32_t reservation = 0;
  uint64_t misaligned_accesses = 0;

  // The output tape as written so far (word 0 is the length the guest wrote). The input tapes are
  // read at offsets the guest chooses, never consumed, so they hold no position: a resumed run is
  // given the same Inputs.
  std::vector<uint8_t> output_tape;

  // Cycle regions (zkrv_region_begin/end): every region used so far with its closed cycles, the
  // open ones (index into regions, the step each was opened at), and the ignored calls.
  struct Region {
    std::string name;
    uint64_t total = 0;
  };
  struct OpenRegion {
    uint32_t index = 0;
    uint64_t start = 0;
  };
  std::vector<Region> regions;
  std::vector<OpenRegion> open_regions;
  uint64_t ignored_region_calls = 0;
  std::string first_ignored_region_call;

  std::vector<uint64_t> precompile_calls;  // per entry of the program's precompile registry

  // Memory: every page whose contents differ from the program's initial image at the cut, in
  // ascending page order; every other page holds what the ELF image put there (zero past it).
  // Pages are immutable and shared between the checkpoints of one run where they did not change.
  struct Page {
    uint32_t number = 0;  // address >> 12
    std::shared_ptr<const PageBytes> bytes;
  };
  std::vector<Page> pages;

  // Bytes of encode_checkpoint(*this), computed without writing them.
  uint64_t size_bytes() const;
};

// The checkpoint file (docs/trace.md, "Checkpoint files"): how a checkpoint travels to the process
// that proves its segment. Little-endian, versioned, one encoding per checkpoint.
inline constexpr uint32_t kCheckpointFormatVersion = 1;
inline constexpr size_t kMaxCheckpointString = 1024;  // a region name or the ignored-call note
std::vector<uint8_t> encode_checkpoint(const Checkpoint& checkpoint);
// For bytes from anywhere: every count is checked against the bytes left (and its limit) before it
// sizes anything, a truncated field or trailing bytes are refused naming the field and its byte
// offset, and what decodes must pass check_checkpoint_shape. Throws LoadError. What depends on the
// program (writable pages, the number of precompiles, the run's limits) is checked when a Vm
// restores it (Vm::run_segment).
Checkpoint decode_checkpoint(std::span<const uint8_t> bytes);

// The rules of a checkpoint's shape, whatever its program: x0 holds 0; the pc is 2-byte aligned;
// the output tape is whole words; at most kMaxRegions regions, with distinct names of at most
// kMaxCheckpointString bytes; at most kMaxOpenRegions open ones, each naming a region and opened
// at or before `step`; at most kMaxPrecompiles precompile counters; pages in ascending order within
// the address space, each with its bytes. decode_checkpoint and Machine::restore both apply this
// one check, so what a file may hold and what a Vm resumes from cannot drift apart. Throws
// LoadError "<where>: <the first rule broken>".
void check_checkpoint_shape(const Checkpoint& checkpoint, std::string_view where);

}  // namespace zkrv::vm
