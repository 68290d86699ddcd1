// Checkpoints and resumed segments on whole programs: random programs from tests/difftest's
// generator and, in a build with the guests, every case of every example guest.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "base/hex.h"
#include "elf/elf.h"
#include "host/precompile_resolver.h"
#include "tests/difftest/generator.h"
#include "vm/testing/segments.h"
#include "vm/vm.h"

#ifdef ZKRV_EXAMPLES_BUILD_DIR
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#endif

namespace zkrv {
namespace {

vm::VmConfig quiet() {
  vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  return config;
}

// Intervals for a run of `steps` steps: 1 (on short runs), odd, a power of two, and more than the
// run; the large runs get intervals that keep the segments to a few dozen.
std::vector<uint64_t> intervals(uint64_t steps) {
  std::vector<uint64_t> out;
  if (steps <= 3000) out.push_back(1);
  out.push_back(std::max<uint64_t>(7, steps / 23) | 1);
  out.push_back(std::bit_ceil(std::max<uint64_t>(16, steps / 16)));
  out.push_back(steps + 1);
  return out;
}

TEST(Continuations, RandomProgramsResumeToTheSameTraceAndResult) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const difftest::RandomProgram program = difftest::generate(seed, 150);
    const std::vector<uint8_t> elf_bytes = difftest::build_elf(difftest::assemble(program), program.data);
    const elf::ElfImage image = elf::parse(elf_bytes);
    const uint64_t steps = vm::Vm(image, quiet()).run({}).instructions;
    for (const uint64_t every : intervals(steps)) {
      const vm::testing::SegmentCheck check = vm::testing::check_segments(image, quiet(), {}, every);
      EXPECT_EQ(check.mismatch, "") << "seed " << seed;
    }
  }
}

#ifdef ZKRV_EXAMPLES_BUILD_DIR

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs longer than this are left to the interval tests above: their straight trace alone would
// be gigabytes (sort's "20000 records" runs 7.9 million steps).
constexpr uint64_t kMaxSteps = 2'000'000;

TEST(Continuations, EveryExampleGuestResumesToTheSameTraceAndResult) {
  size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(ZKRV_EXAMPLES_SOURCE_DIR)) {
    const fs::path expected = entry.path() / "expected.json";
    if (!fs::exists(expected)) continue;
    const nlohmann::json doc = nlohmann::json::parse(slurp(expected));
    const std::string name = doc["example"];
    for (const char* compiler : {"clang", "gcc"}) {
      const std::string path = std::string(ZKRV_EXAMPLES_BUILD_DIR) + "/" + compiler + "/" + name + ".elf";
      std::vector<uint8_t> storage;
      const elf::ElfImage image = elf::load_file(path, &storage);
      vm::VmConfig config = quiet();
      config.precompile_resolver = host::package_resolver(host::ResolverOptions{}, nullptr);
      for (const nlohmann::json& c : doc["cases"]) {
        vm::Inputs inputs;
        inputs.public_input = base::from_hex(c["input_hex"].get<std::string>()).value();
        inputs.private_input = base::from_hex(c["hint_hex"].get<std::string>()).value();
        const std::string what = fmt::format("{} ({}) case \"{}\"", name, compiler, c["name"].get<std::string>());
        const uint64_t steps = vm::Vm(image, config).run(inputs).instructions;
        if (steps > kMaxSteps) continue;
        for (const uint64_t every : intervals(steps)) {
          const vm::testing::SegmentCheck check = vm::testing::check_segments(image, config, inputs, every);
          EXPECT_EQ(check.mismatch, "") << what;
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 20u);
}

// The Rust examples, where the toolchain built them (riscv32imac, and riscv32im under im/), on an
// empty input: whatever the run does (some exit non-zero without input), its segments must agree.
TEST(Continuations, RustExamplesResumeToTheSameTraceAndResult) {
  const fs::path rust = fs::path(ZKRV_EXAMPLES_BUILD_DIR) / "rust";
  if (!fs::is_directory(rust)) GTEST_SKIP() << "no Rust examples in this build";
  for (const fs::path& dir : {rust, rust / "im"}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".elf") continue;
      std::vector<uint8_t> storage;
      const elf::ElfImage image = elf::load_file(entry.path().string(), &storage);
      vm::VmConfig config = quiet();
      config.precompile_resolver = host::package_resolver(host::ResolverOptions{}, nullptr);
      const uint64_t steps = vm::Vm(image, config).run({}).instructions;
      if (steps > kMaxSteps) continue;
      for (const uint64_t every : intervals(steps)) {
        const vm::testing::SegmentCheck check = vm::testing::check_segments(image, config, {}, every);
        EXPECT_EQ(check.mismatch, "") << entry.path();
      }
    }
  }
}

#endif

}  // namespace
}  // namespace zkrv
