#include "stark/field/extension_field.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace zkrv::stark {
namespace {

using U128 = unsigned __int128;
constexpr uint64_t kP = KoalaBear::kModulus;

// Polynomials over F_p as little-endian coefficient vectors of canonical integers, trimmed of
// leading zeros. This reference shares no code with ExtensionField.
using Poly = std::vector<uint64_t>;

uint64_t mul_mod(uint64_t a, uint64_t b) { return static_cast<uint64_t>(U128{a} * b % kP); }
uint64_t inv_mod(uint64_t a) {
  uint64_t result = 1, e = kP - 2;
  while (e) {
    if (e & 1) result = mul_mod(result, a);
    a = mul_mod(a, a);
    e >>= 1;
  }
  return result;
}
void trim(Poly& a) {
  while (!a.empty() && a.back() == 0) a.pop_back();
}
Poly mod(Poly a, const Poly& f) {
  trim(a);
  uint64_t lead_inverse = inv_mod(f.back());
  while (a.size() >= f.size()) {
    uint64_t c = mul_mod(a.back(), lead_inverse);
    size_t shift = a.size() - f.size();
    for (size_t i = 0; i < f.size(); ++i) a[shift + i] = (a[shift + i] + kP - mul_mod(c, f[i])) % kP;
    trim(a);
  }
  return a;
}
Poly mul_mod(const Poly& a, const Poly& b, const Poly& f) {
  if (a.empty() || b.empty()) return {};
  Poly r(a.size() + b.size() - 1, 0);
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = 0; j < b.size(); ++j) r[i + j] = (r[i + j] + mul_mod(a[i], b[j])) % kP;
  }
  return mod(r, f);
}
Poly pow_mod(Poly a, U128 e, const Poly& f) {
  Poly r = {1};
  a = mod(a, f);
  while (e) {
    if (e & 1) r = mul_mod(r, a, f);
    a = mul_mod(a, a, f);
    e >>= 1;
  }
  return r;
}
Poly gcd(Poly a, Poly b) {
  trim(a);
  trim(b);
  while (!b.empty()) {
    Poly r = mod(a, b);
    a = b;
    b = r;
  }
  return a;
}
Poly sub(Poly a, const Poly& b) {
  a.resize(std::max(a.size(), b.size()), 0);
  for (size_t i = 0; i < b.size(); ++i) a[i] = (a[i] + kP - b[i]) % kP;
  trim(a);
  return a;
}
// x^(p^k) mod f by k successive p-th powers.
Poly x_pow_p_pow(int k, const Poly& f) {
  Poly r = {0, 1};
  for (int i = 0; i < k; ++i) r = pow_mod(r, kP, f);
  return r;
}
// Rabin's test: f of degree n is irreducible iff x^(p^n) = x mod f and gcd(x^(p^(n/q)) - x, f) = 1
// for every prime q dividing n.
bool is_irreducible(const Poly& f, const std::vector<int>& prime_divisors_of_degree) {
  int n = static_cast<int>(f.size()) - 1;
  if (sub(x_pow_p_pow(n, f), {0, 1}) != Poly{}) return false;
  for (int q : prime_divisors_of_degree) {
    if (gcd(f, sub(x_pow_p_pow(n / q, f), {0, 1})).size() > 1) return false;
  }
  return true;
}

Poly koala_bear4_modulus() { return {kP - 3, 0, 0, 0, 1}; }
Poly koala_bear5_modulus() { return {kP - 1, 0, 1, 0, 0, 1}; }

template <typename Ext>
Poly to_poly(const Ext& a) {
  Poly r;
  for (size_t i = 0; i < Ext::kDegree; ++i) r.push_back(a[i].to_u32());
  trim(r);
  return r;
}

template <typename Ext>
Ext random_element(std::mt19937_64& rng) {
  typename Ext::Coefficients c;
  for (auto& x : c) x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
  return Ext(c);
}

template <typename Ext>
struct Case;
template <>
struct Case<KoalaBear4> {
  static Poly modulus() { return koala_bear4_modulus(); }
};
template <>
struct Case<KoalaBear5> {
  static Poly modulus() { return koala_bear5_modulus(); }
};

template <typename Ext>
class ExtensionFieldTest : public ::testing::Test {};
using ExtensionTypes = ::testing::Types<KoalaBear4, KoalaBear5>;
TYPED_TEST_SUITE(ExtensionFieldTest, ExtensionTypes);

TYPED_TEST(ExtensionFieldTest, MultiplicationMatchesSchoolbookReference) {
  using Ext = TypeParam;
  std::mt19937_64 rng(5);
  Poly f = Case<Ext>::modulus();
  std::vector<Ext> values = {Ext::zero(), Ext::one(), -Ext::one(), Ext::x()};
  typename Ext::Coefficients edge;
  edge.fill(KoalaBear::from_u32(kP - 1));
  values.push_back(Ext(edge));
  for (int i = 0; i < 300; ++i) values.push_back(random_element<Ext>(rng));
  for (size_t i = 0; i < values.size(); ++i) {
    const Ext& a = values[i];
    const Ext& b = values[(i * 13 + 1) % values.size()];
    ASSERT_EQ(to_poly(a * b), mul_mod(to_poly(a), to_poly(b), f)) << i;
    ASSERT_EQ(to_poly(a + b), mod(sub(to_poly(a), sub({}, to_poly(b))), f)) << i;
    ASSERT_EQ(to_poly(a - b), sub(to_poly(a), to_poly(b))) << i;
  }
}

TYPED_TEST(ExtensionFieldTest, InverseAndZero) {
  using Ext = TypeParam;
  std::mt19937_64 rng(6);
  for (int i = 0; i < 200; ++i) {
    Ext a = random_element<Ext>(rng);
    ASSERT_EQ(a * a.inverse(), Ext::one()) << i;
  }
  EXPECT_EQ(Ext::x() * Ext::x().inverse(), Ext::one());
  EXPECT_EQ(Ext(KoalaBear::from_u32(2)).inverse(), Ext(KoalaBear::from_u32(2).inverse()));
  EXPECT_THROW(Ext::zero().inverse(), std::domain_error);
}

TYPED_TEST(ExtensionFieldTest, FrobeniusIsPthPowerAndHasOrderD) {
  using Ext = TypeParam;
  std::mt19937_64 rng(8);
  for (int i = 0; i < 20; ++i) {
    Ext a = random_element<Ext>(rng);
    EXPECT_EQ(a.frobenius(), a.pow(kP));
    Ext conjugate = a;
    for (size_t k = 0; k < Ext::kDegree; ++k) conjugate = conjugate.frobenius();
    EXPECT_EQ(conjugate, a);
    EXPECT_NE(a.frobenius(), a);  // a random element is not in the base field
    Ext norm(a.norm());
    EXPECT_TRUE(norm.is_in_base_field());
    EXPECT_EQ(norm.frobenius(), norm);
  }
}

TYPED_TEST(ExtensionFieldTest, PowMatchesRepeatedMultiplication) {
  using Ext = TypeParam;
  std::mt19937_64 rng(9);
  Ext a = random_element<Ext>(rng);
  Ext power = Ext::one();
  for (uint64_t e = 0; e < 40; ++e) {
    EXPECT_EQ(a.pow(e), power) << e;
    power *= a;
  }
}

TYPED_TEST(ExtensionFieldTest, FromCanonicalRejectsNonCanonicalCoefficient) {
  using Ext = TypeParam;
  std::array<uint32_t, Ext::kDegree> words{};
  for (size_t i = 0; i < Ext::kDegree; ++i) words[i] = static_cast<uint32_t>(i + 1);
  auto parsed = Ext::from_canonical(std::span<const uint32_t, Ext::kDegree>(words));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ((*parsed)[Ext::kDegree - 1].to_u32(), Ext::kDegree);
  words[Ext::kDegree - 1] = static_cast<uint32_t>(kP);
  EXPECT_FALSE(Ext::from_canonical(std::span<const uint32_t, Ext::kDegree>(words)).has_value());
}

TEST(ExtensionFieldModulus, ChosenModuliAreIrreducible) {
  EXPECT_TRUE(is_irreducible(koala_bear4_modulus(), {2}));
  EXPECT_TRUE(is_irreducible(koala_bear5_modulus(), {5}));
}

TEST(ExtensionFieldModulus, RabinTestRejectsReducibleModuli) {
  // x^4 - 4 = (x^2 - 2)(x^2 + 2): no roots needed for reducibility, the gcd step must catch it.
  EXPECT_FALSE(is_irreducible({kP - 4, 0, 0, 0, 1}, {2}));
  // x^5 - 1 has the root 1.
  EXPECT_FALSE(is_irreducible({kP - 1, 0, 0, 0, 0, 1}, {5}));
}

TEST(ExtensionFieldModulus, NoQuinticBinomialIsIrreducible) {
  // gcd(5, p - 1) = 1, so w -> w^5 is a bijection and x^5 - W has the root W^(5^-1 mod p-1).
  ASSERT_NE((kP - 1) % 5, 0u);
  uint64_t fifth_root_exponent = 0;
  for (uint64_t e = 1; e < 5; ++e) {
    if ((e * (kP - 1) + 1) % 5 == 0) fifth_root_exponent = (e * (kP - 1) + 1) / 5;
  }
  ASSERT_NE(fifth_root_exponent, 0u);
  for (uint32_t w : {2u, 3u, 5u, 7u, 11u}) {
    KoalaBear root = KoalaBear::from_u32(w).pow(fifth_root_exponent);
    EXPECT_EQ(root.pow(5), KoalaBear::from_u32(w)) << w;
  }
}

TEST(ExtensionFieldModulus, QuarticNonResidue) {
  // x^4 - 3 is irreducible because 3 is not a square and p = 1 mod 4.
  EXPECT_EQ(KoalaBear::from_u32(3).pow((kP - 1) / 2), -KoalaBear::one());
  EXPECT_EQ(kP % 4, 1u);
  EXPECT_EQ(KoalaBear4::x().pow(4), KoalaBear4(KoalaBear::from_u32(3)));
  EXPECT_EQ(KoalaBear5::x().pow(5), KoalaBear5(KoalaBear::one()) - KoalaBear5::x().square());
}

}  // namespace
}  // namespace zkrv::stark
