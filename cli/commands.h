// The `zkrv` subcommands. Each register_* adds one subcommand and its options to the app and
// returns how to run it; the options live with the returned runner, not in globals.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cli/report.h"

namespace zkrv::cli {

// A bad command line found after parsing (e.g. malformed hex); exit status kExitUsage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Checks a numeric option as a whole decimal number in [min, max] before CLI11 converts it, so that
// "-1" is refused instead of wrapping to 2^64 - 1 and the message names integers, not a
// floating-point range.
CLI::Validator whole_number_in(uint64_t min, uint64_t max);

// `--security fast|secure`, the STARK security profile of prove, verify and inspect (docs/cli.md,
// "Security profiles"). `--profile` there is its deprecated alias: it was the option's first name,
// and `zkrv run --profile FILE` writes a cycle profile, so one word meant two things. The alias
// still works and is left out of --help; check_security_option warns when it is used.
struct SecurityOption {
  CLI::Option* security = nullptr;
  CLI::Option* alias = nullptr;
};

// Adds both names, bound to `target` (one name, or a list where the option repeats).
template <typename T>
SecurityOption add_security_option(CLI::App* command, T& target, const std::string& description) {
  CLI::Option* security = command->add_option("--security", target, description)->check(CLI::IsMember({"fast", "secure"}));
  CLI::Option* alias = command->add_option("--profile", target, "Deprecated: --security")
                           ->check(CLI::IsMember({"fast", "secure"}))
                           ->group("");
  return {security, alias};
}

// After parsing: a warning on stderr when the alias was used; when both were, the usage error on
// stderr and false (the command then exits with kExitUsage).
bool check_security_option(std::string_view command, const SecurityOption& option);

struct Subcommand {
  CLI::App* command;          // the parsed subcommand, owned by the app
  std::function<int()> run;   // returns the process exit status
};

// A Subcommand for the subcommand that `add_command` adds to `app`, binding its options into an
// Options that lives as long as the returned runner, which calls `run` on them.
template <typename Options>
Subcommand make_subcommand(CLI::App& app, CLI::App* (*add_command)(CLI::App&, Options&), int (*run)(const Options&)) {
  auto options = std::make_shared<Options>();
  CLI::App* command = add_command(app, *options);
  return {command, [options, run] { return run(*options); }};
}

Subcommand register_run(CLI::App& app);         // cli/run_command.cc
Subcommand register_inspect(CLI::App& app);     // cli/inspect_command.cc
Subcommand register_trace(CLI::App& app);       // cli/trace_command.cc
Subcommand register_build(CLI::App& app);       // cli/build_command.cc
Subcommand register_precompile(CLI::App& app);  // cli/precompile_command.cc
Subcommand register_new(CLI::App& app);         // cli/new_command.cc
Subcommand register_prove(CLI::App& app);       // cli/prove_command.cc
Subcommand register_verify(CLI::App& app);      // cli/verify_command.cc
Subcommand register_sdk_path(CLI::App& app);    // cli/sdk_path_command.cc

// Runs the subcommand that was parsed; returns the process exit status.
int dispatch(const std::vector<Subcommand>& subcommands);

}  // namespace zkrv::cli
