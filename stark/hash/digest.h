// A 32-byte hash output, shared by every hash in stark/ (BLAKE2s-256, SHA-256).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace zkrv::stark {

inline constexpr size_t kDigestBytes = 32;
using Digest = std::array<uint8_t, kDigestBytes>;

// Lower-case hex, 64 characters.
std::string to_hex(const Digest& digest);

}  // namespace zkrv::stark
