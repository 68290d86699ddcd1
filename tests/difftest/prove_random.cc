// prove_random: random programs from the difftest generator, restricted to what riscv_air proves
// (Mix::kProvable), proven with the `fast` profile and verified; the verified exit code must be the
// one `zkrv run --json` reports for the same ELF.
//
//   prove_random --zkrv PATH [--programs N] [--length L] [--seed S] [--keep-failing DIR]
//   --self-test   expect zkrv run's exit code plus one: every program must then be reported
//
// Exit status: 0 when every program proves, verifies and agrees (with --self-test: when every
// program is reported); 1 otherwise; 2 on a usage or setup error.
#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "base/process.h"
#include "elf/elf.h"
#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "stark/security/security.h"
#include "tests/difftest/generator.h"

namespace zkrv::difftest {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string zkrv;
  uint32_t programs = 30;
  uint32_t length = 60;
  uint64_t seed = 1;
  std::string keep_failing;
  bool self_test = false;
};

// The exit code `zkrv run --json` reports, or a description of what went wrong.
std::string zkrv_run_exit_code(const std::string& zkrv, const std::string& elf, int64_t* code) {
  base::ProcessOptions options;
  options.stdout_mode = base::ChildOutput::kCapture;
  options.stderr_mode = base::ChildOutput::kDiscard;  // the guest's log
  options.timeout_ms = 60'000;
  const base::ProcessResult r = base::run_process({zkrv, "run", "--json", elf}, options);
  if (!r.start_error.empty()) return r.start_error;
  static const std::regex kExitCode(R"re("exit_code"\s*:\s*(-?[0-9]+))re");
  std::smatch m;
  if (!std::regex_search(r.stdout_text, m, kExitCode)) return fmt::format("no exit_code in: {}", r.stdout_text);
  *code = std::stoll(m[1].str());
  return "";
}

// One program: "" when it proves, verifies and agrees with `zkrv run`.
std::string check(const Options& o, uint64_t seed, const fs::path& dir) {
  const RandomProgram program = generate(seed, o.length, Mix::kProvable);
  const std::vector<uint8_t> elf_bytes = build_elf(assemble(program), program.data);
  const fs::path path = dir / fmt::format("random-{}.elf", seed);
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(elf_bytes.data()),
                                              static_cast<std::streamsize>(elf_bytes.size()));
  int64_t expected = 0;
  if (std::string why = zkrv_run_exit_code(o.zkrv, path.string(), &expected); !why.empty()) return "zkrv run: " + why;
  if (o.self_test) ++expected;
  try {
    const elf::ElfImage image = elf::parse(elf_bytes);
    const riscv_air::ProvingSetup setup = riscv_air::setup(image, stark::fast_profile());
    const riscv_air::ProveOutput out = riscv_air::prove(setup, image, {});
    const riscv_air::Statement verified = riscv_air::verify(out.proof, riscv_air::program_id(setup.key));
    if (verified.exit_code != expected) {
      return fmt::format("verified exit code {}, zkrv run says {}", verified.exit_code, expected);
    }
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

int main_impl(int argc, char** argv) {
  Options o;
  CLI::App app{"Prove and verify random programs restricted to what riscv_air proves"};
  app.add_option("--zkrv", o.zkrv, "The zkrv command, for `zkrv run --json`")->required();
  app.add_option("--programs", o.programs, "How many programs");
  app.add_option("--length", o.length, "Random instructions per program");
  app.add_option("--seed", o.seed, "The first program's seed (the others follow)");
  app.add_option("--keep-failing", o.keep_failing, "Copy each failing program's ELF into this folder");
  app.add_flag("--self-test", o.self_test, "Expect a wrong exit code and require that every program is reported");
  CLI11_PARSE(app, argc, argv);
  char pattern[] = "/tmp/prove_random.XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    std::fprintf(stderr, "prove_random: cannot make a temporary folder\n");
    return 2;
  }
  const fs::path dir = pattern;
  uint32_t failures = 0;
  for (uint32_t i = 0; i < o.programs; ++i) {
    const uint64_t seed = o.seed + i;
    const std::string why = check(o, seed, dir);
    if (why.empty()) continue;
    ++failures;
    std::printf("seed %llu: %s\n", static_cast<unsigned long long>(seed), why.c_str());
    if (!o.keep_failing.empty()) {
      fs::create_directories(o.keep_failing);
      fs::copy_file(dir / fmt::format("random-{}.elf", seed), fs::path(o.keep_failing) / fmt::format("random-{}.elf", seed),
                    fs::copy_options::overwrite_existing);
    }
  }
  fs::remove_all(dir);
  std::printf("prove_random: %u programs of length %u from seed %llu: %u failed\n", o.programs, o.length,
              static_cast<unsigned long long>(o.seed), failures);
  if (o.self_test) return failures == o.programs ? 0 : 1;
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace zkrv::difftest

int main(int argc, char** argv) { return zkrv::difftest::main_impl(argc, argv); }
