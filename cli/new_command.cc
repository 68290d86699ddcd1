// `zkrv new --lang rust|c <dir>`: scaffolds a guest project that `zkrv build <dir>` builds and
// `zkrv run` runs as generated. Both scaffolds are the same program: they commit the sum of the
// public input bytes as a little-endian u32 and log how many bytes they summed. Neither names a
// path of the checkout zkrv was built from: the C scaffold asks `zkrv sdk-path` at configure time,
// the Rust one names, by absolute path, the SDK that zkrv found (find_sdk: an installed zkrv's own),
// because cargo takes a path dependency from no variable; `zkrv build` links with its own SDK's
// linker script whatever the project names (docs/guides/installing.md).
#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "guest/driver/guest_build.h"

namespace zkrv::cli {
namespace fs = std::filesystem;
namespace {

struct NewCommandOptions {
  std::string directory;
  std::string language;
  std::string guest_crate;  // empty: <sdk>/rust
};

CLI::App* add_command(CLI::App& app, NewCommandOptions& o) {
  CLI::App* command = app.add_subcommand("new", "Create a guest project (Rust or C) that builds and runs as generated");
  command->add_option("directory", o.directory, "The project directory (must not exist, or be empty)")->required();
  command->add_option("--lang", o.language, "rust (a Cargo crate on zkrv-guest) or c (a CMake project on the SDK)")
      ->required()
      ->check(CLI::IsMember({"rust", "c"}));
  command->add_option("--zkrv-guest", o.guest_crate,
                      "Rust: the zkrv-guest crate to depend on (default: <zkrv sdk-path>/rust)");
  return command;
}

// A Cargo package name (and CMake target name) from the directory name: lower case letters,
// digits, '-' and '_', starting with a letter.
std::string package_name(const fs::path& directory) {
  std::string name;
  for (char c : directory.filename().string()) {
    const auto byte = static_cast<unsigned char>(c);
    name += std::isalnum(byte) || c == '_' || c == '-' ? static_cast<char>(std::tolower(byte)) : '-';
  }
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) name = "guest-" + name;
  return name;
}

// TOML basic strings: the paths written here may hold backslashes or quotes.
std::string toml_string(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

struct ScaffoldFile {
  fs::path path;  // relative to the project directory
  std::string text;
};

std::vector<ScaffoldFile> rust_scaffold(const std::string& name, const fs::path& guest_crate,
                                        const fs::path& linker_script) {
  return {
      {"Cargo.toml", fmt::format(R"([package]
name = "{0}"
version = "0.1.0"
edition = "2021"

# The SDK's crate (`zkrv sdk-path` when this project was made). After moving or reinstalling zkrv,
# point it at the new `$(zkrv sdk-path)/rust` (and the linker script in .cargo/config.toml).
[dependencies]
zkrv-guest = {{ path = {1} }}

[profile.release]
panic = "abort"

[profile.dev]
panic = "abort"

# A project of its own, also when it lies inside another Cargo workspace.
[workspace]
)", name, toml_string(guest_crate.string()))},
      {".cargo/config.toml", fmt::format(R"(# For a plain `cargo build --release` with rustup's prebuilt target
# (`rustup target add riscv32imac-unknown-none-elf`). `zkrv build .` needs none of this: it picks
# the prebuilt target or the build-std fallback itself (docs/guides/rust.md).
[build]
target = "riscv32imac-unknown-none-elf"

[target.'cfg(target_os = "none")']
rustflags = ["-C", {0}]
)", toml_string("link-arg=-T" + linker_script.string()))},
      {"src/main.rs", R"(#![no_std]
#![no_main]

use zkrv_guest::{io, println};

zkrv_guest::entry!(main);

/// Commits the sum of the public input bytes as a little-endian u32.
fn main() {
    let input = io::public_input();
    let sum = zkrv_guest::cycle_region("sum", || input.iter().map(|&b| u32::from(b)).sum::<u32>());
    io::commit_u32(sum);
    println!("summed {} bytes", input.len());
}
)"},
      {".gitignore", "/target\n"},
  };
}

std::vector<ScaffoldFile> c_scaffold(const std::string& name) {
  return {
      {"CMakeLists.txt", fmt::format(R"(# A zkrv guest: `zkrv build .` configures it with the SDK's toolchain file, which gives
# executables the suffix .elf and links them with the SDK (docs/guides/c-cpp.md). A plain
# `cmake -S . -B build` works too: with no toolchain file named, it asks `zkrv sdk-path` for the SDK.
cmake_minimum_required(VERSION 3.20)
if(NOT CMAKE_TOOLCHAIN_FILE)
  find_program(ZKRV_EXECUTABLE zkrv REQUIRED)
  execute_process(COMMAND ${{ZKRV_EXECUTABLE}} sdk-path OUTPUT_VARIABLE zkrv_sdk
                  OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  set(CMAKE_TOOLCHAIN_FILE "${{zkrv_sdk}}/cmake/zkrv-riscv32.cmake")
endif()
project({0} C)
add_executable({0} main.c)
)", name)},
      {"main.c", R"(#include <stdint.h>
#include <stdio.h>

#include "zkrv/zkrv.h"

/* Commits the sum of the public input bytes as a little-endian u32. */
int main(void) {
  const uint8_t* input;
  size_t length;
  zkrv_read_public_input(&input, &length);
  uint32_t sum = 0;
  for (size_t i = 0; i < length; i++) sum += input[i];
  zkrv_output_write(&sum, sizeof sum);
  printf("summed %zu bytes\n", length);
  return 0;
}
)"},
  };
}

int fail(const std::string& message) {
  std::cerr << "zkrv new: " << message << "\n";
  return kExitBadInput;
}

int run_new(const NewCommandOptions& o) {
  const fs::path directory = o.directory;
  std::error_code error;
  if (fs::exists(directory, error) && !(fs::is_directory(directory, error) && fs::is_empty(directory, error))) {
    return fail(fmt::format("{} already exists and is not an empty directory", directory.string()));
  }
  const std::string name = package_name(fs::absolute(directory, error).lexically_normal());
  std::vector<ScaffoldFile> files;
  if (o.language == "rust") {
    fs::path guest_crate = o.guest_crate;
    if (guest_crate.empty()) {
      const fs::path sdk = guestbuild::default_sdk_dir();
      if (sdk.empty()) return fail("no guest SDK found (set ZKRV_SDK, or pass --zkrv-guest DIR; see `zkrv sdk-path`)");
      guest_crate = sdk / "rust";
    }
    if (!fs::is_regular_file(guest_crate / "Cargo.toml", error)) {
      return fail(fmt::format("no zkrv-guest crate at '{}' (no Cargo.toml there); pass --zkrv-guest DIR",
                              guest_crate.string()));
    }
    std::string script_error;
    const fs::path linker_script = guestbuild::guest_linker_script("", &script_error);
    if (linker_script.empty()) return fail(script_error);
    files = rust_scaffold(name, fs::canonical(guest_crate, error), linker_script);
  } else {
    files = c_scaffold(name);
  }
  for (const ScaffoldFile& file : files) {
    const fs::path path = directory / file.path;
    fs::create_directories(path.parent_path(), error);
    std::ofstream out(path, std::ios::binary);
    out << file.text;
    out.close();
    if (!out) return fail(fmt::format("cannot write {}", path.string()));
  }
  const std::string elf = name + ".elf";
  std::cerr << fmt::format("zkrv new: created {} guest '{}' in {}\n  zkrv build {} -o {}\n  zkrv run {} --input-hex 010203\n",
                           o.language == "rust" ? "Rust" : "C", name, directory.string(), directory.string(), elf, elf);
  return kExitSuccess;
}

}  // namespace

Subcommand register_new(CLI::App& app) { return make_subcommand(app, add_command, run_new); }

}  // namespace zkrv::cli
