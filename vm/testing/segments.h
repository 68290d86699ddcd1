// Checks continuations on one run: pass 1 with checkpoints every N steps, then every segment
// resumed in a fresh Vm from its checkpoint and traced, against the straight traced run. Shared by
// vm/checkpoint_test.cc (generated programs) and tests/e2e (the example guests). Test-only.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "elf/elf.h"
#include "vm/checkpoint.h"
#include "vm/trace.h"
#include "vm/vm.h"

namespace zkrv::vm::testing {

struct SegmentCheck {
  std::string mismatch;  // the first difference found; empty when every segment agreed
  std::vector<Checkpoint> checkpoints;
  RunResult straight;
};

// "" when a and b are the same state.
inline std::string checkpoint_difference(const Checkpoint& a, const Checkpoint& b) {
  if (a.step != b.step || a.pc != b.pc) return fmt::format("step/pc {}/0x{:x} vs {}/0x{:x}", a.step, a.pc, b.step, b.pc);
  if (a.registers != b.registers) return "registers differ";
  if (a.reservation_valid != b.reservation_valid || (a.reservation_valid && a.reservation != b.reservation)) {
    return "LR/SC reservation differs";
  }
  if (a.misaligned_accesses != b.misaligned_accesses) return "misaligned count differs";
  if (a.output_tape != b.output_tape) return "output tape differs";
  if (a.regions.size() != b.regions.size() || a.open_regions.size() != b.open_regions.size()) return "regions differ";
  for (size_t i = 0; i < a.regions.size(); ++i) {
    if (a.regions[i].name != b.regions[i].name || a.regions[i].total != b.regions[i].total) return "regions differ";
  }
  for (size_t i = 0; i < a.open_regions.size(); ++i) {
    if (a.open_regions[i].index != b.open_regions[i].index || a.open_regions[i].start != b.open_regions[i].start) {
      return "open regions differ";
    }
  }
  if (a.ignored_region_calls != b.ignored_region_calls) return "ignored region calls differ";
  if (a.precompile_calls != b.precompile_calls) return "precompile counts differ";
  if (a.pages.size() != b.pages.size()) return fmt::format("{} pages vs {}", a.pages.size(), b.pages.size());
  for (size_t i = 0; i < a.pages.size(); ++i) {
    if (a.pages[i].number != b.pages[i].number || *a.pages[i].bytes != *b.pages[i].bytes) {
      return fmt::format("page 0x{:x} differs", a.pages[i].number);
    }
  }
  return {};
}

inline std::string result_difference(const RunResult& a, const RunResult& b) {
  if (a.reason != b.reason || a.exit_code != b.exit_code) return "exit differs";
  if (a.reason == StopReason::kFault && (a.fault.kind != b.fault.kind || a.fault.pc != b.fault.pc ||
                                         a.fault.addr != b.fault.addr || a.fault.detail != b.fault.detail)) {
    return "fault differs";
  }
  if (a.public_output != b.public_output) return "output differs";
  if (a.instructions != b.instructions) return fmt::format("{} instructions vs {}", a.instructions, b.instructions);
  if (a.regions != b.regions) return "regions differ";
  if (a.ignored_region_calls != b.ignored_region_calls) return "ignored region calls differ";
  if (a.misaligned_accesses != b.misaligned_accesses) return "misaligned count differs";
  if (a.precompile_calls != b.precompile_calls) return "precompile counts differ";
  if (a.registers != b.registers || a.pc != b.pc) return "final registers differ";
  return {};
}

// The precompile accesses of steps [from, to) with their bytes, comparable across traces.
inline std::vector<std::vector<uint8_t>> precompile_window(const Trace& t, uint64_t from, uint64_t to) {
  std::vector<std::vector<uint8_t>> out;
  for (const PrecompileAccess& a : t.precompile_accesses) {
    if (a.step < from || a.step >= to) continue;
    std::vector<uint8_t> row(21);
    std::memcpy(row.data(), &a.step, 8);
    std::memcpy(row.data() + 8, &a.addr, 4);
    std::memcpy(row.data() + 12, &a.length, 4);
    row[16] = a.write ? 1 : 0;
    const size_t n = size_t{a.length} * (a.write ? 2 : 1);
    row.insert(row.end(), t.precompile_bytes.begin() + static_cast<ptrdiff_t>(a.data_offset),
               t.precompile_bytes.begin() + static_cast<ptrdiff_t>(a.data_offset + n));
    out.push_back(std::move(row));
  }
  return out;
}

// Runs `image` straight (pass 2, whole trace), then with checkpoints every `every` steps, then
// each segment from its checkpoint in a fresh Vm: its trace must be the straight trace's window,
// a segment that does not halt must end in the next checkpoint's state, and the last must give
// the straight run's result and final memory.
inline SegmentCheck check_segments(const elf::ElfImage& image, const VmConfig& config, const Inputs& inputs,
                                   uint64_t every) {
  SegmentCheck check;
  Trace whole;
  std::array<uint8_t, 32> digest{};
  {
    Vm vm(image, config);
    check.straight = vm.run_traced(inputs, &whole);
    digest = vm.memory_digest();
  }
  const RunResult pass1 = Vm(image, config).run(inputs, every, [&](Checkpoint c) { check.checkpoints.push_back(std::move(c)); });
  const uint64_t steps = check.straight.instructions;
  if (std::string d = result_difference(pass1, check.straight); !d.empty()) {
    check.mismatch = "pass 1 with checkpoints: " + d;
    return check;
  }
  for (size_t k = 0; k < check.checkpoints.size(); ++k) {
    const Checkpoint& from = check.checkpoints[k];
    const std::string where = fmt::format("segment {} (step {}, every {})", k, from.step, every);
    if (from.step != k * every) {
      check.mismatch = where + ": the checkpoint is not at k * every";
      return check;
    }
    Vm vm(image, config);
    Trace trace;
    const std::optional<RunResult> end = vm.run_segment(from, inputs, every, &trace);
    const uint64_t to = std::min(steps, from.step + every);
    if (trace.steps.size() != to - from.step || (!trace.steps.empty() && trace.first_step != from.step) ||
        !std::equal(trace.steps.begin(), trace.steps.end(), whole.steps.begin() + static_cast<ptrdiff_t>(from.step),
                    [](const TraceStep& a, const TraceStep& b) { return std::memcmp(&a, &b, sizeof a) == 0; })) {
      check.mismatch = where + ": its trace is not the straight run's window";
      return check;
    }
    if (precompile_window(trace, from.step, to) != precompile_window(whole, from.step, to)) {
      check.mismatch = where + ": its precompile accesses are not the straight run's";
      return check;
    }
    const bool last = k + 1 == check.checkpoints.size();
    if (end.has_value() != last) {
      check.mismatch = where + (last ? ": the last segment did not halt" : ": a middle segment halted");
      return check;
    }
    if (last) {
      if (std::string d = result_difference(*end, check.straight); !d.empty()) {
        check.mismatch = where + ": " + d;
        return check;
      }
      if (vm.memory_digest() != digest) {
        check.mismatch = where + ": final memory differs";
        return check;
      }
    } else if (std::string d = checkpoint_difference(vm.checkpoint(), check.checkpoints[k + 1]); !d.empty()) {
      check.mismatch = where + ": its end is not the next checkpoint: " + d;
      return check;
    }
  }
  return check;
}

}  // namespace zkrv::vm::testing
