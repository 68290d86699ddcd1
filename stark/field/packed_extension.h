// PackedKoalaBear4: 16 elements of KoalaBear4 = KoalaBear[x]/(x^4 - 3) held as four packed
// coordinates, the type the prover's quotient evaluator accumulates constraints in (16 LDE points
// at a time). Lane i of coordinate d is coefficient d of element i.
#pragma once

#include <array>
#include <cstddef>

#include "stark/field/extension_field.h"
#include "stark/field/packed_koalabear.h"

namespace zkrv::stark {

class PackedKoalaBear4 {
 public:
  using Packed = PackedKoalaBear;
  static constexpr size_t kWidth = Packed::kWidth;
  static constexpr size_t kDegree = 4;

  PackedKoalaBear4() = default;  // all lanes zero
  // Embeds packed base-field values as constant polynomials.
  explicit PackedKoalaBear4(const Packed& base) { c_[0] = base; }
  explicit PackedKoalaBear4(const std::array<Packed, kDegree>& coordinates) : c_(coordinates) {}

  static PackedKoalaBear4 broadcast(const KoalaBear4& x) {
    PackedKoalaBear4 r;
    for (size_t d = 0; d < kDegree; ++d) r.c_[d] = Packed::broadcast(x[d]);
    return r;
  }

  // Lanes 0..count-1 from / to `count` consecutive KoalaBear4 values (the rest of the lanes zero /
  // untouched), transposing between the interleaved and the coordinate-major layout.
  static PackedKoalaBear4 load(const KoalaBear4* source, size_t count = kWidth) {
    alignas(64) std::array<std::array<KoalaBear, kWidth>, kDegree> lanes{};
    for (size_t i = 0; i < count; ++i) {
      for (size_t d = 0; d < kDegree; ++d) lanes[d][i] = source[i][d];
    }
    PackedKoalaBear4 r;
    for (size_t d = 0; d < kDegree; ++d) r.c_[d] = Packed::load(lanes[d].data());
    return r;
  }
  void store(KoalaBear4* destination, size_t count = kWidth) const {
    alignas(64) std::array<std::array<KoalaBear, kWidth>, kDegree> lanes;
    for (size_t d = 0; d < kDegree; ++d) c_[d].store(lanes[d].data());
    for (size_t i = 0; i < count; ++i) {
      destination[i] = KoalaBear4({lanes[0][i], lanes[1][i], lanes[2][i], lanes[3][i]});
    }
  }

  const Packed& coordinate(size_t d) const { return c_[d]; }
  Packed& coordinate(size_t d) { return c_[d]; }
  KoalaBear4 lane(size_t i) const {
    return KoalaBear4({c_[0].lane(i), c_[1].lane(i), c_[2].lane(i), c_[3].lane(i)});
  }

  friend PackedKoalaBear4 operator+(const PackedKoalaBear4& a, const PackedKoalaBear4& b) {
    PackedKoalaBear4 r;
    for (size_t d = 0; d < kDegree; ++d) r.c_[d] = a.c_[d] + b.c_[d];
    return r;
  }
  friend PackedKoalaBear4 operator-(const PackedKoalaBear4& a, const PackedKoalaBear4& b) {
    PackedKoalaBear4 r;
    for (size_t d = 0; d < kDegree; ++d) r.c_[d] = a.c_[d] - b.c_[d];
    return r;
  }
  friend PackedKoalaBear4 operator-(const PackedKoalaBear4& a) { return PackedKoalaBear4() - a; }
  friend PackedKoalaBear4 operator*(const PackedKoalaBear4& a, const Packed& b) {
    PackedKoalaBear4 r;
    for (size_t d = 0; d < kDegree; ++d) r.c_[d] = a.c_[d] * b;
    return r;
  }
  friend PackedKoalaBear4 operator*(const Packed& b, const PackedKoalaBear4& a) { return a * b; }

  // Schoolbook product with x^4 = 3 folded in: c_k = sum_{i+j=k} a_i b_j + 3 sum_{i+j=k+4} a_i b_j.
  friend PackedKoalaBear4 operator*(const PackedKoalaBear4& a, const PackedKoalaBear4& b) {
    const Packed& a0 = a.c_[0];
    const Packed& a1 = a.c_[1];
    const Packed& a2 = a.c_[2];
    const Packed& a3 = a.c_[3];
    const Packed& b0 = b.c_[0];
    const Packed& b1 = b.c_[1];
    const Packed& b2 = b.c_[2];
    const Packed& b3 = b.c_[3];
    Packed high4 = a1 * b3 + a2 * b2 + a3 * b1;
    Packed high5 = a2 * b3 + a3 * b2;
    Packed high6 = a3 * b3;
    PackedKoalaBear4 r;
    r.c_[0] = a0 * b0 + times3(high4);
    r.c_[1] = a0 * b1 + a1 * b0 + times3(high5);
    r.c_[2] = a0 * b2 + a1 * b1 + a2 * b0 + times3(high6);
    r.c_[3] = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
    return r;
  }

  PackedKoalaBear4& operator+=(const PackedKoalaBear4& b) { return *this = *this + b; }
  PackedKoalaBear4& operator-=(const PackedKoalaBear4& b) { return *this = *this - b; }
  PackedKoalaBear4& operator*=(const PackedKoalaBear4& b) { return *this = *this * b; }

 private:
  static Packed times3(const Packed& x) { return x + x + x; }
  std::array<Packed, kDegree> c_{};
};

// The packed type must agree with KoalaBear4's modulus.
static_assert(BinomialModulus<4, 3>::kReduction[0] == 3);

}  // namespace zkrv::stark
