// Signing keys, package signatures and the trust store (docs/precompiles.md, "Signing and trust").
// Signatures are ed25519 (libsodium) over a fixed context string followed by the manifest's canonical
// bytes, which include the library's SHA-256.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "precompiles/package/package.h"

namespace zkrv::precompiles {

using PublicKey = std::array<uint8_t, 32>;

// "ed25519:<64 hex digits>", the spelling in key files, trust files and reports.
std::string public_key_text(const PublicKey& key);
std::optional<PublicKey> parse_public_key_text(std::string_view text);

struct SigningKey {
  std::string name;
  PublicKey public_key{};
  std::array<uint8_t, 32> seed{};  // the secret: libsodium derives the key pair from it
};

struct NamedPublicKey {
  std::string name;
  PublicKey public_key{};
  // Packages this key signs may run inside the zkrv process instead of the sandbox (trust file
  // field "run_in_process"; the build's first-party key has it).
  bool run_in_process = false;
};

SigningKey generate_signing_key(std::string name);
// Secret key file: mode 0600, refuses to overwrite. Public key file: the same name and key, no seed.
void write_signing_key(const std::filesystem::path& path, const SigningKey& key);
void write_public_key(const std::filesystem::path& path, const NamedPublicKey& key);
SigningKey read_signing_key(const std::filesystem::path& path);
// A public key file, a secret key file (its public half), or the text "ed25519:<hex>" (named `name`
// or, without one, after its first hex digits).
NamedPublicKey read_public_key(const std::string& file_or_text, const std::string& name = "");

// Replaces any existing signature.
void sign_package(Package& package, const SigningKey& key);
// True when the package carries a signature that verifies over its manifest bytes.
bool signature_verifies(const Package& package);

struct AllowedPackage {
  std::string name;
  std::string version;
  Sha256 package_sha256{};
  bool run_in_process = false;
};

// The union of trust files. A package is trusted when it is signed by one of the keys, or when its
// digest was explicitly allowed (`zkrv precompile install --allow-untrusted` records it).
class TrustStore {
 public:
  // Missing files are empty; a malformed one throws PackageError naming it.
  static TrustStore load(const std::vector<std::filesystem::path>& files);

  const NamedPublicKey* find_key(const PublicKey& key) const;
  const AllowedPackage* find_allowed(const Sha256& package_sha256) const;
  const std::vector<NamedPublicKey>& keys() const { return keys_; }
  const std::vector<std::filesystem::path>& files() const { return files_; }

  void add_key(NamedPublicKey key) { keys_.push_back(std::move(key)); }
  void allow(AllowedPackage package) { allowed_.push_back(std::move(package)); }

 private:
  std::vector<std::filesystem::path> files_;
  std::vector<NamedPublicKey> keys_;
  std::vector<AllowedPackage> allowed_;
};

// Adds to one trust file (created if missing, written atomically); a key or package already there is
// not added twice, but its run_in_process flag is set when the new entry has it. Returns false when
// nothing changed.
bool add_key_to_trust_file(const std::filesystem::path& file, const NamedPublicKey& key);
bool allow_package_in_trust_file(const std::filesystem::path& file, const AllowedPackage& package);

struct TrustDecision {
  enum class Kind { kTrustedSigner, kAllowedDigest, kUnsigned, kUntrustedSigner, kBadSignature };
  Kind kind = Kind::kUnsigned;
  std::string signer;  // the trusted key's name, or the key text for an untrusted signer
  bool run_in_process = false;  // the trusting entry lets the library run in process

  bool trusted() const { return kind == Kind::kTrustedSigner || kind == Kind::kAllowedDigest; }
  // "signed by zkrv-project (ed25519:...)", "unsigned", ...
  std::string describe() const;
  std::string kind_name() const;  // "trusted-signer", "allowed-digest", "unsigned", ...
};

TrustDecision evaluate_trust(const Package& package, const TrustStore& trust);

}  // namespace zkrv::precompiles
