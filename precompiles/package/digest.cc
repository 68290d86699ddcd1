#include "precompiles/package/digest.h"

#include <openssl/sha.h>

#include <algorithm>

namespace zkrv::precompiles {

Sha256 sha256(std::span<const uint8_t> bytes) {
  Sha256 digest{};
  SHA256(bytes.data(), bytes.size(), digest.data());
  return digest;
}

Sha256 sha256(std::string_view bytes) {
  return sha256(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

std::optional<std::vector<uint8_t>> bytes_from_hex(std::string_view hex, size_t size) {
  std::optional<std::vector<uint8_t>> bytes = base::from_hex(hex);
  if (!bytes || bytes->size() != size) return std::nullopt;
  return bytes;
}

std::optional<Sha256> sha256_from_hex(std::string_view hex) {
  const auto bytes = bytes_from_hex(hex, 32);
  if (!bytes) return std::nullopt;
  Sha256 digest{};
  std::copy(bytes->begin(), bytes->end(), digest.begin());
  return digest;
}

}  // namespace zkrv::precompiles
