#include "precompiles/package/trust.h"

#include <sodium.h>

#include <fmt/format.h>

#include <cstring>

namespace zkrv::precompiles {
namespace {

constexpr std::string_view kSignatureContext = "zkrv precompile manifest signature v1\n";
constexpr std::string_view kSecretKeyFormat = "zkrv-ed25519-secret-key/1";
constexpr std::string_view kPublicKeyFormat = "zkrv-ed25519-public-key/1";
constexpr std::string_view kTrustFormat = "zkrv-trust/1";

void init_sodium() {
  if (sodium_init() < 0) throw PackageError("libsodium failed to initialise");
}

std::string signed_message(const Package& package) {
  return std::string(kSignatureContext) + package.manifest_bytes;
}

nlohmann::json read_json_file(const std::filesystem::path& path, std::string_view what) {
  const std::vector<uint8_t> bytes = read_file_bytes(path, uint64_t{16} << 20);
  nlohmann::json json = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    throw PackageError(fmt::format("{} '{}' is not a JSON object", what, path.string()));
  }
  return json;
}

std::string string_field(const nlohmann::json& json, const char* key, const std::filesystem::path& path, std::string_view what) {
  const auto it = json.find(key);
  if (it == json.end() || !it->is_string()) {
    throw PackageError(fmt::format("{} '{}': '{}' is missing or not a string", what, path.string(), key));
  }
  return it->get<std::string>();
}

void write_json_file(const std::filesystem::path& path, const nlohmann::json& json, bool private_file) {
  const std::string text = json.dump(2) + "\n";
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  write_file_atomically(path, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), private_file);
}

bool run_in_process_field(const nlohmann::json& entry, const std::filesystem::path& file) {
  const auto it = entry.find("run_in_process");
  if (it == entry.end()) return false;
  if (!it->is_boolean()) {
    throw PackageError(fmt::format("trust file '{}': run_in_process is not true or false", file.string()));
  }
  return it->get<bool>();
}

nlohmann::json read_trust_json(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return {{"format", kTrustFormat}, {"keys", nlohmann::json::array()}, {"allowed_packages", nlohmann::json::array()}};
  nlohmann::json json = read_json_file(file, "trust file");
  if (string_field(json, "format", file, "trust file") != kTrustFormat) {
    throw PackageError(fmt::format("trust file '{}': format is not '{}'", file.string(), kTrustFormat));
  }
  for (const char* list : {"keys", "allowed_packages"}) {
    if (!json.contains(list)) json[list] = nlohmann::json::array();
    if (!json[list].is_array()) throw PackageError(fmt::format("trust file '{}': '{}' is not a list", file.string(), list));
  }
  return json;
}

}  // namespace

std::string public_key_text(const PublicKey& key) { return "ed25519:" + to_hex(key); }

std::optional<PublicKey> parse_public_key_text(std::string_view text) {
  if (!text.starts_with("ed25519:")) return std::nullopt;
  const auto bytes = bytes_from_hex(text.substr(8), 32);
  if (!bytes) return std::nullopt;
  PublicKey key;
  std::memcpy(key.data(), bytes->data(), key.size());
  return key;
}

SigningKey generate_signing_key(std::string name) {
  init_sodium();
  SigningKey key;
  key.name = std::move(name);
  randombytes_buf(key.seed.data(), key.seed.size());
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> secret;
  crypto_sign_seed_keypair(key.public_key.data(), secret.data(), key.seed.data());
  sodium_memzero(secret.data(), secret.size());
  return key;
}

void write_signing_key(const std::filesystem::path& path, const SigningKey& key) {
  if (std::filesystem::exists(path)) throw PackageError(fmt::format("key file '{}' exists; not overwriting it", path.string()));
  write_json_file(path,
                  {{"format", kSecretKeyFormat}, {"name", key.name}, {"public_key", public_key_text(key.public_key)},
                   {"seed", to_hex(key.seed)}},
                  /*private_file=*/true);
}

void write_public_key(const std::filesystem::path& path, const NamedPublicKey& key) {
  write_json_file(path, {{"format", kPublicKeyFormat}, {"name", key.name}, {"public_key", public_key_text(key.public_key)}}, false);
}

SigningKey read_signing_key(const std::filesystem::path& path) {
  init_sodium();
  const nlohmann::json json = read_json_file(path, "key file");
  if (string_field(json, "format", path, "key file") != kSecretKeyFormat) {
    throw PackageError(fmt::format("key file '{}' is not a secret key (format '{}')", path.string(), kSecretKeyFormat));
  }
  SigningKey key;
  key.name = string_field(json, "name", path, "key file");
  const auto seed = bytes_from_hex(string_field(json, "seed", path, "key file"), 32);
  if (!seed) throw PackageError(fmt::format("key file '{}': 'seed' is not 64 hex digits", path.string()));
  std::memcpy(key.seed.data(), seed->data(), key.seed.size());
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> secret;
  crypto_sign_seed_keypair(key.public_key.data(), secret.data(), key.seed.data());
  sodium_memzero(secret.data(), secret.size());
  const auto recorded = parse_public_key_text(string_field(json, "public_key", path, "key file"));
  if (!recorded || *recorded != key.public_key) {
    throw PackageError(fmt::format("key file '{}': 'public_key' does not belong to its seed", path.string()));
  }
  return key;
}

NamedPublicKey read_public_key(const std::string& file_or_text, const std::string& name) {
  if (const auto key = parse_public_key_text(file_or_text)) {
    return NamedPublicKey{name.empty() ? "key-" + to_hex(*key).substr(0, 16) : name, *key};
  }
  const std::filesystem::path path = file_or_text;
  if (!std::filesystem::exists(path)) {
    throw PackageError(fmt::format("'{}' is neither a key file nor a key of the form ed25519:<64 hex digits>", file_or_text));
  }
  const nlohmann::json json = read_json_file(path, "key file");
  const std::string format = string_field(json, "format", path, "key file");
  if (format == kSecretKeyFormat) {
    SigningKey secret = read_signing_key(path);
    return NamedPublicKey{name.empty() ? secret.name : name, secret.public_key};
  }
  if (format != kPublicKeyFormat) {
    throw PackageError(fmt::format("key file '{}': format '{}' is not '{}'", path.string(), format, kPublicKeyFormat));
  }
  const auto key = parse_public_key_text(string_field(json, "public_key", path, "key file"));
  if (!key) throw PackageError(fmt::format("key file '{}': 'public_key' is not ed25519:<64 hex digits>", path.string()));
  return NamedPublicKey{name.empty() ? string_field(json, "name", path, "key file") : name, *key};
}

void sign_package(Package& package, const SigningKey& key) {
  init_sodium();
  std::array<uint8_t, crypto_sign_PUBLICKEYBYTES> public_key;
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> secret;
  crypto_sign_seed_keypair(public_key.data(), secret.data(), key.seed.data());
  Signature signature;
  signature.public_key = public_key;
  const std::string message = signed_message(package);
  crypto_sign_detached(signature.signature.data(), nullptr, reinterpret_cast<const uint8_t*>(message.data()),
                       message.size(), secret.data());
  sodium_memzero(secret.data(), secret.size());
  package.signature = signature;
}

bool signature_verifies(const Package& package) {
  if (!package.signature) return false;
  init_sodium();
  const std::string message = signed_message(package);
  return crypto_sign_verify_detached(package.signature->signature.data(), reinterpret_cast<const uint8_t*>(message.data()),
                                     message.size(), package.signature->public_key.data()) == 0;
}

TrustStore TrustStore::load(const std::vector<std::filesystem::path>& files) {
  TrustStore store;
  store.files_ = files;
  for (const auto& file : files) {
    const nlohmann::json json = read_trust_json(file);
    for (const auto& entry : json["keys"]) {
      if (!entry.is_object()) throw PackageError(fmt::format("trust file '{}': a key entry is not an object", file.string()));
      const auto key = parse_public_key_text(string_field(entry, "public_key", file, "trust file"));
      if (!key) throw PackageError(fmt::format("trust file '{}': a public_key is not ed25519:<64 hex digits>", file.string()));
      store.keys_.push_back({string_field(entry, "name", file, "trust file"), *key, run_in_process_field(entry, file)});
    }
    for (const auto& entry : json["allowed_packages"]) {
      if (!entry.is_object()) throw PackageError(fmt::format("trust file '{}': an allowed package is not an object", file.string()));
      const auto digest = sha256_from_hex(string_field(entry, "package_sha256", file, "trust file"));
      if (!digest) throw PackageError(fmt::format("trust file '{}': a package_sha256 is not 64 hex digits", file.string()));
      store.allowed_.push_back({string_field(entry, "name", file, "trust file"), string_field(entry, "version", file, "trust file"),
                                *digest, run_in_process_field(entry, file)});
    }
  }
  return store;
}

const NamedPublicKey* TrustStore::find_key(const PublicKey& key) const {
  for (const auto& k : keys_) {
    if (k.public_key == key) return &k;
  }
  return nullptr;
}

const AllowedPackage* TrustStore::find_allowed(const Sha256& package_sha256) const {
  for (const auto& p : allowed_) {
    if (p.package_sha256 == package_sha256) return &p;
  }
  return nullptr;
}

bool add_key_to_trust_file(const std::filesystem::path& file, const NamedPublicKey& key) {
  nlohmann::json json = read_trust_json(file);
  const std::string text = public_key_text(key.public_key);
  for (auto& entry : json["keys"]) {
    if (entry.value("public_key", "") != text) continue;
    if (!key.run_in_process || entry.value("run_in_process", false)) return false;
    entry["run_in_process"] = true;
    write_json_file(file, json, false);
    return true;
  }
  nlohmann::json entry = {{"name", key.name}, {"public_key", text}};
  if (key.run_in_process) entry["run_in_process"] = true;
  json["keys"].push_back(entry);
  write_json_file(file, json, false);
  return true;
}

bool allow_package_in_trust_file(const std::filesystem::path& file, const AllowedPackage& package) {
  nlohmann::json json = read_trust_json(file);
  const std::string digest = to_hex(package.package_sha256);
  for (auto& entry : json["allowed_packages"]) {
    if (entry.value("package_sha256", "") != digest) continue;
    if (!package.run_in_process || entry.value("run_in_process", false)) return false;
    entry["run_in_process"] = true;
    write_json_file(file, json, false);
    return true;
  }
  nlohmann::json entry = {{"name", package.name}, {"version", package.version}, {"package_sha256", digest}};
  if (package.run_in_process) entry["run_in_process"] = true;
  json["allowed_packages"].push_back(entry);
  write_json_file(file, json, false);
  return true;
}

std::string TrustDecision::kind_name() const {
  switch (kind) {
    case Kind::kTrustedSigner: return "trusted-signer";
    case Kind::kAllowedDigest: return "allowed-digest";
    case Kind::kUnsigned: return "unsigned";
    case Kind::kUntrustedSigner: return "untrusted-signer";
    case Kind::kBadSignature: return "bad-signature";
  }
  return "unknown";
}

std::string TrustDecision::describe() const {
  switch (kind) {
    case Kind::kTrustedSigner: return "signed by trusted key '" + signer + "'";
    case Kind::kAllowedDigest: return "allowed by its digest in a trust file (" + signer + ")";
    case Kind::kUnsigned: return "unsigned";
    case Kind::kUntrustedSigner: return "signed by " + signer + ", which is in no trust file";
    case Kind::kBadSignature: return "its signature does not verify (the manifest was changed after signing, or the signature is corrupt)";
  }
  return "unknown";
}

TrustDecision evaluate_trust(const Package& package, const TrustStore& trust) {
  TrustDecision decision;
  if (package.signature && !signature_verifies(package)) {
    decision.kind = TrustDecision::Kind::kBadSignature;
    return decision;
  }
  if (package.signature) {
    if (const NamedPublicKey* key = trust.find_key(package.signature->public_key)) {
      decision.kind = TrustDecision::Kind::kTrustedSigner;
      decision.signer = key->name;
      decision.run_in_process = key->run_in_process;
      return decision;
    }
  }
  if (const AllowedPackage* allowed = trust.find_allowed(package.digest())) {
    decision.kind = TrustDecision::Kind::kAllowedDigest;
    decision.signer = allowed->name + "@" + allowed->version;
    decision.run_in_process = allowed->run_in_process;
    return decision;
  }
  if (package.signature) {
    decision.kind = TrustDecision::Kind::kUntrustedSigner;
    decision.signer = public_key_text(package.signature->public_key);
  }
  return decision;
}

}  // namespace zkrv::precompiles
