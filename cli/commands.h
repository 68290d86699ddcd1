#pragma once

#include <CLI/CLI.hpp>

#include "cli/report.h"

namespace zkrv::cli {

void register_run(CLI::App& app);
void register_inspect(CLI::App& app);
void register_trace(CLI::App& app);
void register_build(CLI::App& app);
void register_precompile(CLI::App& app);  // cli/precompile_command.cc

int run_precompile(CLI::App& app);

int run_build();

// Runs the subcommand that was parsed; returns the process exit status.
int dispatch(CLI::App& app);

}  // namespace zkrv::cli
