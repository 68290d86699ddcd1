// The two input tapes as `run` and `trace` take them: options, and reading them from files or hex.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "vm/vm.h"

namespace zkrv::cli {

// The two input tapes, as `run` and `trace` take them.
struct InputOptions {
  std::string input_file, input_hex, hint_file, hint_hex;
};

void add_input_options(CLI::App* command, InputOptions& o);

// Each tape at most `limit` bytes. Throws UsageError for bad options, vm::LoadError for a file that
// cannot be read.
vm::Inputs read_inputs(const InputOptions& o, uint64_t limit);

// Hex digits (an optional 0x prefix) as bytes; throws UsageError naming `option` otherwise.
std::vector<uint8_t> parse_hex(std::string text, const char* option);

}  // namespace zkrv::cli
