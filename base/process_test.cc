#include "base/process.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

namespace zkrv::base {
namespace {

ProcessResult sh(const std::string& script, ProcessOptions options) {
  return run_process({"sh", "-c", script}, options);
}

ProcessOptions capturing(ChildOutput out, ChildOutput err) {
  ProcessOptions options;
  options.stdout_mode = out;
  options.stderr_mode = err;
  return options;
}

TEST(Process, CapturesStdoutAndStderrSeparately) {
  const ProcessResult r = sh("echo out; echo err >&2; exit 3", capturing(ChildOutput::kCapture, ChildOutput::kCapture));
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.stdout_text, "out\n");
  EXPECT_EQ(r.stderr_text, "err\n");
}

TEST(Process, MergesOneStreamIntoTheOther) {
  ProcessResult r = sh("echo a; echo b >&2; echo c", capturing(ChildOutput::kCapture, ChildOutput::kToOtherStream));
  EXPECT_EQ(r.stdout_text, "a\nb\nc\n");
  EXPECT_EQ(r.stderr_text, "");
  r = sh("echo a; echo b >&2", capturing(ChildOutput::kToOtherStream, ChildOutput::kCapture));
  EXPECT_EQ(r.stderr_text, "a\nb\n");
  EXPECT_EQ(r.stdout_text, "");
}

TEST(Process, DiscardsAndReadsNothingFromStdin) {
  const ProcessResult r = sh("echo gone >&2; cat; echo done", capturing(ChildOutput::kCapture, ChildOutput::kDiscard));
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.stdout_text, "done\n");
}

TEST(Process, CapturesMoreThanAPipeHolds) {
  const ProcessResult r = sh("head -c 1000000 /dev/zero", capturing(ChildOutput::kCapture, ChildOutput::kInherit));
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.stdout_text.size(), 1000000u);
}

TEST(Process, EditsTheEnvironment) {
  ::setenv("ZKRV_BASE_PROCESS_TEST_GONE", "1", 1);
  ProcessOptions options = capturing(ChildOutput::kCapture, ChildOutput::kInherit);
  options.set_environment = {"ZKRV_BASE_PROCESS_TEST_NEW=new value"};
  options.unset_environment = {"ZKRV_BASE_PROCESS_TEST_GONE"};
  const ProcessResult r = sh("echo \"[$ZKRV_BASE_PROCESS_TEST_NEW][$ZKRV_BASE_PROCESS_TEST_GONE]\"", options);
  EXPECT_EQ(r.stdout_text, "[new value][]\n");
  const std::vector<std::string> env = environment_with({"A_B=1"}, {"ZKRV_BASE_PROCESS_TEST_GONE"});
  EXPECT_EQ(env.back(), "A_B=1");
  for (const auto& entry : env) EXPECT_FALSE(entry.starts_with("ZKRV_BASE_PROCESS_TEST_GONE="));
}

TEST(Process, ReportsTheSignalThatEndedIt) {
  const ProcessResult r = sh("kill -TERM $$", {});
  ASSERT_TRUE(r.started);
  EXPECT_EQ(r.signal, 15);
  EXPECT_EQ(r.exit_status, 128 + 15);
}

TEST(Process, KillsAChildThatRunsPastItsTimeLimit) {
  for (const ChildOutput mode : {ChildOutput::kCapture, ChildOutput::kDiscard}) {
    ProcessOptions options = capturing(mode, mode);
    options.timeout_ms = 200;
    const auto start = std::chrono::steady_clock::now();
    const ProcessResult r = run_process({"sleep", "10"}, options);
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.signal, 9);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  }
  ProcessOptions quick = capturing(ChildOutput::kCapture, ChildOutput::kCapture);
  quick.timeout_ms = 10000;
  const ProcessResult r = sh("echo fast", quick);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.stdout_text, "fast\n");
}

TEST(Process, SaysWhyAProgramDidNotStart) {
  const ProcessResult r = run_process({"zkrv-no-such-program-anywhere"}, {});
  EXPECT_FALSE(r.started);
  EXPECT_EQ(r.start_error, "cannot start zkrv-no-such-program-anywhere: No such file or directory");
  EXPECT_FALSE(run_process({}, {}).started);
}

}  // namespace
}  // namespace zkrv::base
