// Little-endian integers in byte buffers (ELF fields, guest memory, tapes, package headers),
// whatever the host's byte order.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace zkrv::base {

// Reads an unsigned integer of sizeof(T) bytes at `p`; `p` need not be aligned.
template <typename T>
  requires std::is_unsigned_v<T>
T load_le(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  if constexpr (std::endian::native == std::endian::big) {
    T swapped = 0;
    for (size_t i = 0; i < sizeof value; ++i) swapped = static_cast<T>(swapped | T{p[i]} << (8 * i));
    value = swapped;
  }
  return value;
}

template <typename T>
  requires std::is_unsigned_v<T>
void store_le(uint8_t* p, T value) {
  if constexpr (std::endian::native == std::endian::big) {
    for (size_t i = 0; i < sizeof value; ++i) p[i] = static_cast<uint8_t>(value >> (8 * i));
  } else {
    std::memcpy(p, &value, sizeof value);
  }
}

inline uint16_t load_le16(const uint8_t* p) { return load_le<uint16_t>(p); }
inline uint32_t load_le32(const uint8_t* p) { return load_le<uint32_t>(p); }
inline uint64_t load_le64(const uint8_t* p) { return load_le<uint64_t>(p); }

}  // namespace zkrv::base
