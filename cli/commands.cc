#include "cli/commands.h"

namespace zkrv::cli {

int dispatch(const std::vector<Subcommand>& subcommands) {
  for (const Subcommand& subcommand : subcommands) {
    if (subcommand.command->parsed()) return subcommand.run();
  }
  return kExitUsage;
}

}  // namespace zkrv::cli
