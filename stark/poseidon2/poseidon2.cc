// Poseidon2 over KoalaBear, width 16 (poseidon2.h).
#include "stark/poseidon2/poseidon2.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "stark/field/packed_koalabear.h"

namespace zkrv::stark::poseidon2 {
namespace {

using U32Row = std::array<uint32_t, kWidth>;

// Round constants, canonical integers in [0, p), transcribed from Plonky3's
// KOALABEAR_POSEIDON2_RC_16_EXTERNAL_INITIAL, KOALABEAR_POSEIDON2_RC_16_INTERNAL and
// KOALABEAR_POSEIDON2_RC_16_EXTERNAL_FINAL in
// https://github.com/Plonky3/Plonky3/blob/5dc50e51436a811c62443e336f766015fecc9217/koala-bear/src/poseidon2.rs
// (generated there by poseidon2/generate_constants.py: the Grain LFSR of the Poseidon paper,
// field_type 1, alpha 3, n 31, t 16, R_F 8, R_P 20).
constexpr std::array<U32Row, kHalfFullRounds> kInitialConstants = {{
    {0x7ee56a48, 0x11367045, 0x12e41941, 0x7ebbc12b, 0x1970b7d5, 0x662b60e8, 0x3e4990c6, 0x679f91f5,
     0x350813bb, 0x00874ad4, 0x28a0081a, 0x18fa5872, 0x5f25b071, 0x5e5d5998, 0x5e6fd3e7, 0x5b2e2660},
    {0x6f1837bf, 0x3fe6182b, 0x1edd7ac5, 0x57470d00, 0x43d486d5, 0x1982c70f, 0x0ea53af9, 0x61d6165b,
     0x51639c00, 0x2dec352c, 0x2950e531, 0x2d2cb947, 0x08256cef, 0x1a0109f6, 0x1f51faf3, 0x5cef1c62},
    {0x3d65e50e, 0x33d91626, 0x133d5a1e, 0x0ff49b0d, 0x38900cd1, 0x2c22cc3f, 0x28852bb2, 0x06c65a02,
     0x7b2cf7bc, 0x68016e1a, 0x15e16bc0, 0x5248149a, 0x6dd212a0, 0x18d6830a, 0x5001be82, 0x64dac34e},
    {0x5902b287, 0x426583a0, 0x0c921632, 0x3fe028a5, 0x245f8e49, 0x43bb297e, 0x7873dbd9, 0x3cc987df,
     0x286bb4ce, 0x640a8dcd, 0x512a8e36, 0x03a4cf55, 0x481837a2, 0x03d6da84, 0x73726ac7, 0x760e7fdf},
}};
constexpr std::array<uint32_t, kPartialRounds> kInternalConstants = {
    0x54dfeb5d, 0x7d40afd6, 0x722cb316, 0x106a4573, 0x45a7ccdb, 0x44061375, 0x154077a5, 0x45744faa,
    0x4eb5e5ee, 0x3794e83f, 0x47c7093c, 0x5694903c, 0x69cb6299, 0x373df84c, 0x46a0df58, 0x46b8758a,
    0x3241ebcb, 0x0b09d233, 0x1af42357, 0x1e66cec2,
};
constexpr std::array<U32Row, kHalfFullRounds> kTerminalConstants = {{
    {0x43e7dc24, 0x259a5d61, 0x27e85a3b, 0x1b9133fa, 0x343e5628, 0x485cd4c2, 0x16e269f5, 0x165b60c6,
     0x25f683d9, 0x124f81f9, 0x174331f9, 0x77344dc5, 0x5a821dba, 0x5fc4177f, 0x54153bf5, 0x5e3f1194},
    {0x3bdbf191, 0x088c84a3, 0x68256c9b, 0x3c90bbc6, 0x6846166a, 0x03f4238d, 0x463335fb, 0x5e3d3551,
     0x6e59ae6f, 0x32d06cc0, 0x596293f3, 0x6c87edb2, 0x08fc60b5, 0x34bcca80, 0x24f007f3, 0x62731c6f},
    {0x1e1db6c6, 0x0ca409bb, 0x585c1e78, 0x56e94edc, 0x16d22734, 0x18e11467, 0x7b2c3730, 0x770075e4,
     0x35d1b18c, 0x22be3db5, 0x4fb1fbb7, 0x477cb3ed, 0x7d5311c6, 0x5b62ae7d, 0x559c5fa8, 0x77f15048},
    {0x3211570b, 0x490fef6a, 0x77ec311f, 0x2247171b, 0x4e0ac711, 0x2edf69c9, 0x3b5a8850, 0x65809421,
     0x5619b4aa, 0x362019a7, 0x6bf9d4ed, 0x5b413dff, 0x617e181e, 0x5e7ab57b, 0x33ad7833, 0x3466c7ca},
}};

constexpr bool all_canonical() {
  for (const U32Row& row : kInitialConstants) {
    for (uint32_t c : row) if (c >= KoalaBear::kModulus) return false;
  }
  for (const U32Row& row : kTerminalConstants) {
    for (uint32_t c : row) if (c >= KoalaBear::kModulus) return false;
  }
  for (uint32_t c : kInternalConstants) if (c >= KoalaBear::kModulus) return false;
  return true;
}
static_assert(all_canonical(), "a round constant is not a canonical KoalaBear value");

constexpr State to_state(const U32Row& row) {
  State state;
  for (size_t i = 0; i < kWidth; ++i) state[i] = KoalaBear::from_u32(row[i]);
  return state;
}

constexpr KoalaBear inverse_power_of_two(int log) { return KoalaBear::from_u32(1u << log).inverse(); }

constexpr std::array<KoalaBear, kWidth> make_diagonal() {
  const KoalaBear one = KoalaBear::one();
  const KoalaBear two = KoalaBear::from_u32(2);
  const KoalaBear three = KoalaBear::from_u32(3);
  const KoalaBear four = KoalaBear::from_u32(4);
  return {-two,
          one,
          two,
          inverse_power_of_two(1),
          three,
          four,
          -inverse_power_of_two(1),
          -three,
          -four,
          inverse_power_of_two(8),
          inverse_power_of_two(3),
          inverse_power_of_two(24),
          -inverse_power_of_two(8),
          -inverse_power_of_two(3),
          -inverse_power_of_two(4),
          -inverse_power_of_two(24)};
}

constexpr std::array<KoalaBear, kWidth> kDiagonal = make_diagonal();

constexpr RoundConstants make_round_constants() {
  RoundConstants constants{};
  for (size_t r = 0; r < kHalfFullRounds; ++r) {
    constants.initial[r] = to_state(kInitialConstants[r]);
    constants.terminal[r] = to_state(kTerminalConstants[r]);
  }
  for (size_t r = 0; r < kPartialRounds; ++r) constants.internal[r] = KoalaBear::from_u32(kInternalConstants[r]);
  return constants;
}

constexpr RoundConstants kPlonky3RoundConstants = make_round_constants();

// The permutation on any element type: scalar (lift: identity) or packed (lift: broadcast).
template <class T, class Lift>
void external_round(StateOf<T>& state, const State& round_constants, const Lift& lift) {
  for (size_t i = 0; i < kWidth; ++i) state[i] = sbox(state[i] + lift(round_constants[i]));
  external_linear_layer(state);
}

// Kept out of line: inlining all 20 internal rounds into the permutation made the scalar
// permutation about 20% slower (bench_stark_poseidon2).
template <class T, class Lift>
[[gnu::noinline]] void internal_round(StateOf<T>& state, KoalaBear round_constant, const Lift& lift) {
  state[0] = sbox(state[0] + lift(round_constant));
  internal_linear_layer(state, [&lift](KoalaBear c, const T& x) { return lift(c) * x; });
}

template <class T, class Lift>
void permute_generic(StateOf<T>& state, const RoundConstants& constants, const Lift& lift) {
  external_linear_layer(state);
  for (const State& round_constants : constants.initial) external_round(state, round_constants, lift);
  for (const KoalaBear round_constant : constants.internal) internal_round(state, round_constant, lift);
  for (const State& round_constants : constants.terminal) external_round(state, round_constants, lift);
}

// Function objects rather than functions, so that every call inlines.
struct LiftScalar {
  KoalaBear operator()(KoalaBear c) const { return c; }
};
struct LiftPacked {
  PackedKoalaBear operator()(KoalaBear c) const { return PackedKoalaBear::broadcast(c); }
};

}  // namespace

const std::array<KoalaBear, kWidth>& internal_diagonal() { return kDiagonal; }

const RoundConstants& plonky3_round_constants() { return kPlonky3RoundConstants; }

void external_linear_layer(State& s) { external_linear_layer<KoalaBear>(s); }

void internal_linear_layer(State& s) { internal_linear_layer<KoalaBear>(s, [](KoalaBear c, KoalaBear x) { return c * x; }); }

void permute(State& state, const RoundConstants& constants) { permute_generic(state, constants, LiftScalar{}); }

void permute(State& state) { permute(state, kPlonky3RoundConstants); }

void permute_batch(std::span<State> states) {
  constexpr size_t kLanes = PackedKoalaBear::kWidth;
  const size_t full_groups = states.size() / kLanes;
  for (size_t g = 0; g < full_groups; ++g) {
    State* group = states.data() + g * kLanes;
    // Lane l holds state l of the group.
    StateOf<PackedKoalaBear> packed;
    std::array<KoalaBear, kLanes> lanes;
    for (size_t i = 0; i < kWidth; ++i) {
      for (size_t l = 0; l < kLanes; ++l) lanes[l] = group[l][i];
      packed[i] = PackedKoalaBear::load(lanes.data());
    }
    permute_generic(packed, kPlonky3RoundConstants, LiftPacked{});
    for (size_t i = 0; i < kWidth; ++i) {
      packed[i].store(lanes.data());
      for (size_t l = 0; l < kLanes; ++l) group[l][i] = lanes[l];
    }
  }
  for (size_t s = full_groups * kLanes; s < states.size(); ++s) permute(states[s]);
}

Digest compress(const Digest& left, const Digest& right) {
  State state;
  std::copy(left.begin(), left.end(), state.begin());
  std::copy(right.begin(), right.end(), state.begin() + kDigestWidth);
  permute(state);
  Digest out;
  std::copy(state.begin(), state.begin() + kDigestWidth, out.begin());
  return out;
}

void compress_batch(std::span<const Digest> children, std::span<Digest> parents) {
  if (children.size() != 2 * parents.size()) {
    throw std::length_error("poseidon2 compress_batch: " + std::to_string(children.size()) + " children for " +
                            std::to_string(parents.size()) + " parents");
  }
  std::vector<State> states(parents.size());
  for (size_t p = 0; p < parents.size(); ++p) {
    std::copy(children[2 * p].begin(), children[2 * p].end(), states[p].begin());
    std::copy(children[2 * p + 1].begin(), children[2 * p + 1].end(), states[p].begin() + kDigestWidth);
  }
  permute_batch(states);
  for (size_t p = 0; p < parents.size(); ++p) std::copy(states[p].begin(), states[p].begin() + kDigestWidth, parents[p].begin());
}

}  // namespace zkrv::stark::poseidon2
