#include "stark/ntt/ntt.h"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <random>
#include <string>
#include <vector>

namespace zkrv::stark {
namespace {

using Mat = Matrix<KoalaBear>;

Mat random_matrix(size_t rows, size_t width, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Mat m(rows, width);
  for (KoalaBear& x : m.values()) x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
  return m;
}

// Column `column` of `coefficients`, evaluated at x by Horner's rule.
KoalaBear evaluate(const Mat& coefficients, size_t column, KoalaBear x) {
  KoalaBear acc = KoalaBear::zero();
  for (size_t i = coefficients.rows(); i-- > 0;) acc = acc * x + coefficients.at(i, column);
  return acc;
}

// O(n^2) DFT: row i = f(shift * w^i), w of order `points`.
Mat direct_evaluation(const Mat& coefficients, size_t points, KoalaBear shift) {
  Mat result(points, coefficients.width());
  KoalaBear w = KoalaBear::two_adic_generator(std::countr_zero(points));
  KoalaBear x = shift;
  for (size_t i = 0; i < points; ++i, x *= w) {
    for (size_t c = 0; c < coefficients.width(); ++c)
      result.at(i, c) = evaluate(coefficients, c, x);
  }
  return result;
}

size_t reverse(size_t i, int bits) {
  size_t r = 0;
  for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
  return r;
}

Mat bit_reversed_copy(const Mat& m) {
  Mat r(m.rows(), m.width());
  int bits = std::countr_zero(m.rows());
  for (size_t i = 0; i < m.rows(); ++i) {
    for (size_t c = 0; c < m.width(); ++c) r.at(reverse(i, bits), c) = m.at(i, c);
  }
  return r;
}

const std::vector<size_t> kWidths = {1, 3, 16, 17, 40};

TEST(Ntt, ForwardMatchesDirectDft) {
  for (int log_n = 0; log_n <= 8; ++log_n) {
    for (size_t width : kWidths) {
      Mat coefficients = random_matrix(size_t{1} << log_n, width, log_n * 100 + width);
      Mat expected = direct_evaluation(coefficients, coefficients.rows(), KoalaBear::one());
      Mat natural = coefficients;
      forward_ntt(natural);
      ASSERT_EQ(natural, expected) << "log_n=" << log_n << " width=" << width;
      Mat bit_reversed = coefficients;
      forward_ntt(bit_reversed, RowOrder::kBitReversed);
      ASSERT_EQ(bit_reversed, bit_reversed_copy(expected)) << "log_n=" << log_n << " width=" << width;
      Mat radix2 = coefficients;
      forward_ntt_radix2(radix2);
      ASSERT_EQ(radix2, expected) << "log_n=" << log_n << " width=" << width;
    }
  }
}

TEST(Ntt, InverseRoundTripsInBothOrders) {
  for (int log_n : {0, 1, 2, 5, 10, 12}) {
    for (size_t width : kWidths) {
      Mat coefficients = random_matrix(size_t{1} << log_n, width, 7 + log_n * 31 + width);
      Mat m = coefficients;
      forward_ntt(m);
      inverse_ntt(m);
      ASSERT_EQ(m, coefficients) << "natural log_n=" << log_n << " width=" << width;
      forward_ntt(m, RowOrder::kBitReversed);
      inverse_ntt(m, RowOrder::kBitReversed);
      ASSERT_EQ(m, coefficients) << "bit-reversed log_n=" << log_n << " width=" << width;
    }
  }
}

TEST(Ntt, InverseOfDirectEvaluationGivesCoefficients) {
  Mat coefficients = random_matrix(64, 5, 3);
  Mat evaluations = direct_evaluation(coefficients, 64, KoalaBear::one());
  inverse_ntt(evaluations);
  EXPECT_EQ(evaluations, coefficients);
}

// Sizes large enough that the transform leaves the single-cache-block path and runs fused
// outer passes (width 16: 2^13 rows per block; width 300: 2^8 rows per block).
TEST(Ntt, BlockedTransformMatchesRadix2AndSpotEvaluations) {
  for (auto [log_n, width] : std::vector<std::pair<int, size_t>>{{15, 16}, {11, 300}, {17, 1}}) {
    Mat coefficients = random_matrix(size_t{1} << log_n, width, log_n);
    Mat fast = coefficients, reference = coefficients;
    forward_ntt(fast);
    forward_ntt_radix2(reference);
    ASSERT_EQ(fast, reference) << "log_n=" << log_n << " width=" << width;
    KoalaBear w = KoalaBear::two_adic_generator(log_n);
    for (size_t row : {size_t{0}, size_t{1}, size_t{5}, fast.rows() / 2 + 3, fast.rows() - 1}) {
      for (size_t column : {size_t{0}, width - 1}) {
        ASSERT_EQ(fast.at(row, column), evaluate(coefficients, column, w.pow(row)))
            << "row " << row << " column " << column;
      }
    }
    inverse_ntt(fast);
    ASSERT_EQ(fast, coefficients);
  }
}

TEST(Ntt, ResultDoesNotDependOnThreadCount) {
  Mat coefficients = random_matrix(size_t{1} << 15, 16, 5);
  Mat one_thread = coefficients, default_threads = coefficients;
  tbb::task_arena(1).execute([&] { forward_ntt(one_thread); });
  forward_ntt(default_threads);
  EXPECT_EQ(one_thread, default_threads);
}

TEST(CosetLde, MatchesDirectEvaluationOnTheCoset) {
  const KoalaBear shift = KoalaBear::from_u32(KoalaBear::kGenerator);
  for (int log_n : {0, 1, 3, 6}) {
    for (int log_blowup : {0, 1, 2, 3}) {
      for (size_t width : {size_t{1}, size_t{16}, size_t{19}}) {
        const size_t n = size_t{1} << log_n;
        Mat coefficients = random_matrix(n, width, log_n * 10 + log_blowup + width * 1000);
        Mat expected = direct_evaluation(coefficients, n << log_blowup, shift);
        Mat evaluations = coefficients;
        forward_ntt(evaluations);
        std::string where = "log_n=" + std::to_string(log_n) +
                            " log_blowup=" + std::to_string(log_blowup) +
                            " width=" + std::to_string(width);
        ASSERT_EQ(coset_lde_from_evaluations(evaluations, log_blowup, shift), expected) << where;
        ASSERT_EQ(coset_lde_from_coefficients(coefficients, log_blowup, shift), expected) << where;
        ASSERT_EQ(coset_lde_from_evaluations(evaluations, log_blowup, shift, RowOrder::kBitReversed),
                  bit_reversed_copy(expected))
            << where;
        ASSERT_EQ(coset_lde_from_coefficients(coefficients, log_blowup, shift, RowOrder::kBitReversed),
                  bit_reversed_copy(expected))
            << where;
      }
    }
  }
}

TEST(CosetLde, LargeLdeMatchesSpotEvaluations) {
  const KoalaBear shift = KoalaBear::from_u32(KoalaBear::kGenerator);
  Mat coefficients = random_matrix(size_t{1} << 14, 16, 77);
  Mat evaluations = coefficients;
  forward_ntt(evaluations);
  Mat lde = coset_lde_from_evaluations(evaluations, 2, shift);
  ASSERT_EQ(lde.rows(), size_t{1} << 16);
  KoalaBear w = KoalaBear::two_adic_generator(16);
  for (size_t row : {size_t{0}, size_t{1}, size_t{4097}, lde.rows() - 1}) {
    ASSERT_EQ(lde.at(row, 7), evaluate(coefficients, 7, shift * w.pow(row))) << row;
  }
  Mat bit_reversed = coset_lde_from_evaluations(evaluations, 2, shift, RowOrder::kBitReversed);
  bit_reverse_rows(bit_reversed);
  ASSERT_EQ(bit_reversed, lde);
  // Interpolating back on the coset: shifting the coefficients undoes the coset.
  Mat back = lde;
  inverse_ntt(back);
  KoalaBear shift_power = KoalaBear::one(), shift_inverse = shift.inverse();
  for (size_t i = 0; i < back.rows(); ++i, shift_power *= shift_inverse) {
    KoalaBear expected = i < coefficients.rows() ? coefficients.at(i, 3) : KoalaBear::zero();
    ASSERT_EQ(back.at(i, 3) * shift_power, expected) << i;
  }
}

TEST(CosetLde, OutputBufferIsReusedOrReshaped) {
  const KoalaBear shift = KoalaBear::from_u32(KoalaBear::kGenerator);
  Mat coefficients = random_matrix(256, 20, 31);
  Mat expected = direct_evaluation(coefficients, 1024, shift);
  Mat evaluations = coefficients;
  forward_ntt(evaluations);
  Mat output = random_matrix(1024, 20, 32);  // right shape, stale contents
  const KoalaBear* storage = output.data();
  coset_lde_from_evaluations(evaluations, 2, shift, output);
  EXPECT_EQ(output.data(), storage);
  EXPECT_EQ(output, expected);
  output = random_matrix(1024, 20, 33);
  coset_lde_from_coefficients(coefficients, 2, shift, output);
  EXPECT_EQ(output, expected);
  Mat wrong_shape = random_matrix(8, 3, 34);
  coset_lde_from_coefficients(coefficients, 2, shift, wrong_shape);
  EXPECT_EQ(wrong_shape, expected);
}

TEST(NttErrors, NonPowerOfTwoIsRejectedWithItsSize) {
  Mat three_rows(3, 4);
  try {
    forward_ntt(three_rows);
    FAIL() << "expected NttError";
  } catch (const NttError& e) {
    EXPECT_NE(std::string(e.what()).find("row count 3 is not a power of two"), std::string::npos)
        << e.what();
  }
  Mat empty(0, 4);
  EXPECT_THROW(inverse_ntt(empty), NttError);
  Mat twelve(12, 1);
  EXPECT_THROW(coset_lde_from_evaluations(twelve, 1, KoalaBear::one()), NttError);
  EXPECT_THROW(coset_lde_from_coefficients(twelve, 1, KoalaBear::one()), NttError);
  EXPECT_THROW(bit_reverse_rows(twelve), NttError);
  EXPECT_THROW(forward_ntt_radix2(twelve), NttError);
}

TEST(NttErrors, DomainAboveTwoAdicityIsRejected) {
  Mat m(4, 1);
  try {
    coset_lde_from_evaluations(m, 23, KoalaBear::one());
    FAIL() << "expected NttError";
  } catch (const NttError& e) {
    EXPECT_NE(std::string(e.what()).find("blowup 2^23 of 4 rows"), std::string::npos) << e.what();
  }
  EXPECT_THROW(coset_lde_from_evaluations(m, -1, KoalaBear::one()), NttError);
  EXPECT_EQ(checked_log2_rows(size_t{1} << 24, "x"), 24);
  EXPECT_THROW(checked_log2_rows((size_t{1} << 25), "x"), NttError);
}

}  // namespace
}  // namespace zkrv::stark
