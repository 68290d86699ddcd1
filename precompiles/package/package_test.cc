#include "precompiles/package/package.h"

#include <gtest/gtest.h>

#include "precompiles/testdata/test_packages.h"

namespace zkrv::precompiles {
namespace {

using testing::test_manifest;
using testing::test_package;

std::string error_of(std::span<const uint8_t> bytes) {
  try {
    parse_package(bytes, "test.zkrvpkg");
  } catch (const PackageError& e) {
    return e.what();
  }
  return "";
}

TEST(Manifest, RoundTripsThroughCanonicalJson) {
  Package package = make_package(test_manifest(), {9, 8, 7}, std::vector<uint8_t>{5, 5}, "libx.so", "x.circuit");
  const Manifest parsed = Manifest::from_json(nlohmann::json::parse(package.manifest_bytes), "m");
  EXPECT_EQ(parsed.canonical_bytes(), package.manifest_bytes);
  EXPECT_EQ(parsed.library.size, 3u);
  EXPECT_EQ(parsed.library.sha256, sha256(std::vector<uint8_t>{9, 8, 7}));
  ASSERT_TRUE(parsed.circuit);
  EXPECT_EQ(parsed.circuit->file, "x.circuit");
  EXPECT_EQ(parsed.authors, test_manifest().authors);
  EXPECT_EQ(parsed.revision, "0123abcd");
  // Canonical: compact, keys sorted.
  EXPECT_EQ(package.manifest_bytes.find('\n'), std::string::npos);
  EXPECT_EQ(package.manifest_bytes.find("\": "), std::string::npos);
  EXPECT_LT(package.manifest_bytes.find("\"authors\""), package.manifest_bytes.find("\"circuit\""));
}

TEST(Manifest, CircuitSlotIsNullWhenAbsent) {
  const Package package = test_package();
  EXPECT_NE(package.manifest_bytes.find("\"circuit\":null"), std::string::npos);
}

TEST(Manifest, StrictParsingNamesTheField) {
  const nlohmann::json good = test_package().manifest.to_json();
  const auto error = [](const nlohmann::json& json) {
    try {
      Manifest::from_json(json, "pkg");
    } catch (const PackageError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  nlohmann::json j = good;
  j.erase("license");
  EXPECT_EQ(error(j), "package 'pkg': manifest: 'license' is missing");
  j = good;
  j["extra"] = 1;
  EXPECT_EQ(error(j), "package 'pkg': manifest: unknown field 'extra'");
  j = good;
  j["name"] = "Bad Name";
  EXPECT_NE(error(j).find("name 'Bad Name' is not a valid precompile name"), std::string::npos);
  j = good;
  j["version"] = "1.0";
  EXPECT_NE(error(j).find("version '1.0' is not MAJOR.MINOR.PATCH"), std::string::npos);
  j = good;
  j["library"]["sha256"] = "abc";
  EXPECT_EQ(error(j), "package 'pkg': manifest: 'library.sha256' is not 64 hex digits");
  j = good;
  j["precompile_abi_version"] = "1";
  EXPECT_EQ(error(j), "package 'pkg': manifest: 'precompile_abi_version' has the wrong type (string)");
  j = good;
  j["provenance"].erase("revision");
  EXPECT_EQ(error(j), "package 'pkg': manifest: provenance.'revision' is missing");
  j = good;
  j["format"] = "zkrv-precompile-manifest/2";
  EXPECT_NE(error(j).find("format 'zkrv-precompile-manifest/2' is not one this zkrv reads"), std::string::npos);
}

TEST(PrecompileNames, Validity) {
  EXPECT_TRUE(valid_precompile_name("zkrv.keccak_f1600"));
  EXPECT_TRUE(valid_precompile_name("a-b.c_9"));
  EXPECT_FALSE(valid_precompile_name(""));
  EXPECT_FALSE(valid_precompile_name(".hidden"));
  EXPECT_FALSE(valid_precompile_name("Upper"));
  EXPECT_FALSE(valid_precompile_name("a/b"));
  EXPECT_FALSE(valid_precompile_name(std::string(64, 'a')));
  EXPECT_TRUE(valid_precompile_name(std::string(63, 'a')));
}

TEST(PackageFormat, RoundTrips) {
  Package package = make_package(test_manifest(), {1, 2, 3}, std::vector<uint8_t>{7}, "lib.so", "c");
  package.signature = Signature{};
  package.signature->public_key[0] = 0xaa;
  package.signature->signature[63] = 0xbb;
  const std::vector<uint8_t> bytes = serialize_package(package);
  EXPECT_EQ(bytes.size(), 48 + package.manifest_bytes.size() + 3 + 1 + 96);
  const Package parsed = parse_package(bytes, "p");
  EXPECT_EQ(parsed.manifest_bytes, package.manifest_bytes);
  EXPECT_EQ(parsed.library, package.library);
  EXPECT_EQ(parsed.circuit, package.circuit);
  ASSERT_TRUE(parsed.signature);
  EXPECT_EQ(parsed.signature->public_key[0], 0xaa);
  EXPECT_EQ(parsed.signature->signature[63], 0xbb);
  EXPECT_EQ(parsed.digest(), package.digest());
  EXPECT_TRUE(integrity_problems(parsed).empty());
}

TEST(PackageFormat, TruncatedAndGarbageFilesAreRefused) {
  const std::vector<uint8_t> bytes = serialize_package(test_package());
  EXPECT_EQ(error_of(std::span(bytes).first(20)), "package 'test.zkrvpkg': truncated: 20 bytes, shorter than the 48-byte header");
  EXPECT_NE(error_of(std::span(bytes).first(bytes.size() - 1)).find("truncated: the header describes"), std::string::npos);
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0);
  EXPECT_NE(error_of(longer).find("trailing bytes"), std::string::npos);
  const std::vector<uint8_t> garbage(4096, 0x5a);
  EXPECT_EQ(error_of(garbage), "package 'test.zkrvpkg': not a zkrv precompile package (no ZKRVPKG magic)");
  EXPECT_EQ(error_of({}), "package 'test.zkrvpkg': not a zkrv precompile package (no ZKRVPKG magic)");
  std::vector<uint8_t> future = bytes;
  future[8] = 2;
  EXPECT_NE(error_of(future).find("package format version 2"), std::string::npos);
  std::vector<uint8_t> huge = bytes;
  huge[16 + 7] = 0x40;  // manifest size 2^62
  EXPECT_NE(error_of(huge).find("manifest size"), std::string::npos);
  std::vector<uint8_t> odd_signature = bytes;
  odd_signature[40] = 5;
  EXPECT_NE(error_of(odd_signature).find("signature size 5"), std::string::npos);
}

TEST(PackageFormat, ManifestMustBeValidCanonicalJson) {
  Package package = test_package();
  package.manifest_bytes = package.manifest.to_json().dump(2);
  EXPECT_NE(error_of(serialize_package(package)).find("not in canonical form"), std::string::npos);
  package.manifest_bytes = "{\"name\": ";
  EXPECT_EQ(error_of(serialize_package(package)), "package 'test.zkrvpkg': the manifest is not valid JSON");
}

TEST(PackageIntegrity, TamperedLibraryAndCircuitAreReported) {
  Package package = make_package(test_manifest(), {1, 2, 3}, std::vector<uint8_t>{7, 7}, "lib.so", "c");
  EXPECT_TRUE(integrity_problems(package).empty());
  package.library[1] ^= 1;
  auto problems = integrity_problems(package);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("the library's SHA-256 is"), std::string::npos);
  package.library.push_back(0);
  EXPECT_EQ(integrity_problems(package).size(), 2u);
  package = make_package(test_manifest(), {1}, std::vector<uint8_t>{7, 7}, "lib.so", "c");
  package.circuit[0] = 8;
  problems = integrity_problems(package);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("the circuit's SHA-256 is"), std::string::npos);
  package = test_package();
  package.circuit = {1};
  problems = integrity_problems(package);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "the package holds a 1-byte circuit the manifest does not list");
}

TEST(PackageFiles, WriteAndReadBack) {
  const auto dir = testing::fresh_directory("package-files");
  const Package package = test_package();
  write_package_file(dir / "p.zkrvpkg", package);
  EXPECT_EQ(read_package_file(dir / "p.zkrvpkg").digest(), package.digest());
  EXPECT_THROW(read_package_file(dir / "missing.zkrvpkg"), PackageError);
}

TEST(Digest, HexRoundTrip) {
  const Sha256 digest = sha256(std::string_view("abc"));
  EXPECT_EQ(to_hex(digest), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_from_hex(to_hex(digest)), digest);
  EXPECT_FALSE(sha256_from_hex("ba78"));
  EXPECT_FALSE(sha256_from_hex(std::string(63, 'a') + "g"));
}

}  // namespace
}  // namespace zkrv::precompiles
