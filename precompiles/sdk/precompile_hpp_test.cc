#include <zkrv/precompile.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

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

TEST(PrecompileSdk, APrecompileWithoutAWitnessSaysSo) {
  zkrv_precompile_call call = info_call();
  ASSERT_EQ(zkrv_precompile_eval(&call), ZKRV_PRECOMPILE_OK);
  EXPECT_EQ(call.witness_rows_per_call, 0u);
  EXPECT_EQ(call.witness_width, 0u);
  const zkrv_call_record record{};
  uint32_t values[4];
  call = info_call();
  call.kind = ZKRV_CALL_WITNESS;
  call.record = &record;
  call.width = 4;
  call.values = values;
  call.capacity = 4;
  EXPECT_EQ(zkrv_precompile_eval(&call), ZKRV_PRECOMPILE_NO_WITNESS);
  EXPECT_STREQ(call.error, "test.sdk fills no circuit table (its package has no circuit)");
}

// A witness of 2 rows of 3 columns a call; rs1 selects the behaviour: 0 writes (ts, rs1, word 0's
// before) in row 0 and rd in row 1 column 2, 1 writes p, 2 writes outside the rows, 3 refuses the
// record, 4 throws a non-std exception, 5 reads an access past the last.
void test_witness(const zkrv::precompile::CallRecord& call, zkrv::precompile::RowWriter& rows) {
  switch (call.rs1()) {
    case 0:
      rows.set(0, 0, call.timestamp());
      rows.set(0, 1, call.rs1());
      rows.set(0, 2, call.access(0).before);
      rows.set(1, 2, call.rd());
      return;
    case 1: rows.set(1, 0, zkrv::precompile::kFieldModulus); return;
    case 2: rows.set(2, 0, 1); return;
    case 3: throw zkrv::precompile::BadRecord("rd is not what the call computes");
    case 4: throw 42;
    default: call.access(call.access_count()); return;
  }
}

int with_witness(zkrv_precompile_call* call) {
  return zkrv::precompile::detail::dispatch(call, "test.sdk", "0.3.1", test_function,
                                            zkrv::precompile::Witness{test_witness, 2, 3});
}

struct WitnessCall {
  zkrv_word_access word{0x2000, 77, 77, 0};
  zkrv_call_record record{90, 0, 0, 66, 1, &word};
  std::vector<uint32_t> values = std::vector<uint32_t>(8, 0xdeadbeef);
  zkrv_precompile_call call = info_call();

  int run(uint32_t rs1, uint32_t width = 3, uint64_t capacity = 6) {
    record.rs1 = rs1;
    call.kind = ZKRV_CALL_WITNESS;
    call.record = &record;
    call.width = width;
    call.values = values.data();
    call.capacity = capacity;
    return with_witness(&call);
  }
};

TEST(PrecompileSdkWitness, InfoReportsTheRowsPerCallAndTheWidth) {
  zkrv_precompile_call call = info_call();
  ASSERT_EQ(with_witness(&call), ZKRV_PRECOMPILE_OK);
  EXPECT_EQ(call.witness_rows_per_call, 2u);
  EXPECT_EQ(call.witness_width, 3u);
}

TEST(PrecompileSdkWitness, FillsZeroedRowsWithinTheCapacity) {
  WitnessCall w;
  ASSERT_EQ(w.run(0), ZKRV_PRECOMPILE_OK) << w.call.error;
  EXPECT_EQ(w.call.row_count, 2u);
  EXPECT_EQ(w.values, (std::vector<uint32_t>{90, 0, 77, 0, 0, 66, 0xdeadbeef, 0xdeadbeef}));
}

TEST(PrecompileSdkWitness, ShapeProblemsAreRefusedBeforeTheFunctionRuns) {
  WitnessCall w;
  EXPECT_EQ(w.run(0, 4), ZKRV_PRECOMPILE_BAD_WIDTH);
  EXPECT_STREQ(w.call.error, "test.sdk fills a table of 3 columns, the host's circuit has 4");
  EXPECT_EQ(w.run(0, 3, 5), ZKRV_PRECOMPILE_BUFFER_TOO_SMALL);
  EXPECT_EQ(w.call.row_count, 2u);
  EXPECT_STREQ(w.call.error, "test.sdk: a call's 2 rows of 3 columns need 6 values, the host's buffer holds 5");
  w.call.values = nullptr;
  w.call.record = &w.record;
  w.call.width = 3;
  w.call.capacity = 6;
  EXPECT_EQ(with_witness(&w.call), ZKRV_PRECOMPILE_BUFFER_TOO_SMALL);
  EXPECT_EQ(w.values[0], 0xdeadbeef);
}

TEST(PrecompileSdkWitness, MalformedRecordsAreRefused) {
  WitnessCall w;
  w.word.address = 0x2001;
  EXPECT_EQ(w.run(0), ZKRV_PRECOMPILE_BAD_RECORD);
  EXPECT_STREQ(w.call.error, "test.sdk: malformed call record: word access 0: address 8193 is not a multiple of 4");
  w.word.address = 0x2000;
  w.word.after = 78;
  EXPECT_EQ(w.run(0), ZKRV_PRECOMPILE_BAD_RECORD);
  EXPECT_STREQ(w.call.error, "test.sdk: malformed call record: word access 0: a word only read changed (before 77, after 78)");
  w.word.written = 1;
  EXPECT_EQ(w.run(0), ZKRV_PRECOMPILE_OK) << w.call.error;
  w.record.accesses = nullptr;
  EXPECT_EQ(w.run(0), ZKRV_PRECOMPILE_BAD_RECORD);
  EXPECT_STREQ(w.call.error, "test.sdk: malformed call record: the host passed no word accesses");
  w.call.record = nullptr;
  EXPECT_EQ(with_witness(&w.call), ZKRV_PRECOMPILE_BAD_RECORD);
  EXPECT_STREQ(w.call.error, "test.sdk: malformed call record: the host passed no call record");
}

TEST(PrecompileSdkWitness, TheAuthorsErrorsBecomeStatusesWithMessages) {
  WitnessCall w;
  EXPECT_EQ(w.run(1), ZKRV_PRECOMPILE_FAULT);
  EXPECT_STREQ(w.call.error, "witness row 1 column 0: 2130706433 is not below p = 2^31 - 2^24 + 1");
  EXPECT_EQ(w.run(2), ZKRV_PRECOMPILE_FAULT);
  EXPECT_STREQ(w.call.error, "witness cell (row 2, column 0) is outside 2 rows of 3 columns");
  EXPECT_EQ(w.values[6], 0xdeadbeef);
  EXPECT_EQ(w.run(3), ZKRV_PRECOMPILE_BAD_RECORD);
  EXPECT_STREQ(w.call.error, "test.sdk: malformed call record: rd is not what the call computes");
  EXPECT_EQ(w.run(4), ZKRV_PRECOMPILE_FAULT);
  EXPECT_STREQ(w.call.error, "the witness function threw an exception that is not a std::exception");
  EXPECT_EQ(w.run(5), ZKRV_PRECOMPILE_BAD_RECORD);
  EXPECT_STREQ(w.call.error, "test.sdk: malformed call record: the record has 1 word accesses, access 1 was asked for");
}

TEST(PrecompileSdk, MissingMemoryCallbacksFault) {
  zkrv_precompile_call call = info_call();
  call.kind = ZKRV_CALL_EVAL;
  EXPECT_EQ(zkrv_precompile_eval(&call), ZKRV_PRECOMPILE_FAULT);
  EXPECT_STREQ(call.error, "the host passed no guest-memory callbacks");
}

}  // namespace
