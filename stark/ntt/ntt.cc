#include "stark/ntt/ntt.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <bit>
#include <mutex>
#include <string>
#include <vector>

#include "stark/field/packed_koalabear.h"

namespace zkrv::stark {
namespace {

using Packed = PackedKoalaBear;
constexpr int kMaxLogRows = KoalaBear::kTwoAdicity;

// Rows of one cache block: the inner layers of a transform run block by block, so a block should
// stay in the per-core L2 cache (1-2 MiB on the target Xeons/EPYCs) with room for twiddles.
constexpr size_t kBlockBytes = size_t{1} << 19;
// Most layers fused into one pass over memory: 2^3 rows (8 zmm registers per column chunk).
constexpr int kMaxFusedLayers = 3;

// Twiddles for butterfly layer `level` (half-size h = 2^level): entry j is w_{2h}^j (or its
// inverse), j < h. Each level is built once, on first use, and shared by all transform sizes.
class TwiddleTables {
 public:
  static const KoalaBear* Level(int level, bool inverse) {
    static TwiddleTables tables;
    int index = level + (inverse ? kMaxLogRows : 0);
    std::call_once(tables.built_[index], [&] {
      KoalaBear root = KoalaBear::TwoAdicGenerator(level + 1);
      if (inverse) root = root.Inverse();
      std::vector<KoalaBear>& entries = tables.levels_[index];
      entries.resize(size_t{1} << level);
      KoalaBear power = KoalaBear::One();
      for (KoalaBear& entry : entries) {
        entry = power;
        power *= root;
      }
    });
    return tables.levels_[index].data();
  }

 private:
  std::array<std::once_flag, 2 * kMaxLogRows> built_;
  std::array<std::vector<KoalaBear>, 2 * kMaxLogRows> levels_;
};

size_t ReverseBits(size_t value, int bits) {
  if (bits == 0) return 0;
  size_t reversed = 0;
  for (int i = 0; i < bits; ++i) reversed |= ((value >> i) & 1) << (bits - 1 - i);
  return reversed;
}

// One column chunk of a fused group of K butterfly layers over the 2^K rows
// rows[m] = base + m * 2^low_level. Decimation in frequency (kDif: natural in, bit-reversed out)
// runs the layers top-down with butterfly (a, b) -> (a + b, (a - b) w); decimation in time runs
// them bottom-up with (a, b) -> (a + b w, a - b w).
template <int K, bool kDif>
inline void ButterflyChunk(KoalaBear* const (&rows)[1 << K], size_t column, size_t count,
                           const Packed (&twiddles)[K][1 << (K - 1)]) {
  constexpr int kRows = 1 << K;
  Packed v[kRows];
  for (int m = 0; m < kRows; ++m) {
    v[m] = count == Packed::kWidth ? Packed::Load(rows[m] + column)
                                   : Packed::LoadPartial(rows[m] + column, count);
  }
  for (int step = 0; step < K; ++step) {
    const int l = kDif ? K - 1 - step : step;  // layer within the group, half-size 2^l rows apart
    const int half = 1 << l;
    for (int m = 0; m < kRows; ++m) {
      if (m & half) continue;
      const Packed& w = twiddles[l][m & (half - 1)];
      if constexpr (kDif) {
        Packed a = v[m], b = v[m + half];
        v[m] = a + b;
        v[m + half] = Packed::MultiplyByBroadcast(a - b, w);
      } else {
        Packed t = Packed::MultiplyByBroadcast(v[m + half], w);
        Packed a = v[m];
        v[m] = a + t;
        v[m + half] = a - t;
      }
    }
  }
  for (int m = 0; m < kRows; ++m) {
    if (count == Packed::kWidth) {
      v[m].Store(rows[m] + column);
    } else {
      v[m].StorePartial(rows[m] + column, count);
    }
  }
}

// Applies the K layers low_level .. low_level + K - 1 to the butterfly tuples [t_begin, t_end).
// Tuple t covers rows s + j + m * 2^low_level (m < 2^K) where j = t mod 2^low_level and s is the
// start of its block of 2^(low_level + K) rows; consecutive tuples touch consecutive rows.
template <int K, bool kDif>
void RunGroup(KoalaBear* data, size_t width, int low_level, bool inverse, size_t t_begin,
              size_t t_end) {
  constexpr int kRows = 1 << K;
  const KoalaBear* level_twiddles[K];
  for (int l = 0; l < K; ++l) level_twiddles[l] = TwiddleTables::Level(low_level + l, inverse);
  const size_t h_low = size_t{1} << low_level;
  for (size_t t = t_begin; t < t_end; ++t) {
    const size_t j = t & (h_low - 1);
    const size_t s = (t >> low_level) << (low_level + K);
    KoalaBear* rows[kRows];
    for (int m = 0; m < kRows; ++m) rows[m] = data + (s + j + m * h_low) * width;
    // Layer l pairs rows m and m + 2^l; its twiddle index is the top row's offset in its
    // 2^(low_level + l + 1)-row block: j + (m mod 2^l) * h_low.
    Packed twiddles[K][kRows / 2];
    for (int l = 0; l < K; ++l) {
      for (int r = 0; r < (1 << l); ++r) {
        twiddles[l][r] = Packed::Broadcast(level_twiddles[l][j + r * h_low]);
      }
    }
    size_t column = 0;
    for (; column + Packed::kWidth <= width; column += Packed::kWidth) {
      ButterflyChunk<K, kDif>(rows, column, Packed::kWidth, twiddles);
    }
    if (column < width) ButterflyChunk<K, kDif>(rows, column, width - column, twiddles);
  }
}

void RunGroupDispatch(int fused, bool dif, KoalaBear* data, size_t width, int low_level,
                      bool inverse, size_t t_begin, size_t t_end) {
  switch (fused * 2 + (dif ? 1 : 0)) {
    case 2: return RunGroup<1, false>(data, width, low_level, inverse, t_begin, t_end);
    case 3: return RunGroup<1, true>(data, width, low_level, inverse, t_begin, t_end);
    case 4: return RunGroup<2, false>(data, width, low_level, inverse, t_begin, t_end);
    case 5: return RunGroup<2, true>(data, width, low_level, inverse, t_begin, t_end);
    case 6: return RunGroup<3, false>(data, width, low_level, inverse, t_begin, t_end);
    case 7: return RunGroup<3, true>(data, width, low_level, inverse, t_begin, t_end);
  }
}

int BlockLog(size_t width, int log_rows) {
  size_t block_rows = std::max<size_t>(2, kBlockBytes / (width * sizeof(KoalaBear)));
  return std::min(log_rows, static_cast<int>(std::bit_width(block_rows)) - 1);
}

// One pass over memory applying layers [low_level, low_level + fused) to all rows.
void ParallelPass(KoalaBear* data, size_t rows, size_t width, int low_level, int fused, bool dif,
                  bool inverse) {
  const size_t tuples = rows >> fused;
  const size_t grain = std::max<size_t>(16, (size_t{1} << 16) / ((size_t{1} << fused) * width * 4));
  tbb::parallel_for(tbb::blocked_range<size_t>(0, tuples, grain),
                    [&](const tbb::blocked_range<size_t>& range) {
                      RunGroupDispatch(fused, dif, data, width, low_level, inverse, range.begin(),
                                       range.end());
                    });
}

// Applies layers [first, last) inside each cache block of 2^block_log rows; `dif` runs them
// top-down, otherwise bottom-up. Requires last <= block_log.
void BlockedPass(KoalaBear* data, size_t rows, size_t width, int block_log, int first, int last,
                 bool dif, bool inverse) {
  if (first >= last) return;
  const size_t block_rows = size_t{1} << block_log;
  tbb::parallel_for(size_t{0}, rows / block_rows, [&](size_t block) {
    KoalaBear* block_data = data + block * block_rows * width;
    if (dif) {
      for (int top = last; top > first;) {
        int fused = std::min(kMaxFusedLayers, top - first);
        RunGroupDispatch(fused, true, block_data, width, top - fused, inverse, 0,
                         block_rows >> fused);
        top -= fused;
      }
    } else {
      for (int low = first; low < last;) {
        int fused = std::min(kMaxFusedLayers, last - low);
        RunGroupDispatch(fused, false, block_data, width, low, inverse, 0, block_rows >> fused);
        low += fused;
      }
    }
  });
}

// Decimation in frequency: natural order in, bit-reversed order out, unscaled.
void Dif(Matrix<KoalaBear>& matrix, bool inverse) {
  const int log_rows = CheckedLog2Rows(matrix.rows(), "NTT input");
  const int block_log = BlockLog(matrix.width(), log_rows);
  int top = log_rows;  // layers [0, top) remain
  while (top > block_log) {
    int fused = std::min(kMaxFusedLayers, top - block_log);
    ParallelPass(matrix.data(), matrix.rows(), matrix.width(), top - fused, fused, true, inverse);
    top -= fused;
  }
  BlockedPass(matrix.data(), matrix.rows(), matrix.width(), block_log, 0, top, true, inverse);
}

// Decimation in time: bit-reversed order in, natural order out, unscaled. Layers below
// first_level are skipped (the LDE enters with them already applied).
void Dit(Matrix<KoalaBear>& matrix, bool inverse, int first_level = 0) {
  const int log_rows = CheckedLog2Rows(matrix.rows(), "NTT input");
  const int block_log = BlockLog(matrix.width(), log_rows);
  const int blocked_end = std::max(first_level, block_log);
  BlockedPass(matrix.data(), matrix.rows(), matrix.width(), block_log, first_level, block_log,
              false, inverse);
  for (int low = blocked_end; low < log_rows;) {
    int fused = std::min(kMaxFusedLayers, log_rows - low);
    ParallelPass(matrix.data(), matrix.rows(), matrix.width(), low, fused, false, inverse);
    low += fused;
  }
}

void ScaleRows(Matrix<KoalaBear>& matrix, KoalaBear factor) {
  const Packed packed_factor = Packed::Broadcast(factor);
  const size_t total = matrix.rows() * matrix.width();
  KoalaBear* data = matrix.data();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, total, 1 << 14),
                    [&](const tbb::blocked_range<size_t>& range) {
                      size_t i = range.begin();
                      for (; i + Packed::kWidth <= range.end(); i += Packed::kWidth) {
                        Packed::MultiplyByBroadcast(Packed::Load(data + i), packed_factor)
                            .Store(data + i);
                      }
                      for (; i < range.end(); ++i) data[i] *= factor;
                    });
}

std::vector<KoalaBear> Powers(KoalaBear base, size_t count) {
  std::vector<KoalaBear> powers(count);
  constexpr size_t kChunk = size_t{1} << 12;
  tbb::parallel_for(size_t{0}, (count + kChunk - 1) / kChunk, [&](size_t chunk) {
    size_t begin = chunk * kChunk, end = std::min(count, begin + kChunk);
    KoalaBear power = base.Pow(begin);
    for (size_t i = begin; i < end; ++i) {
      powers[i] = power;
      power *= base;
    }
  });
  return powers;
}

// Shared LDE tail. `bit_reversed_coefficients` row k holds c_rev(k) * scale_k, where
// row_factor(k) supplies the remaining factor for row k. Spreads each row over b = 2^log_blowup
// output rows (the first log_blowup DIT layers of a zero-padded bit-reversed input only copy)
// and finishes with the remaining DIT layers.
template <typename RowFactor>
Matrix<KoalaBear> SpreadAndExtend(const Matrix<KoalaBear>& bit_reversed_coefficients,
                                  int log_blowup, RowFactor row_factor, RowOrder output_order) {
  const size_t rows = bit_reversed_coefficients.rows();
  const size_t width = bit_reversed_coefficients.width();
  const size_t blowup = size_t{1} << log_blowup;
  Matrix<KoalaBear> extended(rows * blowup, width);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, rows, 256),
                    [&](const tbb::blocked_range<size_t>& range) {
                      for (size_t k = range.begin(); k < range.end(); ++k) {
                        const Packed factor = Packed::Broadcast(row_factor(k));
                        const KoalaBear* source = bit_reversed_coefficients.Row(k).data();
                        for (size_t column = 0; column < width; column += Packed::kWidth) {
                          size_t count = std::min(Packed::kWidth, width - column);
                          Packed value = Packed::MultiplyByBroadcast(
                              Packed::LoadPartial(source + column, count), factor);
                          for (size_t t = 0; t < blowup; ++t) {
                            value.StorePartial(extended.Row(k * blowup + t).data() + column, count);
                          }
                        }
                      }
                    });
  Dit(extended, /*inverse=*/false, log_blowup);
  if (output_order == RowOrder::kBitReversed) BitReverseRows(extended);
  return extended;
}

void CheckLogBlowup(int log_blowup, size_t rows) {
  if (log_blowup < 0 || log_blowup > kMaxLogRows ||
      (rows << log_blowup) > (size_t{1} << kMaxLogRows)) {
    throw NttError("coset LDE: blowup 2^" + std::to_string(log_blowup) + " of " +
                   std::to_string(rows) + " rows exceeds the 2^24-point domain limit");
  }
}

}  // namespace

int CheckedLog2Rows(size_t rows, const char* what) {
  if (rows == 0 || !std::has_single_bit(rows) || rows > (size_t{1} << kMaxLogRows)) {
    throw NttError(std::string(what) + ": row count " + std::to_string(rows) +
                   " is not a power of two in [1, 2^24]");
  }
  return std::countr_zero(rows);
}

void BitReverseRows(Matrix<KoalaBear>& matrix) {
  const int log_rows = CheckedLog2Rows(matrix.rows(), "BitReverseRows input");
  const size_t width = matrix.width();
  KoalaBear* data = matrix.data();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, matrix.rows(), 1024),
                    [&](const tbb::blocked_range<size_t>& range) {
                      for (size_t i = range.begin(); i < range.end(); ++i) {
                        size_t j = ReverseBits(i, log_rows);
                        if (i < j) std::swap_ranges(data + i * width, data + (i + 1) * width, data + j * width);
                      }
                    });
}

void ForwardNtt(Matrix<KoalaBear>& matrix, RowOrder output_order) {
  if (output_order == RowOrder::kBitReversed) {
    Dif(matrix, /*inverse=*/false);
  } else {
    BitReverseRows(matrix);
    Dit(matrix, /*inverse=*/false);
  }
}

void InverseNtt(Matrix<KoalaBear>& matrix, RowOrder input_order) {
  const int log_rows = CheckedLog2Rows(matrix.rows(), "inverse NTT input");
  if (input_order == RowOrder::kBitReversed) {
    Dit(matrix, /*inverse=*/true);
  } else {
    Dif(matrix, /*inverse=*/true);
    BitReverseRows(matrix);
  }
  ScaleRows(matrix, KoalaBear::FromU32(1u << log_rows).Inverse());
}

Matrix<KoalaBear> CosetLdeFromEvaluations(const Matrix<KoalaBear>& evaluations, int log_blowup,
                                          KoalaBear shift, RowOrder output_order) {
  const int log_rows = CheckedLog2Rows(evaluations.rows(), "coset LDE evaluations");
  CheckLogBlowup(log_blowup, evaluations.rows());
  Matrix<KoalaBear> coefficients = evaluations;
  Dif(coefficients, /*inverse=*/true);  // row k: n * c_rev(k)
  const std::vector<KoalaBear> shift_powers = Powers(shift, evaluations.rows());
  const KoalaBear n_inverse = KoalaBear::FromU32(1u << log_rows).Inverse();
  return SpreadAndExtend(
      coefficients, log_blowup,
      [&](size_t k) { return shift_powers[ReverseBits(k, log_rows)] * n_inverse; }, output_order);
}

Matrix<KoalaBear> CosetLdeFromCoefficients(const Matrix<KoalaBear>& coefficients, int log_blowup,
                                           KoalaBear shift, RowOrder output_order) {
  CheckedLog2Rows(coefficients.rows(), "coset LDE coefficients");
  CheckLogBlowup(log_blowup, coefficients.rows());
  Matrix<KoalaBear> bit_reversed = coefficients;
  BitReverseRows(bit_reversed);
  const int log_rows = std::countr_zero(coefficients.rows());
  const std::vector<KoalaBear> shift_powers = Powers(shift, coefficients.rows());
  return SpreadAndExtend(
      bit_reversed, log_blowup, [&](size_t k) { return shift_powers[ReverseBits(k, log_rows)]; },
      output_order);
}

void ForwardNttRadix2(Matrix<KoalaBear>& matrix) {
  const int log_rows = CheckedLog2Rows(matrix.rows(), "NTT input");
  BitReverseRows(matrix);
  for (int level = 0; level < log_rows; ++level) {
    RunGroup<1, false>(matrix.data(), matrix.width(), level, /*inverse=*/false, 0,
                       matrix.rows() >> 1);
  }
}

}  // namespace zkrv::stark
