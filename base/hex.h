// Hex spelling of bytes: lower-case, two digits a byte; decoding takes either case.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zkrv::base {

std::string to_hex(std::span<const uint8_t> bytes);

// Why from_hex refused a text, so that callers can word their own message.
struct HexError {
  bool odd_length = false;  // else `position` holds the first character that is not a hex digit
  size_t position = 0;
  char character = 0;
};

// Every character must be a hex digit and there must be an even number of them; on failure
// returns nullopt and, when `error` is given, says why.
std::optional<std::vector<uint8_t>> from_hex(std::string_view hex, HexError* error = nullptr);

}  // namespace zkrv::base
