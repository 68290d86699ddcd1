// Packed KoalaBear: 16 field elements operated on at once.
//
// PackedKoalaBearScalar is the portable version (a plain array). PackedKoalaBearAvx512 keeps the
// 16 Montgomery values in one zmm register and exists when the compiler targets AVX-512F (the
// build uses -march=native). PackedKoalaBear names the fastest one available at compile time.
// All three have the same interface:
//   kWidth, load(ptr), load_partial(ptr, count), store(ptr), store_partial(ptr, count),
//   broadcast(x), +, -, * and unary -, and the gathers load_strided(ptr, stride) (lane i =
//   ptr[i * stride]: one column of 16 consecutive rows of a row-major matrix) and
//   gather(ptr, indices) (lane i = ptr[indices[i]]).
// Pointers address KoalaBear values laid out contiguously; Partial variants touch only the first
// `count` (< 16) elements, for the tail of a row. Gather offsets must stay below 2^31 elements.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "stark/field/koalabear.h"

namespace zkrv::stark {

class PackedKoalaBearScalar {
 public:
  static constexpr size_t kWidth = 16;

  PackedKoalaBearScalar() = default;  // all lanes zero

  static PackedKoalaBearScalar broadcast(KoalaBear x) {
    PackedKoalaBearScalar r;
    r.lanes_.fill(x);
    return r;
  }
  static PackedKoalaBearScalar load(const KoalaBear* source) { return load_partial(source, kWidth); }
  static PackedKoalaBearScalar load_partial(const KoalaBear* source, size_t count) {
    PackedKoalaBearScalar r;
    for (size_t i = 0; i < count; ++i) r.lanes_[i] = source[i];
    return r;
  }
  static PackedKoalaBearScalar load_strided(const KoalaBear* source, size_t stride) {
    PackedKoalaBearScalar r;
    for (size_t i = 0; i < kWidth; ++i) r.lanes_[i] = source[i * stride];
    return r;
  }
  static PackedKoalaBearScalar gather(const KoalaBear* source, const uint32_t* indices) {
    PackedKoalaBearScalar r;
    for (size_t i = 0; i < kWidth; ++i) r.lanes_[i] = source[indices[i]];
    return r;
  }
  void store(KoalaBear* destination) const { store_partial(destination, kWidth); }
  void store_partial(KoalaBear* destination, size_t count) const {
    for (size_t i = 0; i < count; ++i) destination[i] = lanes_[i];
  }
  KoalaBear lane(size_t i) const { return lanes_[i]; }

  friend PackedKoalaBearScalar operator+(const PackedKoalaBearScalar& a,
                                         const PackedKoalaBearScalar& b) {
    PackedKoalaBearScalar r;
    for (size_t i = 0; i < kWidth; ++i) r.lanes_[i] = a.lanes_[i] + b.lanes_[i];
    return r;
  }
  friend PackedKoalaBearScalar operator-(const PackedKoalaBearScalar& a,
                                         const PackedKoalaBearScalar& b) {
    PackedKoalaBearScalar r;
    for (size_t i = 0; i < kWidth; ++i) r.lanes_[i] = a.lanes_[i] - b.lanes_[i];
    return r;
  }
  friend PackedKoalaBearScalar operator*(const PackedKoalaBearScalar& a,
                                         const PackedKoalaBearScalar& b) {
    PackedKoalaBearScalar r;
    for (size_t i = 0; i < kWidth; ++i) r.lanes_[i] = a.lanes_[i] * b.lanes_[i];
    return r;
  }
  friend PackedKoalaBearScalar operator-(const PackedKoalaBearScalar& a) {
    return broadcast(KoalaBear::zero()) - a;
  }
  static PackedKoalaBearScalar multiply_by_broadcast(const PackedKoalaBearScalar& a,
                                                   const PackedKoalaBearScalar& broadcast) {
    return a * broadcast;
  }

 private:
  std::array<KoalaBear, kWidth> lanes_{};
};

#if defined(__AVX512F__)

class PackedKoalaBearAvx512 {
 public:
  static constexpr size_t kWidth = 16;

  PackedKoalaBearAvx512() : v_(_mm512_setzero_si512()) {}  // all lanes zero

  static PackedKoalaBearAvx512 broadcast(KoalaBear x) {
    return PackedKoalaBearAvx512(_mm512_set1_epi32(static_cast<int>(x.raw())));
  }
  static PackedKoalaBearAvx512 load(const KoalaBear* source) {
    return PackedKoalaBearAvx512(_mm512_loadu_si512(source));
  }
  static PackedKoalaBearAvx512 load_partial(const KoalaBear* source, size_t count) {
    return PackedKoalaBearAvx512(_mm512_maskz_loadu_epi32(lane_mask(count), source));
  }
  static PackedKoalaBearAvx512 load_strided(const KoalaBear* source, size_t stride) {
    const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i offsets = _mm512_mullo_epi32(lanes, _mm512_set1_epi32(static_cast<int>(stride)));
    return PackedKoalaBearAvx512(_mm512_i32gather_epi32(offsets, source, 4));
  }
  static PackedKoalaBearAvx512 gather(const KoalaBear* source, const uint32_t* indices) {
    return PackedKoalaBearAvx512(_mm512_i32gather_epi32(_mm512_loadu_si512(indices), source, 4));
  }
  void store(KoalaBear* destination) const { _mm512_storeu_si512(destination, v_); }
  void store_partial(KoalaBear* destination, size_t count) const {
    _mm512_mask_storeu_epi32(destination, lane_mask(count), v_);
  }
  KoalaBear lane(size_t i) const {
    alignas(64) uint32_t lanes[kWidth];
    _mm512_store_si512(lanes, v_);
    return KoalaBear::from_montgomery(lanes[i]);
  }

  // a + b and a - b on [0, p) inputs: the true result or its wrap-around is the smaller of the
  // two candidates when compared as unsigned (2p < 2^32).
  friend PackedKoalaBearAvx512 operator+(PackedKoalaBearAvx512 a, PackedKoalaBearAvx512 b) {
    __m512i sum = _mm512_add_epi32(a.v_, b.v_);
    return PackedKoalaBearAvx512(_mm512_min_epu32(sum, _mm512_sub_epi32(sum, modulus_vector())));
  }
  friend PackedKoalaBearAvx512 operator-(PackedKoalaBearAvx512 a, PackedKoalaBearAvx512 b) {
    __m512i diff = _mm512_sub_epi32(a.v_, b.v_);
    return PackedKoalaBearAvx512(_mm512_min_epu32(diff, _mm512_add_epi32(diff, modulus_vector())));
  }
  friend PackedKoalaBearAvx512 operator-(PackedKoalaBearAvx512 a) {
    return PackedKoalaBearAvx512(_mm512_setzero_si512()) - a;
  }

  // Montgomery multiplication in 16 lanes. vpmuludq multiplies the even 32-bit lanes of each
  // 64-bit slot, so even and odd lanes are handled as two 8-lane products and recombined.
  friend PackedKoalaBearAvx512 operator*(PackedKoalaBearAvx512 a, PackedKoalaBearAvx512 b) {
    __m512i a_odd = _mm512_srli_epi64(a.v_, 32);
    __m512i b_odd = _mm512_srli_epi64(b.v_, 32);
    __m512i product_even = _mm512_mul_epu32(a.v_, b.v_);
    __m512i product_odd = _mm512_mul_epu32(a_odd, b_odd);
    return PackedKoalaBearAvx512(reduce_products(product_even, product_odd));
  }

  // a * b where every lane of b holds the same value (a broadcast twiddle): saves the shift of b.
  static PackedKoalaBearAvx512 multiply_by_broadcast(PackedKoalaBearAvx512 a,
                                                   PackedKoalaBearAvx512 broadcast) {
    __m512i a_odd = _mm512_srli_epi64(a.v_, 32);
    __m512i product_even = _mm512_mul_epu32(a.v_, broadcast.v_);
    __m512i product_odd = _mm512_mul_epu32(a_odd, broadcast.v_);
    return PackedKoalaBearAvx512(reduce_products(product_even, product_odd));
  }

  __m512i vector() const { return v_; }

 private:
  explicit PackedKoalaBearAvx512(__m512i v) : v_(v) {}

  static __m512i modulus_vector() { return _mm512_set1_epi32(static_cast<int>(KoalaBear::kModulus)); }
  static __mmask16 lane_mask(size_t count) { return static_cast<__mmask16>((1u << count) - 1); }

  // Montgomery reduction of 16 64-bit products held as 8 even + 8 odd products.
  static __m512i reduce_products(__m512i product_even, __m512i product_odd) {
    const __m512i mu = _mm512_set1_epi32(static_cast<int>(KoalaBear::kMontgomeryMu));
    const __m512i modulus = modulus_vector();
    __m512i q_even = _mm512_mul_epu32(product_even, mu);
    __m512i q_odd = _mm512_mul_epu32(product_odd, mu);
    __m512i qp_even = _mm512_mul_epu32(q_even, modulus);
    __m512i qp_odd = _mm512_mul_epu32(q_odd, modulus);
    // High 32 bits of each product: even lanes from the shifted even products, odd lanes in place.
    constexpr __mmask16 kEvenLanes = 0x5555;
    __m512i product_hi =
        _mm512_mask_blend_epi32(kEvenLanes, product_odd, _mm512_srli_epi64(product_even, 32));
    __m512i qp_hi = _mm512_mask_blend_epi32(kEvenLanes, qp_odd, _mm512_srli_epi64(qp_even, 32));
    __m512i r = _mm512_sub_epi32(product_hi, qp_hi);
    return _mm512_min_epu32(r, _mm512_add_epi32(r, modulus));
  }

  __m512i v_;
};

using PackedKoalaBear = PackedKoalaBearAvx512;
inline constexpr bool kPackedKoalaBearIsAvx512 = true;

#else

using PackedKoalaBear = PackedKoalaBearScalar;
inline constexpr bool kPackedKoalaBearIsAvx512 = false;

#endif

}  // namespace zkrv::stark
