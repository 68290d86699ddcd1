// The run-proof file's encoding (run_proof.h) on hostile input: a round trip, every truncation,
// a wrong magic or version, counts and lengths past their limits or past the bytes left (refused
// before allocating), a misordered mapped range, a non-canonical root, trailing bytes. Synthetic
// files (any bytes stand for the STARK proofs): the decoder does not read them.
#include "riscv_air/run_proof.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "riscv_air/buses.h"
#include "stark/proof/byte_io.h"

namespace zkrv::riscv_air {
namespace {

using ::testing::HasSubstr;

RunProofFile sample_file() {
  RunProofFile file;
  file.key.profile = "fast";
  file.key.shape.entry = 0x10000;
  file.key.shape.zero_start_word = 0x5000;
  file.key.shape.zero_ranges = {{kMemorySpace, 0x5000, 0x6000}};
  file.key.mapped = {{kReadOnlySpace, 0x1000, 0x1100}, {kMemorySpace, 0x1100, 0x1800}};
  file.key.vk.constraint_digest.fill(0x5a);
  file.key.vk.preprocessed_log_heights.assign(kNumTables, -1);
  file.key.vk.preprocessed_log_heights[0] = 12;
  file.key.vk.preprocessed_cap.resize(4);
  for (size_t i = 0; i < 4; ++i) file.key.vk.preprocessed_cap[i].fill(static_cast<uint8_t>(i + 1));
  for (size_t i = 0; i < file.private_root.size(); ++i) file.private_root[i] = stark::KoalaBear::from_u32(1000 + i);
  for (uint32_t k = 0; k < 3; ++k) {
    SegmentProof segment;
    segment.statement.program_id.fill(0xab);
    segment.statement.pc_in = 0x10000 + 4 * k;
    segment.statement.pc_out = k == 2 ? 0 : 0x10004 + 4 * k;
    segment.statement.steps = 32;
    segment.statement.halted = k == 2;
    segment.statement.exit_code = k == 2 ? -3 : 0;
    segment.stark_proof.assign(10 + k, static_cast<uint8_t>(k + 7));
    file.segments.push_back(segment);
  }
  return file;
}

std::string decode_error(std::span<const uint8_t> bytes) {
  try {
    decode_run_proof_file(bytes);
  } catch (const stark::proof::ProofDecodeError& e) {
    return e.what();
  }
  return "accepted";
}

// Offsets in the sample's encoding: magic 6, version 1, profile 1 + 4, shape (entry, Z, one zero
// range 1 + 9, no precompile 4), mapped count 4 + 2 ranges of 9.
constexpr size_t kVersionAt = 6;
constexpr size_t kShapeAt = 6 + 1 + 1 + 4;
constexpr size_t kMappedAt = kShapeAt + 4 + 4 + 1 + 9 + 4;
constexpr size_t kFixedAt = kMappedAt + 4 + 2 * 9 + 32;

void put_u32(std::vector<uint8_t>& bytes, size_t at, uint32_t value) {
  for (size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<uint8_t>(value >> (8 * i));
}

TEST(RunProofFile, RoundTrips) {
  const RunProofFile file = sample_file();
  const std::vector<uint8_t> bytes = encode_run_proof_file(file);
  EXPECT_TRUE(is_run_proof_file(bytes));
  const RunProofFile back = decode_run_proof_file(bytes);
  EXPECT_EQ(back.key.profile, "fast");
  EXPECT_EQ(back.key.shape.entry, file.key.shape.entry);
  EXPECT_EQ(back.key.shape.zero_ranges, file.key.shape.zero_ranges);
  EXPECT_EQ(back.key.mapped, file.key.mapped);
  EXPECT_EQ(back.key.vk.constraint_digest, file.key.vk.constraint_digest);
  EXPECT_EQ(back.key.vk.preprocessed_log_heights, file.key.vk.preprocessed_log_heights);
  EXPECT_EQ(back.key.vk.preprocessed_cap, file.key.vk.preprocessed_cap);
  EXPECT_EQ(back.private_root, file.private_root);
  ASSERT_EQ(back.segments.size(), 3u);
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(back.segments[k].statement, file.segments[k].statement);
    EXPECT_EQ(back.segments[k].stark_proof, file.segments[k].stark_proof);
  }
  EXPECT_EQ(encode_run_proof_file(back), bytes);
}

TEST(RunProofFile, EveryTruncationAndTrailingBytesAreRefused) {
  std::vector<uint8_t> bytes = encode_run_proof_file(sample_file());
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_NE(decode_error(std::span(bytes).first(n)), "accepted") << "a prefix of " << n << " bytes";
  }
  bytes.push_back(0);
  EXPECT_THAT(decode_error(bytes), HasSubstr("run-proof file"));
}

TEST(RunProofFile, RefusesAnotherMagicOrVersion) {
  std::vector<uint8_t> bytes = encode_run_proof_file(sample_file());
  std::vector<uint8_t> other = bytes;
  other[5] = 'V';  // "ZKRVSV"
  EXPECT_FALSE(is_run_proof_file(other));
  EXPECT_THAT(decode_error(other), HasSubstr("magic"));
  other = bytes;
  other[kVersionAt] = kRunProofFormatVersion + 1;
  EXPECT_THAT(decode_error(other), HasSubstr("version"));
  other = bytes;
  other[kVersionAt + 2] = 'x';  // "xast"
  EXPECT_THAT(decode_error(other), HasSubstr("unknown profile"));
}

TEST(RunProofFile, RefusesMappedRangesOutOfOrderOrTooMany) {
  const std::vector<uint8_t> bytes = encode_run_proof_file(sample_file());
  std::vector<uint8_t> other = bytes;
  put_u32(other, kMappedAt, kMaxMappedRanges + 1);
  EXPECT_THAT(decode_error(other), HasSubstr("mapped range count"));
  other = bytes;
  put_u32(other, kMappedAt, 0);
  EXPECT_THAT(decode_error(other), HasSubstr("mapped range count"));
  other = bytes;
  put_u32(other, kMappedAt + 4 + 9 + 1, 0x10ff);  // the second range starts inside the first
  EXPECT_THAT(decode_error(other), HasSubstr("mapped range begin"));
  other = bytes;
  put_u32(other, kMappedAt + 4 + 5, 0x1000);  // the first range is empty
  EXPECT_THAT(decode_error(other), HasSubstr("mapped range end"));
  other = bytes;
  other[kMappedAt + 4] = 3;  // a tape's space
  EXPECT_THAT(decode_error(other), HasSubstr("mapped range space"));
}

TEST(RunProofFile, RefusesCountsAndLengthsBeyondTheBytesLeftBeforeAllocating) {
  const RunProofFile file = sample_file();
  const std::vector<uint8_t> bytes = encode_run_proof_file(file);
  const size_t root_at = kFixedAt + kNumTables + 4 + 4 * 32;
  const size_t count_at = root_at + 32;
  std::vector<uint8_t> other = bytes;
  put_u32(other, root_at + 4, 0x7f000001);  // the field's modulus: not canonical
  EXPECT_THAT(decode_error(other), HasSubstr("private input root"));
  for (const uint32_t count : {0u, 4u, 1000u, 0xffffffffu}) {
    other = bytes;
    put_u32(other, count_at, count);
    EXPECT_THAT(decode_error(other), HasSubstr("segment count")) << count;
  }
  const size_t length_at = count_at + 4 + kSegmentStatementBytes;
  for (const uint32_t length : {0u, 0x7fffffffu, 0xffffffffu}) {
    other = bytes;
    put_u32(other, length_at, length);
    EXPECT_THAT(decode_error(other), HasSubstr("segment 0 proof length")) << length;
  }
  other = bytes;
  other[count_at + 4 + 32 + 12 + 64] = 2;  // segment 0's halted flag
  EXPECT_THAT(decode_error(other), HasSubstr("segment halted"));
  other = bytes;
  put_u32(other, kFixedAt + kNumTables, 100000);  // the cap size
  EXPECT_THAT(decode_error(other), HasSubstr("cap size"));
}

}  // namespace
}  // namespace zkrv::riscv_air
