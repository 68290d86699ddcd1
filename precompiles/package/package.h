// Precompile packages: the manifest and the one-file package format (docs/precompiles.md,
// "Packages"). Parsing checks structure only; integrity (digests) and trust are separate steps so
// that `inspect` can show a damaged package and say exactly what is wrong with it.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "precompiles/package/digest.h"

namespace zkrv::precompiles {

// Every failure to read, verify, install or load a package. The message names the package (file or
// name@version) and what failed.
class PackageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::string_view kManifestFormat = "zkrv-precompile-manifest/1";
inline constexpr size_t kMaxNameLength = 63;  // fits the guest descriptor's name[64]

// Lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 bytes.
bool valid_precompile_name(std::string_view name);

struct FileEntry {
  std::string file;  // the file's name when it was packed (informational)
  Sha256 sha256{};
  uint64_t size = 0;
};

struct Manifest {
  std::string name;
  std::string version;  // MAJOR.MINOR.PATCH
  std::string description;
  std::vector<std::string> authors;
  std::string license;
  std::string repository;  // provenance: where the source lives
  std::string revision;    // provenance: the source revision the library was built from
  uint32_t precompile_abi_version = 0;
  FileEntry library;
  std::optional<FileEntry> circuit;  // the prover's circuit; none yet
  std::string created_by;

  nlohmann::json to_json() const;
  // The bytes that are signed and hashed: compact JSON with sorted keys (nlohmann's dump()).
  std::string canonical_bytes() const;
  // Strict: every field present with the right type, no unknown fields, a valid name and version.
  static Manifest from_json(const nlohmann::json& json, std::string_view origin);
};

struct Signature {
  std::array<uint8_t, 32> public_key{};  // ed25519
  std::array<uint8_t, 64> signature{};
};

struct Package {
  Manifest manifest;
  std::string manifest_bytes;  // exactly as stored (and signed)
  std::vector<uint8_t> library;
  std::vector<uint8_t> circuit;
  std::optional<Signature> signature;

  // The package digest: SHA-256 of the manifest bytes, which bind the library and circuit digests,
  // so it names the exact code whoever signed it. Guest descriptors pin packages by this digest.
  Sha256 digest() const { return sha256(manifest_bytes); }
  // "name@version"
  std::string id() const { return manifest.name + "@" + manifest.version; }
};

// A package from a manifest (its library/circuit entries are filled in from the bytes) and files.
Package make_package(Manifest manifest, std::vector<uint8_t> library, std::optional<std::vector<uint8_t>> circuit,
                     std::string library_file_name, std::string circuit_file_name = "");

std::vector<uint8_t> serialize_package(const Package& package);
// Structure only; throws PackageError naming `origin`.
Package parse_package(std::span<const uint8_t> bytes, std::string_view origin);
Package read_package_file(const std::filesystem::path& path);
// Written to a temporary file next to `path` and renamed over it.
void write_package_file(const std::filesystem::path& path, const Package& package);

// What does not match between the manifest and the bytes: library and circuit sizes and digests.
// Empty when the package is intact.
std::vector<std::string> integrity_problems(const Package& package);

// Whole file, at most `limit` bytes; throws PackageError.
std::vector<uint8_t> read_file_bytes(const std::filesystem::path& path, uint64_t limit = uint64_t{1} << 31);
void write_file_atomically(const std::filesystem::path& path, std::span<const uint8_t> bytes, bool private_file = false);

}  // namespace zkrv::precompiles
