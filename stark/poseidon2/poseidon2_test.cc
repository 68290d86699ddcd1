#include "stark/poseidon2/poseidon2.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

namespace zkrv::stark::poseidon2 {
namespace {

State state_from(const std::array<uint32_t, kWidth>& values) {
  State state;
  for (size_t i = 0; i < kWidth; ++i) state[i] = KoalaBear::from_u32(values[i]);
  return state;
}

std::array<uint32_t, kWidth> values_of(const State& state) {
  std::array<uint32_t, kWidth> values;
  for (size_t i = 0; i < kWidth; ++i) values[i] = state[i].to_u32();
  return values;
}

// Plonky3's test vectors, koala-bear/src/poseidon2.rs at commit
// 5dc50e51436a811c62443e336f766015fecc9217: the input is Sage's set_random_seed(16) vector.
constexpr std::array<uint32_t, kWidth> kPlonky3Input = {
    894848333, 1437655012, 1200606629, 1690012884, 71131202,   1749206695, 1717947831, 120589055,
    19776022,  42382981,   1831865506, 724844064,  171220207, 1299207443, 227047920,  1783754913};

// test_default_koalabear_poseidon2_width_16: the constants of default_koalabear_poseidon2_16.
TEST(Poseidon2, MatchesPlonky3DefaultPermutationVector) {
  constexpr std::array<uint32_t, kWidth> kExpected = {
      1934285469, 604889435,  133449501,  1026180808, 1830659359, 176667110, 1391183747, 351743874,
      1238264085, 1292768839, 2023573270, 1201586780, 1360691759, 1230682461, 748270449, 651545025};
  State state = state_from(kPlonky3Input);
  permute(state);
  EXPECT_EQ(values_of(state), kExpected);
}

// Xoroshiro128+ as rand_xoshiro 0.7 implements it (seed_from_u64 through SplitMix64, next_u32 the
// upper half of next_u64), to rebuild the round constants of Plonky3's other width-16 vector.
class Xoroshiro128Plus {
 public:
  explicit Xoroshiro128Plus(uint64_t seed) {
    uint64_t splitmix = seed;
    s0_ = splitmix64(splitmix);
    s1_ = splitmix64(splitmix);
  }
  uint32_t next_u32() { return static_cast<uint32_t>(next_u64() >> 32); }

 private:
  static uint64_t splitmix64(uint64_t& state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t next_u64() {
    const uint64_t result = s0_ + s1_;
    const uint64_t s1 = s1_ ^ s0_;
    s0_ = rotl(s0_, 24) ^ s1 ^ (s1 << 16);
    s1_ = rotl(s1, 37);
    return result;
  }
  uint64_t s0_;
  uint64_t s1_;
};

// Plonky3 samples a field element as a 31-bit draw taken as a raw Montgomery value, rejected when
// not below p (monty-31's Distribution<MontyField31> for StandardUniform).
KoalaBear sample(Xoroshiro128Plus& rng) {
  for (;;) {
    const uint32_t draw = rng.next_u32() >> 1;
    if (draw < KoalaBear::kModulus) return KoalaBear::from_montgomery(draw);
  }
}

// test_poseidon2_width_16_random: Poseidon2KoalaBear::new_from_rng_128(Xoroshiro128Plus(1)), which
// draws the 4 initial, then the 4 terminal external rounds' constants, then the 20 internal ones.
// This vector checks the structure of the permutation (rounds, S-box, both linear layers)
// independently of the transcribed constants.
TEST(Poseidon2, MatchesPlonky3RandomConstantsVector) {
  Xoroshiro128Plus rng(1);
  RoundConstants constants{};
  for (State& round : constants.initial) {
    for (KoalaBear& c : round) c = sample(rng);
  }
  for (State& round : constants.terminal) {
    for (KoalaBear& c : round) c = sample(rng);
  }
  for (KoalaBear& c : constants.internal) c = sample(rng);

  constexpr std::array<uint32_t, kWidth> kExpected = {
      652590279, 1200629963, 1013089423, 1840372851, 19101828,   561050015, 1714865585, 994637181,
      498949829, 729884572,  1957973925, 263012103,  535029297, 2121808603, 964663675,  1473622080};
  State state = state_from(kPlonky3Input);
  permute(state, constants);
  EXPECT_EQ(values_of(state), kExpected);
}

// The external layer against its definition as a matrix, circ(2 M4, M4, M4, M4).
TEST(Poseidon2, ExternalLayerIsCirculantOfM4Blocks) {
  constexpr int kM4[4][4] = {{2, 3, 1, 1}, {1, 2, 3, 1}, {1, 1, 2, 3}, {3, 1, 1, 2}};
  std::mt19937 rng(7);
  State input;
  for (KoalaBear& x : input) x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
  State expected{};
  for (size_t row = 0; row < kWidth; ++row) {
    for (size_t col = 0; col < kWidth; ++col) {
      const int block_factor = row / 4 == col / 4 ? 2 : 1;
      const uint32_t entry = static_cast<uint32_t>(block_factor * kM4[row % 4][col % 4]);
      expected[row] += KoalaBear::from_u32(entry) * input[col];
    }
  }
  State actual = input;
  external_linear_layer(actual);
  EXPECT_EQ(values_of(actual), values_of(expected));
}

// The internal layer against its definition, 1 + diag(V), and V against Plonky3's list.
TEST(Poseidon2, InternalLayerIsOnesPlusDiagonal) {
  const KoalaBear two = KoalaBear::from_u32(2);
  const std::array<KoalaBear, kWidth>& v = internal_diagonal();
  EXPECT_EQ(v[0], -two);
  EXPECT_EQ(v[3] * two, KoalaBear::one());
  EXPECT_EQ(v[11] * KoalaBear::from_u32(1u << 24), KoalaBear::one());
  EXPECT_EQ(v[15] * KoalaBear::from_u32(1u << 24), -KoalaBear::one());
  EXPECT_EQ(v[14] * KoalaBear::from_u32(16), -KoalaBear::one());

  std::mt19937 rng(11);
  State input;
  for (KoalaBear& x : input) x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
  State expected{};
  for (size_t row = 0; row < kWidth; ++row) {
    for (size_t col = 0; col < kWidth; ++col) {
      const KoalaBear entry = row == col ? KoalaBear::one() + v[row] : KoalaBear::one();
      expected[row] += entry * input[col];
    }
  }
  State actual = input;
  internal_linear_layer(actual);
  EXPECT_EQ(values_of(actual), values_of(expected));
}

// compress is permute(left || right) truncated to 8, as Plonky3's TruncatedPermutation<_, 2, 8, 16>;
// the known answer pins the split of the input vector into left and right.
TEST(Poseidon2, CompressIsTruncatedPermutation) {
  Digest left;
  Digest right;
  for (size_t i = 0; i < kDigestWidth; ++i) {
    left[i] = KoalaBear::from_u32(kPlonky3Input[i]);
    right[i] = KoalaBear::from_u32(kPlonky3Input[kDigestWidth + i]);
  }
  const Digest out = compress(left, right);
  constexpr std::array<uint32_t, kDigestWidth> kExpected = {1934285469, 604889435, 133449501, 1026180808,
                                                            1830659359, 176667110, 1391183747, 351743874};
  for (size_t i = 0; i < kDigestWidth; ++i) EXPECT_EQ(out[i].to_u32(), kExpected[i]) << "element " << i;
  // Not symmetric: swapping the children changes the node.
  EXPECT_NE(compress(right, left), out);
}

// 16 lanes at a time plus a scalar tail: every count from 0 to 37 agrees with permute one by one.
TEST(Poseidon2, BatchAgreesWithOneByOne) {
  std::mt19937 rng(5);
  for (size_t count = 0; count <= 37; ++count) {
    std::vector<State> states(count);
    for (State& s : states) {
      for (KoalaBear& x : s) x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
    }
    std::vector<State> expected = states;
    for (State& s : expected) permute(s);
    permute_batch(states);
    for (size_t i = 0; i < count; ++i) EXPECT_EQ(values_of(states[i]), values_of(expected[i])) << count << " states, state " << i;
  }
  std::vector<Digest> children(2 * 19);
  for (Digest& d : children) {
    for (KoalaBear& x : d) x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
  }
  std::vector<Digest> parents(19);
  compress_batch(children, parents);
  for (size_t p = 0; p < parents.size(); ++p) EXPECT_EQ(parents[p], compress(children[2 * p], children[2 * p + 1])) << p;
  EXPECT_THROW(compress_batch(children, std::span<Digest>(parents).first(18)), std::length_error);
}

TEST(Poseidon2, SboxIsCubeAndInjective) {
  // gcd(3, p - 1) = 1, so x^3 has the inverse x^d with 3 d = 1 mod p - 1.
  constexpr uint64_t kOrder = KoalaBear::kModulus - 1;
  static_assert(kOrder % 3 == 1);
  constexpr uint64_t kInverseExponent = (2 * kOrder + 1) / 3;
  static_assert(3 * kInverseExponent % kOrder == 1);
  std::mt19937 rng(3);
  for (int i = 0; i < 100; ++i) {
    const KoalaBear x = KoalaBear::from_u32(static_cast<uint32_t>(rng()));
    EXPECT_EQ(sbox(x), x * x * x);
    EXPECT_EQ(sbox(x).pow(kInverseExponent), x);
  }
}

}  // namespace
}  // namespace zkrv::stark::poseidon2
