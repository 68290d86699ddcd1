// zkrv::host and zkrv::verifier on the hello example guest, which echoes its public input as its
// public output and exits 0 (host_test covers refusals and rejections on generated guests).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "zkrv/host.h"
#include "zkrv/verifier.h"

namespace zkrv::host {
namespace {

const std::vector<uint8_t> kInput = {'z', 'k', 'r', 'v'};

Inputs hello_inputs() { return {kInput, {}}; }

// A sink that keeps the guest's log out of the test's output and lets the test read it.
ExecuteOptions quiet(std::string* log) {
  ExecuteOptions options;
  options.log_sink = [log](int, std::span<const uint8_t> bytes) { log->append(bytes.begin(), bytes.end()); };
  return options;
}

TEST(HostHelloTest, ExecutesHello) {
  const Program program = Program::load(ZKRV_TEST_HELLO_ELF);
  std::string log;
  const ExecuteReport report = execute(program, hello_inputs(), quiet(&log));
  EXPECT_EQ(report.stop, Stop::kExit);
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_EQ(report.public_output, kInput);
  EXPECT_GT(report.cycles, 0u);
  EXPECT_NE(log.find("hello from zkrv!"), std::string::npos);
}

TEST(HostHelloTest, ProvesAndVerifiesHello) {
  std::ifstream file(ZKRV_TEST_HELLO_ELF, std::ios::binary);
  const Program program = Program::from_elf({std::istreambuf_iterator<char>(file), {}});
  std::string log;
  ProveOptions options;
  options.execute = quiet(&log);
  const ProveResult proved = prove(program, hello_inputs(), options);
  EXPECT_EQ(proved.profile, "fast");
  EXPECT_EQ(proved.statement.program_id, program.id("fast"));
  EXPECT_EQ(proved.statement.exit_code, 0);
  EXPECT_EQ(proved.statement.public_output, kInput);
  EXPECT_EQ(proved.statement.public_input, kInput);
  EXPECT_GE(proved.security.conjectured_bits, 100);

  Expected expected;
  expected.public_output = kInput;
  expected.public_input = kInput;
  expected.profile = "fast";
  const Verified verified = verify(proved.proof, program.id("fast"), expected);
  EXPECT_EQ(verified.statement.public_output, kInput);
  EXPECT_EQ(verified.profile, "fast");
  EXPECT_EQ(program_id_from_hex(to_hex(verified.statement.program_id)), program.id());
  Expected other_output;
  other_output.public_output = std::vector<uint8_t>{'z', 'k'};
  EXPECT_THROW(verify(proved.proof, program.id(), other_output), VerifyError);
}

}  // namespace
}  // namespace zkrv::host
