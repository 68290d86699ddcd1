// BLAKE2s-256 through the compression function, against RFC 7693's vectors. Exit status 0 = pass.
#include <cstdio>
#include <cstring>
#include <string>

#include "blake2s.h"

static std::string blake2s_256_hex(const std::string& message) {
  example::Blake2sState h = example::kBlake2sIv;
  h[0] ^= 0x01010000u ^ 32u;  // no key, 32-byte digest
  size_t offset = 0;
  do {
    const size_t take = message.size() - offset < 64 ? message.size() - offset : 64;
    uint8_t bytes[64] = {};
    std::memcpy(bytes, message.data() + offset, take);
    std::array<uint32_t, 16> m;
    for (int i = 0; i < 16; ++i) {
      m[i] = uint32_t{bytes[4 * i]} | uint32_t{bytes[4 * i + 1]} << 8 | uint32_t{bytes[4 * i + 2]} << 16 | uint32_t{bytes[4 * i + 3]} << 24;
    }
    offset += take;
    example::blake2s_compress(h, m, offset, offset == message.size());
  } while (offset < message.size());
  std::string hex;
  char digits[3];
  for (uint32_t word : h) {
    for (int b = 0; b < 4; ++b) {
      std::snprintf(digits, sizeof digits, "%02x", (word >> (8 * b)) & 0xff);
      hex += digits;
    }
  }
  return hex;
}

int main() {
  struct Vector {
    std::string message;
    const char* digest;
  } vectors[] = {
      {"", "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9"},
      {"abc", "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"},
  };
  int failures = 0;
  for (const auto& v : vectors) {
    const std::string got = blake2s_256_hex(v.message);
    if (got != v.digest) {
      std::fprintf(stderr, "BLAKE2s-256(\"%s\") = %s, expected %s\n", v.message.c_str(), got.c_str(), v.digest);
      ++failures;
    }
  }
  return failures ? 1 : 0;
}
