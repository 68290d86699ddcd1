// The witness call from the host (generate_witness): a library's rows for one recorded call, in
// process and in the sandbox alike, and every lie a library can tell about them (row counts,
// values outside the field, unknown statuses, shapes the host would not size) refused with a
// message naming the package and the call.
#include "precompiles/package/witness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "precompiles/package/store.h"
#include "precompiles/testdata/test_packages.h"

namespace zkrv::precompiles {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr uint32_t kSentinel = 0xdeadbeef;  // not a field element: the host must never pass it on

Package package_of(const char* library, std::optional<std::vector<uint8_t>> circuit = std::nullopt) {
  return make_package(testing::test_manifest(), read_file_bytes(library), std::move(circuit), "libtest.so", "circuit.bin");
}

LoadedPrecompile open(const char* library, bool sandboxed) {
  const Package package = package_of(library);
  return sandboxed ? open_package_sandboxed(package, "test.zkrvpkg", sandbox::default_worker_path(), {})
                   : open_package_library(package, "test.zkrvpkg");
}

// What generate_witness throws, or "" when it returns.
std::string witness_error(const LoadedPrecompile& precompile, const zkrv_call_record& record, uint32_t width,
                          std::vector<uint32_t>& out) {
  try {
    generate_witness(precompile, record, width, out);
  } catch (const WitnessError& e) {
    return e.what();
  }
  return "";
}

class Witness : public ::testing::TestWithParam<bool> {};  // sandboxed?

// test.good (testdata/good_precompile.cc): rd = the word at rs1 + rs2; one row (ts, rs1, word lo, hi).
TEST_P(Witness, GoodLibraryFillsItsDeclaredRowsAndNothingMore) {
  const LoadedPrecompile good = open(ZKRV_TEST_GOOD_LIBRARY, GetParam());
  EXPECT_EQ(good.witness_rows_per_call, 1u);
  EXPECT_EQ(good.witness_width, 4u);
  const zkrv_word_access word{0x1000, 0x12345678, 0x12345678, 0};
  const zkrv_call_record record{40, 0x1000, 5, 0x1234567d, 1, &word};
  std::vector<uint32_t> out(6, kSentinel);
  ASSERT_EQ(witness_error(good, record, 4, out), "");
  EXPECT_THAT(out, ElementsAre(40u, 0x1000u, 0x5678u, 0x1234u, kSentinel, kSentinel));
}

TEST_P(Witness, WidthOtherThanTheLibrarysIsRefusedBeforeTheCall) {
  const LoadedPrecompile good = open(ZKRV_TEST_GOOD_LIBRARY, GetParam());
  const zkrv_word_access word{0x1000, 7, 7, 0};
  const zkrv_call_record record{40, 0x1000, 5, 12, 1, &word};
  std::vector<uint32_t> out(8, kSentinel);
  EXPECT_EQ(witness_error(good, record, 5, out),
            "precompile test.good@1.2.0: witness of the call at timestamp 40: the circuit has 5 main columns but the library "
            "fills 4");
  EXPECT_EQ(out[0], kSentinel);
  std::vector<uint32_t> small(3);
  EXPECT_THAT(witness_error(good, record, 4, small), HasSubstr("internal: the buffer holds 3 values, a call's 1 rows need 4"));
}

TEST_P(Witness, MalformedRecordsAreRefusedByTheSdkAndTheLibrary) {
  const LoadedPrecompile good = open(ZKRV_TEST_GOOD_LIBRARY, GetParam());
  std::vector<uint32_t> out(4);
  struct Case {
    zkrv_word_access word;
    uint32_t access_count;
    const char* reported;
  };
  const Case cases[] = {
      {{0x1002, 7, 7, 0}, 1, "word access 0: address 4098 is not a multiple of 4"},
      {{0x1000, 7, 8, 0}, 1, "word access 0: a word only read changed (before 7, after 8)"},
      {{0x1000, 7, 7, 2}, 1, "word access 0: written is 2, not 0 or 1"},
      {{0x1000, 7, 7, 1}, 1, "the call reads the one word at rs1"},
      {{0x1000, 7, 7, 0}, 0, "the record has 0 word accesses, this precompile's calls make 1"},
  };
  for (const Case& c : cases) {
    const zkrv_call_record record{40, 0x1000, 5, 12, c.access_count, &c.word};
    const std::string error = witness_error(good, record, 4, out);
    EXPECT_THAT(error, HasSubstr("the library refused the call record: test.good: malformed call record: "));
    EXPECT_THAT(error, HasSubstr(c.reported));
  }
}

TEST_P(Witness, LibraryWithoutAWitnessIsRefusedByName) {
  const LoadedPrecompile marker = open(ZKRV_TEST_MARKER_LIBRARY, GetParam());
  EXPECT_EQ(marker.witness_rows_per_call, 0u);
  EXPECT_EQ(marker.witness_width, 0u);
  const zkrv_call_record record{40, 0, 0, 0, 0, nullptr};
  std::vector<uint32_t> out(4);
  EXPECT_THAT(witness_error(marker, record, 4, out),
              HasSubstr("precompile test.good@1.2.0: witness of the call at timestamp 40: the library fills no circuit "
                        "table (no witness generator), so its calls cannot be proven"));
  // Asked all the same, the SDK answers ZKRV_PRECOMPILE_NO_WITNESS.
  zkrv_precompile_call call{};
  call.abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
  call.struct_size = sizeof call;
  call.kind = ZKRV_CALL_WITNESS;
  call.record = &record;
  call.width = 4;
  call.values = out.data();
  call.capacity = out.size();
  EXPECT_EQ(marker.call(&call), ZKRV_PRECOMPILE_NO_WITNESS);
  EXPECT_THAT(call.error, HasSubstr("test.good fills no circuit table (its package has no circuit)"));
}

TEST_P(Witness, PackageWithACircuitButNoWitnessLoadsWithAWarning) {
  const Package package = package_of(ZKRV_TEST_MARKER_LIBRARY, std::vector<uint8_t>{1, 2, 3});
  const LoadedPrecompile loaded = GetParam()
                                      ? open_package_sandboxed(package, "test.zkrvpkg", sandbox::default_worker_path(), {})
                                      : open_package_library(package, "test.zkrvpkg");
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_THAT(loaded.warnings[0], HasSubstr("carries a circuit but its library fills no table (no witness generator)"));
}

TEST_P(Witness, ShapeTooLargeToSizeIsRefusedAtLoad) {
  try {
    open(ZKRV_TEST_WITNESS_SHAPE_LIBRARY, GetParam());
    FAIL() << "expected an error";
  } catch (const PackageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the library's witness fills 65536 rows of 65536 columns per call; both must be 0 (no "
                                    "witness) or both at least 1, with at most 16777216 values a call"));
  }
}

struct Lie {
  uint32_t rs1;  // testdata/hostile_witness_precompile.cc's choice
  const char* reported;
};

class WitnessLie : public ::testing::TestWithParam<std::tuple<Lie, bool>> {};

TEST_P(WitnessLie, IsRefusedAndTheLibraryStillAnswers) {
  const auto& [lie, sandboxed] = GetParam();
  const LoadedPrecompile hostile = open(ZKRV_TEST_HOSTILE_WITNESS_LIBRARY, sandboxed);
  ASSERT_EQ(hostile.witness_rows_per_call, 2u);
  ASSERT_EQ(hostile.witness_width, 3u);
  const zkrv_call_record record{77, lie.rs1, 9, 10, 0, nullptr};
  std::vector<uint32_t> out(7, kSentinel);
  const std::string error = witness_error(hostile, record, 3, out);
  EXPECT_THAT(error, HasSubstr("precompile test.good@1.2.0: witness of the call at timestamp 77: "));
  EXPECT_THAT(error, HasSubstr(lie.reported));
  EXPECT_EQ(out[6], kSentinel) << "written past a call's rows";
  // Nothing of the lie stays: the next, honest call is answered.
  const zkrv_call_record honest{78, 0, 9, 10, 0, nullptr};
  ASSERT_EQ(witness_error(hostile, honest, 3, out), "");
  EXPECT_THAT(out, ElementsAre(78u, 0u, 9u, 10u, 0u, 0u, kSentinel));
}

INSTANTIATE_TEST_SUITE_P(
    Lies, WitnessLie,
    ::testing::Combine(
        ::testing::Values(Lie{1, "the library reports 3 rows, but it declared 2 per call"},
                          Lie{2, "the library reports 4294967295 rows, but it declared 2 per call"},
                          Lie{3, "the library reports 1 rows, but it declared 2 per call"},
                          Lie{4, "row 1 column 1 holds 2130706433, which is not below p = 2^31 - 2^24 + 1"},
                          Lie{5, "the library returned the unknown status 99"},
                          Lie{6, "the library refused the call record: the call reads no words"},
                          Lie{8, "the library failed: xxxxxxxx"}),
        ::testing::Bool()));

INSTANTIATE_TEST_SUITE_P(InProcessAndSandboxed, Witness, ::testing::Bool());

}  // namespace
}  // namespace zkrv::precompiles
