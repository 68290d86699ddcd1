#include "precompiles/package/trust.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "precompiles/testdata/test_packages.h"

namespace zkrv::precompiles {
namespace {

using testing::fresh_directory;
using testing::test_package;

TEST(Keys, WriteReadAndPermissions) {
  const auto dir = fresh_directory("keys");
  const SigningKey key = generate_signing_key("alice");
  write_signing_key(dir / "alice.key.json", key);
  struct stat st;
  ASSERT_EQ(::stat((dir / "alice.key.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const SigningKey read = read_signing_key(dir / "alice.key.json");
  EXPECT_EQ(read.name, "alice");
  EXPECT_EQ(read.public_key, key.public_key);
  EXPECT_EQ(read.seed, key.seed);
  EXPECT_THROW(write_signing_key(dir / "alice.key.json", key), PackageError);  // never overwrites

  write_public_key(dir / "alice.pub.json", {"alice", key.public_key});
  EXPECT_EQ(read_public_key((dir / "alice.pub.json").string()).public_key, key.public_key);
  EXPECT_EQ(read_public_key((dir / "alice.key.json").string()).public_key, key.public_key);  // public half
  const NamedPublicKey literal = read_public_key(public_key_text(key.public_key), "al");
  EXPECT_EQ(literal.public_key, key.public_key);
  EXPECT_EQ(literal.name, "al");
  EXPECT_THROW(read_public_key("ed25519:1234"), PackageError);
  EXPECT_THROW(read_signing_key(dir / "alice.pub.json"), PackageError);  // a public key cannot sign
}

TEST(Keys, SecretKeyWhosePublicKeyDoesNotMatchIsRefused) {
  const auto dir = fresh_directory("keys-mismatch");
  SigningKey key = generate_signing_key("bob");
  key.public_key[0] ^= 1;
  write_signing_key(dir / "bob.key.json", key);
  try {
    read_signing_key(dir / "bob.key.json");
    FAIL() << "expected an error";
  } catch (const PackageError& e) {
    EXPECT_NE(std::string(e.what()).find("does not belong to its seed"), std::string::npos);
  }
}

TEST(Signatures, SignAndVerify) {
  Package package = test_package();
  EXPECT_FALSE(signature_verifies(package));
  sign_package(package, generate_signing_key("alice"));
  EXPECT_TRUE(signature_verifies(package));
  const Package parsed = parse_package(serialize_package(package), "p");
  EXPECT_TRUE(signature_verifies(parsed));
}

TEST(Signatures, ChangedManifestBreaksTheSignature) {
  Package package = test_package();
  sign_package(package, generate_signing_key("alice"));
  Package changed = package;
  changed.manifest.description = "something else";
  changed.manifest_bytes = changed.manifest.canonical_bytes();
  EXPECT_FALSE(signature_verifies(changed));
  // The signature covers the library digest, which is in the manifest.
  Package other_library = make_package(package.manifest, {9, 9, 9}, std::nullopt, "libtest.so");
  other_library.signature = package.signature;
  EXPECT_FALSE(signature_verifies(other_library));
}

TEST(Trust, Decisions) {
  const SigningKey alice = generate_signing_key("alice");
  const SigningKey mallory = generate_signing_key("mallory");
  TrustStore trust;
  trust.add_key({"alice", alice.public_key});

  Package package = test_package();
  EXPECT_EQ(evaluate_trust(package, trust).kind, TrustDecision::Kind::kUnsigned);
  sign_package(package, mallory);
  TrustDecision decision = evaluate_trust(package, trust);
  EXPECT_EQ(decision.kind, TrustDecision::Kind::kUntrustedSigner);
  EXPECT_EQ(decision.signer, public_key_text(mallory.public_key));
  EXPECT_FALSE(decision.trusted());
  sign_package(package, alice);
  decision = evaluate_trust(package, trust);
  EXPECT_EQ(decision.kind, TrustDecision::Kind::kTrustedSigner);
  EXPECT_EQ(decision.signer, "alice");
  EXPECT_TRUE(decision.trusted());
  package.signature->signature[0] ^= 1;
  EXPECT_EQ(evaluate_trust(package, trust).kind, TrustDecision::Kind::kBadSignature);

  Package unsigned_package = test_package();
  trust.allow({"test.good", "1.2.0", unsigned_package.digest()});
  EXPECT_EQ(evaluate_trust(unsigned_package, trust).kind, TrustDecision::Kind::kAllowedDigest);
  // A bad signature is never rescued by an allowed digest.
  package.signature->signature[0] ^= 1;
  package.signature->signature[1] ^= 1;
  EXPECT_EQ(evaluate_trust(package, trust).kind, TrustDecision::Kind::kBadSignature);
}

TEST(Trust, FilesAccumulateAndMissingFilesAreEmpty) {
  const auto dir = fresh_directory("trust-files");
  const SigningKey alice = generate_signing_key("alice");
  const SigningKey bob = generate_signing_key("bob");
  EXPECT_TRUE(add_key_to_trust_file(dir / "a" / "trust.json", {"alice", alice.public_key}));
  EXPECT_FALSE(add_key_to_trust_file(dir / "a" / "trust.json", {"alice again", alice.public_key}));
  EXPECT_TRUE(add_key_to_trust_file(dir / "b.json", {"bob", bob.public_key}));
  const Package package = test_package();
  EXPECT_TRUE(allow_package_in_trust_file(dir / "b.json", {"test.good", "1.2.0", package.digest()}));
  EXPECT_FALSE(allow_package_in_trust_file(dir / "b.json", {"test.good", "1.2.0", package.digest()}));

  const TrustStore store = TrustStore::load({dir / "a" / "trust.json", dir / "b.json", dir / "missing.json"});
  EXPECT_EQ(store.keys().size(), 2u);
  ASSERT_NE(store.find_key(bob.public_key), nullptr);
  EXPECT_EQ(store.find_key(bob.public_key)->name, "bob");
  ASSERT_NE(store.find_allowed(package.digest()), nullptr);
  EXPECT_EQ(store.find_allowed(package.digest())->version, "1.2.0");
}

TEST(Trust, RunInProcessIsRecordedAndCarriedIntoTheDecision) {
  const auto dir = fresh_directory("trust-in-process");
  const SigningKey alice = generate_signing_key("alice");
  EXPECT_TRUE(add_key_to_trust_file(dir / "trust.json", {"alice", alice.public_key}));
  Package package = test_package();
  sign_package(package, alice);
  EXPECT_FALSE(evaluate_trust(package, TrustStore::load({dir / "trust.json"})).run_in_process);
  // Marking an existing key changes its entry; marking it again changes nothing.
  EXPECT_TRUE(add_key_to_trust_file(dir / "trust.json", {"alice", alice.public_key, true}));
  EXPECT_FALSE(add_key_to_trust_file(dir / "trust.json", {"alice", alice.public_key, true}));
  const TrustDecision decision = evaluate_trust(package, TrustStore::load({dir / "trust.json"}));
  EXPECT_TRUE(decision.trusted());
  EXPECT_TRUE(decision.run_in_process);

  std::ofstream(dir / "bad.json") << R"({"format": "zkrv-trust/1", "keys": [{"name": "x", "public_key": ")"
                                  << public_key_text(alice.public_key) << R"(", "run_in_process": "yes"}]})";
  EXPECT_THROW(TrustStore::load({dir / "bad.json"}), PackageError);
}

TEST(Trust, MalformedTrustFileIsNamed) {
  const auto dir = fresh_directory("trust-bad");
  std::ofstream(dir / "trust.json") << "{\"format\": \"zkrv-trust/1\", \"keys\": [{\"name\": \"x\", \"public_key\": \"rsa:1\"}]}";
  try {
    TrustStore::load({dir / "trust.json"});
    FAIL() << "expected an error";
  } catch (const PackageError& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "trust.json").string()), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("public_key is not ed25519"), std::string::npos);
  }
  std::ofstream(dir / "other.json") << "[1, 2]";
  EXPECT_THROW(TrustStore::load({dir / "other.json"}), PackageError);
}

}  // namespace
}  // namespace zkrv::precompiles
