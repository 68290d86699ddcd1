#include <zkrv/precompile.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "precompiles/testdata/test_memory.h"

namespace {

using zkrv::precompiles::testing::TestMemory;

// rs2 selects the behaviour: 0 adds the word at rs1 to rs1, 1 stores 0x1122334455667788 at rs1,
// 2 raises Fault, 3 throws a non-std exception.
uint32_t test_function(uint32_t rs1, uint32_t rs2, zkrv::precompile::Memory& memory) {
  switch (rs2) {
    case 0: return memory.load<uint32_t>(rs1) + rs1;
    case 1: memory.store<uint64_t>(rs1, 0x1122334455667788u); return 1;
    case 2: throw zkrv::precompile::Fault("operand out of range");
    default: throw 42;
  }
}

}  // namespace

ZKRV_DEFINE_PRECOMPILE("test.sdk", "0.3.1", test_function)

namespace {

zkrv_precompile_call info_call() {
  zkrv_precompile_call call{};
  call.abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
  call.struct_size = sizeof call;
  call.kind = ZKRV_CALL_INFO;
  return call;
}

TEST(PrecompileSdk, InfoReportsNameVersionAndAbi) {
  zkrv_precompile_call call = info_call();
  ASSERT_EQ(zkrv_precompile_eval(&call), ZKRV_PRECOMPILE_OK);
  EXPECT_EQ(call.library_abi_version, ZKRV_PRECOMPILE_ABI_VERSION);
  EXPECT_STREQ(call.name, "test.sdk");
  EXPECT_STREQ(call.version, "0.3.1");
}

TEST(PrecompileSdk, OtherHostAbiVersionIsRefusedButLibraryVersionIsReported) {
  zkrv_precompile_call call = info_call();
  call.abi_version = ZKRV_PRECOMPILE_ABI_VERSION + 1;
  EXPECT_EQ(zkrv_precompile_eval(&call), ZKRV_PRECOMPILE_BAD_ABI);
  EXPECT_EQ(call.library_abi_version, ZKRV_PRECOMPILE_ABI_VERSION);
  EXPECT_EQ(call.name, nullptr);
}

TEST(PrecompileSdk, SmallerHostStructIsRefused) {
  zkrv_precompile_call call = info_call();
  call.struct_size = sizeof call - 1;
  EXPECT_EQ(zkrv_precompile_eval(&call), ZKRV_PRECOMPILE_BAD_ABI);
  EXPECT_EQ(zkrv_precompile_eval(nullptr), ZKRV_PRECOMPILE_BAD_ABI);
}

TEST(PrecompileSdk, UnknownCallKindIsRefused) {
  zkrv_precompile_call call = info_call();
  call.kind = 7;
  EXPECT_EQ(zkrv_precompile_eval(&call), ZKRV_PRECOMPILE_BAD_ABI);
  EXPECT_NE(std::string(call.error).find("unknown call kind 7"), std::string::npos) << call.error;
}

TEST(PrecompileSdk, EvalReadsLittleEndianAndReturnsRd) {
  TestMemory memory(0x1000, 64);
  const uint8_t word[4] = {0x04, 0x03, 0x02, 0x01};
  std::memcpy(memory.at(0x1010), word, 4);
  zkrv_precompile_call call;
  ASSERT_EQ(memory.eval(zkrv_precompile_eval, 0x1010, 0, &call), ZKRV_PRECOMPILE_OK) << call.error;
  EXPECT_EQ(call.rd, 0x01020304u + 0x1010u);
  EXPECT_EQ(memory.reads, 1);
}

TEST(PrecompileSdk, EvalStoresLittleEndian) {
  TestMemory memory(0x1000, 64);
  zkrv_precompile_call call;
  ASSERT_EQ(memory.eval(zkrv_precompile_eval, 0x1008, 1, &call), ZKRV_PRECOMPILE_OK) << call.error;
  const uint8_t expected[8] = {0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11};
  EXPECT_EQ(std::memcmp(memory.at(0x1008), expected, 8), 0);
  EXPECT_EQ(call.rd, 1u);
}

TEST(PrecompileSdk, RefusedMemoryAccessBecomesBadMemoryWithAddress) {
  TestMemory memory(0x1000, 64);
  zkrv_precompile_call call;
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x103e, 0, &call), ZKRV_PRECOMPILE_BAD_MEMORY);
  EXPECT_STREQ(call.error, "read of 4 bytes at guest address 0x0000103e refused by the VM");
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x2000, 1, &call), ZKRV_PRECOMPILE_BAD_MEMORY);
  EXPECT_STREQ(call.error, "write of 8 bytes at guest address 0x00002000 refused by the VM");
}

TEST(PrecompileSdk, ExceptionsBecomeFaultsWithMessages) {
  TestMemory memory(0x1000, 64);
  zkrv_precompile_call call;
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x1000, 2, &call), ZKRV_PRECOMPILE_FAULT);
  EXPECT_STREQ(call.error, "operand out of range");
  EXPECT_EQ(memory.eval(zkrv_precompile_eval, 0x1000, 3, &call), ZKRV_PRECOMPILE_FAULT);
  EXPECT_STREQ(call.error, "the precompile threw an exception that is not a std::exception");
}

TEST(PrecompileSdk, MissingMemoryCallbacksFault) {
  zkrv_precompile_call call = info_call();
  call.kind = ZKRV_CALL_EVAL;
  EXPECT_EQ(zkrv_precompile_eval(&call), ZKRV_PRECOMPILE_FAULT);
  EXPECT_STREQ(call.error, "the host passed no guest-memory callbacks");
}

}  // namespace
