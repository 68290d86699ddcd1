// The verifier alone (this binary links no prover code): malformed proof files and proofs for
// another program are rejected, naming the reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "riscv_air/buses.h"
#include "riscv_air/verifier.h"

namespace zkrv::riscv_air {
namespace {

using ::testing::HasSubstr;

std::string rejection(std::span<const uint8_t> bytes, const stark::Digest& id) {
  try {
    verify(bytes, id);
  } catch (const RejectedProof& e) {
    return e.what();
  }
  return "";
}

ProofFile sample_file() {
  ProofFile f;
  f.profile = "fast";
  f.key.shape = {0x10000, 0x80000, {{kReadOnlySpace, 0x80000, 0x80400}, {kMemorySpace, 0x80800, 0x90000}}, {}};
  f.key.vk.preprocessed_log_heights.assign(kNumTables, -1);
  f.key.other_sets = {{std::vector<int>(kNumTables, -1), {}}};  // fast's second parameter set (blowup 2)
  f.stark_proof = {1, 2, 3};
  f.public_input = {'i', 'n'};
  f.public_output = {'o', 'u', 't'};
  return f;
}

TEST(RiscvVerifier, RejectsMalformedFiles) {
  EXPECT_THAT(rejection({}, {}), HasSubstr("malformed proof file"));
  std::vector<uint8_t> bytes = encode_proof_file(sample_file());
  bytes[0] = 'X';
  EXPECT_THAT(rejection(bytes, {}), HasSubstr("magic"));
  bytes = encode_proof_file(sample_file());
  bytes.push_back(0);
  EXPECT_THAT(rejection(bytes, {}), HasSubstr("malformed proof file"));
}

TEST(RiscvVerifier, TheFileRoundTrips) {
  const ProofFile f = sample_file();
  const ProofFile g = decode_proof_file(encode_proof_file(f));
  EXPECT_EQ(g.profile, f.profile);
  EXPECT_EQ(program_id(g.key), program_id(f.key));
  EXPECT_EQ(g.key.shape.zero_ranges, f.key.shape.zero_ranges);
  EXPECT_EQ(g.stark_proof, f.stark_proof);
  EXPECT_EQ(g.public_input, f.public_input);
  EXPECT_EQ(g.public_output, f.public_output);
}

// The statement's tapes: a length past the limit or past the file's end is refused before any
// allocation of that size, and an old-format file is not read as a new one.
TEST(RiscvVerifier, RejectsTapeLengthsPastTheLimitOrTheFile) {
  const std::vector<uint8_t> good = encode_proof_file(sample_file());
  const size_t input_length = 6 + 1 + 1 + 4 + 1;  // magic, version, profile name length, "fast", parameter set
  ASSERT_EQ(good[input_length], 2);
  std::vector<uint8_t> bytes = good;
  bytes[input_length + 3] = 0x01;  // 2^24 + 2 bytes: past the limit
  EXPECT_THAT(rejection(bytes, {}), HasSubstr("public input"));
  bytes = good;
  bytes[input_length + 6] = 0xff;  // the output's length: 255 + ... past the file's end
  bytes[input_length + 7] = 0xff;
  EXPECT_THAT(rejection(bytes, {}), HasSubstr("public output"));
  bytes = good;
  bytes[6] = 1;  // format version 1 had no tapes
  EXPECT_THAT(rejection(bytes, {}), HasSubstr("version"));
}

// The parameter set is an index into the profile's sets (fast has two, secure one), and the key
// holds one more commitment per further set; the program id binds them all.
TEST(RiscvVerifier, RejectsAnUnknownParameterSetOrAMissingCommitment) {
  ProofFile f = sample_file();
  f.parameter_set = 1;
  EXPECT_EQ(decode_proof_file(encode_proof_file(f)).parameter_set, 1);
  f.parameter_set = 2;
  EXPECT_THAT(rejection(encode_proof_file(f), {}), HasSubstr("parameter set"));
  f.parameter_set = 0;
  f.profile = "secure";
  EXPECT_THAT(rejection(encode_proof_file(f), {}), HasSubstr("other set count"));
  f.key.other_sets.clear();
  EXPECT_EQ(decode_proof_file(encode_proof_file(f)).profile, "secure");
  f.parameter_set = 1;
  EXPECT_THAT(rejection(encode_proof_file(f), {}), HasSubstr("parameter set"));
  ProofFile g = sample_file();
  g.key.other_sets[0].preprocessed_cap.push_back(stark::Digest{});
  EXPECT_NE(program_id(g.key), program_id(sample_file().key));
  ProofFile h = sample_file();
  h.key.other_sets[0].preprocessed_log_heights[0] = 9;
  EXPECT_NE(program_id(h.key), program_id(sample_file().key));
  EXPECT_EQ(decode_proof_file(encode_proof_file(h)).key.other_sets[0].preprocessed_log_heights[0], 9);
}

// The zero ranges become the verifier's ZeroInit constants: out of order, overlapping, below Z,
// empty or in a space other than memory's, the file is malformed.
TEST(RiscvVerifier, RejectsMalformedZeroRanges) {
  const auto with_range = [](uint32_t space, uint32_t begin, uint32_t end) {
    ProofFile f = sample_file();
    f.key.shape.zero_ranges[1] = {space, begin, end};
    return encode_proof_file(f);
  };
  EXPECT_THAT(rejection(with_range(kMemorySpace, 0x80800, 0x90000), {}), HasSubstr("another program"));
  EXPECT_THAT(rejection(with_range(kMemorySpace, 0x803ff, 0x90000), {}), HasSubstr("zero range begin"));
  EXPECT_THAT(rejection(with_range(kMemorySpace, 0x80800, 0x80800), {}), HasSubstr("zero range end"));
  EXPECT_THAT(rejection(with_range(kMemorySpace, 0x80800, (1u << 30) + 1), {}), HasSubstr("zero range end"));
  EXPECT_THAT(rejection(with_range(kRegisterSpace, 0x80800, 0x90000), {}), HasSubstr("zero range space"));
  EXPECT_THAT(rejection(with_range(3, 0x80800, 0x90000), {}), HasSubstr("zero range space"));
  ProofFile f = sample_file();
  f.key.shape.zero_ranges[0].begin = 0x7ffff;  // below Z: an Image word
  EXPECT_THAT(rejection(encode_proof_file(f), {}), HasSubstr("zero range begin"));
}

TEST(RiscvVerifier, RejectsAnotherProgramsId) {
  const ProofFile f = sample_file();
  EXPECT_THAT(rejection(encode_proof_file(f), stark::Digest{}), HasSubstr("another program"));
  // The right id, but no valid STARK proof.
  EXPECT_THAT(rejection(encode_proof_file(f), program_id(f.key)), HasSubstr("does not verify"));
}

}  // namespace
}  // namespace zkrv::riscv_air
