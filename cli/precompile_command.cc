// `zkrv precompile ...`: precompile packages (docs/precompiles.md). Filled in with the package work.
#include "cli/commands.h"

namespace zkrv::cli {

void register_precompile(CLI::App&) {}
int run_precompile(CLI::App&) { return kExitUsage; }

}  // namespace zkrv::cli
