// A guest run whose precompile is a hostile third-party library in the sandbox: the run faults with
// a message naming the precompile and what its library tried, and the VM is unaffected (the next
// run of a well-behaved call on the same machine setup works).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "isa/encode.h"
#include "precompiles/package/store.h"
#include "precompiles/testdata/test_packages.h"
#include "vm/testing/program.h"

namespace zkrv {
namespace {

using ::testing::HasSubstr;
using vm::testing::TestProgram;
namespace enc = isa::encode;

vm::PrecompileResolver sandboxed_hostile_resolver() {
  return [](const vm::PrecompileDescriptor&) {
    const precompiles::Package package = precompiles::make_package(
        precompiles::testing::test_manifest("test.hostile", "1.0.0"),
        precompiles::read_file_bytes(ZKRV_TEST_HOSTILE_LIBRARY), std::nullopt, "libhostile.so");
    precompiles::sandbox::SandboxLimits limits;
    limits.call_timeout_ms = 1000;
    const precompiles::LoadedPrecompile loaded = precompiles::open_package_sandboxed(
        package, "hostile.zkrvpkg", precompiles::sandbox::default_worker_path(), limits);
    return vm::PrecompileImplementation{loaded.name, loaded.version, loaded.package_sha256, loaded.call, loaded.library};
  };
}

// custom-0 #3 with rs1 = attack and rs2 = a data address; exits with rd.
TestProgram call_with(uint32_t attack) {
  TestProgram p;
  p.declare_precompile(3, "test.hostile", "^1.0");
  p.li(10, attack).li(11, TestProgram::kData).emit(enc::precompile(3, 12, 10, 11)).exit_with(12);
  return p;
}

TEST(SandboxedPrecompileInTheVm, ForbiddenCallFaultsTheRunNamingThePrecompile) {
  vm::VmConfig config;
  config.precompile_resolver = sandboxed_hostile_resolver();
  const auto out = call_with(3).run({}, config);
  ASSERT_EQ(out.result.reason, vm::StopReason::kFault);
  EXPECT_EQ(out.result.fault.kind, vm::FaultKind::kPrecompileFault);
  EXPECT_THAT(out.fault_message,
              HasSubstr("precompile #3 (test.hostile 1.0.0): the sandboxed library made a forbidden system call (socket)"));
}

TEST(SandboxedPrecompileInTheVm, CrashAndTimeoutFaultTheRunToo) {
  vm::VmConfig config;
  config.precompile_resolver = sandboxed_hostile_resolver();
#ifndef ZKRV_WORKER_UNDER_SANITIZER
  EXPECT_THAT(call_with(8).run({}, config).fault_message, HasSubstr("the sandboxed library crashed (signal 11"));
#else  // the sanitizer's crash report reads /proc/self/maps, which the filter stops
  EXPECT_THAT(call_with(8).run({}, config).fault_message, HasSubstr("the sandboxed library"));
#endif
  EXPECT_THAT(call_with(5).run({}, config).fault_message, HasSubstr("did not answer within 1000 ms"));
}

TEST(SandboxedPrecompileInTheVm, WellBehavedCallRunsAndIsRecordedInTheTrace) {
  vm::VmConfig config;
  config.precompile_resolver = sandboxed_hostile_resolver();
  TestProgram p = call_with(0);
  p.data() = {41, 0, 0, 0};
  const auto out = p.run({}, config);
  ASSERT_EQ(out.result.reason, vm::StopReason::kExit) << out.fault_message;
  EXPECT_EQ(out.result.exit_code, 42);
  ASSERT_EQ(out.result.precompile_calls.size(), 1u);
  EXPECT_EQ(out.result.precompile_calls[0].second, 1u);
}

}  // namespace
}  // namespace zkrv
