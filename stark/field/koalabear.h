// KoalaBear prime field, p = 2^31 - 2^24 + 1, stored in Montgomery form (R = 2^32) in 32 bits.
//
// p - 1 = 2^24 * 127, so multiplicative subgroups of every size 2^k with k <= 24 exist: NTT domains
// up to 2^24 points. 2p < 2^32, which lets additions stay in uint32_t without overflow checks.
// Values are always kept fully reduced (raw Montgomery value in [0, p)), so equality of raw
// values is equality of field elements.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace zkrv::stark {

class KoalaBear {
 public:
  static constexpr uint32_t kModulus = 0x7f000001;  // 2^31 - 2^24 + 1
  static constexpr int kTwoAdicity = 24;            // largest k with 2^k | p - 1
  static constexpr uint32_t kGenerator = 3;         // generates the multiplicative group
  static constexpr int kBits = 31;

  constexpr KoalaBear() = default;  // zero

  // Any uint32_t, reduced mod p.
  static constexpr KoalaBear from_u32(uint32_t value) {
    return from_montgomery(montgomery_reduce(uint64_t{value} * kR2));
  }
  // Any uint64_t, reduced mod p.
  static constexpr KoalaBear from_u64(uint64_t value) {
    return from_u32(static_cast<uint32_t>(value % kModulus));
  }
  // Deserialization: accepts only the canonical encoding, an integer in [0, p).
  static constexpr std::optional<KoalaBear> from_canonical(uint32_t value) {
    if (value >= kModulus) return std::nullopt;
    return from_u32(value);
  }
  // Trusted raw Montgomery value in [0, p) (used by SIMD kernels and tables).
  static constexpr KoalaBear from_montgomery(uint32_t raw) {
    KoalaBear result;
    result.value_ = raw;
    return result;
  }

  static constexpr KoalaBear zero() { return KoalaBear(); }
  static constexpr KoalaBear one() { return from_montgomery(kROne); }

  // Canonical integer representative in [0, p).
  constexpr uint32_t to_u32() const { return montgomery_reduce(value_); }
  constexpr uint32_t raw() const { return value_; }
  constexpr bool is_zero() const { return value_ == 0; }

  friend constexpr KoalaBear operator+(KoalaBear a, KoalaBear b) {
    uint32_t sum = a.value_ + b.value_;  // < 2p < 2^32
    return from_montgomery(sum >= kModulus ? sum - kModulus : sum);
  }
  friend constexpr KoalaBear operator-(KoalaBear a, KoalaBear b) {
    uint32_t diff = a.value_ - b.value_;
    return from_montgomery(a.value_ < b.value_ ? diff + kModulus : diff);
  }
  friend constexpr KoalaBear operator-(KoalaBear a) { return zero() - a; }
  friend constexpr KoalaBear operator*(KoalaBear a, KoalaBear b) {
    return from_montgomery(montgomery_reduce(uint64_t{a.value_} * b.value_));
  }
  constexpr KoalaBear& operator+=(KoalaBear b) { return *this = *this + b; }
  constexpr KoalaBear& operator-=(KoalaBear b) { return *this = *this - b; }
  constexpr KoalaBear& operator*=(KoalaBear b) { return *this = *this * b; }
  friend constexpr bool operator==(KoalaBear a, KoalaBear b) { return a.value_ == b.value_; }

  constexpr KoalaBear square() const { return *this * *this; }
  constexpr KoalaBear doubled() const { return *this + *this; }

  constexpr KoalaBear pow(uint64_t exponent) const {
    KoalaBear result = one();
    KoalaBear base = *this;
    while (exponent != 0) {
      if (exponent & 1) result *= base;
      base = base.square();
      exponent >>= 1;
    }
    return result;
  }

  // Multiplicative inverse by Fermat (x^(p-2)). Throws std::domain_error for zero.
  constexpr KoalaBear inverse() const {
    if (is_zero()) throw std::domain_error("KoalaBear::inverse: zero has no inverse");
    return pow(kModulus - 2);
  }

  // A generator of the subgroup of order 2^log_order; throws std::out_of_range above 2^24.
  // Powers of 2 are consistent: two_adic_generator(k)^2 == two_adic_generator(k - 1).
  static constexpr KoalaBear two_adic_generator(int log_order) {
    if (log_order < 0 || log_order > kTwoAdicity) {
      throw std::out_of_range("KoalaBear::two_adic_generator: log_order " +
                              std::to_string(log_order) + " outside [0, 24]");
    }
    KoalaBear root = from_u32(kGenerator).pow((kModulus - 1) >> kTwoAdicity);
    for (int k = kTwoAdicity; k > log_order; --k) root = root.square();
    return root;
  }

  // sum_i a[i] * b[i] for up to 4 terms with a single reduction: four raw products stay below
  // 4p^2 < 2 * p * 2^32, so one conditional subtraction of p * 2^32 readies the sum for
  // MontgomeryReduce. Used by the extension-field multiply.
  template <size_t N>
  static constexpr KoalaBear sum_of_products(const KoalaBear (&a)[N], const KoalaBear (&b)[N]) {
    static_assert(N >= 1 && N <= 4, "at most four products fit the delayed reduction");
    uint64_t sum = 0;
    for (size_t i = 0; i < N; ++i) sum += uint64_t{a[i].value_} * b[i].value_;
    constexpr uint64_t kShiftedModulus = uint64_t{kModulus} << 32;
    if (sum >= kShiftedModulus) sum -= kShiftedModulus;
    return from_montgomery(montgomery_reduce(sum));
  }

  // Montgomery parameters, exposed for the SIMD kernels.
  static constexpr uint32_t kMontgomeryMu = 0x81000001;  // p^-1 mod 2^32
  static constexpr uint32_t kROne = 33554430;            // 2^32 mod p (Montgomery one)
  static constexpr uint32_t kR2 = 402124772;             // 2^64 mod p

  // x * 2^-32 mod p for x < p * 2^32, result in [0, p).
  static constexpr uint32_t montgomery_reduce(uint64_t x) {
    uint32_t q = static_cast<uint32_t>(x) * kMontgomeryMu;
    uint64_t qp = uint64_t{q} * kModulus;
    // x and q*p agree in their low 32 bits, so their difference is exactly hi(x) - hi(qp).
    uint32_t x_hi = static_cast<uint32_t>(x >> 32);
    uint32_t qp_hi = static_cast<uint32_t>(qp >> 32);
    uint32_t r = x_hi - qp_hi;
    return x_hi < qp_hi ? r + kModulus : r;
  }

 private:
  uint32_t value_ = 0;  // Montgomery form: value * 2^32 mod p, in [0, p)
};

static_assert(uint64_t{KoalaBear::kModulus} * KoalaBear::kMontgomeryMu % (uint64_t{1} << 32) == 1);
static_assert((uint64_t{1} << 32) % KoalaBear::kModulus == KoalaBear::kROne);
static_assert(sizeof(KoalaBear) == 4);

}  // namespace zkrv::stark
