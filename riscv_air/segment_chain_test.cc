#include "riscv_air/segment_chain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "stark/proof/byte_io.h"

namespace zkrv::riscv_air {
namespace {

using ::testing::HasSubstr;

stark::poseidon2::Digest root_of(uint32_t seed) {
  stark::poseidon2::Digest root{};
  for (size_t i = 0; i < root.size(); ++i) root[i] = stark::KoalaBear::from_u32(seed * 97 + static_cast<uint32_t>(i));
  return root;
}

RunStart start() {
  RunStart s;
  s.program_id.fill(0xab);
  s.entry_pc = 0x1000;
  s.initial_root = root_of(1);
  return s;
}

// An honest run of three segments: 0x1000 -> 0x2000 -> 0x3000 -> exits 7 at 0x3010.
std::vector<SegmentStatement> honest_chain() {
  const RunStart s = start();
  std::vector<SegmentStatement> chain(3);
  const uint32_t pcs[] = {0x1000, 0x2000, 0x3000, 0x3010};
  for (size_t k = 0; k < chain.size(); ++k) {
    chain[k].program_id = s.program_id;
    chain[k].pc_in = pcs[k];
    chain[k].pc_out = pcs[k + 1];
    chain[k].steps = k + 1 < chain.size() ? 1u << 20 : 12345;
    chain[k].root_in = root_of(static_cast<uint32_t>(k + 1));
    chain[k].root_out = root_of(static_cast<uint32_t>(k + 2));
  }
  chain.back().halted = true;
  chain.back().exit_code = 7;
  return chain;
}

std::string chain_error(const std::vector<SegmentStatement>& chain) {
  try {
    check_segment_chain(chain, start());
  } catch (const SegmentChainError& error) {
    return error.what();
  }
  return "accepted";
}

TEST(SegmentChain, AnHonestChainStatesItsExitCodeAndSteps) {
  const ChainedRun run = check_segment_chain(honest_chain(), start());
  EXPECT_EQ(run.exit_code, 7);
  EXPECT_EQ(run.steps, 2 * (uint64_t{1} << 20) + 12345);
}

TEST(SegmentChain, OneHaltingSegmentIsARun) {
  std::vector<SegmentStatement> chain = honest_chain();
  chain.resize(1);
  chain[0].halted = true;
  chain[0].exit_code = -1;
  EXPECT_EQ(check_segment_chain(chain, start()).exit_code, -1);
}

TEST(SegmentChain, NoSegmentOrTooManyAreRefused) {
  EXPECT_EQ(chain_error({}), "the run's proof holds no segment");
  std::vector<SegmentStatement> chain(kMaxSegments + 1, honest_chain()[0]);
  EXPECT_EQ(chain_error(chain), "the run's proof holds 262145 segments, more than 262144");
}

TEST(SegmentChain, ADroppedSegmentBreaksTheLink) {
  std::vector<SegmentStatement> chain = honest_chain();
  chain.erase(chain.begin() + 1);
  EXPECT_EQ(chain_error(chain), "segment 1: starts at pc 0x3000, not where segment 0 ended (0x2000)");
}

TEST(SegmentChain, ADroppedFirstSegmentDoesNotStartAtTheEntry) {
  std::vector<SegmentStatement> chain = honest_chain();
  chain.erase(chain.begin());
  EXPECT_EQ(chain_error(chain), "segment 0: starts at pc 0x2000, not the program's entry 0x1000");
}

TEST(SegmentChain, ADuplicatedSegmentBreaksTheLink) {
  std::vector<SegmentStatement> chain = honest_chain();
  chain.insert(chain.begin() + 1, chain[1]);
  EXPECT_EQ(chain_error(chain), "segment 2: starts at pc 0x2000, not where segment 1 ended (0x3000)");
}

TEST(SegmentChain, SwappedSegmentsBreakTheLink) {
  std::vector<SegmentStatement> chain = honest_chain();
  std::swap(chain[0], chain[1]);
  EXPECT_THAT(chain_error(chain), HasSubstr("segment 0: starts at pc 0x2000"));
  chain = honest_chain();
  std::swap(chain[1], chain[2]);
  EXPECT_THAT(chain_error(chain), HasSubstr("segment 1: starts at pc 0x3000"));
}

TEST(SegmentChain, ASegmentOfAnotherProgramIsRefused) {
  std::vector<SegmentStatement> chain = honest_chain();
  chain[2].program_id[31] ^= 1;
  EXPECT_THAT(chain_error(chain), HasSubstr("segment 2: proves program "));
  EXPECT_THAT(chain_error(chain), HasSubstr("not the run's abab"));
}

TEST(SegmentChain, TheFirstSegmentStartsFromTheInitialState) {
  std::vector<SegmentStatement> chain = honest_chain();
  chain[0].root_in[3] += stark::KoalaBear::from_u32(1);
  EXPECT_THAT(chain_error(chain), HasSubstr("segment 0: starts from root "));
  EXPECT_THAT(chain_error(chain), HasSubstr("not the program's initial state"));
}

TEST(SegmentChain, ARootThatIsNotThePreviousSegmentsIsRefused) {
  // Same pc, another memory: the link is the root, not only the pc.
  std::vector<SegmentStatement> chain = honest_chain();
  chain[2].root_in = root_of(99);
  EXPECT_THAT(chain_error(chain), HasSubstr("segment 2: starts from root "));
  EXPECT_THAT(chain_error(chain), HasSubstr("not segment 1's final root"));
}

TEST(SegmentChain, AMiddleSegmentThatHaltsIsRefused) {
  std::vector<SegmentStatement> chain = honest_chain();
  chain[1].halted = true;
  EXPECT_EQ(chain_error(chain), "segment 1: halts, but 1 more segment(s) follow it");
}

TEST(SegmentChain, ALastSegmentThatDoesNotHaltIsRefused) {
  std::vector<SegmentStatement> chain = honest_chain();
  chain[2].halted = false;
  chain[2].exit_code = 0;
  EXPECT_EQ(chain_error(chain), "segment 2: the last segment does not halt");
  chain.pop_back();  // a truncated run: its last segment ran out of steps
  EXPECT_EQ(chain_error(chain), "segment 1: the last segment does not halt");
}

TEST(SegmentChain, AnExitCodeWithoutHaltingIsRefused) {
  std::vector<SegmentStatement> chain = honest_chain();
  chain[0].exit_code = 3;
  EXPECT_EQ(chain_error(chain), "segment 0: an exit code (3) without halting");
}

TEST(SegmentChain, ASegmentOfNoStepIsRefused) {
  std::vector<SegmentStatement> chain = honest_chain();
  chain[1].steps = 0;
  EXPECT_EQ(chain_error(chain), "segment 1: proves no step");
}

TEST(SegmentChain, RepeatingASegmentThatChangesNothingIsAcceptedAsALongerRun) {
  // docs/proof-system.md: a segment whose state out is its state in may repeat; the chain then
  // describes a longer run of the same program with the same result, which is still true.
  std::vector<SegmentStatement> chain = honest_chain();
  SegmentStatement spin = chain[1];
  spin.pc_in = spin.pc_out = chain[0].pc_out;
  spin.root_in = spin.root_out = chain[0].root_out;
  chain.insert(chain.begin() + 1, {spin, spin});
  EXPECT_EQ(check_segment_chain(chain, start()).exit_code, 7);
}

TEST(SegmentStatementCodec, RoundTripsAtItsFixedSize) {
  for (const SegmentStatement& statement : honest_chain()) {
    const auto bytes = encode_segment_statement(statement);
    static_assert(std::tuple_size_v<decltype(bytes)> == 113);
    EXPECT_EQ(decode_segment_statement(bytes), statement);
  }
  SegmentStatement negative = honest_chain().back();
  negative.exit_code = -2;
  EXPECT_EQ(decode_segment_statement(encode_segment_statement(negative)).exit_code, -2);
}

std::string decode_error(const std::vector<uint8_t>& bytes) {
  try {
    decode_segment_statement(bytes);
  } catch (const stark::proof::ProofDecodeError& error) {
    return error.what();
  }
  return "accepted";
}

std::vector<uint8_t> honest_bytes(size_t k = 2) {
  const auto bytes = encode_segment_statement(honest_chain()[k]);
  return {bytes.begin(), bytes.end()};
}

TEST(SegmentStatementCodec, RefusesEveryMalformedField) {
  std::vector<uint8_t> bytes = honest_bytes();
  bytes.pop_back();
  EXPECT_THAT(decode_error(bytes), HasSubstr("segment exit code at byte offset 109: needs 4 bytes"));
  bytes = honest_bytes();
  bytes.push_back(0);
  EXPECT_THAT(decode_error(bytes), HasSubstr("segment statement at byte offset 113: 1 trailing bytes"));

  bytes = honest_bytes();
  bytes[32] = 0x01;  // pc_in 0x3001
  EXPECT_THAT(decode_error(bytes), HasSubstr("segment pc_in"));
  EXPECT_THAT(decode_error(bytes), HasSubstr("not 2-byte aligned"));
  bytes = honest_bytes();
  bytes[36] = 0x11;  // pc_out 0x3011
  EXPECT_THAT(decode_error(bytes), HasSubstr("segment pc_out"));

  bytes = honest_bytes();
  std::fill(bytes.begin() + 40, bytes.begin() + 44, 0);  // steps 0
  EXPECT_THAT(decode_error(bytes), HasSubstr("segment steps"));

  bytes = honest_bytes();
  std::fill(bytes.begin() + 44 + 4 * 5, bytes.begin() + 44 + 4 * 6, 0xff);  // root_in[5] >= p
  EXPECT_THAT(decode_error(bytes), HasSubstr("segment root_in"));
  bytes = honest_bytes();
  std::fill(bytes.begin() + 76, bytes.begin() + 80, 0xff);  // root_out[0] >= p
  EXPECT_THAT(decode_error(bytes), HasSubstr("segment root_out"));

  bytes = honest_bytes();
  bytes[108] = 2;
  EXPECT_THAT(decode_error(bytes), HasSubstr("segment halted"));

  bytes = honest_bytes(0);  // does not halt; give it an exit code
  bytes[109] = 1;
  EXPECT_THAT(decode_error(bytes), HasSubstr("non-zero in a segment that does not halt"));
}

TEST(SegmentStatementCodec, NamesOffsetsInTheEnclosingFile) {
  std::vector<uint8_t> file(1000, 0x55);
  std::vector<uint8_t> bytes = honest_bytes();
  bytes[108] = 2;
  file.insert(file.end(), bytes.begin(), bytes.end());
  stark::proof::ByteReader in(file);
  std::vector<uint8_t> skipped(1000);
  in.bytes("the file's header", skipped);
  try {
    read_segment_statement(in);
    FAIL() << "accepted";
  } catch (const stark::proof::ProofDecodeError& error) {
    EXPECT_EQ(error.field(), "segment halted");
    EXPECT_EQ(error.offset(), 1108u);
  }
}

}  // namespace
}  // namespace zkrv::riscv_air
