#include "stark/field/extension_field.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace zkrv::stark {
namespace {

using u128 = unsigned __int128;
constexpr uint64_t kP = KoalaBear::kModulus;

// Polynomials over F_p as little-endian coefficient vectors of canonical integers, trimmed of
// leading zeros. This reference shares no code with ExtensionField.
using Poly = std::vector<uint64_t>;

uint64_t MulMod(uint64_t a, uint64_t b) { return static_cast<uint64_t>(u128{a} * b % kP); }
uint64_t InvMod(uint64_t a) {
  uint64_t result = 1, e = kP - 2;
  while (e) {
    if (e & 1) result = MulMod(result, a);
    a = MulMod(a, a);
    e >>= 1;
  }
  return result;
}
void Trim(Poly& a) {
  while (!a.empty() && a.back() == 0) a.pop_back();
}
Poly Mod(Poly a, const Poly& f) {
  Trim(a);
  uint64_t lead_inverse = InvMod(f.back());
  while (a.size() >= f.size()) {
    uint64_t c = MulMod(a.back(), lead_inverse);
    size_t shift = a.size() - f.size();
    for (size_t i = 0; i < f.size(); ++i) a[shift + i] = (a[shift + i] + kP - MulMod(c, f[i])) % kP;
    Trim(a);
  }
  return a;
}
Poly MulMod(const Poly& a, const Poly& b, const Poly& f) {
  if (a.empty() || b.empty()) return {};
  Poly r(a.size() + b.size() - 1, 0);
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = 0; j < b.size(); ++j) r[i + j] = (r[i + j] + MulMod(a[i], b[j])) % kP;
  }
  return Mod(r, f);
}
Poly PowMod(Poly a, u128 e, const Poly& f) {
  Poly r = {1};
  a = Mod(a, f);
  while (e) {
    if (e & 1) r = MulMod(r, a, f);
    a = MulMod(a, a, f);
    e >>= 1;
  }
  return r;
}
Poly Gcd(Poly a, Poly b) {
  Trim(a);
  Trim(b);
  while (!b.empty()) {
    Poly r = Mod(a, b);
    a = b;
    b = r;
  }
  return a;
}
Poly Sub(Poly a, const Poly& b) {
  a.resize(std::max(a.size(), b.size()), 0);
  for (size_t i = 0; i < b.size(); ++i) a[i] = (a[i] + kP - b[i]) % kP;
  Trim(a);
  return a;
}
// x^(p^k) mod f by k successive p-th powers.
Poly XPowPPow(int k, const Poly& f) {
  Poly r = {0, 1};
  for (int i = 0; i < k; ++i) r = PowMod(r, kP, f);
  return r;
}
// Rabin's test: f of degree n is irreducible iff x^(p^n) = x mod f and gcd(x^(p^(n/q)) - x, f) = 1
// for every prime q dividing n.
bool IsIrreducible(const Poly& f, const std::vector<int>& prime_divisors_of_degree) {
  int n = static_cast<int>(f.size()) - 1;
  if (Sub(XPowPPow(n, f), {0, 1}) != Poly{}) return false;
  for (int q : prime_divisors_of_degree) {
    if (Gcd(f, Sub(XPowPPow(n / q, f), {0, 1})).size() > 1) return false;
  }
  return true;
}

Poly KoalaBear4Modulus() { return {kP - 3, 0, 0, 0, 1}; }
Poly KoalaBear5Modulus() { return {kP - 1, 0, 1, 0, 0, 1}; }

template <typename Ext>
Poly ToPoly(const Ext& a) {
  Poly r;
  for (size_t i = 0; i < Ext::kDegree; ++i) r.push_back(a[i].ToU32());
  Trim(r);
  return r;
}

template <typename Ext>
Ext RandomElement(std::mt19937_64& rng) {
  typename Ext::Coefficients c;
  for (auto& x : c) x = KoalaBear::FromU32(static_cast<uint32_t>(rng()));
  return Ext(c);
}

template <typename Ext>
struct Case;
template <>
struct Case<KoalaBear4> {
  static Poly Modulus() { return KoalaBear4Modulus(); }
};
template <>
struct Case<KoalaBear5> {
  static Poly Modulus() { return KoalaBear5Modulus(); }
};

template <typename Ext>
class ExtensionFieldTest : public ::testing::Test {};
using ExtensionTypes = ::testing::Types<KoalaBear4, KoalaBear5>;
TYPED_TEST_SUITE(ExtensionFieldTest, ExtensionTypes);

TYPED_TEST(ExtensionFieldTest, MultiplicationMatchesSchoolbookReference) {
  using Ext = TypeParam;
  std::mt19937_64 rng(5);
  Poly f = Case<Ext>::Modulus();
  std::vector<Ext> values = {Ext::Zero(), Ext::One(), -Ext::One(), Ext::X()};
  typename Ext::Coefficients edge;
  edge.fill(KoalaBear::FromU32(kP - 1));
  values.push_back(Ext(edge));
  for (int i = 0; i < 300; ++i) values.push_back(RandomElement<Ext>(rng));
  for (size_t i = 0; i < values.size(); ++i) {
    const Ext& a = values[i];
    const Ext& b = values[(i * 13 + 1) % values.size()];
    ASSERT_EQ(ToPoly(a * b), MulMod(ToPoly(a), ToPoly(b), f)) << i;
    ASSERT_EQ(ToPoly(a + b), Mod(Sub(ToPoly(a), Sub({}, ToPoly(b))), f)) << i;
    ASSERT_EQ(ToPoly(a - b), Sub(ToPoly(a), ToPoly(b))) << i;
  }
}

TYPED_TEST(ExtensionFieldTest, InverseAndZero) {
  using Ext = TypeParam;
  std::mt19937_64 rng(6);
  for (int i = 0; i < 200; ++i) {
    Ext a = RandomElement<Ext>(rng);
    ASSERT_EQ(a * a.Inverse(), Ext::One()) << i;
  }
  EXPECT_EQ(Ext::X() * Ext::X().Inverse(), Ext::One());
  EXPECT_EQ(Ext(KoalaBear::FromU32(2)).Inverse(), Ext(KoalaBear::FromU32(2).Inverse()));
  EXPECT_THROW(Ext::Zero().Inverse(), std::domain_error);
}

TYPED_TEST(ExtensionFieldTest, FrobeniusIsPthPowerAndHasOrderD) {
  using Ext = TypeParam;
  std::mt19937_64 rng(8);
  for (int i = 0; i < 20; ++i) {
    Ext a = RandomElement<Ext>(rng);
    EXPECT_EQ(a.Frobenius(), a.Pow(kP));
    Ext conjugate = a;
    for (size_t k = 0; k < Ext::kDegree; ++k) conjugate = conjugate.Frobenius();
    EXPECT_EQ(conjugate, a);
    EXPECT_NE(a.Frobenius(), a);  // a random element is not in the base field
    Ext norm(a.Norm());
    EXPECT_TRUE(norm.IsInBaseField());
    EXPECT_EQ(norm.Frobenius(), norm);
  }
}

TYPED_TEST(ExtensionFieldTest, PowMatchesRepeatedMultiplication) {
  using Ext = TypeParam;
  std::mt19937_64 rng(9);
  Ext a = RandomElement<Ext>(rng);
  Ext power = Ext::One();
  for (uint64_t e = 0; e < 40; ++e) {
    EXPECT_EQ(a.Pow(e), power) << e;
    power *= a;
  }
}

TYPED_TEST(ExtensionFieldTest, FromCanonicalRejectsNonCanonicalCoefficient) {
  using Ext = TypeParam;
  std::array<uint32_t, Ext::kDegree> words{};
  for (size_t i = 0; i < Ext::kDegree; ++i) words[i] = static_cast<uint32_t>(i + 1);
  auto parsed = Ext::FromCanonical(std::span<const uint32_t, Ext::kDegree>(words));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ((*parsed)[Ext::kDegree - 1].ToU32(), Ext::kDegree);
  words[Ext::kDegree - 1] = static_cast<uint32_t>(kP);
  EXPECT_FALSE(Ext::FromCanonical(std::span<const uint32_t, Ext::kDegree>(words)).has_value());
}

TEST(ExtensionFieldModulus, ChosenModuliAreIrreducible) {
  EXPECT_TRUE(IsIrreducible(KoalaBear4Modulus(), {2}));
  EXPECT_TRUE(IsIrreducible(KoalaBear5Modulus(), {5}));
}

TEST(ExtensionFieldModulus, RabinTestRejectsReducibleModuli) {
  // x^4 - 4 = (x^2 - 2)(x^2 + 2): no roots needed for reducibility, the gcd step must catch it.
  EXPECT_FALSE(IsIrreducible({kP - 4, 0, 0, 0, 1}, {2}));
  // x^5 - 1 has the root 1.
  EXPECT_FALSE(IsIrreducible({kP - 1, 0, 0, 0, 0, 1}, {5}));
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
    KoalaBear root = KoalaBear::FromU32(w).Pow(fifth_root_exponent);
    EXPECT_EQ(root.Pow(5), KoalaBear::FromU32(w)) << w;
  }
}

TEST(ExtensionFieldModulus, QuarticNonResidue) {
  // x^4 - 3 is irreducible because 3 is not a square and p = 1 mod 4.
  EXPECT_EQ(KoalaBear::FromU32(3).Pow((kP - 1) / 2), -KoalaBear::One());
  EXPECT_EQ(kP % 4, 1u);
  EXPECT_EQ(KoalaBear4::X().Pow(4), KoalaBear4(KoalaBear::FromU32(3)));
  EXPECT_EQ(KoalaBear5::X().Pow(5), KoalaBear5(KoalaBear::One()) - KoalaBear5::X().Square());
}

}  // namespace
}  // namespace zkrv::stark
