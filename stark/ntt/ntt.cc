#include "stark/ntt/ntt.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
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
  static const KoalaBear* level(int level, bool inverse) {
    static TwiddleTables tables;
    int index = level + (inverse ? kMaxLogRows : 0);
    std::call_once(tables.built_[index], [&] {
      KoalaBear root = KoalaBear::two_adic_generator(level + 1);
      if (inverse) root = root.inverse();
      std::vector<KoalaBear>& entries = tables.levels_[index];
      entries.resize(size_t{1} << level);
      KoalaBear power = KoalaBear::one();
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

size_t reverse_bits(size_t value, int bits) {
  if (bits == 0) return 0;
  static constexpr std::array<uint8_t, 256> kByteReversed = [] {
    std::array<uint8_t, 256> table{};
    for (int x = 0; x < 256; ++x) {
      int r = 0;
      for (int i = 0; i < 8; ++i) r |= ((x >> i) & 1) << (7 - i);
      table[x] = static_cast<uint8_t>(r);
    }
    return table;
  }();
  uint64_t reversed = 0;
  for (int byte = 0; byte < 8; ++byte) {
    reversed = (reversed << 8) | kByteReversed[(value >> (8 * byte)) & 0xff];
  }
  return static_cast<size_t>(reversed >> (64 - bits));
}

// One column chunk of a fused group of K butterfly layers over the 2^K rows
// rows[m] = base + m * 2^low_level. Decimation in frequency (kDif: natural in, bit-reversed out)
// runs the layers top-down with butterfly (a, b) -> (a + b, (a - b) w); decimation in time runs
// them bottom-up with (a, b) -> (a + b w, a - b w).
template <int K, bool kDif>
inline void butterfly_chunk(KoalaBear* const (&rows)[1 << K], size_t column, size_t count,
                           const Packed (&twiddles)[K][1 << (K - 1)]) {
  constexpr int kRows = 1 << K;
  Packed v[kRows];
  for (int m = 0; m < kRows; ++m) {
    v[m] = count == Packed::kWidth ? Packed::load(rows[m] + column)
                                   : Packed::load_partial(rows[m] + column, count);
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
        v[m + half] = Packed::multiply_by_broadcast(a - b, w);
      } else {
        Packed t = Packed::multiply_by_broadcast(v[m + half], w);
        Packed a = v[m];
        v[m] = a + t;
        v[m + half] = a - t;
      }
    }
  }
  for (int m = 0; m < kRows; ++m) {
    if (count == Packed::kWidth) {
      v[m].store(rows[m] + column);
    } else {
      v[m].store_partial(rows[m] + column, count);
    }
  }
}

// Applies the K layers low_level .. low_level + K - 1 to the butterfly tuples [t_begin, t_end).
// Tuple t covers rows s + j + m * 2^low_level (m < 2^K) where j = t mod 2^low_level and s is the
// start of its block of 2^(low_level + K) rows; consecutive tuples touch consecutive rows.
template <int K, bool kDif>
void run_group(KoalaBear* data, size_t width, int low_level, bool inverse, size_t t_begin,
              size_t t_end) {
  constexpr int kRows = 1 << K;
  const KoalaBear* level_twiddles[K];
  for (int l = 0; l < K; ++l) level_twiddles[l] = TwiddleTables::level(low_level + l, inverse);
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
        twiddles[l][r] = Packed::broadcast(level_twiddles[l][j + r * h_low]);
      }
    }
    size_t column = 0;
    for (; column + Packed::kWidth <= width; column += Packed::kWidth) {
      butterfly_chunk<K, kDif>(rows, column, Packed::kWidth, twiddles);
    }
    if (column < width) butterfly_chunk<K, kDif>(rows, column, width - column, twiddles);
  }
}

void run_group_dispatch(int fused, bool dif, KoalaBear* data, size_t width, int low_level,
                      bool inverse, size_t t_begin, size_t t_end) {
  switch (fused * 2 + (dif ? 1 : 0)) {
    case 2:
      return run_group<1, false>(data, width, low_level, inverse, t_begin, t_end);
    case 3:
      return run_group<1, true>(data, width, low_level, inverse, t_begin, t_end);
    case 4:
      return run_group<2, false>(data, width, low_level, inverse, t_begin, t_end);
    case 5:
      return run_group<2, true>(data, width, low_level, inverse, t_begin, t_end);
    case 6:
      return run_group<3, false>(data, width, low_level, inverse, t_begin, t_end);
    case 7:
      return run_group<3, true>(data, width, low_level, inverse, t_begin, t_end);
  }
}

int log_block_rows(size_t width, int log_rows) {
  size_t block_rows = std::max<size_t>(2, kBlockBytes / (width * sizeof(KoalaBear)));
  return std::min(log_rows, static_cast<int>(std::bit_width(block_rows)) - 1);
}

// One pass over memory applying layers [low_level, low_level + fused) to all rows.
void parallel_pass(KoalaBear* data, size_t rows, size_t width, int low_level, int fused, bool dif,
                  bool inverse) {
  const size_t tuples = rows >> fused;
  const size_t grain = std::max<size_t>(16, (size_t{1} << 16) / ((size_t{1} << fused) * width * 4));
  tbb::parallel_for(
      tbb::blocked_range<size_t>(0, tuples, grain), [&](const tbb::blocked_range<size_t>& range) {
        run_group_dispatch(fused, dif, data, width, low_level, inverse, range.begin(), range.end());
      });
}

// Applies layers [first, last) inside each cache block of 2^block_log rows; `dif` runs them
// top-down, otherwise bottom-up. Requires last <= block_log.
void blocked_pass(KoalaBear* data, size_t rows, size_t width, int block_log, int first, int last,
                 bool dif, bool inverse) {
  if (first >= last) return;
  const size_t block_rows = size_t{1} << block_log;
  tbb::parallel_for(size_t{0}, rows / block_rows, [&](size_t block) {
    KoalaBear* block_data = data + block * block_rows * width;
    if (dif) {
      for (int top = last; top > first;) {
        int fused = std::min(kMaxFusedLayers, top - first);
        run_group_dispatch(fused, true, block_data, width, top - fused, inverse, 0,
                         block_rows >> fused);
        top -= fused;
      }
    } else {
      for (int low = first; low < last;) {
        int fused = std::min(kMaxFusedLayers, last - low);
        run_group_dispatch(fused, false, block_data, width, low, inverse, 0, block_rows >> fused);
        low += fused;
      }
    }
  });
}

// A run of whole rows inside some matrix: what the transforms below operate on.
struct Rows {
  KoalaBear* data;
  size_t count;
  size_t width;
};

Rows all_rows(Matrix<KoalaBear>& matrix) { return {matrix.data(), matrix.rows(), matrix.width()}; }

// Decimation in frequency: natural order in, bit-reversed order out, unscaled.
void dif(Rows rows, bool inverse) {
  const int log_rows = checked_log2_rows(rows.count, "NTT input");
  const int block_log = log_block_rows(rows.width, log_rows);
  int top = log_rows;  // layers [0, top) remain
  while (top > block_log) {
    int fused = std::min(kMaxFusedLayers, top - block_log);
    parallel_pass(rows.data, rows.count, rows.width, top - fused, fused, true, inverse);
    top -= fused;
  }
  blocked_pass(rows.data, rows.count, rows.width, block_log, 0, top, true, inverse);
}

// Decimation in time: bit-reversed order in, natural order out, unscaled. Layers below
// first_level are skipped (the LDE enters with them already applied).
void dit(Rows rows, bool inverse, int first_level = 0) {
  const int log_rows = checked_log2_rows(rows.count, "NTT input");
  const int block_log = log_block_rows(rows.width, log_rows);
  blocked_pass(rows.data, rows.count, rows.width, block_log, first_level, block_log, false, inverse);
  for (int low = std::max(first_level, block_log); low < log_rows;) {
    int fused = std::min(kMaxFusedLayers, log_rows - low);
    parallel_pass(rows.data, rows.count, rows.width, low, fused, false, inverse);
    low += fused;
  }
}

void bit_reverse(Rows rows) {
  const int log_rows = checked_log2_rows(rows.count, "bit_reverse_rows input");
  const size_t width = rows.width;
  const size_t row_bytes = width * sizeof(KoalaBear);
  KoalaBear* data = rows.data;
  auto swap_rows = [&](size_t i, size_t j) {
    std::swap_ranges(data + i * width, data + (i + 1) * width, data + j * width);
  };
  // Row index = [high t bits a | middle bits b | low t bits c]; its reversal is
  // [rev(c) | rev(b) | rev(a)]. For one middle value the 2^2t rows form 2^t runs of 2^t
  // consecutive rows on each side, so a tile of swaps touches a few contiguous runs (about a page
  // each) instead of 2^2t scattered rows: far fewer cache and TLB misses than a naive loop.
  const int run_log =
      std::max(0, static_cast<int>(std::bit_width(std::max<size_t>(1, 4096 / row_bytes))) - 1);
  const int t = std::min(run_log, log_rows / 2);
  const int middle_bits = log_rows - 2 * t;
  std::vector<size_t> reverse_t(size_t{1} << t);
  for (size_t x = 0; x < reverse_t.size(); ++x) reverse_t[x] = reverse_bits(x, t);
  const size_t run = size_t{1} << t;
  tbb::parallel_for(size_t{0}, size_t{1} << middle_bits, [&](size_t b) {
    const size_t rb = reverse_bits(b, middle_bits);
    if (b > rb) return;  // the tile pair (b, rb) is handled from its smaller member
    for (size_t a = 0; a < run; ++a) {
      for (size_t c = 0; c < run; ++c) {
        size_t i = (a << (middle_bits + t)) | (b << t) | c;
        size_t j = (reverse_t[c] << (middle_bits + t)) | (rb << t) | reverse_t[a];
        if (b < rb || i < j) swap_rows(i, j);
      }
    }
  });
}

void scale_rows(Rows rows, KoalaBear factor) {
  const Packed packed_factor = Packed::broadcast(factor);
  const size_t total = rows.count * rows.width;
  KoalaBear* data = rows.data;
  tbb::parallel_for(
      tbb::blocked_range<size_t>(0, total, 1 << 14), [&](const tbb::blocked_range<size_t>& range) {
        size_t i = range.begin();
        for (; i + Packed::kWidth <= range.end(); i += Packed::kWidth) {
          Packed::multiply_by_broadcast(Packed::load(data + i), packed_factor).store(data + i);
        }
        for (; i < range.end(); ++i) data[i] *= factor;
      });
}

// factors[k] = base^k * scale (or base^rev(k) * scale when bit_reversed), for k < 2^log_count.
std::vector<KoalaBear> powers(KoalaBear base, KoalaBear scale, int log_count, bool bit_reversed) {
  const size_t count = size_t{1} << log_count;
  std::vector<KoalaBear> factors(count);
  constexpr size_t kChunk = size_t{1} << 12;
  tbb::parallel_for(size_t{0}, (count + kChunk - 1) / kChunk, [&](size_t chunk) {
    size_t begin = chunk * kChunk, end = std::min(count, begin + kChunk);
    KoalaBear power = base.pow(begin) * scale;
    for (size_t i = begin; i < end; ++i) {
      factors[bit_reversed ? reverse_bits(i, log_count) : i] = power;
      power *= base;
    }
  });
  return factors;
}

// destination row k = source row k * factors[k], for k < factors.size(). source may equal
// destination.
void scale_rows_into(const KoalaBear* source, KoalaBear* destination, size_t width,
                   const std::vector<KoalaBear>& factors) {
  tbb::parallel_for(tbb::blocked_range<size_t>(0, factors.size(), 256),
                    [&](const tbb::blocked_range<size_t>& range) {
                      for (size_t k = range.begin(); k < range.end(); ++k) {
                        const Packed factor = Packed::broadcast(factors[k]);
                        for (size_t column = 0; column < width; column += Packed::kWidth) {
                          const size_t count = std::min(Packed::kWidth, width - column);
                          Packed::multiply_by_broadcast(
                              Packed::load_partial(source + k * width + column, count), factor)
                              .store_partial(destination + k * width + column, count);
                        }
                      }
                    });
}

void check_log_blowup(int log_blowup, size_t rows) {
  if (log_blowup < 0 || log_blowup > kMaxLogRows ||
      (rows << log_blowup) > (size_t{1} << kMaxLogRows)) {
    throw NttError("coset LDE: blowup 2^" + std::to_string(log_blowup) + " of " +
                   std::to_string(rows) + " rows exceeds the 2^24-point domain limit");
  }
}

// Copies `input` into the first rows of `output`, which is (re)shaped to input.rows() << log_blowup
// rows; its storage is reused when the shape already matches.
Rows prepare_lde_output(const Matrix<KoalaBear>& input, int log_blowup, Matrix<KoalaBear>& output) {
  const size_t rows = input.rows() << log_blowup;
  if (output.rows() != rows || output.width() != input.width()) {
    output = Matrix<KoalaBear>(rows, input.width());
  }
  const size_t total = input.rows() * input.width();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, total, 1 << 16),
                    [&](const tbb::blocked_range<size_t>& range) {
                      std::copy(input.data() + range.begin(), input.data() + range.end(),
                                output.data() + range.begin());
                    });
  return {output.data(), input.rows(), input.width()};
}

// Natural-order LDE tail. `output` holds n bit-reversed coefficient rows in its first rows
// (row k = c_rev(k), up to factors[k]). Multiplies row k by factors[k] and copies it to rows
// k*b .. k*b + b - 1 (for a zero-padded bit-reversed input the first log2(b) DIT layers only
// copy), then runs the remaining DIT layers. The spread is in place: rows [n/2^(i+1), n/2^i) go
// in phase i, whose destinations lie at or above n/2^i, past every source row not yet read.
void spread_and_extend(Matrix<KoalaBear>& output, size_t n, int log_blowup,
                     const std::vector<KoalaBear>& factors) {
  const size_t width = output.width();
  const size_t blowup = size_t{1} << log_blowup;
  auto spread_rows = [&](size_t begin, size_t end) {
    tbb::parallel_for(tbb::blocked_range<size_t>(begin, end, 256),
                      [&](const tbb::blocked_range<size_t>& range) {
                        for (size_t k = range.begin(); k < range.end(); ++k) {
                          const Packed factor = Packed::broadcast(factors[k]);
                          for (size_t column = 0; column < width; column += Packed::kWidth) {
                            const size_t count = std::min(Packed::kWidth, width - column);
                            Packed value = Packed::multiply_by_broadcast(
                                Packed::load_partial(output.row(k).data() + column, count), factor);
                            for (size_t t = 0; t < blowup; ++t) {
                              value.store_partial(output.row(k * blowup + t).data() + column, count);
                            }
                          }
                        }
                      });
  };
  if (blowup == 1) {
    spread_rows(0, n);
  } else {
    for (size_t end = n; end > 1; end /= 2) spread_rows(end / 2, end);
    spread_rows(0, 1);
  }
  dit(all_rows(output), /*inverse=*/false, log_blowup);
}

// Bit-reversed LDE output without a permutation pass. Output row t*n + u holds
// f(s * w_bn^(rev_n(u) * b + rev_b(t))) = g_t(w_n^rev_n(u)) with g_t(x) = f(s_t x) and
// s_t = s * w_bn^rev_b(t): chunk t is the bit-reversed evaluation of g_t on H_n, i.e. one size-n
// DIF of the coefficients scaled by s_t^i. `output` holds the natural-order coefficients (times
// 1/scale) in its first n rows.
void extend_cosets_bit_reversed(Matrix<KoalaBear>& output, size_t n, int log_blowup, KoalaBear shift,
                             KoalaBear scale) {
  const int log_rows = std::countr_zero(n);
  const size_t blowup = size_t{1} << log_blowup;
  const size_t width = output.width();
  const KoalaBear w = KoalaBear::two_adic_generator(log_rows + log_blowup);
  // Chunk 0 is scaled in place last, after every other chunk has read the coefficients.
  for (size_t t = blowup; t-- > 0;) {
    KoalaBear chunk_shift = shift * w.pow(reverse_bits(t, log_blowup));
    scale_rows_into(output.data(), output.row(t * n).data(), width,
                  powers(chunk_shift, scale, log_rows, /*bit_reversed=*/false));
  }
  for (size_t t = 0; t < blowup; ++t) {
    dif(Rows{output.row(t * n).data(), n, width}, /*inverse=*/false);
  }
}

}  // namespace

int checked_log2_rows(size_t rows, const char* what) {
  if (rows == 0 || !std::has_single_bit(rows) || rows > (size_t{1} << kMaxLogRows)) {
    throw NttError(std::string(what) + ": row count " + std::to_string(rows) +
                   " is not a power of two in [1, 2^24]");
  }
  return std::countr_zero(rows);
}

void bit_reverse_rows(Matrix<KoalaBear>& matrix) { bit_reverse(all_rows(matrix)); }

void forward_ntt(Matrix<KoalaBear>& matrix, RowOrder output_order) {
  if (output_order == RowOrder::kBitReversed) {
    dif(all_rows(matrix), /*inverse=*/false);
  } else {
    bit_reverse(all_rows(matrix));
    dit(all_rows(matrix), /*inverse=*/false);
  }
}

void inverse_ntt(Matrix<KoalaBear>& matrix, RowOrder input_order) {
  const int log_rows = checked_log2_rows(matrix.rows(), "inverse NTT input");
  if (input_order == RowOrder::kBitReversed) {
    dit(all_rows(matrix), /*inverse=*/true);
  } else {
    dif(all_rows(matrix), /*inverse=*/true);
    bit_reverse(all_rows(matrix));
  }
  scale_rows(all_rows(matrix), KoalaBear::from_u32(1u << log_rows).inverse());
}

void coset_lde_from_evaluations(const Matrix<KoalaBear>& evaluations, int log_blowup, KoalaBear shift,
                             Matrix<KoalaBear>& output, RowOrder output_order) {
  const int log_rows = checked_log2_rows(evaluations.rows(), "coset LDE evaluations");
  check_log_blowup(log_blowup, evaluations.rows());
  Rows head = prepare_lde_output(evaluations, log_blowup, output);
  dif(head, /*inverse=*/true);  // row k: n * c_rev(k)
  const KoalaBear n_inverse = KoalaBear::from_u32(1u << log_rows).inverse();
  if (output_order == RowOrder::kBitReversed) {
    bit_reverse(head);  // natural-order coefficients, times n
    extend_cosets_bit_reversed(output, head.count, log_blowup, shift, n_inverse);
    return;
  }
  spread_and_extend(output, head.count, log_blowup,
                  powers(shift, n_inverse, log_rows, /*bit_reversed=*/true));
}

void coset_lde_from_coefficients(const Matrix<KoalaBear>& coefficients, int log_blowup,
                              KoalaBear shift, Matrix<KoalaBear>& output, RowOrder output_order) {
  const int log_rows = checked_log2_rows(coefficients.rows(), "coset LDE coefficients");
  check_log_blowup(log_blowup, coefficients.rows());
  Rows head = prepare_lde_output(coefficients, log_blowup, output);
  if (output_order == RowOrder::kBitReversed) {
    extend_cosets_bit_reversed(output, head.count, log_blowup, shift, KoalaBear::one());
    return;
  }
  bit_reverse(head);
  spread_and_extend(output, head.count, log_blowup,
                  powers(shift, KoalaBear::one(), log_rows, /*bit_reversed=*/true));
}

Matrix<KoalaBear> coset_lde_from_evaluations(const Matrix<KoalaBear>& evaluations, int log_blowup,
                                          KoalaBear shift, RowOrder output_order) {
  Matrix<KoalaBear> output;
  coset_lde_from_evaluations(evaluations, log_blowup, shift, output, output_order);
  return output;
}

Matrix<KoalaBear> coset_lde_from_coefficients(const Matrix<KoalaBear>& coefficients, int log_blowup,
                                           KoalaBear shift, RowOrder output_order) {
  Matrix<KoalaBear> output;
  coset_lde_from_coefficients(coefficients, log_blowup, shift, output, output_order);
  return output;
}

void forward_ntt_radix2(Matrix<KoalaBear>& matrix) {
  const int log_rows = checked_log2_rows(matrix.rows(), "NTT input");
  bit_reverse(all_rows(matrix));
  for (int level = 0; level < log_rows; ++level) {
    run_group<1, false>(matrix.data(), matrix.width(), level, /*inverse=*/false, 0,
                       matrix.rows() >> 1);
  }
}

}  // namespace zkrv::stark
