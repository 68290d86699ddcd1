// difftest: runs programs on qemu-riscv32 and on the zkrv VM and compares exit code and stdout.
//
//   difftest [--programs N] [--length L] [--seed S]   random instruction streams (generator.h)
//   difftest --elf a.elf --elf b.elf                   compiled programs
//   --keep-failing DIR   save each failing program (ELF + listing/description) into DIR
//   --self-test          corrupt the zkrv side of every run and require that the comparison notices
//
// Exit status: 0 when every program agrees (with --self-test: when every corruption is detected),
// 1 on a mismatch, 2 on a usage or setup error.
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "base/file.h"
#include "tests/difftest/generator.h"
#include "tests/difftest/runner.h"

#ifndef ZKRV_QEMU_RISCV32
#define ZKRV_QEMU_RISCV32 "qemu-riscv32"
#endif

namespace zkrv::difftest {
namespace {

namespace fs = std::filesystem;

struct Options {
  uint32_t programs = 100;
  uint32_t length = 400;
  uint64_t seed = 1;
  std::string keep_failing;
  bool self_test = false;
  std::vector<std::string> elves;
  std::string qemu = ZKRV_QEMU_RISCV32;
  int timeout_ms = 20000;
  uint32_t max_failures = 3;
  bool shrink = true;
};

void write_file(const fs::path& path, std::span<const uint8_t> bytes, bool executable) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", path.string()));
  // qemu-user refuses to load a file without execute permission.
  if (executable) fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
}

void write_text(const fs::path& path, const std::string& text) {
  write_file(path, {reinterpret_cast<const uint8_t*>(text.data()), text.size()}, false);
}

std::vector<uint8_t> read_file(const std::string& path) {
  constexpr uint64_t kLimit = uint64_t{1} << 30;
  std::vector<uint8_t> bytes;
  if (const auto failure = base::read_file(path, kLimit, &bytes)) throw std::runtime_error(failure->describe(path, kLimit));
  return bytes;
}

// Makes the zkrv side wrong in a way the comparison must notice: flips one stdout byte, or (when
// there is no output) changes the exit code. Returns what was done.
std::string corrupt(Execution& zkrv, uint64_t seed) {
  if (zkrv.stdout_bytes.empty() || seed % 4 == 3) {
    zkrv.exit_code += 1;
    return "exit code + 1";
  }
  const size_t at = std::mt19937_64(seed)() % zkrv.stdout_bytes.size();
  zkrv.stdout_bytes[at] = static_cast<char>(zkrv.stdout_bytes[at] ^ 0x01);
  return fmt::format("stdout byte {} flipped", at);
}

class Session {
 public:
  explicit Session(Options options) : options_(std::move(options)) {
    char dir_template[] = "/tmp/zkrv-difftest-XXXXXX";
    if (mkdtemp(dir_template) == nullptr) throw std::runtime_error("mkdtemp failed");
    work_dir_ = dir_template;
    if (!options_.keep_failing.empty()) fs::create_directories(options_.keep_failing);
  }
  ~Session() {
    std::error_code ignored;
    fs::remove_all(work_dir_, ignored);
  }

  int run_random() {
    const auto start = std::chrono::steady_clock::now();
    uint64_t instructions = 0, misaligned = 0;
    for (uint32_t i = 0; i < options_.programs && failures_ < options_.max_failures; ++i) {
      const uint64_t seed = options_.seed + i;
      const RandomProgram program = generate(seed, options_.length);
      const std::vector<uint8_t> code = assemble(program);
      const std::vector<uint8_t> elf = build_elf(code, program.data);
      Execution qemu, zkrv;
      std::string difference = execute(elf, OutputKind::kRegisterDump, &qemu, &zkrv);
      instructions += zkrv.instructions;
      misaligned += zkrv.misaligned_accesses;
      if (options_.self_test) {
        check_self_test(difference, fmt::format("seed {}", seed), zkrv, qemu, seed, OutputKind::kRegisterDump);
        continue;
      }
      if (difference.empty()) continue;
      ++failures_;
      report_random_failure(program, code, elf, qemu, zkrv, difference);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("difftest: {} random programs x {} instructions (seeds {}..{}): {} ({} instructions and {} misaligned "
               "accesses executed on zkrv, {:.1f} s)\n",
               options_.programs, options_.length, options_.seed, options_.seed + options_.programs - 1,
               verdict(), instructions, misaligned, seconds);
    return failures_ == 0 ? 0 : 1;
  }

  int run_elves() {
    uint64_t index = 0;
    for (const std::string& path : options_.elves) {
      const std::vector<uint8_t> elf = read_file(path);
      Execution qemu, zkrv;
      const std::string difference = execute(elf, OutputKind::kText, &qemu, &zkrv);
      if (options_.self_test) {
        check_self_test(difference, path, zkrv, qemu, options_.seed + index++, OutputKind::kText);
        continue;
      }
      if (difference.empty()) {
        fmt::print("{}: equal (zkrv {} instructions; {})\n", path, zkrv.instructions, summary(zkrv));
        continue;
      }
      ++failures_;
      fmt::print("{}: MISMATCH\n  {}\n  qemu: {}\n  zkrv: {}\n", path, difference, summary(qemu), summary(zkrv));
      if (!options_.keep_failing.empty()) {
        const fs::path base = fs::path(options_.keep_failing) / fs::path(path).filename();
        write_file(base.string() + ".elf", elf, true);
        write_text(base.string() + ".txt", fmt::format("{}\n{}\nqemu: {}\nzkrv: {}\n--- qemu stdout\n{}\n--- zkrv stdout\n{}\n",
                                                       path, difference, summary(qemu), summary(zkrv),
                                                       qemu.stdout_bytes, zkrv.stdout_bytes));
      }
    }
    fmt::print("difftest: {} compiled programs: {}\n", options_.elves.size(), verdict());
    return failures_ == 0 ? 0 : 1;
  }

 private:
  std::string verdict() const {
    if (options_.self_test) return failures_ == 0 ? "every corruption detected" : fmt::format("{} corruptions MISSED", failures_);
    return failures_ == 0 ? "all equal" : fmt::format("{} MISMATCHES", failures_);
  }

  std::string execute(std::span<const uint8_t> elf, OutputKind kind, Execution* qemu, Execution* zkrv) {
    const fs::path path = work_dir_ / "program.elf";
    write_file(path, elf, true);
    *qemu = run_qemu(options_.qemu, path.string(), options_.timeout_ms);
    if (qemu->status == Execution::Status::kError)
      throw std::runtime_error(fmt::format("qemu-riscv32 unusable: {}", qemu->detail));
    *zkrv = run_zkrv(elf, uint64_t{1} << 32);
    return compare(*qemu, *zkrv, kind);
  }

  void check_self_test(const std::string& honest_difference, const std::string& what, Execution zkrv,
                       const Execution& qemu, uint64_t seed, OutputKind kind) {
    if (!honest_difference.empty()) {
      ++failures_;
      fmt::print("{}: the machines already disagree before corruption: {}\n", what, honest_difference);
      return;
    }
    const std::string done = corrupt(zkrv, seed);
    const std::string difference = compare(qemu, zkrv, kind);
    if (difference.empty()) {
      ++failures_;
      fmt::print("{}: corruption ({}) NOT detected\n", what, done);
    } else {
      fmt::print("{}: corruption ({}) detected: {}\n", what, done, difference.substr(0, difference.find('\n')));
    }
  }

  // Drops units while the mismatch persists (larger chunks first), keeping the prologue's pointer
  // setup and the epilogue.
  std::vector<bool> shrink(const RandomProgram& program) {
    std::vector<bool> keep(program.units.size(), true);
    auto still_fails = [&](const std::vector<bool>& candidate) {
      const std::vector<uint8_t> elf = build_elf(assemble(program, candidate), program.data);
      Execution qemu, zkrv;
      return !execute(elf, OutputKind::kRegisterDump, &qemu, &zkrv).empty();
    };
    for (size_t chunk = keep.size() / 2; chunk >= 1; chunk /= 2) {
      for (size_t begin = 0; begin < keep.size(); begin += chunk) {
        std::vector<bool> candidate = keep;
        bool changed = false;
        for (size_t i = begin; i < std::min(keep.size(), begin + chunk); ++i) {
          if (candidate[i] && program.units[i].removable) {
            candidate[i] = false;
            changed = true;
          }
        }
        if (changed && still_fails(candidate)) keep = std::move(candidate);
      }
    }
    return keep;
  }

  void report_random_failure(const RandomProgram& program, const std::vector<uint8_t>& code,
                             const std::vector<uint8_t>& elf, const Execution& qemu, const Execution& zkrv,
                             const std::string& difference) {
    const std::string reproduce = fmt::format("difftest --seed {} --programs 1 --length {}", program.seed, options_.length);
    std::string report = fmt::format("MISMATCH for seed {} (reproduce: {})\n  {}\n  qemu: {}\n  zkrv: {}\n", program.seed,
                                     reproduce, difference, summary(qemu), summary(zkrv));
    std::string full_listing = listing(code);
    fmt::print("{}", report);
    if (!options_.keep_failing.empty()) {
      const fs::path base = fs::path(options_.keep_failing) / fmt::format("seed-{}", program.seed);
      write_file(base.string() + ".elf", elf, true);
      write_text(base.string() + ".txt", report + "\n" + full_listing);
    }
    if (!options_.shrink) {
      fmt::print("program:\n{}", full_listing);
      return;
    }
    const std::vector<bool> keep = shrink(program);
    const std::vector<uint8_t> small_code = assemble(program, keep);
    const std::vector<uint8_t> small_elf = build_elf(small_code, program.data);
    Execution small_qemu, small_zkrv;
    const std::string small_difference = execute(small_elf, OutputKind::kRegisterDump, &small_qemu, &small_zkrv);
    const std::string small_report =
        fmt::format("shrunk to {} of {} bytes of code:\n  {}\n  qemu: {}\n  zkrv: {}\n{}", small_code.size(), code.size(),
                    small_difference, summary(small_qemu), summary(small_zkrv), listing(small_code));
    fmt::print("{}", small_report);
    if (!options_.keep_failing.empty()) {
      const fs::path base = fs::path(options_.keep_failing) / fmt::format("seed-{}-shrunk", program.seed);
      write_file(base.string() + ".elf", small_elf, true);
      write_text(base.string() + ".txt", small_report);
      fmt::print("saved to {}/seed-{}{{,-shrunk}}.{{elf,txt}}\n", options_.keep_failing, program.seed);
    }
  }

  Options options_;
  fs::path work_dir_;
  uint32_t failures_ = 0;
};

}  // namespace
}  // namespace zkrv::difftest

int main(int argc, char** argv) {
  zkrv::difftest::Options options;
  CLI::App app{"Differential testing of the zkrv VM against qemu-riscv32"};
  app.add_option("--programs", options.programs, "Number of random programs")->check(CLI::PositiveNumber);
  app.add_option("--length", options.length, "Random instructions per program")->check(CLI::Range(1u, 1000000u));
  app.add_option("--seed", options.seed, "Seed of the first program (program i uses seed + i)");
  app.add_option("--keep-failing", options.keep_failing, "Directory to save failing programs (ELF + listing) into");
  app.add_flag("--self-test", options.self_test,
               "Corrupt the zkrv result of every run and succeed only if every corruption is reported");
  app.add_option("--elf", options.elves, "Compare these compiled ELF files instead of random programs");
  app.add_option("--qemu", options.qemu, "qemu-riscv32 executable");
  app.add_option("--timeout-ms", options.timeout_ms, "Kill qemu after this long");
  app.add_option("--max-failures", options.max_failures, "Stop after this many mismatching random programs");
  app.add_flag("!--no-shrink", options.shrink, "Do not shrink a failing random program");
  CLI11_PARSE(app, argc, argv);
  try {
    zkrv::difftest::Session session(options);
    return options.elves.empty() ? session.run_random() : session.run_elves();
  } catch (const std::exception& error) {
    fmt::print(stderr, "difftest: {}\n", error.what());
    return 2;
  }
}
