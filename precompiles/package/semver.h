// Versions (MAJOR.MINOR.PATCH) and version requirements as written in guest descriptors.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zkrv::precompiles {

struct Version {
  uint32_t major = 0, minor = 0, patch = 0;
  auto operator<=>(const Version&) const = default;
  std::string to_string() const;
};

// "1.2.3": three decimal numbers without leading zeros; no pre-release or build suffix.
std::optional<Version> parse_version(std::string_view text);

// One of: "*" (any), "=1.2.3" (exactly), ">=1.2.3" (at least), "^1.2.3" / "^1.2" / "^1" (compatible:
// the same left-most non-zero component, as in Cargo), "~1.2.3" / "~1.2" (same major.minor).
class VersionRequirement {
 public:
  static std::optional<VersionRequirement> parse(std::string_view text);
  bool matches(const Version& version) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  Version lower_;                 // inclusive
  std::optional<Version> upper_;  // exclusive
};

}  // namespace zkrv::precompiles
