// Degree-D extension fields Base[x]/(f(x)) for a monic irreducible f of degree D.
//
// The modulus is described by a policy type with
//   static constexpr size_t kDegree;                          // D
//   static constexpr std::array<uint32_t, kDegree> kReduction; // x^D = sum_i kReduction[i] x^i
// (entries are canonical base-field integers). Reduction touches only the non-zero entries. For a
// binomial x^D - W with D <= 4 over a base field offering SumOfProducts (KoalaBear), each product
// coefficient is one dot product with a single delayed reduction.
//
// Instances used by zkrv:
//   KoalaBear4 = KoalaBear[x]/(x^4 - 3)          challenges, out-of-domain values (~124 bits)
//   KoalaBear5 = KoalaBear[x]/(x^5 + x^2 - 1)    for a future 128-bit proven profile (~155 bits)
// No binomial x^5 - W is irreducible over KoalaBear: gcd(5, p - 1) = 1 makes every element a
// fifth power, so x^5 - W always has a root. Hence the trinomial for degree 5.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>

#include "stark/field/koalabear.h"

namespace zkrv::stark {

// x^D - W.
template <size_t D, uint32_t W>
struct BinomialModulus {
  static constexpr size_t kDegree = D;
  static constexpr std::array<uint32_t, D> kReduction = [] {
    std::array<uint32_t, D> r{};
    r[0] = W;
    return r;
  }();
};

// x^5 + x^2 - 1 over KoalaBear, i.e. x^5 = 1 - x^2.
struct KoalaBearQuinticModulus {
  static constexpr size_t kDegree = 5;
  static constexpr std::array<uint32_t, 5> kReduction = {1, 0, KoalaBear::kModulus - 1, 0, 0};
};

template <typename Base, typename Modulus>
class ExtensionField {
 public:
  static constexpr size_t kDegree = Modulus::kDegree;
  using Coefficients = std::array<Base, kDegree>;

  constexpr ExtensionField() = default;  // zero
  constexpr explicit ExtensionField(const Coefficients& coefficients) : c_(coefficients) {}
  // Embeds a base-field element as the constant polynomial.
  constexpr explicit ExtensionField(Base constant) { c_[0] = constant; }

  static constexpr ExtensionField zero() { return ExtensionField(); }
  static constexpr ExtensionField one() { return ExtensionField(Base::one()); }
  // The class of x, a generator of the extension over the base field.
  static constexpr ExtensionField x() {
    static_assert(kDegree >= 2);
    Coefficients c{};
    c[1] = Base::one();
    return ExtensionField(c);
  }

  // Deserialization from D canonical base-field integers (coefficient of x^0 first).
  static constexpr std::optional<ExtensionField> from_canonical(
      std::span<const uint32_t, kDegree> values) {
    Coefficients c{};
    for (size_t i = 0; i < kDegree; ++i) {
      std::optional<Base> v = Base::from_canonical(values[i]);
      if (!v) return std::nullopt;
      c[i] = *v;
    }
    return ExtensionField(c);
  }

  constexpr const Coefficients& coefficients() const { return c_; }
  constexpr Base operator[](size_t i) const { return c_[i]; }
  constexpr bool is_zero() const {
    for (const Base& x : c_) {
      if (!x.is_zero()) return false;
    }
    return true;
  }
  // True iff the element lies in the base field (all higher coefficients zero).
  constexpr bool is_in_base_field() const {
    for (size_t i = 1; i < kDegree; ++i) {
      if (!c_[i].is_zero()) return false;
    }
    return true;
  }

  friend constexpr ExtensionField operator+(const ExtensionField& a, const ExtensionField& b) {
    ExtensionField r;
    for (size_t i = 0; i < kDegree; ++i) r.c_[i] = a.c_[i] + b.c_[i];
    return r;
  }
  friend constexpr ExtensionField operator-(const ExtensionField& a, const ExtensionField& b) {
    ExtensionField r;
    for (size_t i = 0; i < kDegree; ++i) r.c_[i] = a.c_[i] - b.c_[i];
    return r;
  }
  friend constexpr ExtensionField operator-(const ExtensionField& a) { return zero() - a; }
  friend constexpr ExtensionField operator*(const ExtensionField& a, Base b) {
    ExtensionField r;
    for (size_t i = 0; i < kDegree; ++i) r.c_[i] = a.c_[i] * b;
    return r;
  }
  friend constexpr ExtensionField operator*(Base b, const ExtensionField& a) { return a * b; }

  friend constexpr ExtensionField operator*(const ExtensionField& a, const ExtensionField& b) {
    if constexpr (kIsBinomial && kDegree <= 4 && kHasSumOfProducts) {
      // x^D = W: c_k = sum_{i <= k} a_i b_(k-i) + sum_{i > k} a_i (W b_(k-i+D)), each coefficient
      // one delayed-reduction dot product.
      Base b_times_w[kDegree];
      for (size_t j = 0; j < kDegree; ++j) b_times_w[j] = b.c_[j] * kReductionElements[0];
      Base a_terms[kDegree];
      for (size_t i = 0; i < kDegree; ++i) a_terms[i] = a.c_[i];
      ExtensionField r;
      for (size_t k = 0; k < kDegree; ++k) {
        Base b_terms[kDegree];
        for (size_t i = 0; i < kDegree; ++i) {
          b_terms[i] = i <= k ? b.c_[k - i] : b_times_w[k + kDegree - i];
        }
        r.c_[k] = Base::sum_of_products(a_terms, b_terms);
      }
      return r;
    }
    // Schoolbook product (2D - 1 coefficients), then fold x^k for k >= D down via kReduction.
    std::array<Base, 2 * kDegree - 1> product{};
    for (size_t i = 0; i < kDegree; ++i) {
      for (size_t j = 0; j < kDegree; ++j) product[i + j] += a.c_[i] * b.c_[j];
    }
    for (size_t k = 2 * kDegree - 2; k >= kDegree; --k) {
      for (size_t i = 0; i < kDegree; ++i) {
        if (Modulus::kReduction[i] == 0) continue;
        product[k - kDegree + i] += product[k] * kReductionElements[i];
      }
    }
    ExtensionField r;
    for (size_t i = 0; i < kDegree; ++i) r.c_[i] = product[i];
    return r;
  }

  constexpr ExtensionField& operator+=(const ExtensionField& b) { return *this = *this + b; }
  constexpr ExtensionField& operator-=(const ExtensionField& b) { return *this = *this - b; }
  constexpr ExtensionField& operator*=(const ExtensionField& b) { return *this = *this * b; }
  constexpr ExtensionField& operator*=(Base b) { return *this = *this * b; }
  friend constexpr bool operator==(const ExtensionField& a, const ExtensionField& b) {
    return a.c_ == b.c_;
  }

  constexpr ExtensionField square() const { return *this * *this; }

  constexpr ExtensionField pow(uint64_t exponent) const {
    ExtensionField result = one();
    ExtensionField base = *this;
    while (exponent != 0) {
      if (exponent & 1) result *= base;
      base = base.square();
      exponent >>= 1;
    }
    return result;
  }

  // The Frobenius map a -> a^p, computed as sum_i c_i * (x^p)^i from a cached table.
  ExtensionField frobenius() const {
    const auto& x_pow_ip = frobenius_table();
    ExtensionField r(c_[0]);
    for (size_t i = 1; i < kDegree; ++i) r += x_pow_ip[i] * c_[i];
    return r;
  }

  // Norm to the base field: the product of all D conjugates.
  Base norm() const {
    ExtensionField product = *this;
    ExtensionField conjugate = *this;
    for (size_t i = 1; i < kDegree; ++i) {
      conjugate = conjugate.frobenius();
      product *= conjugate;
    }
    return product.c_[0];
  }

  // a^-1 = (a^p * a^(p^2) * ... * a^(p^(D-1))) / norm(a). Throws std::domain_error for zero.
  ExtensionField inverse() const {
    if (is_zero()) throw std::domain_error("ExtensionField::inverse: zero has no inverse");
    ExtensionField other_conjugates = one();
    ExtensionField conjugate = *this;
    for (size_t i = 1; i < kDegree; ++i) {
      conjugate = conjugate.frobenius();
      other_conjugates *= conjugate;
    }
    Base norm = (*this * other_conjugates).c_[0];
    return other_conjugates * norm.inverse();
  }

 private:
  static constexpr std::array<Base, kDegree> kReductionElements = [] {
    std::array<Base, kDegree> r{};
    for (size_t i = 0; i < kDegree; ++i) r[i] = Base::from_u32(Modulus::kReduction[i]);
    return r;
  }();

  static constexpr bool kIsBinomial = [] {
    for (size_t i = 1; i < kDegree; ++i) {
      if (Modulus::kReduction[i] != 0) return false;
    }
    return true;
  }();
  static constexpr bool kHasSumOfProducts = requires(const Base (&x)[kDegree]) {
    { Base::sum_of_products(x, x) } -> std::same_as<Base>;
  };

  // kTable[i] = x^(i * p).
  static const std::array<ExtensionField, kDegree>& frobenius_table() {
    static const std::array<ExtensionField, kDegree> kTable = [] {
      std::array<ExtensionField, kDegree> t;
      ExtensionField x_pow_p = x().pow(Base::kModulus);
      t[0] = one();
      for (size_t i = 1; i < kDegree; ++i) t[i] = t[i - 1] * x_pow_p;
      return t;
    }();
    return kTable;
  }

  Coefficients c_{};
};

using KoalaBear4 = ExtensionField<KoalaBear, BinomialModulus<4, 3>>;
using KoalaBear5 = ExtensionField<KoalaBear, KoalaBearQuinticModulus>;

}  // namespace zkrv::stark
