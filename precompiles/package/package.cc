#include "precompiles/package/package.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <set>

#include "base/file.h"
#include "base/little_endian.h"
#include "precompiles/package/semver.h"

namespace zkrv::precompiles {
namespace {

constexpr char kMagic[8] = {'Z', 'K', 'R', 'V', 'P', 'K', 'G', '\0'};
constexpr uint32_t kFormatVersion = 1;
constexpr uint32_t kHeaderSize = 48;
constexpr uint64_t kSignatureSize = 32 + 64;
constexpr uint64_t kMaxManifestSize = uint64_t{1} << 20;
constexpr uint64_t kMaxLibrarySize = uint64_t{512} << 20;
constexpr uint64_t kMaxCircuitSize = uint64_t{1} << 30;

void put_le(std::vector<uint8_t>& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

[[noreturn]] void fail(std::string_view origin, std::string_view what) {
  throw PackageError(fmt::format("package '{}': {}", origin, what));
}

const nlohmann::json& field(const nlohmann::json& object, const char* key, nlohmann::json::value_t type,
                            std::string_view origin, std::string_view where) {
  const auto it = object.find(key);
  if (it == object.end()) fail(origin, fmt::format("manifest: {}'{}' is missing", where, key));
  const bool type_ok = type == nlohmann::json::value_t::number_unsigned ? it->is_number_unsigned() : it->type() == type;
  if (!type_ok) fail(origin, fmt::format("manifest: {}'{}' has the wrong type ({})", where, key, it->type_name()));
  return *it;
}

void reject_unknown_fields(const nlohmann::json& object, std::initializer_list<const char*> known,
                           std::string_view origin, std::string_view where) {
  const std::set<std::string> names(known.begin(), known.end());
  for (const auto& [key, value] : object.items()) {
    if (!names.contains(key)) fail(origin, fmt::format("manifest: {}unknown field '{}'", where, key));
  }
}

nlohmann::json file_entry_json(const FileEntry& entry) {
  return {{"file", entry.file}, {"sha256", to_hex(entry.sha256)}, {"size", entry.size}};
}

FileEntry file_entry_from_json(const nlohmann::json& json, std::string_view origin, const char* which) {
  const std::string where = fmt::format("{}.", which);
  if (!json.is_object()) fail(origin, fmt::format("manifest: '{}' is not an object", which));
  reject_unknown_fields(json, {"file", "sha256", "size"}, origin, where);
  FileEntry entry;
  entry.file = field(json, "file", nlohmann::json::value_t::string, origin, where).get<std::string>();
  const auto digest = sha256_from_hex(field(json, "sha256", nlohmann::json::value_t::string, origin, where).get<std::string>());
  if (!digest) fail(origin, fmt::format("manifest: '{}.sha256' is not 64 hex digits", which));
  entry.sha256 = *digest;
  entry.size = field(json, "size", nlohmann::json::value_t::number_unsigned, origin, where).get<uint64_t>();
  return entry;
}

}  // namespace

bool valid_precompile_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  const auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(name[0])) return false;
  for (char c : name) {
    if (!lower_or_digit(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

nlohmann::json Manifest::to_json() const {
  return {{"format", kManifestFormat},
          {"name", name},
          {"version", version},
          {"description", description},
          {"authors", authors},
          {"license", license},
          {"provenance", {{"repository", repository}, {"revision", revision}}},
          {"precompile_abi_version", precompile_abi_version},
          {"library", file_entry_json(library)},
          {"circuit", circuit ? file_entry_json(*circuit) : nlohmann::json(nullptr)},
          {"created_by", created_by}};
}

std::string Manifest::canonical_bytes() const { return to_json().dump(); }

Manifest Manifest::from_json(const nlohmann::json& json, std::string_view origin) {
  using ValueT = nlohmann::json::value_t;
  if (!json.is_object()) fail(origin, "manifest: not a JSON object");
  reject_unknown_fields(json,
                        {"format", "name", "version", "description", "authors", "license", "provenance",
                         "precompile_abi_version", "library", "circuit", "created_by"},
                        origin, "");
  const std::string format = field(json, "format", ValueT::string, origin, "").get<std::string>();
  if (format != kManifestFormat) {
    fail(origin, fmt::format("manifest: format '{}' is not one this zkrv reads ('{}')", format, kManifestFormat));
  }
  Manifest m;
  m.name = field(json, "name", ValueT::string, origin, "").get<std::string>();
  if (!valid_precompile_name(m.name)) {
    fail(origin, fmt::format("manifest: name '{}' is not a valid precompile name (lower-case letters, digits, "
                             "'.', '_', '-'; at most {} bytes)", m.name, kMaxNameLength));
  }
  m.version = field(json, "version", ValueT::string, origin, "").get<std::string>();
  if (!parse_version(m.version)) fail(origin, fmt::format("manifest: version '{}' is not MAJOR.MINOR.PATCH", m.version));
  m.description = field(json, "description", ValueT::string, origin, "").get<std::string>();
  for (const auto& author : field(json, "authors", ValueT::array, origin, "")) {
    if (!author.is_string()) fail(origin, "manifest: 'authors' must be a list of strings");
    m.authors.push_back(author.get<std::string>());
  }
  m.license = field(json, "license", ValueT::string, origin, "").get<std::string>();
  const auto& provenance = field(json, "provenance", ValueT::object, origin, "");
  reject_unknown_fields(provenance, {"repository", "revision"}, origin, "provenance.");
  m.repository = field(provenance, "repository", ValueT::string, origin, "provenance.").get<std::string>();
  m.revision = field(provenance, "revision", ValueT::string, origin, "provenance.").get<std::string>();
  m.precompile_abi_version = field(json, "precompile_abi_version", ValueT::number_unsigned, origin, "").get<uint32_t>();
  m.library = file_entry_from_json(field(json, "library", ValueT::object, origin, ""), origin, "library");
  const auto circuit = json.find("circuit");
  if (circuit == json.end()) fail(origin, "manifest: 'circuit' is missing (null when there is none)");
  if (!circuit->is_null()) m.circuit = file_entry_from_json(*circuit, origin, "circuit");
  m.created_by = field(json, "created_by", ValueT::string, origin, "").get<std::string>();
  return m;
}

Package make_package(Manifest manifest, std::vector<uint8_t> library, std::optional<std::vector<uint8_t>> circuit,
                     std::string library_file_name, std::string circuit_file_name) {
  Package package;
  manifest.library = FileEntry{std::move(library_file_name), sha256(library), library.size()};
  if (circuit) {
    manifest.circuit = FileEntry{std::move(circuit_file_name), sha256(*circuit), circuit->size()};
    package.circuit = std::move(*circuit);
  } else {
    manifest.circuit.reset();
  }
  package.manifest_bytes = manifest.canonical_bytes();
  package.manifest = std::move(manifest);
  package.library = std::move(library);
  return package;
}

std::vector<uint8_t> serialize_package(const Package& package) {
  std::vector<uint8_t> out(kMagic, kMagic + sizeof kMagic);
  put_le(out, kFormatVersion, 4);
  put_le(out, kHeaderSize, 4);
  put_le(out, package.manifest_bytes.size(), 8);
  put_le(out, package.library.size(), 8);
  put_le(out, package.circuit.size(), 8);
  put_le(out, package.signature ? kSignatureSize : 0, 8);
  out.insert(out.end(), package.manifest_bytes.begin(), package.manifest_bytes.end());
  out.insert(out.end(), package.library.begin(), package.library.end());
  out.insert(out.end(), package.circuit.begin(), package.circuit.end());
  if (package.signature) {
    out.insert(out.end(), package.signature->public_key.begin(), package.signature->public_key.end());
    out.insert(out.end(), package.signature->signature.begin(), package.signature->signature.end());
  }
  return out;
}

Package parse_package(std::span<const uint8_t> bytes, std::string_view origin) {
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    fail(origin, bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0
                     ? "not a zkrv precompile package (no ZKRVPKG magic)"
                     : fmt::format("truncated: {} bytes, shorter than the {}-byte header", bytes.size(), kHeaderSize));
  }
  const uint64_t format_version = base::load_le32(bytes.data() + 8);
  if (format_version != kFormatVersion) {
    fail(origin, fmt::format("package format version {} is not one this zkrv reads ({})", format_version, kFormatVersion));
  }
  if (base::load_le32(bytes.data() + 12) != kHeaderSize) fail(origin, fmt::format("header size {} is not {}", base::load_le32(bytes.data() + 12), kHeaderSize));
  const uint64_t manifest_size = base::load_le64(bytes.data() + 16);
  const uint64_t library_size = base::load_le64(bytes.data() + 24);
  const uint64_t circuit_size = base::load_le64(bytes.data() + 32);
  const uint64_t signature_size = base::load_le64(bytes.data() + 40);
  if (manifest_size == 0 || manifest_size > kMaxManifestSize) fail(origin, fmt::format("manifest size {} is out of range", manifest_size));
  if (library_size == 0 || library_size > kMaxLibrarySize) fail(origin, fmt::format("library size {} is out of range", library_size));
  if (circuit_size > kMaxCircuitSize) fail(origin, fmt::format("circuit size {} is out of range", circuit_size));
  if (signature_size != 0 && signature_size != kSignatureSize) {
    fail(origin, fmt::format("signature size {} is neither 0 nor {}", signature_size, kSignatureSize));
  }
  const uint64_t expected = kHeaderSize + manifest_size + library_size + circuit_size + signature_size;
  if (bytes.size() != expected) {
    fail(origin, fmt::format("{}: the header describes {} bytes but the file has {}",
                             bytes.size() < expected ? "truncated" : "trailing bytes", expected, bytes.size()));
  }
  Package package;
  size_t offset = kHeaderSize;
  package.manifest_bytes.assign(reinterpret_cast<const char*>(bytes.data()) + offset, manifest_size);
  offset += manifest_size;
  package.library.assign(bytes.begin() + offset, bytes.begin() + offset + library_size);
  offset += library_size;
  package.circuit.assign(bytes.begin() + offset, bytes.begin() + offset + circuit_size);
  offset += circuit_size;
  if (signature_size) {
    Signature signature;
    std::memcpy(signature.public_key.data(), bytes.data() + offset, 32);
    std::memcpy(signature.signature.data(), bytes.data() + offset + 32, 64);
    package.signature = signature;
  }
  const nlohmann::json json = nlohmann::json::parse(package.manifest_bytes, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) fail(origin, "the manifest is not valid JSON");
  package.manifest = Manifest::from_json(json, origin);
  // Only one spelling of a manifest may be signed, so what a signer saw is what every reader sees.
  if (package.manifest.canonical_bytes() != package.manifest_bytes) {
    fail(origin, "the manifest is not in canonical form (compact JSON, sorted keys)");
  }
  return package;
}

std::vector<uint8_t> read_file_bytes(const std::filesystem::path& path, uint64_t limit) {
  std::vector<uint8_t> bytes;
  if (const auto failure = base::read_file(path, limit, &bytes)) {
    using Kind = base::FileReadFailure::Kind;
    switch (failure->kind) {
      case Kind::kOpen: throw PackageError(fmt::format("cannot open '{}'", path.string()));
      case Kind::kTooLarge:
        throw PackageError(fmt::format("'{}' is {} bytes, more than the limit of {}", path.string(), failure->size, limit));
      case Kind::kNotRegular:
      case Kind::kNamedFifo: throw PackageError(failure->describe(path, limit));
      case Kind::kRead:
      case Kind::kShrank: throw PackageError(fmt::format("cannot read '{}'", path.string()));
    }
  }
  return bytes;
}

void write_file_atomically(const std::filesystem::path& path, std::span<const uint8_t> bytes, bool private_file) {
  std::random_device random;
  const std::filesystem::path temporary = path.string() + fmt::format(".tmp-{:08x}", random());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, private_file ? 0600 : 0644);
  if (fd < 0) throw PackageError(fmt::format("cannot create '{}': {}", temporary.string(), std::strerror(errno)));
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      throw PackageError(fmt::format("cannot write '{}': {}", temporary.string(), std::strerror(error)));
    }
    written += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw PackageError(fmt::format("cannot write '{}': {}", path.string(), std::strerror(error)));
  }
}

Package read_package_file(const std::filesystem::path& path) {
  const std::vector<uint8_t> bytes = read_file_bytes(path, kHeaderSize + kMaxManifestSize + kMaxLibrarySize + kMaxCircuitSize + kSignatureSize);
  return parse_package(bytes, path.string());
}

void write_package_file(const std::filesystem::path& path, const Package& package) {
  write_file_atomically(path, serialize_package(package));
}

std::vector<std::string> integrity_problems(const Package& package) {
  std::vector<std::string> problems;
  const Manifest& m = package.manifest;
  if (package.library.size() != m.library.size) {
    problems.push_back(fmt::format("the library is {} bytes but the manifest says {}", package.library.size(), m.library.size));
  }
  const Sha256 library_digest = sha256(package.library);
  if (library_digest != m.library.sha256) {
    problems.push_back(fmt::format("the library's SHA-256 is {} but the manifest says {}", to_hex(library_digest),
                                   to_hex(m.library.sha256)));
  }
  if (!m.circuit) {
    if (!package.circuit.empty()) problems.push_back(fmt::format("the package holds a {}-byte circuit the manifest does not list", package.circuit.size()));
  } else {
    if (package.circuit.size() != m.circuit->size) {
      problems.push_back(fmt::format("the circuit is {} bytes but the manifest says {}", package.circuit.size(), m.circuit->size));
    }
    const Sha256 circuit_digest = sha256(package.circuit);
    if (circuit_digest != m.circuit->sha256) {
      problems.push_back(fmt::format("the circuit's SHA-256 is {} but the manifest says {}", to_hex(circuit_digest),
                                     to_hex(m.circuit->sha256)));
    }
  }
  return problems;
}

}  // namespace zkrv::precompiles
