#include "precompiles/package/digest.h"

#include <openssl/sha.h>

namespace zkrv::precompiles {

Sha256 sha256(std::span<const uint8_t> bytes) {
  Sha256 digest;
  SHA256(bytes.data(), bytes.size(), digest.data());
  return digest;
}

Sha256 sha256(std::string_view bytes) {
  return sha256(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 15]);
  }
  return hex;
}

std::optional<std::string> bytes_from_hex(std::string_view hex, size_t size) {
  if (hex.size() != 2 * size) return std::nullopt;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    const int high = nibble(hex[2 * i]);
    const int low = nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes[i] = static_cast<char>(high << 4 | low);
  }
  return bytes;
}

std::optional<Sha256> sha256_from_hex(std::string_view hex) {
  const auto bytes = bytes_from_hex(hex, 32);
  if (!bytes) return std::nullopt;
  Sha256 digest;
  for (size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<uint8_t>((*bytes)[i]);
  return digest;
}

}  // namespace zkrv::precompiles
