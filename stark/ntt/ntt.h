// Number-theoretic transforms over KoalaBear, batched over the columns of a row-major matrix.
//
// Every column of a Matrix<KoalaBear> with n = 2^k rows is one polynomial; transforms run along
// the row axis, so a row (one Merkle leaf) stays contiguous. Evaluation domains are the subgroup
// H = <w_n> with w_n = KoalaBear::two_adic_generator(k), or a coset shift * H.
//
// Conventions: coefficient vectors are c_0..c_{n-1} (row i holds c_i); "natural" evaluation order
// means row i holds f(shift * w_n^i); "bit-reversed" means row i holds f(shift * w_n^rev_k(i)),
// the order FRI folding prefers (the two points folded together are adjacent rows).
//
// Sizes must be powers of two between 1 and 2^24 rows; anything else throws NttError naming the
// offending size. Work is split over the current TBB arena (run inside a tbb::task_arena to bound
// the thread count).
#pragma once

#include <cstddef>
#include <stdexcept>

#include "stark/field/koalabear.h"
#include "stark/field/matrix.h"

namespace zkrv::stark {

class NttError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

enum class RowOrder { kNatural, kBitReversed };

// Coefficients (natural order) -> evaluations on H, in `output_order`. In place.
void forward_ntt(Matrix<KoalaBear>& matrix, RowOrder output_order = RowOrder::kNatural);

// Evaluations on H given in `input_order` -> coefficients (natural order). In place.
void inverse_ntt(Matrix<KoalaBear>& matrix, RowOrder input_order = RowOrder::kNatural);

// Coset low-degree extension. `evaluations` holds n rows, f(w_n^i) for each column (natural
// order); the result holds 2^log_blowup * n rows: f(shift * w_{bn}^i) in `output_order`.
// shift must not lie in the subgroup of order b*n for the result to be a proper coset; the usual
// choice is KoalaBear::from_u32(KoalaBear::kGenerator).
Matrix<KoalaBear> coset_lde_from_evaluations(const Matrix<KoalaBear>& evaluations, int log_blowup,
                                          KoalaBear shift,
                                          RowOrder output_order = RowOrder::kNatural);

// The same, starting from n rows of coefficients (natural order).
Matrix<KoalaBear> coset_lde_from_coefficients(const Matrix<KoalaBear>& coefficients, int log_blowup,
                                           KoalaBear shift,
                                           RowOrder output_order = RowOrder::kNatural);

// Variants writing into `output`, whose storage is reused when it already has the result's shape
// (otherwise it is reshaped). Reusing one buffer across proofs avoids paying the kernel's
// first-touch page clearing for a fresh multi-hundred-MiB allocation every time.
void coset_lde_from_evaluations(const Matrix<KoalaBear>& evaluations, int log_blowup, KoalaBear shift,
                             Matrix<KoalaBear>& output, RowOrder output_order = RowOrder::kNatural);
void coset_lde_from_coefficients(const Matrix<KoalaBear>& coefficients, int log_blowup,
                              KoalaBear shift, Matrix<KoalaBear>& output,
                              RowOrder output_order = RowOrder::kNatural);

// Permutes rows i <-> rev_k(i). In place.
void bit_reverse_rows(Matrix<KoalaBear>& matrix);

// Textbook single-threaded radix-2 transform, one pass over memory per layer: coefficients
// (natural) -> evaluations (natural). The baseline for tests and benchmarks, not for production.
void forward_ntt_radix2(Matrix<KoalaBear>& matrix);

// log2 of a row count, or NttError if it is not a power of two in [1, 2^24]. `what` names the
// caller's argument in the message.
int checked_log2_rows(size_t rows, const char* what);

}  // namespace zkrv::stark
