#include "precompiles/package/semver.h"

#include <charconv>
#include <vector>

namespace zkrv::precompiles {
namespace {

std::optional<uint32_t> parse_component(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  uint32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// One to three dot-separated components.
std::optional<std::vector<uint32_t>> parse_components(std::string_view text) {
  std::vector<uint32_t> components;
  while (true) {
    const size_t dot = text.find('.');
    const auto component = parse_component(text.substr(0, dot));
    if (!component || components.size() == 3) return std::nullopt;
    components.push_back(*component);
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  return components;
}

}  // namespace

std::string Version::to_string() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<Version> parse_version(std::string_view text) {
  const auto components = parse_components(text);
  if (!components || components->size() != 3) return std::nullopt;
  return Version{(*components)[0], (*components)[1], (*components)[2]};
}

std::optional<VersionRequirement> VersionRequirement::parse(std::string_view text) {
  VersionRequirement requirement;
  requirement.text_ = std::string(text);
  if (text == "*") return requirement;
  std::string_view op;
  for (std::string_view candidate : {">=", "=", "^", "~"}) {
    if (text.starts_with(candidate)) {
      op = candidate;
      break;
    }
  }
  if (op.empty()) return std::nullopt;
  const auto components = parse_components(text.substr(op.size()));
  if (!components) return std::nullopt;
  const std::vector<uint32_t>& c = *components;
  Version& lower = requirement.lower_;
  lower.major = c[0];
  lower.minor = c.size() > 1 ? c[1] : 0;
  lower.patch = c.size() > 2 ? c[2] : 0;
  if (op == "=" || op == ">=") {
    if (c.size() != 3) return std::nullopt;
    if (op == "=") requirement.upper_ = Version{lower.major, lower.minor, lower.patch + 1};
  } else if (op == "~") {
    requirement.upper_ = c.size() == 1 ? Version{lower.major + 1, 0, 0} : Version{lower.major, lower.minor + 1, 0};
  } else if (lower.major > 0 || c.size() == 1) {  // ^
    requirement.upper_ = Version{lower.major + 1, 0, 0};
  } else if (lower.minor > 0 || c.size() == 2) {
    requirement.upper_ = Version{0, lower.minor + 1, 0};
  } else {
    requirement.upper_ = Version{0, 0, lower.patch + 1};
  }
  return requirement;
}

bool VersionRequirement::matches(const Version& version) const {
  if (text_ == "*") return true;
  return version >= lower_ && (!upper_ || version < *upper_);
}

}  // namespace zkrv::precompiles
