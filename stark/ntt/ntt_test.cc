#include "stark/ntt/ntt.h"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <random>
#include <string>
#include <vector>

namespace zkrv::stark {
namespace {

using Mat = Matrix<KoalaBear>;

Mat RandomMatrix(size_t rows, size_t width, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Mat m(rows, width);
  for (KoalaBear& x : m.values()) x = KoalaBear::FromU32(static_cast<uint32_t>(rng()));
  return m;
}

// Column `column` of `coefficients`, evaluated at x by Horner's rule.
KoalaBear Evaluate(const Mat& coefficients, size_t column, KoalaBear x) {
  KoalaBear acc = KoalaBear::Zero();
  for (size_t i = coefficients.rows(); i-- > 0;) acc = acc * x + coefficients.At(i, column);
  return acc;
}

// O(n^2) DFT: row i = f(shift * w^i), w of order `points`.
Mat DirectEvaluation(const Mat& coefficients, size_t points, KoalaBear shift) {
  Mat result(points, coefficients.width());
  KoalaBear w = KoalaBear::TwoAdicGenerator(std::countr_zero(points));
  KoalaBear x = shift;
  for (size_t i = 0; i < points; ++i, x *= w) {
    for (size_t c = 0; c < coefficients.width(); ++c)
      result.At(i, c) = Evaluate(coefficients, c, x);
  }
  return result;
}

size_t Reverse(size_t i, int bits) {
  size_t r = 0;
  for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
  return r;
}

Mat BitReversedCopy(const Mat& m) {
  Mat r(m.rows(), m.width());
  int bits = std::countr_zero(m.rows());
  for (size_t i = 0; i < m.rows(); ++i) {
    for (size_t c = 0; c < m.width(); ++c) r.At(Reverse(i, bits), c) = m.At(i, c);
  }
  return r;
}

const std::vector<size_t> kWidths = {1, 3, 16, 17, 40};

TEST(Ntt, ForwardMatchesDirectDft) {
  for (int log_n = 0; log_n <= 8; ++log_n) {
    for (size_t width : kWidths) {
      Mat coefficients = RandomMatrix(size_t{1} << log_n, width, log_n * 100 + width);
      Mat expected = DirectEvaluation(coefficients, coefficients.rows(), KoalaBear::One());
      Mat natural = coefficients;
      ForwardNtt(natural);
      ASSERT_EQ(natural, expected) << "log_n=" << log_n << " width=" << width;
      Mat bit_reversed = coefficients;
      ForwardNtt(bit_reversed, RowOrder::kBitReversed);
      ASSERT_EQ(bit_reversed, BitReversedCopy(expected)) << "log_n=" << log_n << " width=" << width;
      Mat radix2 = coefficients;
      ForwardNttRadix2(radix2);
      ASSERT_EQ(radix2, expected) << "log_n=" << log_n << " width=" << width;
    }
  }
}

TEST(Ntt, InverseRoundTripsInBothOrders) {
  for (int log_n : {0, 1, 2, 5, 10, 12}) {
    for (size_t width : kWidths) {
      Mat coefficients = RandomMatrix(size_t{1} << log_n, width, 7 + log_n * 31 + width);
      Mat m = coefficients;
      ForwardNtt(m);
      InverseNtt(m);
      ASSERT_EQ(m, coefficients) << "natural log_n=" << log_n << " width=" << width;
      ForwardNtt(m, RowOrder::kBitReversed);
      InverseNtt(m, RowOrder::kBitReversed);
      ASSERT_EQ(m, coefficients) << "bit-reversed log_n=" << log_n << " width=" << width;
    }
  }
}

TEST(Ntt, InverseOfDirectEvaluationGivesCoefficients) {
  Mat coefficients = RandomMatrix(64, 5, 3);
  Mat evaluations = DirectEvaluation(coefficients, 64, KoalaBear::One());
  InverseNtt(evaluations);
  EXPECT_EQ(evaluations, coefficients);
}

// Sizes large enough that the transform leaves the single-cache-block path and runs fused
// outer passes (width 16: 2^13 rows per block; width 300: 2^8 rows per block).
TEST(Ntt, BlockedTransformMatchesRadix2AndSpotEvaluations) {
  for (auto [log_n, width] : std::vector<std::pair<int, size_t>>{{15, 16}, {11, 300}, {17, 1}}) {
    Mat coefficients = RandomMatrix(size_t{1} << log_n, width, log_n);
    Mat fast = coefficients, reference = coefficients;
    ForwardNtt(fast);
    ForwardNttRadix2(reference);
    ASSERT_EQ(fast, reference) << "log_n=" << log_n << " width=" << width;
    KoalaBear w = KoalaBear::TwoAdicGenerator(log_n);
    for (size_t row : {size_t{0}, size_t{1}, size_t{5}, fast.rows() / 2 + 3, fast.rows() - 1}) {
      for (size_t column : {size_t{0}, width - 1}) {
        ASSERT_EQ(fast.At(row, column), Evaluate(coefficients, column, w.Pow(row)))
            << "row " << row << " column " << column;
      }
    }
    InverseNtt(fast);
    ASSERT_EQ(fast, coefficients);
  }
}

TEST(Ntt, ResultDoesNotDependOnThreadCount) {
  Mat coefficients = RandomMatrix(size_t{1} << 15, 16, 5);
  Mat one_thread = coefficients, default_threads = coefficients;
  tbb::task_arena(1).execute([&] { ForwardNtt(one_thread); });
  ForwardNtt(default_threads);
  EXPECT_EQ(one_thread, default_threads);
}

TEST(CosetLde, MatchesDirectEvaluationOnTheCoset) {
  const KoalaBear shift = KoalaBear::FromU32(KoalaBear::kGenerator);
  for (int log_n : {0, 1, 3, 6}) {
    for (int log_blowup : {0, 1, 2, 3}) {
      for (size_t width : {size_t{1}, size_t{16}, size_t{19}}) {
        const size_t n = size_t{1} << log_n;
        Mat coefficients = RandomMatrix(n, width, log_n * 10 + log_blowup + width * 1000);
        Mat expected = DirectEvaluation(coefficients, n << log_blowup, shift);
        Mat evaluations = coefficients;
        ForwardNtt(evaluations);
        std::string where = "log_n=" + std::to_string(log_n) +
                            " log_blowup=" + std::to_string(log_blowup) +
                            " width=" + std::to_string(width);
        ASSERT_EQ(CosetLdeFromEvaluations(evaluations, log_blowup, shift), expected) << where;
        ASSERT_EQ(CosetLdeFromCoefficients(coefficients, log_blowup, shift), expected) << where;
        ASSERT_EQ(CosetLdeFromEvaluations(evaluations, log_blowup, shift, RowOrder::kBitReversed),
                  BitReversedCopy(expected))
            << where;
        ASSERT_EQ(CosetLdeFromCoefficients(coefficients, log_blowup, shift, RowOrder::kBitReversed),
                  BitReversedCopy(expected))
            << where;
      }
    }
  }
}

TEST(CosetLde, LargeLdeMatchesSpotEvaluations) {
  const KoalaBear shift = KoalaBear::FromU32(KoalaBear::kGenerator);
  Mat coefficients = RandomMatrix(size_t{1} << 14, 16, 77);
  Mat evaluations = coefficients;
  ForwardNtt(evaluations);
  Mat lde = CosetLdeFromEvaluations(evaluations, 2, shift);
  ASSERT_EQ(lde.rows(), size_t{1} << 16);
  KoalaBear w = KoalaBear::TwoAdicGenerator(16);
  for (size_t row : {size_t{0}, size_t{1}, size_t{4097}, lde.rows() - 1}) {
    ASSERT_EQ(lde.At(row, 7), Evaluate(coefficients, 7, shift * w.Pow(row))) << row;
  }
  Mat bit_reversed = CosetLdeFromEvaluations(evaluations, 2, shift, RowOrder::kBitReversed);
  BitReverseRows(bit_reversed);
  ASSERT_EQ(bit_reversed, lde);
  // Interpolating back on the coset: shifting the coefficients undoes the coset.
  Mat back = lde;
  InverseNtt(back);
  KoalaBear shift_power = KoalaBear::One(), shift_inverse = shift.Inverse();
  for (size_t i = 0; i < back.rows(); ++i, shift_power *= shift_inverse) {
    KoalaBear expected = i < coefficients.rows() ? coefficients.At(i, 3) : KoalaBear::Zero();
    ASSERT_EQ(back.At(i, 3) * shift_power, expected) << i;
  }
}

TEST(CosetLde, OutputBufferIsReusedOrReshaped) {
  const KoalaBear shift = KoalaBear::FromU32(KoalaBear::kGenerator);
  Mat coefficients = RandomMatrix(256, 20, 31);
  Mat expected = DirectEvaluation(coefficients, 1024, shift);
  Mat evaluations = coefficients;
  ForwardNtt(evaluations);
  Mat output = RandomMatrix(1024, 20, 32);  // right shape, stale contents
  const KoalaBear* storage = output.data();
  CosetLdeFromEvaluations(evaluations, 2, shift, output);
  EXPECT_EQ(output.data(), storage);
  EXPECT_EQ(output, expected);
  output = RandomMatrix(1024, 20, 33);
  CosetLdeFromCoefficients(coefficients, 2, shift, output);
  EXPECT_EQ(output, expected);
  Mat wrong_shape = RandomMatrix(8, 3, 34);
  CosetLdeFromCoefficients(coefficients, 2, shift, wrong_shape);
  EXPECT_EQ(wrong_shape, expected);
}

TEST(NttErrors, NonPowerOfTwoIsRejectedWithItsSize) {
  Mat three_rows(3, 4);
  try {
    ForwardNtt(three_rows);
    FAIL() << "expected NttError";
  } catch (const NttError& e) {
    EXPECT_NE(std::string(e.what()).find("row count 3 is not a power of two"), std::string::npos)
        << e.what();
  }
  Mat empty(0, 4);
  EXPECT_THROW(InverseNtt(empty), NttError);
  Mat twelve(12, 1);
  EXPECT_THROW(CosetLdeFromEvaluations(twelve, 1, KoalaBear::One()), NttError);
  EXPECT_THROW(CosetLdeFromCoefficients(twelve, 1, KoalaBear::One()), NttError);
  EXPECT_THROW(BitReverseRows(twelve), NttError);
  EXPECT_THROW(ForwardNttRadix2(twelve), NttError);
}

TEST(NttErrors, DomainAboveTwoAdicityIsRejected) {
  Mat m(4, 1);
  try {
    CosetLdeFromEvaluations(m, 23, KoalaBear::One());
    FAIL() << "expected NttError";
  } catch (const NttError& e) {
    EXPECT_NE(std::string(e.what()).find("blowup 2^23 of 4 rows"), std::string::npos) << e.what();
  }
  EXPECT_THROW(CosetLdeFromEvaluations(m, -1, KoalaBear::One()), NttError);
  EXPECT_EQ(CheckedLog2Rows(size_t{1} << 24, "x"), 24);
  EXPECT_THROW(CheckedLog2Rows((size_t{1} << 25), "x"), NttError);
}

}  // namespace
}  // namespace zkrv::stark
