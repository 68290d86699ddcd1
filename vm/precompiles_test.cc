// Dynamic precompiles in the VM: descriptor parsing, resolution before the first instruction, and
// execution through the C ABI with every memory access checked by the VM.
#include "vm/precompiles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "isa/encode.h"
#include "vm/testing/program.h"
#include "vm/vm.h"

namespace zkrv::vm {
namespace {

using isa::Op;
using testing::TestProgram;
using ::testing::HasSubstr;
namespace enc = isa::encode;

// rd = rs1 * 2
int double_it(zkrv_precompile_call* call) {
  call->rd = call->rs1 * 2;
  return ZKRV_PRECOMPILE_OK;
}

// Sums rs2 bytes at rs1, stores the sum as a word after them, returns it.
int sum_bytes(zkrv_precompile_call* call) {
  uint8_t buffer[256];
  if (call->rs2 > sizeof buffer) {
    std::snprintf(call->error, sizeof call->error, "length %u is more than 256", call->rs2);
    return ZKRV_PRECOMPILE_FAULT;
  }
  if (call->memory->read(call->memory->context, call->rs1, buffer, call->rs2)) return ZKRV_PRECOMPILE_BAD_MEMORY;
  uint32_t sum = 0;
  for (uint32_t i = 0; i < call->rs2; ++i) sum += buffer[i];
  if (call->memory->write(call->memory->context, call->rs1 + call->rs2, &sum, 4)) return ZKRV_PRECOMPILE_BAD_MEMORY;
  call->rd = sum;
  return ZKRV_PRECOMPILE_OK;
}

// Ignores a refused write and claims success: the VM must fault anyway.
int careless(zkrv_precompile_call* call) {
  const uint32_t zero = 0;
  (void)call->memory->write(call->memory->context, 0x10000, &zero, 4);
  return ZKRV_PRECOMPILE_OK;
}

PrecompileResolver resolver_for_tests() {
  return [](const PrecompileDescriptor& d) -> PrecompileImplementation {
    if (d.name == "test.double") return {"test.double", "1.0.0", {}, &double_it, nullptr};
    if (d.name == "test.sum") return {"test.sum", "1.2.0", {}, &sum_bytes, nullptr};
    if (d.name == "test.careless") return {"test.careless", "0.1.0", {}, &careless, nullptr};
    throw std::runtime_error("no installed package provides \"" + d.name + "\"");
  };
}

TestProgram::Outcome run_with_resolver(const TestProgram& p) {
  VmConfig config;
  config.precompile_resolver = resolver_for_tests();
  return p.run({}, config);
}

TEST(Precompiles, DescriptorsParseAndSortByIndex) {
  TestProgram p;
  p.declare_precompile(1023, "test.sum", "^1.0").declare_precompile(5, "test.double", "=1.0.0");
  p.declare_precompile(5, "test.double", "=1.0.0");  // the same declaration from another file
  const auto descriptors = parse_precompile_descriptors(p.image());
  ASSERT_EQ(descriptors.size(), 2u);
  EXPECT_EQ(descriptors[0].index, 5u);
  EXPECT_EQ(descriptors[0].name, "test.double");
  EXPECT_EQ(descriptors[0].version_requirement, "=1.0.0");
  EXPECT_FALSE(descriptors[0].package_sha256);
  EXPECT_EQ(descriptors[1].index, 1023u);
}

TEST(Precompiles, PinnedDigestReachesTheResolver) {
  TestProgram p;
  p.declare_precompile(8, "test.double", "^1.0");
  for (int i = 0; i < 32; ++i) p.precompile_note()[104 + i] = static_cast<uint8_t>(i + 1);
  p.li(11, 4).emit(enc::precompile(8, 10, 11, 0)).exit_with(10);
  const auto descriptors = parse_precompile_descriptors(p.image());
  ASSERT_TRUE(descriptors[0].package_sha256);
  EXPECT_EQ((*descriptors[0].package_sha256)[0], 1);
  EXPECT_EQ((*descriptors[0].package_sha256)[31], 32);
  VmConfig config;
  config.precompile_resolver = [](const PrecompileDescriptor& d) -> PrecompileImplementation {
    const std::array<uint8_t, 32> installed{};  // the only installed package has another digest
    if (d.package_sha256 && *d.package_sha256 != installed) throw std::runtime_error("no installed package has the pinned SHA-256");
    return {"test.double", "1.0.0", installed, &double_it, nullptr};
  };
  try {
    p.run({}, config);
    FAIL() << "loaded";
  } catch (const LoadError& e) {
    EXPECT_STREQ(e.what(), "precompile 8 (\"test.double\" ^1.0): no installed package has the pinned SHA-256");
  }
}

TEST(Precompiles, MalformedDescriptorsAreRejectedWithTheirPosition) {
  const auto error_of = [](std::vector<uint8_t> note) {
    TestProgram p;
    p.precompile_note() = std::move(note);
    try {
      parse_precompile_descriptors(p.image());
    } catch (const LoadError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  TestProgram good;
  good.declare_precompile(3, "test.double", "*");
  const std::vector<uint8_t> one = good.precompile_note();

  auto truncated = one;
  truncated.pop_back();
  EXPECT_EQ(error_of(truncated), ".note.zkrv.precompiles is 135 bytes, not a multiple of the 136-byte descriptor");
  auto magic = one;
  magic[0] ^= 1;
  EXPECT_EQ(error_of(magic), "precompile descriptor #0 (offset 0x0 in .note.zkrv.precompiles): bad magic 0x44504b5b");
  auto version = one;
  version[4] = 2;
  EXPECT_THAT(error_of(version), HasSubstr("format version 2 is not supported"));
  auto index = one;
  index[7] = 4;  // 0x403 = 1027
  EXPECT_THAT(error_of(index), HasSubstr("index 1027 is out of range (0..1023)"));
  auto name = one;
  std::memset(name.data() + 8, 'a', 64);  // no NUL
  EXPECT_THAT(error_of(name), HasSubstr("index 3: the name is empty, not NUL-terminated or not printable"));
  auto junk = one;
  junk[8 + 20] = 'x';  // a byte after the name's NUL
  EXPECT_THAT(error_of(junk), HasSubstr("the name is empty"));
  auto requirement = one;
  requirement[72] = 0;
  EXPECT_THAT(error_of(requirement), HasSubstr("index 3 (test.double): the version requirement is empty"));

  TestProgram twice;
  twice.declare_precompile(3, "test.double", "*").declare_precompile(3, "test.sum", "*");
  EXPECT_EQ(error_of(twice.precompile_note()),
            "precompile descriptor #1 (offset 0x88 in .note.zkrv.precompiles): index 3 is declared twice: "
            "\"test.double\" * (descriptor #0) and \"test.sum\" *");
}

TEST(Precompiles, UnresolvableNameFailsTheLoad) {
  TestProgram p;
  p.declare_precompile(7, "test.missing", "^2.0").exit(0);
  try {
    run_with_resolver(p);
    FAIL() << "loaded";
  } catch (const LoadError& e) {
    EXPECT_STREQ(e.what(), "precompile 7 (\"test.missing\" ^2.0): no installed package provides \"test.missing\"");
  }
  VmConfig no_resolver;
  EXPECT_THROW(p.run({}, no_resolver), LoadError);
}

TEST(Precompiles, CallsReturnTheirResultInRd) {
  TestProgram p;
  p.declare_precompile(9, "test.double", "*");
  p.li(11, 21).emit(enc::precompile(9, 10, 11, 0)).exit_with(10);
  const auto out = run_with_resolver(p);
  ASSERT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  EXPECT_EQ(out.result.exit_code, 42);
  ASSERT_EQ(out.result.precompile_calls.size(), 1u);
  EXPECT_EQ(out.result.precompile_calls[0], (std::pair<std::string, uint64_t>{"test.double", 1}));
}

TEST(Precompiles, MemoryGoesThroughTheVm) {
  TestProgram p;
  p.data() = {1, 2, 3, 250};
  p.declare_precompile(1000, "test.sum", "*");
  p.li(11, TestProgram::kData).li(12, 4).emit(enc::precompile(1000, 10, 11, 12));
  p.emit(enc::load(Op::LW, 13, 11, 4)).exit_with(10);
  const auto out = run_with_resolver(p);
  ASSERT_EQ(out.result.reason, StopReason::kExit) << out.fault_message;
  EXPECT_EQ(out.result.exit_code, 256);
  EXPECT_EQ(out.result.registers[13], 256u);
}

TEST(Precompiles, UnmappedMemoryIsAFault) {
  TestProgram p;
  p.declare_precompile(1, "test.sum", "*");
  p.li(11, 0x100).li(12, 4).emit(enc::precompile(1, 10, 11, 12)).exit(0);
  const auto out = run_with_resolver(p);
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kPrecompileFault);
  EXPECT_EQ(out.fault_message,
            "precompile-fault at pc 0x10010 (test_code+0x10): precompile #1 a0, a1, a2 [00c5950b]: precompile #1 "
            "(test.sum 1.2.0): read of 4 bytes at 0x100 is not allowed (read of address 0x100, which is not mapped)");
}

TEST(Precompiles, RefusedWriteFaultsEvenIfTheLibraryIgnoresIt) {
  TestProgram p;
  p.declare_precompile(2, "test.careless", "*");
  p.emit(enc::precompile(2, 10, 0, 0)).exit(0);
  const auto out = run_with_resolver(p);
  ASSERT_EQ(out.result.reason, StopReason::kFault);
  EXPECT_THAT(out.fault_message, HasSubstr("write of 4 bytes at 0x10000 is not allowed (write of address 0x10000, whose page is r-x)"));
}

TEST(Precompiles, LibraryErrorsAreReported) {
  TestProgram p;
  p.declare_precompile(1, "test.sum", "*");
  p.li(11, TestProgram::kData).li(12, 1000).emit(enc::precompile(1, 10, 11, 12)).exit(0);
  const auto out = run_with_resolver(p);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kPrecompileFault);
  EXPECT_THAT(out.fault_message, HasSubstr("precompile #1 (test.sum 1.2.0): length 1000 is more than 256"));
}

TEST(Precompiles, UndeclaredIndexFaultsWhenExecuted) {
  TestProgram p;
  p.declare_precompile(1, "test.double", "*");
  p.emit(enc::precompile(2, 10, 0, 0)).exit(0);
  const auto out = run_with_resolver(p);
  EXPECT_EQ(out.result.fault.kind, FaultKind::kUnsupportedPrecompile);
  EXPECT_THAT(out.fault_message, HasSubstr("custom-0 precompile #2: the program declares no precompile with this index"));
}

TEST(Precompiles, OneRegistryServesEveryPass) {
  TestProgram p;
  p.declare_precompile(4, "test.double", "*");
  p.li(11, 5).emit(enc::precompile(4, 10, 11, 0)).exit_with(10);
  int resolutions = 0;
  const auto registry = PrecompileRegistry::resolve(parse_precompile_descriptors(p.image()),
                                                    [&](const PrecompileDescriptor& d) {
                                                      ++resolutions;
                                                      return resolver_for_tests()(d);
                                                    });
  VmConfig config;
  config.precompiles = registry;
  EXPECT_EQ(p.run({}, config).result.exit_code, 10);
  EXPECT_EQ(p.run({}, config).result.exit_code, 10);
  EXPECT_EQ(resolutions, 1);
}

}  // namespace
}  // namespace zkrv::vm
