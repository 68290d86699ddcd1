#include "stark/fri/folding.h"

#include <gtest/gtest.h>

#include <random>

#include "stark/field/matrix.h"
#include "stark/ntt/ntt.h"

namespace zkrv::stark::fri {
namespace {

Ext random_ext(std::mt19937_64& rng) {
  typename Ext::Coefficients c;
  for (auto& x : c) x = Fp::from_u64(rng());
  return Ext(c);
}

// Evaluations of the polynomial with `coefficients` over H_N in bit-reversed order.
std::vector<Ext> evaluate_bit_reversed(const std::vector<Ext>& coefficients, int log_size) {
  std::vector<Ext> values(size_t{1} << log_size);
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = evaluate_polynomial(coefficients, Ext(subgroup_point(log_size, i)));
  }
  return values;
}

TEST(FoldingTest, reverse_bits) {
  EXPECT_EQ(reverse_bits(0b0001, 4), 0b1000u);
  EXPECT_EQ(reverse_bits(0b0110, 4), 0b0110u);
  EXPECT_EQ(reverse_bits(0b1011, 4), 0b1101u);
  EXPECT_EQ(reverse_bits(5, 0), 0u);
  EXPECT_EQ(reverse_bits(1, 24), 1u << 23);
  EXPECT_EQ(reverse_bits(0b110, 64), 0b011ull << 61);
  // Bits above `bits` are ignored.
  EXPECT_EQ(reverse_bits(0xf0 | 0b0001, 4), 0b1000u);
  for (uint64_t v = 0; v < 1024; ++v) {
    uint64_t slow = 0;
    for (int i = 0; i < 10; ++i) slow |= ((v >> i) & 1) << (9 - i);
    ASSERT_EQ(reverse_bits(v, 10), slow) << v;
  }
}

// Folding by 2^a maps sum_k X^k g_k(X^(2^a)) to sum_k beta^k g_k: check against the coefficients.
TEST(FoldingTest, FoldVectorMatchesCoefficientDefinition) {
  std::mt19937_64 rng(1);
  for (int log_arity = 1; log_arity <= 4; ++log_arity) {
    const int log_size = 7;
    std::vector<Ext> coefficients(size_t{1} << (log_size - 1));  // degree < N / 2
    for (Ext& c : coefficients) c = random_ext(rng);
    const Ext beta = random_ext(rng);
    const std::vector<Ext> folded = fold_vector(evaluate_bit_reversed(coefficients, log_size), log_size, log_arity, beta);

    const size_t arity = size_t{1} << log_arity;
    std::vector<Ext> expected_coefficients(coefficients.size() / arity);
    for (size_t i = 0; i < coefficients.size(); ++i) {
      expected_coefficients[i / arity] += beta.pow(i % arity) * coefficients[i];
    }
    EXPECT_EQ(folded, evaluate_bit_reversed(expected_coefficients, log_size - log_arity)) << "arity 2^" << log_arity;
  }
}

// The verifier's per-row fold is the prover's whole-vector fold, row by row.
TEST(FoldingTest, FoldRowAgreesWithFoldVector) {
  std::mt19937_64 rng(2);
  const int log_size = 8;
  std::vector<Ext> values(size_t{1} << log_size);
  for (Ext& v : values) v = random_ext(rng);  // not low-degree: the identity holds for any word
  for (int log_arity = 1; log_arity <= 4; ++log_arity) {
    const Ext beta = random_ext(rng);
    const std::vector<Ext> folded = fold_vector(values, log_size, log_arity, beta);
    const size_t arity = size_t{1} << log_arity;
    for (size_t row = 0; row < folded.size(); ++row) {
      const std::span<const Ext> entries(values.data() + row * arity, arity);
      ASSERT_EQ(fold_row(entries, row, log_size, log_arity, beta), folded[row]) << "arity " << arity << " row " << row;
    }
  }
}

TEST(FoldingTest, InterpolateBitReversedRecoversCoefficients) {
  std::mt19937_64 rng(3);
  std::vector<Ext> coefficients(16);
  for (Ext& c : coefficients) c = random_ext(rng);
  EXPECT_EQ(interpolate_bit_reversed(evaluate_bit_reversed(coefficients, 4)), coefficients);
}

TEST(FoldingTest, ScheduleStopsAtEveryInputHeightAndTheFinalDomain) {
  FriParams params;
  params.log_blowup = 1;
  params.log_first_fold_arity = 1;
  params.log_fold_arity = 3;
  params.log_final_poly_len = 2;
  const int heights[] = {13, 9, 8, 13};
  const FoldSchedule schedule = make_fold_schedule(params, heights);
  EXPECT_EQ(schedule.log_max_lde, 13);
  EXPECT_EQ(schedule.log_final_poly_len, 2);
  EXPECT_EQ(schedule.log_final_domain, 3);
  // 13 -1-> 12 -3-> 9 (roll in) -1-> 8 (roll in) -3-> 5 -2-> 3.
  EXPECT_EQ(schedule.log_arities, (std::vector<int>{1, 3, 1, 3, 2}));

  // The final polynomial never exceeds the smallest input's degree bound.
  const int small[] = {10, 3};
  EXPECT_EQ(make_fold_schedule(params, small).log_final_poly_len, 2);
  const int tiny[] = {10, 2};
  EXPECT_EQ(make_fold_schedule(params, tiny).log_final_poly_len, 1);

  const int too_short[] = {10, 0};
  EXPECT_THROW(make_fold_schedule(params, too_short), FriError);
}

TEST(FriParamsTest, ValidateNamesTheField) {
  FriParams params;
  params.num_queries = 0;
  try {
    params.validate();
    FAIL() << "num_queries = 0 accepted";
  } catch (const FriError& e) {
    EXPECT_NE(std::string(e.what()).find("num_queries"), std::string::npos) << e.what();
  }
  params.num_queries = 10;
  params.log_blowup = 4;
  EXPECT_THROW(params.validate(), FriError);
}

// Every field enters the encoding, so two parameter sets never share a hash or a transcript.
TEST(FriParamsTest, EveryFieldChangesTheHash) {
  const FriParams base;
  std::vector<FriParams> variants(8, base);
  variants[0].log_blowup = 2;
  variants[1].log_first_fold_arity = 2;
  variants[2].log_fold_arity = 3;
  variants[3].num_queries = 99;
  variants[4].query_pow_bits = 15;
  variants[5].log_final_poly_len = 1;
  variants[6].cap_height = 3;
  variants[7].batching = Batching::kPowers;
  for (const FriParams& variant : variants) {
    EXPECT_NE(variant.hash(), base.hash());
    EXPECT_NE(new_transcript(variant).squeeze_field<Fp>("x"), new_transcript(base).squeeze_field<Fp>("x"));
  }
  EXPECT_EQ(FriParams().hash(), base.hash());
}

TEST(FriParamsTest, ProfilesMapToParams) {
  const FriParams fast = params_for_profile(fast_profile());
  EXPECT_EQ(fast.log_blowup, fast_profile().log_blowup);
  EXPECT_EQ(fast.num_queries, fast_profile().num_queries);
  EXPECT_EQ(fast.query_pow_bits, fast_profile().query_pow_bits);
  const FriParams secure = params_for_profile(secure_profile());
  EXPECT_EQ(secure.log_blowup, 2);
  EXPECT_EQ(secure.num_queries, 124);
}

TEST(FoldingTest, BitReversedCosetIsTheShiftedPowersInBitReversedOrder) {
  for (int log_size = 0; log_size <= 6; ++log_size) {
    const std::vector<Fp> points = bit_reversed_coset(log_size, lde_shift());
    ASSERT_EQ(points.size(), size_t{1} << log_size);
    for (size_t i = 0; i < points.size(); ++i) {
      EXPECT_EQ(points[i], lde_shift() * Fp::two_adic_generator(log_size).pow(reverse_bits(i, log_size)))
          << "2^" << log_size << " point " << i;
    }
  }
}

}  // namespace
}  // namespace zkrv::stark::fri
