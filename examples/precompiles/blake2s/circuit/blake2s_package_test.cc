// The example package's library (src/precompile.cc, built here as zkrv builds first-party
// packages) seen from zkrv's side, in process and in the sandbox: the calls its circuit cannot
// prove (unaligned pointers, overlapping state and parameters) fault before any access, naming
// them; the rows its witness call returns through precompiles::generate_witness are the circuit
// generation's rows for random calls and pass the circuit's row checker; records no call of the
// precompile makes are refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "circuit/blake2s_air.h"
#include "src/blake2s.h"

#include "precompiles/package/store.h"
#include "precompiles/package/witness.h"
#include "precompiles/testdata/test_manifest.h"
#include "precompiles/testdata/test_memory.h"
#include "stark/air/checker.h"

namespace example::blake2s_circuit {
namespace {

namespace precompiles = ::zkrv::precompiles;
using air::Fp;
using ::testing::HasSubstr;
using Columns = Blake2sColumns;

constexpr uint32_t kBase = 0x2000;

precompiles::LoadedPrecompile open_library(bool sandboxed) {
  const precompiles::Package package =
      precompiles::make_package(precompiles::testing::test_manifest("example.blake2s_compress", "2.0.0"),
                                precompiles::read_file_bytes(ZKRV_TEST_BLAKE2S_LIBRARY), std::nullopt, "libblake2s.so");
  return sandboxed ? precompiles::open_package_sandboxed(package, "blake2s.zkrvpkg", precompiles::sandbox::default_worker_path(), {})
                   : precompiles::open_package_library(package, "blake2s.zkrvpkg");
}

class Blake2sPackage : public ::testing::TestWithParam<bool> {};  // sandboxed?

TEST_P(Blake2sPackage, UnprovableCallsFaultBeforeAnyAccessNamingThePointers) {
  const precompiles::LoadedPrecompile library = open_library(GetParam());
  zkrv::precompiles::testing::TestMemory memory(kBase, 0x400);
  zkrv_precompile_call call;
  struct Case {
    uint32_t state, parameters;
    const char* error;
  };
  const Case cases[] = {
      {0x2102, 0x2200, "example.blake2s_compress: the state at 0x00002102 and the parameters at 0x00002200 must be word aligned"},
      {0x2100, 0x2201, "example.blake2s_compress: the state at 0x00002100 and the parameters at 0x00002201 must be word aligned"},
      // The parameters' last word on the state's first, the state's last word on the parameters'
      // first, the same address.
      {0x2100, 0x2100 - 72, "example.blake2s_compress: the state (32 bytes at 0x00002100) and the parameters (76 bytes at "
                            "0x000020b8) overlap"},
      {0x2100, 0x2100 + 28, "overlap"},
      {0x2100, 0x2100, "overlap"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(memory.eval(library.call, c.state, c.parameters, &call), ZKRV_PRECOMPILE_FAULT) << c.error;
    EXPECT_THAT(call.error, HasSubstr(c.error));
  }
  EXPECT_EQ(memory.reads, 0);
  EXPECT_EQ(memory.writes, 0);
  // Touching buffers are fine: BLAKE2s-256("") from the IV, parameters right after the state or
  // right before it.
  for (const uint32_t parameters : {0x2100u + 32, 0x2100u - 76}) {
    State h = kBlake2sIv;
    h[0] ^= 0x01010020;
    for (size_t i = 0; i < h.size(); ++i) std::memcpy(memory.at(0x2100 + 4 * static_cast<uint32_t>(i)), &h[i], 4);
    std::memset(memory.at(parameters), 0, 76);
    memory.at(parameters + 72)[0] = 1;
    ASSERT_EQ(memory.eval(library.call, 0x2100, parameters, &call), ZKRV_PRECOMPILE_OK) << call.error;
    EXPECT_EQ(memory.at(0x2100)[0], 0x69);  // 69217a30...: RFC 7693's BLAKE2s-256 of the empty message
    EXPECT_EQ(memory.at(0x2100)[3], 0x30);
  }
}

std::vector<Call> random_calls(size_t count, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Call> calls(count);
  for (Call& call : calls) {
    for (uint32_t& word : call.input.state) word = static_cast<uint32_t>(rng());
    for (uint32_t& word : call.input.block) word = static_cast<uint32_t>(rng());
    call.input.counter = rng();
    call.input.last = (rng() & 1) != 0;
    call.ts = static_cast<uint32_t>(rng() % (uint32_t{1} << 30));
    call.state_ptr = static_cast<uint32_t>(rng() % (uint32_t{1} << 30)) & ~3u;
    call.block_ptr = call.state_ptr + 32 + 4 * static_cast<uint32_t>(rng() % 1024);
  }
  return calls;
}

// The record the VM makes of `call`: the 8 state words read then written, then the 19 parameter
// words read, each once, in the order the call first touches them.
struct Record {
  std::vector<zkrv_word_access> accesses;
  zkrv_call_record record{};

  explicit Record(const Call& call) {
    State after = call.input.state;
    blake2s_compress(after, call.input.block, call.input.counter, call.input.last);
    for (uint32_t i = 0; i < kStateWords; ++i) accesses.push_back({call.state_ptr + 4 * i, call.input.state[i], after[i], 1});
    uint32_t parameters[kParameterWords];
    std::copy(call.input.block.begin(), call.input.block.end(), parameters);
    parameters[kCounterWord] = static_cast<uint32_t>(call.input.counter);
    parameters[kCounterWord + 1] = static_cast<uint32_t>(call.input.counter >> 32);
    parameters[kFlagWord] = call.input.last ? 1 : 0;
    for (uint32_t w = 0; w < kParameterWords; ++w) accesses.push_back({call.block_ptr + 4 * w, parameters[w], parameters[w], 0});
    refresh(call);
  }
  void refresh(const Call& call) {
    record = {call.ts, call.state_ptr, call.block_ptr, 0, static_cast<uint32_t>(accesses.size()), accesses.data()};
  }
};

std::string witness_error(const precompiles::LoadedPrecompile& library, const zkrv_call_record& record, std::vector<uint32_t>& out) {
  try {
    precompiles::generate_witness(library, record, Columns::kNumColumns, out);
  } catch (const precompiles::WitnessError& e) {
    return e.what();
  }
  return "";
}

TEST_P(Blake2sPackage, WitnessRowsAreTheCircuitGenerationsAndPassTheChecker) {
  const precompiles::LoadedPrecompile library = open_library(GetParam());
  ASSERT_EQ(library.witness_rows_per_call, 1u);
  ASSERT_EQ(library.witness_width, static_cast<uint32_t>(Columns::kNumColumns));
  const std::vector<Call> calls = random_calls(5, GetParam() ? 2 : 1);
  air::TableWitness witness = blake2s_call_witness(calls);
  for (size_t r = 0; r < calls.size(); ++r) {
    const Record record(calls[r]);
    std::vector<uint32_t> row(Columns::kNumColumns);
    ASSERT_EQ(witness_error(library, record.record, row), "");
    for (int c = 0; c < Columns::kNumColumns; ++c) {
      ASSERT_EQ(row[c], witness.main.at(r, c).to_u32()) << "call " << r << " column " << c;
      witness.main.at(r, c) = Fp::from_u32(row[c]);
    }
  }
  // The library's rows in the table on buses (every constraint of a call's row; the messages are
  // the machine's to match).
  Blake2sTable table;
  table.buses = Blake2sTable::CallBuses{2, 3, 4, 5, 7};
  const auto erased = air::make_table(table);
  const std::vector<air::ConstraintFailure> failures =
      air::check_table_rows(*erased, air::analyze_table(table), zkrv::stark::Matrix<Fp>(), witness, 64, 0);
  EXPECT_TRUE(failures.empty()) << failures.front().constraint << " at row " << failures.front().row;
}

TEST_P(Blake2sPackage, RecordsNoCallMakesAreRefused) {
  const precompiles::LoadedPrecompile library = open_library(GetParam());
  const Call call = random_calls(1, 3)[0];
  struct Case {
    const char* what;
    void (*forge)(Record&, Call&);
    const char* error;
  };
  const Case cases[] = {
      {"a word missing", [](Record& r, Call&) { r.accesses.pop_back(); }, "the record has 26 word accesses, this precompile's calls make 27"},
      {"a forged output word", [](Record& r, Call&) { r.accesses[3].after ^= 1; }, "state word 3 is 0x"},
      {"a parameter word written", [](Record& r, Call&) { r.accesses[10].written = 1; r.accesses[10].after ^= 1; },
       "word access 10 is a write at 0x"},
      {"the words out of order", [](Record& r, Call&) { std::swap(r.accesses[0], r.accesses[1]); }, "word access 0 is a write at 0x"},
      {"a final flag of 2", [](Record& r, Call&) { r.accesses[8 + kFlagWord].before = r.accesses[8 + kFlagWord].after = 2; },
       "the final flag is 2"},
      {"overlapping buffers", [](Record&, Call& c) { c.block_ptr = c.state_ptr + 16; }, "are unaligned or overlap"},
      {"a timestamp not below p", [](Record&, Call& c) { c.ts = 0xffffffff; }, "is not below p"},
  };
  for (const Case& c : cases) {
    Call forged_call = call;
    Record record(forged_call);
    c.forge(record, forged_call);
    record.refresh(forged_call);
    std::vector<uint32_t> row(Columns::kNumColumns);
    EXPECT_THAT(witness_error(library, record.record, row), HasSubstr(c.error)) << c.what;
  }
}

INSTANTIATE_TEST_SUITE_P(InProcessAndSandboxed, Blake2sPackage, ::testing::Bool());

}  // namespace
}  // namespace example::blake2s_circuit
