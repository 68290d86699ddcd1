#include "cli/inputs.h"

#include <fmt/format.h>

#include <optional>

#include "base/file.h"
#include "base/hex.h"
#include "cli/commands.h"

namespace zkrv::cli {
namespace {

std::vector<uint8_t> read_file(const std::string& path, uint64_t limit, const char* what) {
  std::vector<uint8_t> bytes;
  if (const auto failure = base::read_file(path, limit, &bytes)) {
    using Kind = base::FileReadFailure::Kind;
    switch (failure->kind) {
      case Kind::kOpen: throw vm::LoadError(fmt::format("cannot open {} file '{}'", what, path));
      case Kind::kNotRegular:
        throw vm::LoadError(fmt::format("{} file '{}' is {}, not a regular file", what, path, failure->file_type));
      case Kind::kTooLarge:
        throw vm::LoadError(
            fmt::format("{} file '{}' is {} bytes, more than the limit of {} bytes", what, path, failure->size, limit));
      case Kind::kRead:
      case Kind::kShrank: throw vm::LoadError(fmt::format("cannot read {} file '{}'", what, path));
    }
  }
  return bytes;
}

std::vector<uint8_t> parse_hex(std::string text, const char* option) {
  if (text.starts_with("0x") || text.starts_with("0X")) text = text.substr(2);
  base::HexError error;
  std::optional<std::vector<uint8_t>> bytes = base::from_hex(text, &error);
  if (bytes) return std::move(*bytes);
  if (error.odd_length) throw UsageError(fmt::format("{}: odd number of hex digits ({})", option, text.size()));
  throw UsageError(fmt::format("{}: '{}' at position {} is not a hex digit", option, error.character, error.position));
}

std::vector<uint8_t> input_from(const std::string& file, const std::string& hex, const char* file_option,
                                const char* hex_option, uint64_t limit) {
  if (!file.empty() && !hex.empty()) throw UsageError(fmt::format("use {} or {}, not both", file_option, hex_option));
  if (!file.empty()) return read_file(file, limit, file_option + 2);
  if (!hex.empty()) return parse_hex(hex, hex_option);
  return {};
}

}  // namespace

vm::Inputs read_inputs(const InputOptions& o, uint64_t limit) {
  vm::Inputs inputs;
  inputs.public_input = input_from(o.input_file, o.input_hex, "--input", "--input-hex", limit);
  inputs.private_input = input_from(o.hint_file, o.hint_hex, "--hint", "--hint-hex", limit);
  return inputs;
}

void add_input_options(CLI::App* command, InputOptions& o) {
  command->add_option("--input", o.input_file, "Public input: a file whose bytes the guest reads with rin");
  command->add_option("--input-hex", o.input_hex, "Public input as hex digits");
  command->add_option("--hint", o.hint_file, "Private input (hints; read_input): a file");
  command->add_option("--hint-hex", o.hint_hex, "Private input as hex digits");
}

}  // namespace zkrv::cli
