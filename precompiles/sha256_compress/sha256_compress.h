// The SHA-256 compression function (FIPS 180-4, section 6.2.2).
#pragma once

#include <array>
#include <cstdint>

namespace zkrv::precompiles {

using Sha256State = std::array<uint32_t, 8>;

inline constexpr Sha256State kSha256InitialState = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

// Folds one 64-byte message block (bytes in message order) into the state.
void sha256_compress(Sha256State& state, const std::array<uint8_t, 64>& block);

}  // namespace zkrv::precompiles
