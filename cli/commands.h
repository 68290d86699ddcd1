#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

#include "cli/report.h"

namespace zkrv::cli {

void register_run(CLI::App& app);
void register_inspect(CLI::App& app);
void register_trace(CLI::App& app);
void register_build(CLI::App& app);
void register_precompile(CLI::App& app);  // cli/precompile_command.cc
void register_new(CLI::App& app);         // cli/new_command.cc

int run_precompile(CLI::App& app);

int run_build();
int run_new();

// The SDK linker script guest/zkrv.ld: in `sdk_dir` when given, else in the SDK this zkrv was built
// with, else in the source tree. Empty, with `*error` set, when there is none.
std::filesystem::path guest_linker_script(const std::string& sdk_dir, std::string* error);

// Runs the subcommand that was parsed; returns the process exit status.
int dispatch(CLI::App& app);

}  // namespace zkrv::cli
