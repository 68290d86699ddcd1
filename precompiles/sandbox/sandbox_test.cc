// The sandbox against hostile libraries: each attempt is stopped and reported by name, the host
// keeps running, and a well-behaved library works through the protocol exactly as in process.
#include "precompiles/sandbox/sandbox.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "precompiles/package/store.h"
#include "precompiles/package/witness.h"
#include "precompiles/testdata/test_memory.h"
#include "precompiles/testdata/test_packages.h"

namespace zkrv::precompiles {
namespace {

using ::testing::HasSubstr;
using testing::TestMemory;

std::vector<uint8_t> library_bytes(const char* path) { return read_file_bytes(path); }

Package hostile_package(const char* library) {
  return make_package(testing::test_manifest("test.hostile", "1.0.0"), library_bytes(library), std::nullopt,
                      "libhostile.so");
}

sandbox::SandboxLimits test_limits() {
  sandbox::SandboxLimits limits;
  limits.memory_bytes = uint64_t{256} << 20;
  limits.call_timeout_ms = 1000;
  return limits;
}

LoadedPrecompile open_hostile(const sandbox::SandboxLimits& limits = test_limits()) {
  return open_package_sandboxed(hostile_package(ZKRV_TEST_HOSTILE_LIBRARY), "hostile.zkrvpkg",
                                sandbox::default_worker_path(), limits);
}

struct Attempt {
  uint32_t attack;
  const char* reported;
};

class SandboxAttack : public ::testing::TestWithParam<Attempt> {};

TEST_P(SandboxAttack, IsStoppedAndReported) {
#ifdef ZKRV_WORKER_UNDER_SANITIZER
  if (GetParam().attack == 4) GTEST_SKIP() << "sanitizer builds run the worker without an address-space limit";
  // The sanitizer's own crash report (it reads /proc/self/maps) is what the filter stops then.
  const char* reported = GetParam().attack == 8 ? "the sandboxed library" : GetParam().reported;
#else
  const char* reported = GetParam().reported;
#endif
  const LoadedPrecompile loaded = open_hostile();
  ASSERT_TRUE(loaded.sandboxed);
  TestMemory memory(0x1000, 64);
  zkrv_precompile_call call;
  EXPECT_EQ(memory.eval(loaded.call, GetParam().attack, 0x1000, &call), ZKRV_PRECOMPILE_FAULT);
  EXPECT_THAT(call.error, HasSubstr(reported));
  // Stopped for good: the next call fails the same way, without reaching the worker.
  EXPECT_EQ(memory.eval(loaded.call, 0, 0x1000, &call), ZKRV_PRECOMPILE_FAULT);
  EXPECT_THAT(call.error, HasSubstr(reported));
  EXPECT_EQ(memory.reads + memory.writes, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Hostile, SandboxAttack,
    ::testing::Values(Attempt{1, "made a forbidden system call (open"}, Attempt{2, "forbidden system call (execve)"},
                      Attempt{3, "forbidden system call (socket)"}, Attempt{4, "crashed (signal"},
                      Attempt{5, "did not answer within 1000 ms"}, Attempt{6, "forbidden system call (write)"},
                      Attempt{7, "broke the call protocol (5 bytes on its socket)"}, Attempt{8, "crashed (signal 11"},
                      Attempt{9, "forbidden system call (clone"}, Attempt{10, "forbidden system call (mmap)"}));

TEST(Sandbox, WellBehavedCallsGoThroughTheHostsMemoryCallbacks) {
  const LoadedPrecompile loaded = open_hostile();
  TestMemory memory(0x1000, 64);
  memory.at(0x1008)[0] = 41;
  zkrv_precompile_call call;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(memory.eval(loaded.call, 0, 0x1008, &call), ZKRV_PRECOMPILE_OK) << call.error;
    EXPECT_EQ(call.rd, 42u);
  }
  EXPECT_EQ(memory.reads, 3);
  // A refused access comes back to the library as a failed callback, as in process.
  EXPECT_EQ(memory.eval(loaded.call, 0, 0x9000, &call), ZKRV_PRECOMPILE_BAD_MEMORY);
  ASSERT_EQ(memory.eval(loaded.call, 0, 0x1008, &call), ZKRV_PRECOMPILE_OK) << call.error;
}

TEST(Sandbox, AConstructorThatReachesForTheNetworkStopsTheLoad) {
  try {
    open_package_sandboxed(hostile_package(ZKRV_TEST_HOSTILE_CONSTRUCTOR_LIBRARY), "hostile.zkrvpkg",
                           sandbox::default_worker_path(), test_limits());
    FAIL() << "the load succeeded";
  } catch (const PackageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("forbidden system call (socket)"));
  }
}

TEST(Sandbox, AWorkerThatCannotStartIsAPackageError) {
  try {
    open_package_sandboxed(hostile_package(ZKRV_TEST_HOSTILE_LIBRARY), "hostile.zkrvpkg", "/nonexistent/worker",
                           test_limits());
    FAIL() << "the load succeeded";
  } catch (const PackageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot start the precompile sandbox '/nonexistent/worker'"));
  }
}

// A program outside both an installed tree and a build tree has no default worker.
TEST(Sandbox, NoWorkerIsAPackageErrorThatNamesTheVariable) {
  try {
    open_package_sandboxed(hostile_package(ZKRV_TEST_HOSTILE_LIBRARY), "hostile.zkrvpkg", "", test_limits());
    FAIL() << "the load succeeded";
  } catch (const PackageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("no zkrv-precompile-worker found"));
    EXPECT_THAT(e.what(), HasSubstr("set ZKRV_PRECOMPILE_WORKER"));
  }
}

// This test runs in the build tree: the worker is the tree's, unless the variable names another.
TEST(Sandbox, TheDefaultWorkerIsTheBuildTreesOrTheVariables) {
  const std::filesystem::path worker = sandbox::default_worker_path();
  EXPECT_EQ(worker.filename(), sandbox::kWorkerExecutable);
  EXPECT_EQ(worker.parent_path().filename(), "precompiles");
  EXPECT_TRUE(std::filesystem::is_regular_file(worker));
  ::setenv("ZKRV_PRECOMPILE_WORKER", "/opt/zkrv/libexec/zkrv/zkrv-precompile-worker", 1);
  EXPECT_EQ(sandbox::default_worker_path(), "/opt/zkrv/libexec/zkrv/zkrv-precompile-worker");
  ::setenv("ZKRV_PRECOMPILE_WORKER", "", 1);
  EXPECT_EQ(sandbox::default_worker_path(), worker);
  ::unsetenv("ZKRV_PRECOMPILE_WORKER");
}

// The witness call through the protocol: a record of several messages' worth of words in, rows of
// several messages out, exactly what the same library gives in process.
TEST(SandboxWitness, LargeRecordsAndRowsCrossAsInProcess) {
  const Package package = make_package(testing::test_manifest(), library_bytes(ZKRV_TEST_WITNESS_ECHO_LIBRARY),
                                       std::nullopt, "libecho.so");
  const LoadedPrecompile sandboxed = open_package_sandboxed(package, "echo.zkrvpkg", sandbox::default_worker_path(),
                                                            test_limits());
  const LoadedPrecompile in_process = open_package_library(package, "echo.zkrvpkg");
  ASSERT_EQ(sandboxed.witness_rows_per_call, 64u);
  ASSERT_EQ(sandboxed.witness_width, 1024u);
  std::vector<zkrv_word_access> words(5000);  // 80,000 bytes: more than one message
  for (uint32_t i = 0; i < words.size(); ++i) words[i] = {0x10000 + 4 * i, i * 2654435761u, i * 40503u, i % 2};
  for (uint32_t i = 0; i < words.size(); i += 2) words[i].after = words[i].before;
  const zkrv_call_record record{1234, 0x10000, 0x20000, 0, static_cast<uint32_t>(words.size()), words.data()};
  std::vector<uint32_t> remote(64 * 1024), local(64 * 1024);
  generate_witness(sandboxed, record, 1024, remote);
  generate_witness(in_process, record, 1024, local);
  EXPECT_EQ(remote, local);
  EXPECT_NE(remote, std::vector<uint32_t>(remote.size()));
  // A word more changes every row: the whole record crossed.
  words.push_back({0x90000, 1, 1, 0});
  const zkrv_call_record longer{1234, 0x10000, 0x20000, 0, static_cast<uint32_t>(words.size()), words.data()};
  generate_witness(sandboxed, longer, 1024, remote);
  EXPECT_NE(remote, local);
  generate_witness(in_process, longer, 1024, local);
  EXPECT_EQ(remote, local);
}

// A library that writes far past the buffer it was given crashes its worker, not zkrv.
TEST(SandboxWitness, ScribblingPastTheRowsCrashesOnlyTheWorker) {
  const Package package = make_package(testing::test_manifest(), library_bytes(ZKRV_TEST_HOSTILE_WITNESS_LIBRARY),
                                       std::nullopt, "libhostile.so");
  const LoadedPrecompile hostile =
      open_package_sandboxed(package, "hostile.zkrvpkg", sandbox::default_worker_path(), test_limits());
  const zkrv_call_record record{5, 7, 0, 0, 0, nullptr};  // rs1 7: scribble
  std::vector<uint32_t> out(6);
  try {
    generate_witness(hostile, record, 3, out);
    FAIL() << "the witness was accepted";
  } catch (const WitnessError& e) {
#ifdef ZKRV_WORKER_UNDER_SANITIZER
    // The sanitizer reports the overflow first, and its report (it reads /proc/self/maps) is what
    // the filter stops.
    EXPECT_THAT(e.what(), HasSubstr("the library failed: the sandboxed library"));
#else
    EXPECT_THAT(e.what(), HasSubstr("the library failed: the sandboxed library crashed (signal 11"));
#endif
  }
  const zkrv_call_record honest{6, 0, 0, 0, 0, nullptr};
  EXPECT_THROW(generate_witness(hostile, honest, 3, out), WitnessError);  // stopped for good
}

// A record the sandbox will not carry is refused without stopping the worker.
TEST(SandboxWitness, RecordAboveTheLimitIsRefusedAndTheWorkerStays) {
  const Package package = make_package(testing::test_manifest(), library_bytes(ZKRV_TEST_HOSTILE_WITNESS_LIBRARY),
                                       std::nullopt, "libhostile.so");
  const LoadedPrecompile hostile =
      open_package_sandboxed(package, "hostile.zkrvpkg", sandbox::default_worker_path(), test_limits());
  const zkrv_word_access word{0, 0, 0, 0};
  const zkrv_call_record huge{5, 0, 0, 0, sandbox::kMaxWitnessAccesses + 1, &word};  // never read: refused first
  std::vector<uint32_t> out(6);
  try {
    generate_witness(hostile, huge, 3, out);
    FAIL() << "the witness was accepted";
  } catch (const WitnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the call record has 4194305 word accesses; the sandbox carries at most 4194304"));
  }
  const zkrv_call_record honest{6, 0, 0, 0, 0, nullptr};
  EXPECT_NO_THROW(generate_witness(hostile, honest, 3, out));
}

struct Breach {
  const char* scenario;  // what testdata/fake_worker.cc does
  const char* reported;  // after "the sandboxed library broke the call protocol ("
};

class SandboxWitnessProtocol : public ::testing::TestWithParam<Breach> {};

// A worker taken over by its library can send any message: zkrv writes only the values it expects,
// where it expects them, within the buffer it gave, and stops the worker at the first breach.
TEST_P(SandboxWitnessProtocol, BreachIsRefusedAndStopsTheWorker) {
  const std::string scenario = GetParam().scenario;
  const Package package = make_package(testing::test_manifest(), std::vector<uint8_t>(scenario.begin(), scenario.end()),
                                       std::nullopt, "script");
  const LoadedPrecompile fake = open_package_sandboxed(package, "fake.zkrvpkg", ZKRV_TEST_FAKE_WORKER, test_limits());
  const zkrv_call_record record{5, 0, 0, 0, 0, nullptr};
  std::vector<uint32_t> out(7, 0xdeadbeef);
  if (scenario == "honest") {  // the fake speaks the protocol: what fails below is the breach
    generate_witness(fake, record, 3, out);
    EXPECT_EQ(out, (std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 0xdeadbeef}));
    return;
  }
  try {
    generate_witness(fake, record, 3, out);
    FAIL() << "the witness was accepted";
  } catch (const WitnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr(std::string("the library failed: the sandboxed library broke the call protocol (") +
                                    GetParam().reported));
  }
  EXPECT_EQ(out[6], 0xdeadbeefu) << "written past the buffer";
  const pid_t pid = std::static_pointer_cast<sandbox::SandboxedLibrary>(fake.library)->worker_pid();
  siginfo_t info{};  // stopped already; left for the library's destructor to reap
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT), 0);
  EXPECT_EQ(info.si_code, CLD_KILLED);
}

INSTANTIATE_TEST_SUITE_P(
    Breaches, SandboxWitnessProtocol,
    ::testing::Values(Breach{"honest", ""}, Breach{"offset", "3 witness values at offset 3; 0 taken of 6)"},
                      Breach{"overflow", "7 witness values at offset 0; 0 taken of 6)"},
                      Breach{"ragged", "1 witness values at offset 0; 0 taken of 6)"},
                      Breach{"short", "3 witness values for 2 rows of 3 columns)"},
                      Breach{"more", "a bad request for accesses)"}, Breach{"read", "message type 17 in a witness call)"},
                      Breach{"error", "a bad witness reply)"}));

TEST(Sandbox, DroppingTheLibraryStopsItsWorker) {
  pid_t pid = 0;
  {
    const LoadedPrecompile loaded = open_hostile();
    pid = std::static_pointer_cast<sandbox::SandboxedLibrary>(loaded.library)->worker_pid();
    ASSERT_EQ(::kill(pid, 0), 0);
  }
  EXPECT_NE(::kill(pid, 0), 0);  // reaped: no such process
}

}  // namespace
}  // namespace zkrv::precompiles
