// zkrv::host and zkrv::verifier on small guests generated here (the instructions the RISC-V
// machine proves; no guest toolchain needed): execute, program ids, refusals, prove and verify
// with each rejection. host_hello_test covers the public input and output with a compiled guest.
#include <gtest/gtest.h>

#include <string>

#include "isa/encode.h"
#include "tests/difftest/elf_writer.h"
#include "zkrv/host.h"
#include "zkrv/verifier.h"

namespace zkrv::host {
namespace {

namespace enc = isa::encode;
using isa::Op;

constexpr uint32_t kCode = 0x10000;
constexpr uint32_t kData = 0x20000;
constexpr uint32_t kT0 = 5, kT1 = 6, kT2 = 7, kS0 = 8, kA0 = 10, kA7 = 17;

// Sums i * i for i = 1..10 through memory, then exits with `sum - 385 + exit_code` (as
// tests/prove/make_guests.cc's squares). `code` at 2^30 makes a program the machine refuses.
std::vector<uint8_t> squares_elf(int32_t exit_code, uint32_t code = kCode) {
  std::vector<uint32_t> words;
  auto li = [&](uint32_t rd, uint32_t value) {
    const auto pair = enc::li(rd, value);
    words.push_back(pair.first);
    words.push_back(pair.second);
  };
  li(kT0, 10);
  li(kT2, 0);
  li(kS0, kData);
  const size_t loop = words.size();
  words.push_back(enc::store(Op::SW, kT0, kS0, 0));
  words.push_back(enc::load(Op::LW, kT1, kS0, 0));
  words.push_back(enc::op_reg(Op::MUL, kT1, kT1, kT1));
  words.push_back(enc::op_reg(Op::ADD, kT2, kT2, kT1));
  words.push_back(enc::op_imm(Op::ADDI, kT0, kT0, -1));
  words.push_back(enc::branch(Op::BNE, kT0, 0, -4 * static_cast<int32_t>(words.size() - loop)));
  words.push_back(enc::op_imm(Op::ADDI, kT2, kT2, exit_code - 385));
  words.push_back(enc::op_imm(Op::ADDI, kA0, kT2, 0));
  li(kA7, 93);
  words.push_back(enc::ecall());
  std::vector<uint8_t> bytes;
  for (uint32_t w : words) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<uint8_t>(w >> (8 * i)));
  }
  return difftest::write_elf(code, {{code, static_cast<uint32_t>(bytes.size()), 5, bytes}, {kData, 0x1000, 6, {}}});
}

// A load from an unmapped address.
std::vector<uint8_t> fault_elf() {
  std::vector<uint32_t> words;
  const auto pair = enc::li(kS0, 0x100);
  words = {pair.first, pair.second, enc::load(Op::LW, kT0, kS0, 0)};
  std::vector<uint8_t> bytes;
  for (uint32_t w : words) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<uint8_t>(w >> (8 * i)));
  }
  return difftest::write_elf(kCode, {{kCode, static_cast<uint32_t>(bytes.size()), 5, bytes}});
}

TEST(HostTest, Executes) {
  const ExecuteReport zero = execute(Program::from_elf(squares_elf(0)), {});
  EXPECT_EQ(zero.stop, Stop::kExit);
  EXPECT_EQ(zero.exit_code, 0);
  EXPECT_TRUE(zero.public_output.empty());
  EXPECT_GT(zero.cycles, 50u);
  EXPECT_EQ(execute(Program::from_elf(squares_elf(7)), {}).exit_code, 7);
}

TEST(HostTest, ReportsFaultsAndTheCycleLimit) {
  const ExecuteReport fault = execute(Program::from_elf(fault_elf()), {});
  EXPECT_EQ(fault.stop, Stop::kFault);
  EXPECT_NE(fault.fault.find("load-fault"), std::string::npos) << fault.fault;
  EXPECT_THROW(prove(Program::from_elf(fault_elf()), {}), Error);

  const Program program = Program::from_elf(squares_elf(0));
  ExecuteOptions options;
  options.max_cycles = 10;
  const ExecuteReport limited = execute(program, {}, options);
  EXPECT_EQ(limited.stop, Stop::kCycleLimit);
  EXPECT_FALSE(limited.fault.empty());
  ProveOptions prove_options;
  prove_options.execute = options;
  EXPECT_THROW(prove(program, {}, prove_options), Error);
}

TEST(HostTest, RefusesWhatIsNotAProvableProgram) {
  EXPECT_THROW(Program::load("/nonexistent/guest.elf"), Error);
  EXPECT_THROW(Program::from_elf({0x7f, 'E', 'L', 'F', 1, 2, 3}), Error);
  // Runs, but the machine has no program id for code at 2^30.
  const Program high = Program::from_elf(squares_elf(0, 0x40000000));
  EXPECT_EQ(execute(high, {}).exit_code, 0);
  EXPECT_THROW(high.id(), Error);
  EXPECT_THROW(prove(high, {}), Error);
}

TEST(HostTest, ProgramIdsDifferByProfileAndProgram) {
  const Program program = Program::from_elf(squares_elf(0));
  EXPECT_NE(program.id("fast"), program.id("secure"));
  EXPECT_EQ(program.id("fast"), program.id());
  EXPECT_NE(program.id(), Program::from_elf(squares_elf(7)).id());
  EXPECT_THROW(program.id("slow"), std::invalid_argument);
}

VerifyError::Kind rejection(std::span<const uint8_t> proof, const ProgramId& id, const Expected& expected) {
  try {
    verify(proof, id, expected);
  } catch (const VerifyError& error) {
    return error.kind();
  }
  ADD_FAILURE() << "accepted";
  return VerifyError::Kind::kInvalidProof;
}

TEST(HostTest, ProvesAndVerifies) {
  const Program program = Program::from_elf(squares_elf(7));
  const ProveResult proved = prove(program, {});
  EXPECT_EQ(proved.profile, "fast");
  EXPECT_EQ(proved.statement.program_id, program.id("fast"));
  EXPECT_EQ(proved.statement.exit_code, 7);
  EXPECT_GT(proved.cycles, 50u);
  EXPECT_GE(proved.security.conjectured_bits, 100);

  Expected expected;
  expected.exit_code = 7;
  expected.public_output = std::vector<uint8_t>{};
  expected.public_input = std::vector<uint8_t>{};
  expected.profile = "fast";
  const Verified verified = verify(proved.proof, program.id(), expected);
  EXPECT_EQ(verified.statement.exit_code, 7);
  EXPECT_EQ(verified.profile, "fast");
  EXPECT_GE(verified.security.conjectured_bits, 100);
  EXPECT_GT(verified.security.proven_bits, 0);
  Expected any;
  any.exit_code.reset();
  EXPECT_EQ(verify(proved.proof, program.id(), any).statement.exit_code, 7);

  // The default expectation is exit code 0.
  EXPECT_EQ(rejection(proved.proof, program.id(), {}), VerifyError::Kind::kUnexpectedStatement);
  Expected other_output = expected;
  other_output.public_output = std::vector<uint8_t>{1};
  EXPECT_EQ(rejection(proved.proof, program.id(), other_output), VerifyError::Kind::kUnexpectedStatement);
  Expected other_input = expected;
  other_input.public_input = std::vector<uint8_t>{1};
  EXPECT_EQ(rejection(proved.proof, program.id(), other_input), VerifyError::Kind::kUnexpectedStatement);
  Expected secure = expected;
  secure.profile = "secure";
  EXPECT_EQ(rejection(proved.proof, program.id(), secure), VerifyError::Kind::kInvalidProof);
  EXPECT_EQ(rejection(proved.proof, program.id("secure"), expected), VerifyError::Kind::kInvalidProof);
  EXPECT_EQ(rejection(proved.proof, Program::from_elf(squares_elf(0)).id(), expected), VerifyError::Kind::kInvalidProof);
  std::vector<uint8_t> tampered = proved.proof;
  tampered[tampered.size() - 40] ^= 1;
  EXPECT_EQ(rejection(tampered, program.id(), expected), VerifyError::Kind::kInvalidProof);
  EXPECT_EQ(rejection(std::span(proved.proof).first(proved.proof.size() / 2), program.id(), expected),
            VerifyError::Kind::kInvalidProof);
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
