#include "stark/transcript/transcript.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <functional>
#include <map>
#include <vector>

#include "stark/field/extension_field.h"
#include "stark/field/koalabear.h"
#include "stark/hash/blake2s.h"

namespace zkrv::stark {
namespace {

using ::testing::HasSubstr;

static_assert(TranscriptField<KoalaBear>);
static_assert(TranscriptExtension<KoalaBear4>);
static_assert(TranscriptExtension<KoalaBear5>);

Digest digest_of(uint8_t seed) {
  Digest d;
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(seed + i);
  return d;
}

// A small protocol run that exercises every absorb kind; `tweak` selects one item to alter.
struct Script {
  int tweak = -1;  // index of the item to change, -1 for none
  bool record = false;

  std::vector<uint32_t> run(Transcript* copy_to = nullptr) const {
    Transcript t("zkrv-test", tweak == 0 ? 2 : 1, record);
    const uint8_t bytes[] = {1, 2, 3, static_cast<uint8_t>(tweak == 1 ? 5 : 4)};
    t.absorb_bytes("params", bytes);
    t.absorb_u32("log_blowup", tweak == 2 ? 2 : 1);
    t.absorb_u64("cycles", tweak == 3 ? 1ull << 33 : 1ull << 32);
    const uint32_t words[] = {7, 8, tweak == 4 ? 10u : 9u};
    t.absorb_u32s("public_input", words);
    t.absorb_digest("main_root", digest_of(tweak == 5 ? 2 : 1));
    const Digest cap[] = {digest_of(3), digest_of(tweak == 6 ? 5 : 4)};
    t.absorb_digests("cap", cap);
    t.absorb_field("claimed_sum", KoalaBear::from_u32(tweak == 7 ? 43 : 42));
    const KoalaBear4 ood(KoalaBear4::Coefficients{KoalaBear::from_u32(1), KoalaBear::from_u32(2), KoalaBear::from_u32(3),
                                                  KoalaBear::from_u32(tweak == 8 ? 5 : 4)});
    t.absorb_extension(tweak == 9 ? "ood_valuez" : "ood_value", ood);
    std::vector<uint32_t> out;
    for (const auto& e : t.squeeze_extensions<KoalaBear4>("alpha", 2)) {
      for (const auto& c : e.coefficients()) out.push_back(c.to_u32());
    }
    out.push_back(t.squeeze_field<KoalaBear>("beta").to_u32());
    out.push_back(static_cast<uint32_t>(t.squeeze_index("query", 1000)));
    for (uint64_t i : t.squeeze_distinct_indices("queries", 1 << 20, 8)) out.push_back(static_cast<uint32_t>(i));
    for (uint8_t b : t.squeeze_bytes("salt", 5)) out.push_back(b);
    if (copy_to) *copy_to = t;
    return out;
  }
};

TEST(Transcript, SameInputsGiveSameChallenges) {
  EXPECT_EQ(Script{}.run(), Script{}.run());
  // Recording does not change the challenges.
  EXPECT_EQ((Script{.tweak = -1, .record = true}.run()), Script{}.run());
}

TEST(Transcript, ChangingAnyAbsorbedItemChangesEveryChallenge) {
  const std::vector<uint32_t> honest = Script{}.run();
  for (int tweak = 0; tweak <= 9; ++tweak) {
    const std::vector<uint32_t> changed = Script{.tweak = tweak}.run();
    ASSERT_EQ(changed.size(), honest.size());
    // Each challenge separately: the first extension coefficients, beta, the index and the salt.
    EXPECT_NE(changed[0], honest[0]) << "tweak " << tweak;
    EXPECT_NE(changed[8], honest[8]) << "tweak " << tweak;
    EXPECT_NE(std::vector<uint32_t>(changed.begin() + 10, changed.begin() + 18),
              std::vector<uint32_t>(honest.begin() + 10, honest.begin() + 18))
        << "tweak " << tweak;
  }
}

TEST(Transcript, FramingSeparatesLabelsKindsAndSplits) {
  auto first_challenge = [](const std::function<void(Transcript&)>& absorb) {
    Transcript t("zkrv-test", 1);
    absorb(t);
    return t.squeeze_field<KoalaBear>("c").to_u32();
  };
  const uint8_t ab[] = {'a', 'b'};
  const uint8_t a[] = {'a'};
  const uint8_t b[] = {'b'};
  const uint32_t base = first_challenge([&](Transcript& t) { t.absorb_bytes("x", ab); });
  // Same bytes split differently, other label, other kind: all different.
  EXPECT_NE(base, first_challenge([&](Transcript& t) { t.absorb_bytes("x", a); t.absorb_bytes("x", b); }));
  EXPECT_NE(base, first_challenge([&](Transcript& t) { t.absorb_bytes("y", ab); }));
  EXPECT_NE(first_challenge([&](Transcript& t) { t.absorb_u32("x", 5); }),
            first_challenge([&](Transcript& t) { const uint32_t w[] = {5}; t.absorb_u32s("x", w); }));
  // Label/payload boundary: label "xa" + "b" vs label "x" + "ab".
  EXPECT_NE(base, first_challenge([&](Transcript& t) { t.absorb_bytes("xa", b); }));
  // Protocol id and version are bound.
  Transcript other_id("zkrv-tesT", 1);
  Transcript other_version("zkrv-test", 2);
  Transcript same("zkrv-test", 1);
  const uint32_t c = same.squeeze_field<KoalaBear>("c").to_u32();
  EXPECT_NE(c, other_id.squeeze_field<KoalaBear>("c").to_u32());
  EXPECT_NE(c, other_version.squeeze_field<KoalaBear>("c").to_u32());
}

TEST(Transcript, FieldRangesAbsorbLikeSingleItemsOfTheSameList) {
  const std::vector<KoalaBear> values = {KoalaBear::from_u32(5), KoalaBear::from_u32(KoalaBear::kModulus - 1)};
  Transcript from_vector("zkrv-test", 1, /*record=*/true);
  from_vector.absorb_fields("v", values);
  // What is absorbed is the canonical encoding, not the Montgomery form.
  const uint8_t canonical_le[] = {5, 0, 0, 0, 0, 0, 0, 0x7f};
  ASSERT_EQ(from_vector.records().size(), 2u);
  EXPECT_EQ(from_vector.records()[1].value_digest, Blake2s::hash(canonical_le));
  Transcript from_span("zkrv-test", 1);
  from_span.absorb_fields("v", std::span<const KoalaBear>(values));
  Transcript as_words("zkrv-test", 1);
  const uint32_t words[] = {5, KoalaBear::kModulus - 1};
  as_words.absorb_u32s("v", words);
  const uint32_t a = from_vector.squeeze_field<KoalaBear>("c").to_u32();
  EXPECT_EQ(a, from_span.squeeze_field<KoalaBear>("c").to_u32());
  // Same words, different kind: a field list is not a u32 list.
  EXPECT_NE(a, as_words.squeeze_field<KoalaBear>("c").to_u32());
  const std::vector<KoalaBear4> ext = Transcript("zkrv-test", 1).squeeze_extensions<KoalaBear4>("e", 3);
  Transcript with_ext("zkrv-test", 1);
  with_ext.absorb_extensions("e", ext);
  EXPECT_NE(with_ext.squeeze_field<KoalaBear>("c").to_u32(),
            Transcript("zkrv-test", 1).squeeze_field<KoalaBear>("c").to_u32());
}

TEST(Transcript, SuccessiveSqueezesDiffer) {
  Transcript t("zkrv-test", 1);
  const uint32_t a = t.squeeze_field<KoalaBear>("c").to_u32();
  const uint32_t b = t.squeeze_field<KoalaBear>("c").to_u32();
  EXPECT_NE(a, b);
}

TEST(Transcript, SqueezedFieldElementsAreCanonicalAndSpread) {
  Transcript t("zkrv-test", 1);
  const std::vector<KoalaBear> values = t.squeeze_fields<KoalaBear>("many", 40000);
  size_t high = 0;
  for (KoalaBear v : values) {
    ASSERT_LT(v.to_u32(), KoalaBear::kModulus);
    if (v.to_u32() >= KoalaBear::kModulus / 2) ++high;
  }
  // Half of them should be in the upper half: 20000 ± 5 sigma (sigma = 100).
  EXPECT_NEAR(static_cast<double>(high), 20000.0, 500.0);
}

TEST(Transcript, SqueezedIndicesAreInRangeAndUniformish) {
  for (uint64_t bound : {1ull, 2ull, 7ull, 1000ull, (1ull << 40) + 3}) {
    Transcript t("zkrv-test", 1);
    for (int i = 0; i < 200; ++i) ASSERT_LT(t.squeeze_index("i", bound), bound);
  }
  // Chi-square over 10 buckets, 20000 draws: 9 degrees of freedom, 99.99th percentile ~ 33.7.
  Transcript t("zkrv-test", 1);
  std::vector<int> buckets(10);
  for (int i = 0; i < 20000; ++i) ++buckets[t.squeeze_index("i", 10)];
  double chi2 = 0;
  for (int count : buckets) chi2 += (count - 2000.0) * (count - 2000.0) / 2000.0;
  EXPECT_LT(chi2, 33.7);
  EXPECT_THROW(t.squeeze_index("i", 0), TranscriptError);
}

TEST(Transcript, DistinctIndicesAreDistinctSortedAndInRange) {
  Transcript t("zkrv-test", 1);
  for (auto [bound, count] : std::vector<std::pair<uint64_t, size_t>>{{16, 16}, {64, 30}, {1 << 20, 100}}) {
    const std::vector<uint64_t> indices = t.squeeze_distinct_indices("q", bound, count);
    ASSERT_EQ(indices.size(), count);
    for (size_t k = 0; k < count; ++k) {
      EXPECT_LT(indices[k], bound);
      if (k > 0) {
        EXPECT_LT(indices[k - 1], indices[k]);
      }
    }
  }
  try {
    t.squeeze_distinct_indices("q", 4, 5);
    FAIL() << "drew 5 distinct indices from 4";
  } catch (const TranscriptError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot draw 5 distinct indices for 'q' from a range of 4"));
  }
}

TEST(Transcript, ProofOfWorkRoundTripAndRejection) {
  for (unsigned bits : {0u, 1u, 8u, 14u}) {
    Transcript prover("zkrv-test", 1);
    prover.absorb_u32("x", bits);
    const uint64_t nonce = prover.grind("query_pow", bits);
    Transcript verifier("zkrv-test", 1);
    verifier.absorb_u32("x", bits);
    EXPECT_NO_THROW(verifier.verify_pow("query_pow", bits, nonce));
    // The nonce is absorbed: both continue identically.
    EXPECT_EQ(prover.squeeze_index("i", 1 << 30), verifier.squeeze_index("i", 1 << 30));
    if (bits == 0) continue;
    // grind returns the smallest valid nonce, so every smaller nonce must fail.
    for (uint64_t wrong = 0; wrong < nonce && wrong < 2000; ++wrong) {
      Transcript v("zkrv-test", 1);
      v.absorb_u32("x", bits);
      EXPECT_THROW(v.verify_pow("query_pow", bits, wrong), TranscriptError) << bits << " " << wrong;
    }
  }
}

TEST(Transcript, GrindingFindsTheSameNonceOnAnyThreadCount) {
  auto nonce_with = [](size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    Transcript t("zkrv-test", 1);
    t.absorb_u32("x", 99);
    return t.grind("pow", 18);
  };
  EXPECT_EQ(nonce_with(1), nonce_with(2));
}

TEST(Transcript, ProofOfWorkIsBoundToThePrecedingItems) {
  Transcript prover("zkrv-test", 1);
  prover.absorb_u32("x", 1);
  const uint64_t nonce = prover.grind("pow", 16);
  int accepted = 0;
  for (uint32_t other = 2; other < 12; ++other) {
    Transcript verifier("zkrv-test", 1);
    verifier.absorb_u32("x", other);
    try {
      verifier.verify_pow("pow", 16, nonce);
      ++accepted;
    } catch (const TranscriptError& e) {
      EXPECT_THAT(e.what(), HasSubstr("does not give 16 leading zero bits"));
    }
  }
  // Each other transcript accepts this nonce with probability 2^-16.
  EXPECT_EQ(accepted, 0);
  Transcript t("zkrv-test", 1);
  EXPECT_THROW(t.grind("pow", 61), TranscriptError);
}

TEST(Transcript, LongLabelsAndEmptyProtocolIdAreRejected) {
  Transcript t("zkrv-test", 1);
  EXPECT_THROW(t.absorb_u32(std::string(256, 'x'), 1), TranscriptError);
  EXPECT_NO_THROW(t.absorb_u32(std::string(255, 'x'), 1));
  EXPECT_THROW(Transcript("", 1), TranscriptError);
}

TEST(TranscriptAnnotation, RecordsEveryItemInOrder) {
  Transcript t("zkrv-test", 1);
  Script{.tweak = -1, .record = true}.run(&t);
  const auto& records = t.records();
  ASSERT_EQ(records.size(), 14u);
  EXPECT_EQ(records[0].operation, "protocol");
  EXPECT_EQ(records[4].operation, "absorb_u32s");
  EXPECT_EQ(records[4].label, "public_input");
  EXPECT_EQ(records[4].value_bytes, 12u);
  EXPECT_EQ(records[9].operation, "squeeze_extensions");
  EXPECT_EQ(records[13].label, "salt");
  for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i].position, i);
  Transcript quiet("zkrv-test", 1);
  Script{}.run(&quiet);
  EXPECT_TRUE(quiet.records().empty());
}

TEST(TranscriptAnnotation, DivergencePinpointsTheFirstDifferentItem) {
  Transcript prover("zkrv-test", 1);
  Script{.tweak = -1, .record = true}.run(&prover);
  Transcript same("zkrv-test", 1);
  Script{.tweak = -1, .record = true}.run(&same);
  EXPECT_FALSE(find_first_divergence(prover.records(), same.records()).has_value());

  const std::map<int, std::pair<size_t, std::string>> expected = {
      {0, {0, "protocol"}}, {1, {1, "params"}}, {2, {2, "log_blowup"}}, {5, {5, "main_root"}},
      {7, {7, "claimed_sum"}}, {9, {8, "ood_value"}}};
  for (const auto& [tweak, where] : expected) {
    Transcript verifier("zkrv-test", 1);
    Script{.tweak = tweak, .record = true}.run(&verifier);
    const auto divergence = find_first_divergence(prover.records(), verifier.records());
    ASSERT_TRUE(divergence.has_value()) << tweak;
    EXPECT_EQ(divergence->position, where.first) << tweak;
    EXPECT_EQ(divergence->label, where.second) << tweak;
    EXPECT_THAT(divergence->description, HasSubstr(tweak == 9 ? "labels differ" : "values differ"));
  }
}

TEST(TranscriptAnnotation, DivergenceWhenOneSideStopsEarly) {
  Transcript prover("zkrv-test", 1, true);
  prover.absorb_u32("a", 1);
  prover.absorb_u32("b", 2);
  Transcript verifier("zkrv-test", 1, true);
  verifier.absorb_u32("a", 1);
  const auto divergence = find_first_divergence(prover.records(), verifier.records());
  ASSERT_TRUE(divergence.has_value());
  EXPECT_EQ(divergence->position, 2u);
  EXPECT_EQ(divergence->label, "b");
  EXPECT_THAT(divergence->description, HasSubstr("verifier transcript ends after 2 items"));
}

}  // namespace
}  // namespace zkrv::stark
