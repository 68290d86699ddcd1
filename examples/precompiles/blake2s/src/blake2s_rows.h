// The rows of the package's circuit (circuit/blake2s_air.h) for one call, as canonical field values
// (uint32_t below p = 2^31 - 2^24 + 1): the one code path that both the package's library (its
// witness call, precompile.cc) and the circuit's own generation (circuit/blake2s_generation.cc)
// fill rows with, so the two cannot drift. Header-only and on the standard library alone (C++17),
// since the package builds against the installed precompile SDK and nothing else.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "blake2s.h"
#include "blake2s_columns.h"

namespace example::blake2s_circuit {

// How fill_compression computes a compression: RFC 7693's F, or, for the circuit's tests'
// consistent forgeries, with one rotation of one G changed or without the feed-forward of h (every
// later step computed honestly from there). The library always uses the default.
struct RowVariant {
  size_t mix = kMixes;  // the G (8 round + index) whose rotation changes; kMixes: none
  size_t rotation = 0;  // which of R1..R4
  size_t amount = 0;    // used instead of kRotations[rotation]
  bool feed_forward = true;
};

namespace rows_detail {

// A sum mod 2^32 as the table computes it: by 16-bit limbs, with the carry out of each.
struct Sum {
  uint32_t value;
  uint32_t carry[kLimbs];
};

inline Sum add(std::initializer_list<uint32_t> terms) {
  uint32_t low = 0, high = 0;
  for (const uint32_t term : terms) {
    low += term & 0xffff;
    high += term >> 16;
  }
  high += low >> 16;
  return {(low & 0xffff) | (high & 0xffff) << 16, {low >> 16, high >> 16}};
}

inline uint32_t rotr(uint32_t x, size_t n) {
  n %= 32;
  return n == 0 ? x : (x >> n) | (x << (32 - n));
}

template <class Set>
void write_bits(Set& set, int first, uint32_t value) {
  for (size_t k = 0; k < kWordBits; ++k) set(first + static_cast<int>(k), value >> k & 1);
}

}  // namespace rows_detail

// Writes every compression cell of one row (columns [0, kCompressionColumns)) through
// `set(column, value)`, each value a bit, a carry (0..2) or a 16-bit limb, and returns the output
// h'. The call's columns are fill_call's.
template <class Set>
State fill_compression(const Compression& call, Set&& set, const RowVariant& variant = {}) {
  using Columns = Blake2sColumns;
  using rows_detail::add;
  using rows_detail::rotr;
  using rows_detail::Sum;
  for (size_t i = 0; i < kStateWords; ++i) rows_detail::write_bits(set, Columns::input(i, 0), call.state[i]);
  const uint32_t counter_low = static_cast<uint32_t>(call.counter), counter_high = static_cast<uint32_t>(call.counter >> 32);
  rows_detail::write_bits(set, Columns::counter(0), counter_low);
  rows_detail::write_bits(set, Columns::counter(kWordBits), counter_high);
  set(Columns::kFinal, call.last ? 1u : 0u);
  for (size_t t = 0; t < kBlockWords; ++t) {
    set(Columns::message(t, 0), call.block[t] & 0xffff);
    set(Columns::message(t, 1), call.block[t] >> 16);
  }

  std::array<uint32_t, kWorkWords> v{};
  for (size_t i = 0; i < kStateWords; ++i) {
    v[i] = call.state[i];
    v[i + 8] = kBlake2sIv[i];
  }
  v[12] ^= counter_low;
  v[13] ^= counter_high;
  if (call.last) v[14] = ~v[14];
  for (size_t mix = 0; mix < kMixes; ++mix) {
    const size_t round = mix / kMixesPerRound, g = mix % kMixesPerRound;
    const auto rotation = [&](size_t which) {
      return mix == variant.mix && which == variant.rotation ? variant.amount : kRotations[which];
    };
    const std::array<size_t, 4>& at = kMixOperands[g];
    uint32_t &a = v[at[0]], &b = v[at[1]], &c = v[at[2]], &d = v[at[3]];
    const Sum a1 = add({a, b, call.block[kSigma[round][2 * g]]});
    a = a1.value;
    d = rotr(d ^ a, rotation(0));
    const Sum c1 = add({c, d});
    c = c1.value;
    b = rotr(b ^ c, rotation(1));
    const Sum a2 = add({a, b, call.block[kSigma[round][2 * g + 1]]});
    a = a2.value;
    d = rotr(d ^ a, rotation(2));
    const Sum c2 = add({c, d});
    c = c2.value;
    b = rotr(b ^ c, rotation(3));
    const Sum* sums[kMixSums] = {&a1, &c1, &a2, &c2};
    for (size_t sum = 0; sum < kMixSums; ++sum) {
      for (size_t l = 0; l < kLimbs; ++l) set(Columns::carry(mix, sum, l), sums[sum]->carry[l]);
    }
    rows_detail::write_bits(set, Columns::mix_word(mix, MixWord::kA, 0), a);
    rows_detail::write_bits(set, Columns::mix_word(mix, MixWord::kB, 0), b);
    rows_detail::write_bits(set, Columns::mix_word(mix, MixWord::kC, 0), c);
    rows_detail::write_bits(set, Columns::mix_word(mix, MixWord::kD, 0), d);
  }
  State out{};
  for (size_t i = 0; i < kStateWords; ++i) {
    out[i] = (variant.feed_forward ? call.state[i] : 0) ^ v[i] ^ v[i + 8];
    set(Columns::output(i, 0), out[i] & 0xffff);
    set(Columns::output(i, 1), out[i] >> 16);
  }
  return out;
}

// Writes the call's columns of an active row: the call's timestamp (below p: the caller's to
// check) and both pointers as a low 16-bit limb, its word index (lo / 4) and a high limb. The
// pointers must be word aligned (the library faults on others before the call runs).
template <class Set>
void fill_call(uint32_t ts, uint32_t state_ptr, uint32_t block_ptr, Set&& set) {
  using Columns = Blake2sColumns;
  set(Columns::kActive, 1u);
  set(Columns::kTs, ts);
  set(Columns::kStateLo, state_ptr & 0xffff);
  set(Columns::kStateHi, state_ptr >> 16);
  set(Columns::kStateWord, (state_ptr & 0xffff) / 4);
  set(Columns::kBlockLo, block_ptr & 0xffff);
  set(Columns::kBlockHi, block_ptr >> 16);
  set(Columns::kBlockWord, (block_ptr & 0xffff) / 4);
}

}  // namespace example::blake2s_circuit
