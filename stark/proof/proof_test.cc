#include "stark/proof/proof.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "base/little_endian.h"
#include "stark/testing/small_params.h"

namespace zkrv::stark::proof {
namespace {

using fri::Ext;
using fri::Fp;
using fri::FriParams;

FriParams tiny_params() { return testing::tiny_fri_params(/*num_queries=*/3, /*query_pow_bits=*/2); }

Matrix<Fp> random_matrix(size_t rows, size_t width, std::mt19937_64& rng) {
  Matrix<Fp> m(rows, width);
  for (Fp& x : m.values()) x = Fp::from_u64(rng());
  return m;
}

// Two rounds, two heights in the first.
EvaluationProof small_proof(const FriParams& params) {
  std::mt19937_64 rng(11);
  return prove_evaluations(params, {{random_matrix(16, 2, rng), random_matrix(4, 1, rng)}, {random_matrix(8, 1, rng)}});
}

std::string decode_error(const FriParams& params, std::span<const uint8_t> bytes) {
  try {
    decode_proof(params, bytes);
  } catch (const ProofDecodeError& e) {
    return e.what();
  }
  return "";
}

uint32_t read_u32(const std::vector<uint8_t>& bytes, size_t offset) { return base::load_le32(&bytes.at(offset)); }

void write_u32(std::vector<uint8_t>& bytes, size_t offset, uint32_t v) { base::store_le(&bytes.at(offset), v); }

TEST(ProofTest, RoundTrip) {
  const FriParams params = tiny_params();
  const EvaluationProof proof = small_proof(params);
  verify_evaluations(params, proof);
  const std::vector<uint8_t> bytes = encode_proof(params, proof);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 7), "ZKRVPRF");
  EXPECT_EQ(bytes[7], kFormatVersion);
  const EvaluationProof decoded = decode_proof(params, bytes);
  EXPECT_EQ(decoded, proof);
  EXPECT_EQ(encode_proof(params, decoded), bytes);
  std::string error;
  EXPECT_TRUE(accepts_proof_bytes(params, bytes, &error)) << error;
}

TEST(ProofTest, HeaderErrorsNameTheField) {
  const FriParams params = tiny_params();
  const std::vector<uint8_t> bytes = encode_proof(params, small_proof(params));
  std::vector<uint8_t> bad = bytes;
  bad[0] = 'x';
  EXPECT_NE(decode_error(params, bad).find("magic at byte offset 0"), std::string::npos) << decode_error(params, bad);
  bad = bytes;
  bad[7] = kFormatVersion + 1;
  EXPECT_NE(decode_error(params, bad).find("format version at byte offset 7"), std::string::npos);
  FriParams other = params;
  other.num_queries = 4;
  EXPECT_NE(decode_error(other, bytes).find("params hash at byte offset 8"), std::string::npos);
  bad = bytes;
  bad[40] = 0;  // round count
  EXPECT_NE(decode_error(params, bad).find("round count at byte offset 40: 0 is outside [1, 8]"), std::string::npos)
      << decode_error(params, bad);
  bad[40] = 9;
  EXPECT_NE(decode_error(params, bad).find("round count"), std::string::npos);
  bad = bytes;
  bad[42] = 30;  // round 0 matrix 0 log height
  EXPECT_NE(decode_error(params, bad).find("round 0 matrix 0 log height at byte offset 42"), std::string::npos)
      << decode_error(params, bad);
  bad = bytes;
  write_u32(bad, 43, 0);  // round 0 matrix 0 width
  EXPECT_NE(decode_error(params, bad).find("round 0 matrix 0 width at byte offset 43"), std::string::npos)
      << decode_error(params, bad);
  write_u32(bad, 43, 0xffffffff);
  EXPECT_NE(decode_error(params, bad).find("width"), std::string::npos);
}

TEST(ProofTest, NonCanonicalElementsAreRejectedWithTheirOffset) {
  const FriParams params = tiny_params();
  EvaluationProof proof = small_proof(params);
  // In memory, opened rows are raw words: plant p itself in one and encode it.
  proof.opening.input_openings[0].rows[1][0][1] = Fp::kModulus;
  const std::vector<uint8_t> bytes = encode_proof(params, proof);
  const std::string error = decode_error(params, bytes);
  EXPECT_NE(error.find("input opening 0 row (query 1, height group 0)"), std::string::npos) << error;
  EXPECT_NE(error.find("non-canonical"), std::string::npos) << error;
  const size_t at = error.find("byte offset ");
  ASSERT_NE(at, std::string::npos);
  const size_t offset = std::stoul(error.substr(at + 12));
  EXPECT_EQ(read_u32(bytes, offset), Fp::kModulus);

  // The opened values too: the first one starts right after the statement, at 40 + 146.
  const std::vector<uint8_t> good = encode_proof(params, small_proof(params));
  const size_t value_offset = 186;
  ASSERT_EQ(read_u32(good, value_offset), small_proof(params).opening.opened_values[0][0][0][0][0].to_u32());
  std::vector<uint8_t> bad = good;
  write_u32(bad, value_offset, Fp::kModulus + 5);
  EXPECT_NE(decode_error(params, bad)
                .find("opened values (round 0, matrix 0, point 0) at byte offset " + std::to_string(value_offset)),
            std::string::npos)
      << decode_error(params, bad);
}

// The layout of SmallProof under TinyParams, worked out from the format in proof.h:
//   header 7 + 1 + 32 = 40
//   statement 1 + round 0 (1 + 2 x 5 + cap 2 x 32) + round 1 (1 + 5 + cap 2 x 32) = 146
//   opened values (2 + 1 + 1 columns) x 2 points x 16 = 128
//   fold caps: LDE heights 2^5, 2^4, 2^3 and final domain 2^2 give 3 rounds of arity 2, 2 digests each = 192
//   final polynomial 2 x 16 = 32, nonce 8
// so input opening 0 starts at 546 with 3 queries x (2 + 1) words = 36 bytes of rows, and its
// sibling count sits at 582.
constexpr size_t kFirstInputOpening = 546;
constexpr size_t kFirstSiblingCount = 582;

TEST(ProofTest, LayoutMatchesTheDocumentedFormat) {
  const FriParams params = tiny_params();
  const EvaluationProof proof = small_proof(params);
  const std::vector<uint8_t> bytes = encode_proof(params, proof);
  EXPECT_EQ(read_u32(bytes, kFirstInputOpening), proof.opening.input_openings[0].rows[0][0][0]);
  EXPECT_EQ(read_u32(bytes, kFirstSiblingCount), proof.opening.input_openings[0].proof.siblings.size());

  // Beyond queries x depth (3 x (5 - 1) = 12) the count is rejected before any allocation.
  std::vector<uint8_t> bad = bytes;
  write_u32(bad, kFirstSiblingCount, 13);
  EXPECT_NE(decode_error(params, bad).find("input opening 0 sibling count at byte offset 582: 13 is outside [0, 12]"),
            std::string::npos)
      << decode_error(params, bad);
  write_u32(bad, kFirstSiblingCount, 0xffffffff);
  EXPECT_NE(decode_error(params, bad).find("sibling count"), std::string::npos);
}

TEST(ProofTest, EveryByteFlipIsRejected) {
  const FriParams params = tiny_params();
  const std::vector<uint8_t> bytes = encode_proof(params, small_proof(params));
  ASSERT_TRUE(accepts_proof_bytes(params, bytes));
  int decode_rejections = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}}) {
      std::vector<uint8_t> bad = bytes;
      bad[i] ^= mask;
      std::string error;
      ASSERT_FALSE(accepts_proof_bytes(params, bad, &error)) << "flip 0x" << std::hex << int{mask} << " at byte "
                                                           << std::dec << i << " of " << bytes.size() << " accepted";
      if (error.starts_with("proof decode")) ++decode_rejections;
    }
  }
  // Both layers do their part: the decoder (structure) and the verifier (values).
  EXPECT_GT(decode_rejections, 0);
  EXPECT_LT(decode_rejections, static_cast<int>(2 * bytes.size()));
}

TEST(ProofTest, EveryTruncationAndAppendIsRejected) {
  const FriParams params = tiny_params();
  const std::vector<uint8_t> bytes = encode_proof(params, small_proof(params));
  for (size_t length = 0; length < bytes.size(); ++length) {
    const std::string error = decode_error(params, std::span(bytes).first(length));
    ASSERT_FALSE(error.empty()) << "truncation to " << length << " bytes decoded";
  }
  for (size_t extra : {1, 4, 32, 1000}) {
    std::vector<uint8_t> longer = bytes;
    longer.resize(bytes.size() + extra, 0);
    const std::string error = decode_error(params, longer);
    EXPECT_NE(error.find(std::to_string(extra) + " trailing bytes"), std::string::npos) << error;
    EXPECT_NE(error.find("byte offset " + std::to_string(bytes.size())), std::string::npos) << error;
  }
}

TEST(ProofTest, RandomInputsNeverCrash) {
  const FriParams params = tiny_params();
  const std::vector<uint8_t> bytes = encode_proof(params, small_proof(params));
  std::mt19937_64 rng(12);
  for (int trial = 0; trial < 2000; ++trial) {
    // A valid header followed by random bytes, and fully random inputs.
    std::vector<uint8_t> input(rng() % 600);
    for (uint8_t& b : input) b = static_cast<uint8_t>(rng());
    if (trial % 2 == 0) std::copy_n(bytes.begin(), std::min<size_t>(41, input.size()), input.begin());
    EXPECT_FALSE(accepts_proof_bytes(params, input));
  }
}

TEST(ProofTest, EncoderRejectsProofsThatDoNotMatchTheShapes) {
  const FriParams params = tiny_params();
  EvaluationProof proof = small_proof(params);
  proof.opening.final_poly.push_back(Ext::one());
  EXPECT_THROW(encode_proof(params, proof), fri::FriError);
}

}  // namespace
}  // namespace zkrv::stark::proof
