// `zkrv build`: compiles a guest with the stock compiler through the guest SDK driver.
#include "cli/commands.h"

namespace zkrv::cli {

void register_build(CLI::App&) {}

}  // namespace zkrv::cli
