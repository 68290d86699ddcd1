// Measures pass 1 (no trace) and pass 2 (every step recorded in memory) on one guest.
// usage: bench_trace [guest.elf [hint-bytes]]   (default: the sha256 example over 512 KiB of hints)
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <random>

#include "elf/elf.h"
#include "vm/vm.h"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : ZKRV_DEFAULT_GUEST;
  const size_t hint_bytes = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 512 * 1024;
  std::vector<uint8_t> storage;
  const zkrv::elf::ElfImage image = zkrv::elf::load_file(path, &storage);
  zkrv::vm::Inputs inputs;
  std::mt19937 rng(1);
  inputs.private_input.resize(hint_bytes);
  for (auto& b : inputs.private_input) b = static_cast<uint8_t>(rng());
  zkrv::vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};

  zkrv::vm::Vm pass1(image, config);
  const auto r1 = pass1.run(inputs);
  zkrv::vm::Vm pass2(image, config);
  zkrv::vm::Trace trace;
  // Timed from before the allocation: the prover knows the size from pass 1 and pays for the memory.
  const auto start = std::chrono::steady_clock::now();
  trace.steps.reserve(r1.instructions);
  const auto r2 = pass2.run_traced(inputs, &trace);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("guest            {}\n", path);
  fmt::print("instructions     {}\n", r1.instructions);
  fmt::print("pass 1           {:.3f} s  {:.0f} MIPS\n", r1.seconds, r1.mips());
  fmt::print("pass 2 (traced)  {:.3f} s  {:.0f} MIPS  ({} steps, {:.0f} MiB in memory)\n", seconds,
             static_cast<double>(r2.instructions) / seconds / 1e6, trace.steps.size(),
             static_cast<double>(trace.steps.size() * sizeof(zkrv::vm::TraceStep)) / (1 << 20));
  const bool agree = r1.instructions == r2.instructions && r1.public_output == r2.public_output &&
                     pass1.memory_digest() == pass2.memory_digest();

  // Segments of 2^20 steps in one reused buffer, as a prover with continuations consumes them.
  zkrv::vm::Vm pass2s(image, config);
  zkrv::vm::Trace segmented;
  segmented.segment_steps = 1 << 20;
  uint64_t checksum = 0, segments = 0;
  segmented.on_segment = [&](const zkrv::vm::Trace& t) {
    ++segments;
    for (const auto& s : t.steps) checksum += s.pc ^ s.rd_value;
  };
  const auto start2 = std::chrono::steady_clock::now();
  const auto r3 = pass2s.run_traced(inputs, &segmented);
  const double seconds2 = std::chrono::duration<double>(std::chrono::steady_clock::now() - start2).count();
  fmt::print("pass 2 (segments of 2^20 steps, consumed) {:.3f} s  {:.0f} MIPS  ({} segments, checksum {:x})\n", seconds2,
             static_cast<double>(r3.instructions) / seconds2 / 1e6, segments, checksum);
  fmt::print("passes agree     {}\n", agree ? "yes" : "NO");
  return agree ? 0 : 1;
}
