// zkrv::host and zkrv::verifier on the hello example guest (it echoes its public input as its
// public output and exits 0).
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

TEST(HostTest, ExecutesHello) {
  const Program program = Program::load(ZKRV_TEST_HELLO_ELF);
  std::string log;
  const ExecuteReport report = execute(program, hello_inputs(), quiet(&log));
  EXPECT_EQ(report.stop, Stop::kExit);
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_EQ(report.public_output, kInput);
  EXPECT_GT(report.cycles, 0u);
  EXPECT_NE(log.find("hello from zkrv!"), std::string::npos);
}

TEST(HostTest, ReportsTheCycleLimit) {
  const Program program = Program::load(ZKRV_TEST_HELLO_ELF);
  std::string log;
  ExecuteOptions options = quiet(&log);
  options.max_cycles = 10;
  const ExecuteReport report = execute(program, hello_inputs(), options);
  EXPECT_EQ(report.stop, Stop::kCycleLimit);
  EXPECT_FALSE(report.fault.empty());
  ProveOptions prove_options;
  prove_options.execute = options;
  EXPECT_THROW(prove(program, hello_inputs(), prove_options), Error);
}

TEST(HostTest, RefusesWhatIsNotAProgram) {
  EXPECT_THROW(Program::load("/nonexistent/hello.elf"), Error);
  EXPECT_THROW(Program::from_elf({0x7f, 'E', 'L', 'F', 1, 2, 3}), Error);
}

TEST(HostTest, ProgramIdsDifferByProfile) {
  const Program program = Program::load(ZKRV_TEST_HELLO_ELF);
  EXPECT_NE(program.id("fast"), program.id("secure"));
  EXPECT_EQ(program.id("fast"), program.id());
  EXPECT_THROW(program.id("slow"), std::invalid_argument);
}

TEST(HostTest, ProvesAndVerifiesHello) {
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
  expected.profile = "fast";
  const Verified verified = verify(proved.proof, program.id("fast"), expected);
  EXPECT_EQ(verified.statement.public_output, kInput);
  EXPECT_EQ(verified.profile, "fast");
  EXPECT_EQ(program_id_from_hex(to_hex(verified.statement.program_id)), program.id());

  auto rejection = [&](std::span<const uint8_t> proof, const ProgramId& id, const Expected& e) {
    try {
      verify(proof, id, e);
    } catch (const VerifyError& error) {
      return error.kind();
    }
    ADD_FAILURE() << "accepted";
    return VerifyError::Kind::kInvalidProof;
  };
  Expected other_output;
  other_output.public_output = std::vector<uint8_t>{'z', 'k'};
  EXPECT_EQ(rejection(proved.proof, program.id(), other_output), VerifyError::Kind::kUnexpectedStatement);
  Expected other_exit;
  other_exit.exit_code = 3;
  EXPECT_EQ(rejection(proved.proof, program.id(), other_exit), VerifyError::Kind::kUnexpectedStatement);
  Expected secure;
  secure.profile = "secure";
  EXPECT_EQ(rejection(proved.proof, program.id(), secure), VerifyError::Kind::kInvalidProof);
  EXPECT_EQ(rejection(proved.proof, program.id("secure"), {}), VerifyError::Kind::kInvalidProof);
  std::vector<uint8_t> tampered = proved.proof;
  tampered[tampered.size() - 40] ^= 1;
  EXPECT_EQ(rejection(tampered, program.id(), {}), VerifyError::Kind::kInvalidProof);
}

TEST(HostTest, ProgramIdHex) {
  EXPECT_THROW(program_id_from_hex("abc"), std::invalid_argument);
  EXPECT_THROW(program_id_from_hex(std::string(64, 'g')), std::invalid_argument);
  ProgramId id{};
  id[0] = 0xab;
  EXPECT_EQ(to_hex(id).substr(0, 4), "ab00");
  EXPECT_EQ(program_id_from_hex(to_hex(id)), id);
}

}  // namespace
}  // namespace zkrv::host
