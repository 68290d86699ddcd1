// SHA-256 digests and their hex spelling, as used throughout packages and trust files.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/hex.h"

namespace zkrv::precompiles {

using Sha256 = std::array<uint8_t, 32>;

Sha256 sha256(std::span<const uint8_t> bytes);
Sha256 sha256(std::string_view bytes);

// Lower-case hex, two digits a byte: base's spelling, also the one in manifests and trust files.
using base::to_hex;
// Exactly `size` bytes of hex (either case); nullopt on any other text.
std::optional<std::vector<uint8_t>> bytes_from_hex(std::string_view hex, size_t size);
std::optional<Sha256> sha256_from_hex(std::string_view hex);

}  // namespace zkrv::precompiles
