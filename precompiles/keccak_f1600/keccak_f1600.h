// The Keccak-f[1600] permutation (FIPS 202, section 3), 24 rounds.
#pragma once

#include <array>
#include <cstdint>

namespace zkrv::precompiles {

// Lane (x, y) is state[x + 5 * y]; as bytes, lane i is bytes 8i..8i+7, little-endian.
using KeccakState = std::array<uint64_t, 25>;

void keccak_f1600(KeccakState& state);

}  // namespace zkrv::precompiles
