#include "cli/commands.h"

#include <fmt/format.h>

#include <charconv>
#include <iostream>

namespace zkrv::cli {

bool check_security_option(std::string_view command, const SecurityOption& option) {
  if (option.alias->count() == 0) return true;
  if (option.security->count() != 0) {
    std::cerr << fmt::format("zkrv {}: --security and --profile (its deprecated name) cannot be combined\n", command);
    return false;
  }
  std::cerr << fmt::format("zkrv {}: warning: --profile is deprecated here, use --security fast|secure "
                           "(`zkrv run --profile FILE` writes a cycle profile)\n",
                           command);
  return true;
}

CLI::Validator whole_number_in(uint64_t min, uint64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error == std::errc::invalid_argument || stop != end) {
          return fmt::format("'{}' is not a whole number (expected {} to {})", text, min, max);
        }
        if (error == std::errc::result_out_of_range || value < min || value > max) {
          return fmt::format("{} is out of range (expected {} to {})", text, min, max);
        }
        return {};
      },
      fmt::format("UINT:{}..{}", min, max));
}

int dispatch(const std::vector<Subcommand>& subcommands) {
  for (const Subcommand& subcommand : subcommands) {
    if (subcommand.command->parsed()) return subcommand.run();
  }
  return kExitUsage;
}

}  // namespace zkrv::cli
