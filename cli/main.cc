// cli/: the `zkrv` command. Parses arguments, reads files and prints reports; the work itself is
// done by the libraries (elf/, vm/, guest/driver). Exit statuses are listed in docs/cli.md.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"zkrv: a zero-knowledge virtual machine for RISC-V.\n"
               "Runs RV32IMAC guest programs (ELF) built with stock compilers against the zkrv guest SDK."};
  app.name("zkrv");
  app.set_version_flag("--version", std::string("zkrv ") + ZKRV_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 success, 1 the guest exited non-zero, 2 usage error, 3 the guest faulted,\n"
      "4 the cycle limit was reached, 5 the program or an input could not be loaded,\n"
      "6 the run cannot be proven (yet), 7 invalid proof, 8 a valid proof of another statement,\n"
      "70 an internal error.\n"
      "Run `zkrv <command> --help` for a command's options.");

  const std::vector<zkrv::cli::Subcommand> subcommands = {
      zkrv::cli::register_run(app),   zkrv::cli::register_inspect(app),    zkrv::cli::register_trace(app),
      zkrv::cli::register_build(app), zkrv::cli::register_precompile(app), zkrv::cli::register_new(app),
      zkrv::cli::register_prove(app), zkrv::cli::register_verify(app),     zkrv::cli::register_sdk_path(app)};

  // Say what was wrong, rather than CLI11's "A subcommand is required" for a misspelt command.
  if (argc == 1) {
    std::cerr << app.help() << "\n";
    return zkrv::cli::kExitUsage;
  }
  if (const std::string first = argv[1]; !first.starts_with("-")) {
    std::string names;
    bool known = false;
    for (const auto& subcommand : subcommands) {
      known = known || subcommand.command->check_name(first);
      names += (names.empty() ? "" : ", ") + subcommand.command->get_name();
    }
    if (!known) {
      std::cerr << fmt::format("zkrv: '{}' is not a zkrv command (commands: {}); see zkrv --help\n", first, names);
      return zkrv::cli::kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return zkrv::cli::kExitUsage;
  }
  return zkrv::cli::dispatch(subcommands);
}
