#include "cli/inputs.h"

#include <fmt/format.h>

#include <unistd.h>

#include <cstring>
#include <optional>

#include "base/file.h"
#include "base/hex.h"
#include "cli/commands.h"

namespace zkrv::cli {
namespace {

// `path` "-" is standard input; a regular file or an anonymous pipe (`<(...)`) is read whole.
std::vector<uint8_t> read_input_file(const std::string& path, uint64_t limit, const char* what) {
  std::vector<uint8_t> bytes;
  const bool from_stdin = path == "-";
  const std::string name = from_stdin ? "standard input" : fmt::format("file '{}'", path);
  const auto failure = from_stdin ? base::read_stream(STDIN_FILENO, limit, &bytes)
                                  : base::read_file_or_pipe(path, limit, &bytes);
  if (!failure) return bytes;
  using Kind = base::FileReadFailure::Kind;
  switch (failure->kind) {
    case Kind::kOpen:
      throw vm::LoadError(fmt::format("cannot open {} file '{}': {}", what, path, std::strerror(failure->error_number)));
    case Kind::kNotRegular:
      throw vm::LoadError(fmt::format("{} file '{}' is {}, not a regular file, a pipe or '-' (standard input)", what,
                                      path, failure->file_type));
    case Kind::kNamedFifo:
      throw vm::LoadError(fmt::format("{} file '{}' is a named FIFO, which zkrv does not open (it would wait for a "
                                      "writer); give '{} -' and redirect the FIFO to standard input",
                                      what, path, what));
    case Kind::kTooLarge:
      throw vm::LoadError(fmt::format("{} {} is more than the limit of {} bytes", what, name, limit));
    case Kind::kRead:
    case Kind::kShrank: break;
  }
  throw vm::LoadError(fmt::format("cannot read {} {}", what, name));
}

std::vector<uint8_t> input_from(const std::string& file, const std::string& hex, const char* file_option,
                                const char* hex_option, uint64_t limit) {
  if (!file.empty() && !hex.empty()) throw UsageError(fmt::format("use {} or {}, not both", file_option, hex_option));
  if (!file.empty()) return read_input_file(file, limit, file_option);
  if (!hex.empty()) return parse_hex(hex, hex_option);
  return {};
}

}  // namespace

std::vector<uint8_t> parse_hex(std::string text, const char* option) {
  if (text.starts_with("0x") || text.starts_with("0X")) text = text.substr(2);
  base::HexError error;
  std::optional<std::vector<uint8_t>> bytes = base::from_hex(text, &error);
  if (bytes) return std::move(*bytes);
  if (error.odd_length) throw UsageError(fmt::format("{}: odd number of hex digits ({})", option, text.size()));
  throw UsageError(fmt::format("{}: '{}' at position {} is not a hex digit", option, error.character, error.position));
}

vm::Inputs read_inputs(const InputOptions& o, uint64_t limit) {
  if (o.input_file == "-" && o.hint_file == "-") {
    throw UsageError("--input - and --hint - both name standard input; give one of them a file");
  }
  vm::Inputs inputs;
  inputs.public_input = input_from(o.input_file, o.input_hex, "--input", "--input-hex", limit);
  inputs.private_input = input_from(o.hint_file, o.hint_hex, "--hint", "--hint-hex", limit);
  return inputs;
}

void add_input_options(CLI::App* command, InputOptions& o) {
  command->add_option("--input", o.input_file, "Public input: a file whose bytes the guest reads with rin ('-': standard input)");
  command->add_option("--input-hex", o.input_hex, "Public input as hex digits");
  command->add_option("--hint", o.hint_file, "Private input (hints; read_input): a file ('-': standard input)");
  command->add_option("--hint-hex", o.hint_hex, "Private input as hex digits");
}

}  // namespace zkrv::cli
