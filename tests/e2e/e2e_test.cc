// Runs every case of every examples/<name>/expected.json on the clang- and gcc-built ELF through the
// real `zkrv run --json` command, and checks exit status, public output, exit code or fault, and
// the guest's log.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <random>

#include "base/file.h"
#include "base/hex.h"
#include "base/process.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Completed {
  int status = -1;
  std::string out, err;
};

// The whole file as text; a test fails, and gets "", when it cannot be read.
std::string slurp(const fs::path& path) {
  std::vector<uint8_t> bytes;
  if (const auto failure = zkrv::base::read_file(path, uint64_t{1} << 30, &bytes)) {
    ADD_FAILURE() << failure->describe(path, uint64_t{1} << 30);
    return "";
  }
  return std::string(bytes.begin(), bytes.end());
}

Completed run(const std::vector<std::string>& args) {
  zkrv::base::ProcessOptions options;
  options.stdout_mode = zkrv::base::ChildOutput::kCapture;
  options.stderr_mode = zkrv::base::ChildOutput::kCapture;
  const zkrv::base::ProcessResult result = zkrv::base::run_process(args, options);
  Completed c;
  if (result.started) c.status = result.exit_status;
  c.out = result.stdout_text;
  c.err = result.stderr_text;
  return c;
}

struct Case {
  std::string example, compiler;
  json spec;
};

// CTest lists each case by this text; without it GoogleTest prints the struct's raw bytes.
void PrintTo(const Case& c, std::ostream* os) {  // NOLINT(readability-identifier-naming): GoogleTest looks it up by this name
  *os << c.example << " (" << c.compiler << "): " << c.spec.value("name", std::string("?"));
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const auto& entry : fs::directory_iterator(ZKRV_EXAMPLES_SOURCE_DIR)) {
    const fs::path expected = entry.path() / "expected.json";
    if (!fs::exists(expected)) continue;
    const json doc = json::parse(slurp(expected));
    for (const char* compiler : {"clang", "gcc"}) {
      for (const json& c : doc["cases"]) cases.push_back({doc["example"], compiler, c});
    }
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) {
    return std::tie(a.example, a.compiler) < std::tie(b.example, b.compiler);
  });
  return cases;
}

class Example : public ::testing::TestWithParam<Case> {};

TEST_P(Example, RunsAsExpected) {
  const Case& c = GetParam();
  const std::string elf = fmt::format("{}/{}/{}.elf", ZKRV_EXAMPLES_BUILD_DIR, c.compiler, c.example);
  ASSERT_TRUE(fs::exists(elf)) << elf;
  std::vector<std::string> args = {ZKRV_BINARY, "run", elf, "--json"};
  const auto text = [&](const char* key) {
    return c.spec.contains(key) && c.spec[key].is_string() ? c.spec[key].get<std::string>() : std::string();
  };
  if (!text("input_hex").empty()) args.insert(args.end(), {"--input-hex", text("input_hex")});
  if (!text("hint_hex").empty()) args.insert(args.end(), {"--hint-hex", text("hint_hex")});
  const Completed done = run(args);
  SCOPED_TRACE(fmt::format("{}\nstdout:\n{}\nstderr:\n{}", fmt::join(args, " "), done.out, done.err));
  const json report = json::parse(done.out);
  if (c.spec["fault"].is_string()) {
    EXPECT_EQ(done.status, 3);
    EXPECT_EQ(report["status"], "fault");
    EXPECT_EQ(report["fault"]["kind"], c.spec["fault"]);
    if (c.spec.contains("fault_source")) {  // DWARF line and the backtrace rebuilt by a second run
      EXPECT_EQ(report["fault"]["source"], c.spec["fault_source"]);
      ASSERT_TRUE(report["fault"].contains("backtrace"));
      EXPECT_EQ(report["fault"]["backtrace"].front()["function"], "main");
      EXPECT_EQ(report["fault"]["backtrace"].front()["source"], c.spec["fault_source"]);
      EXPECT_EQ(report["fault"]["backtrace"].back()["function"], "_start");
    }
  } else {
    const int exit_code = c.spec["exit_code"];
    EXPECT_EQ(done.status, exit_code == 0 ? 0 : 1);
    EXPECT_EQ(report["exit_code"], exit_code);
    EXPECT_EQ(report["public_output_hex"], text("output_hex"));
  }
  // With --json the guest's log (fd 1 and 2) goes to stderr.
  for (const char* key : {"stdout_contains", "stderr_contains"}) {
    if (!text(key).empty()) {
      EXPECT_NE(done.err.find(text(key)), std::string::npos) << key;
    }
  }
  EXPECT_GT(report["total_num_cycles"].get<uint64_t>(), 0u);

  // Pass 2 (trace generation) gives the same exit, output, count and final memory as pass 1.
  std::vector<std::string> trace_args = args;
  trace_args[1] = "trace";
  std::erase(trace_args, std::string("--json"));
  trace_args.insert(trace_args.end(), {"--count", "0", "--json"});
  const Completed traced = run(trace_args);
  const json trace = json::parse(traced.out);
  EXPECT_EQ(trace["passes_agree"], true) << traced.out;
  EXPECT_EQ(trace["instructions"], report["total_num_cycles"]);
}

INSTANTIATE_TEST_SUITE_P(Examples, Example, ::testing::ValuesIn(all_cases()), [](const auto& info) {
  std::string name = fmt::format("{}_{}_{}", info.param.example, info.param.compiler, info.param.spec["name"].template get<std::string>());
  for (char& ch : name) {
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name + "_" + std::to_string(info.index);
});

std::string hex_digest(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), out, &size, md, nullptr);
  return zkrv::base::to_hex({out, size});
}

// Known answers inside a guest: the precompile-backed zkvm_sha256 and the keccak-f precompile (as
// SHA3-256, which OpenSSL has) against OpenSSL on the host, and zkvm_keccak256 against the guest's
// own software Keccak-256 (OpenSSL 3.0 has no plain Keccak-256; "" and "abc" are pinned to the
// published vectors in examples/hash_accel/expected.json).
TEST(Accelerators, KnownAnswersMatchOpenSsl) {
  const std::string elf = fmt::format("{}/clang/hash_accel.elf", ZKRV_EXAMPLES_BUILD_DIR);
  std::mt19937 rng(2026);
  std::string random(1 << 20, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"empty", ""},
      {"abc", "abc"},
      {"nist 448 bits", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"},
      {"nist 896 bits", "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"},
      {"block boundary 55", std::string(55, 'x')},
      {"block boundary 56", std::string(56, 'x')},
      {"rate boundary 135", std::string(135, 'y')},
      {"rate boundary 136", std::string(136, 'y')},
      {"one million a", std::string(1000000, 'a')},
      {"1 MiB random", random},
  };
  EXPECT_EQ(hex_digest(EVP_sha256(), "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const fs::path hint = fs::temp_directory_path() / fmt::format("zkrv-kat-{}", getpid());
  for (const auto& [name, data] : inputs) {
    SCOPED_TRACE(name);
    std::ofstream(hint, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
    const Completed done = run({ZKRV_BINARY, "run", elf, "--json", "--hint", hint.string()});
    ASSERT_EQ(done.status, 0) << done.err;
    const std::string out = json::parse(done.out)["public_output_hex"];
    ASSERT_EQ(out.size(), 5u * 64);
    const auto part = [&](int i) { return out.substr(static_cast<size_t>(i) * 64, 64); };
    EXPECT_EQ(part(1), hex_digest(EVP_sha256(), data)) << "zkvm_sha256 on the precompile";
    EXPECT_EQ(part(2), hex_digest(EVP_sha3_256(), data)) << "SHA3-256 on the keccak-f precompile";
    EXPECT_EQ(part(0), part(3)) << "zkvm_keccak256 vs software Keccak-256";
    EXPECT_EQ(part(4), part(1)) << "software SHA-256 vs the precompile";
  }
  fs::remove(hint);
}

// `zkrv run --segment-steps N`: one checkpoint per N steps begun, each at its step, the first at the
// entry point with no page changed yet, and the same result as a plain run (docs/trace.md).
TEST(ExampleRunner, ReportsTheSegmentsOfARun) {
  const std::string elf = fmt::format("{}/clang/hello.elf", ZKRV_EXAMPLES_BUILD_DIR);
  const Completed plain = run({ZKRV_BINARY, "run", elf, "--json", "--input-hex", "01020304"});
  const Completed done = run({ZKRV_BINARY, "run", elf, "--json", "--input-hex", "01020304", "--segment-steps", "333"});
  ASSERT_EQ(done.status, 0) << done.err;
  const json report = json::parse(done.out);
  EXPECT_EQ(report["public_output_hex"], json::parse(plain.out)["public_output_hex"]);
  const uint64_t steps = report["total_num_cycles"];
  const json& segments = report["segments"];
  EXPECT_EQ(segments["segment_steps"], 333);
  ASSERT_EQ(segments["count"], (steps + 332) / 333);
  ASSERT_EQ(segments["checkpoints"].size(), (steps + 332) / 333);
  for (size_t k = 0; k < segments["checkpoints"].size(); ++k) EXPECT_EQ(segments["checkpoints"][k]["step"], k * 333);
  EXPECT_EQ(segments["checkpoints"][0]["pages"], 0);
  EXPECT_GT(segments["checkpoints"].back()["pages"], 0);
  const Completed zero = run({ZKRV_BINARY, "run", elf, "--segment-steps", "0"});
  EXPECT_EQ(zero.status, 2);
}

// The runner itself must be able to fail: a wrong expected output is caught.
TEST(ExampleRunner, DetectsAWrongOutput) {
  const std::string elf = fmt::format("{}/clang/hello.elf", ZKRV_EXAMPLES_BUILD_DIR);
  const Completed done = run({ZKRV_BINARY, "run", elf, "--json", "--input-hex", "01020304"});
  const json report = json::parse(done.out);
  EXPECT_NE(report["public_output_hex"], "01020305");
  EXPECT_EQ(report["public_output_hex"], "01020304");
}

}  // namespace
