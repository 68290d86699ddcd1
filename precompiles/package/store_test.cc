#include "precompiles/package/store.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "precompiles/testdata/test_memory.h"
#include "precompiles/testdata/test_packages.h"

namespace zkrv::precompiles {
namespace {

using testing::fresh_directory;
using testing::test_manifest;
using testing::TestMemory;

std::vector<uint8_t> library_bytes(const char* path) { return read_file_bytes(path); }

Package package_of(const char* library_path, const std::string& version = "1.2.0") {
  return make_package(test_manifest("test.good", version), library_bytes(library_path), std::nullopt, "libtest.so");
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_directory(::testing::UnitTest::GetInstance()->current_test_info()->name());
    alice_ = generate_signing_key("alice");
    options_.search_path = {dir_ / "first", dir_ / "second"};
    options_.trust.add_key({"alice", alice_.public_key});
  }

  Package signed_package(const char* library_path, const std::string& version = "1.2.0") {
    Package package = package_of(library_path, version);
    sign_package(package, alice_);
    return package;
  }

  std::string load_error(const PrecompileRequest& request) {
    try {
      load_precompile(request, options_);
    } catch (const PackageError& e) {
      return e.what();
    }
    return "";
  }

  std::filesystem::path dir_;
  SigningKey alice_;
  LoaderOptions options_;
};

TEST_F(StoreTest, LoadsATrustedPackageAndEvaluates) {
  install_package(signed_package(ZKRV_TEST_GOOD_LIBRARY), dir_ / "first", false);
  const LoadedPrecompile loaded = load_precompile({"test.good", "^1.0", std::nullopt}, options_);
  EXPECT_EQ(loaded.name, "test.good");
  EXPECT_EQ(loaded.version, "1.2.0");
  EXPECT_EQ(loaded.package_file, dir_ / "first" / "test.good-1.2.0.zkrvpkg");
  EXPECT_TRUE(loaded.warnings.empty());
  TestMemory memory(0x100, 16);
  memory.at(0x104)[0] = 40;
  zkrv_precompile_call call;
  ASSERT_EQ(memory.eval(loaded.call, 0x104, 2, &call), ZKRV_PRECOMPILE_OK) << call.error;
  EXPECT_EQ(call.rd, 42u);
  EXPECT_EQ(memory.eval(loaded.call, 0x1000, 2, &call), ZKRV_PRECOMPILE_BAD_MEMORY);
}

TEST_F(StoreTest, FirstPartyKeccakLoadsAndPermutes) {
  Package package = make_package(test_manifest("zkrv.keccak_f1600", "1.0.0"), library_bytes(ZKRV_TEST_KECCAK_LIBRARY),
                                 std::nullopt, "libkeccak.so");
  sign_package(package, alice_);
  install_package(package, dir_ / "first", false);
  const LoadedPrecompile loaded = load_precompile({"zkrv.keccak_f1600", "=1.0.0", package.digest()}, options_);
  TestMemory memory(0x1000, 256);
  zkrv_precompile_call call;
  ASSERT_EQ(memory.eval(loaded.call, 0x1008, 0, &call), ZKRV_PRECOMPILE_OK) << call.error;
  // Keccak-f[1600] of the all-zero state: first lane 0xf1258f7940e1dde7 (the Keccak team's vectors).
  uint64_t lane0 = 0;
  for (int i = 0; i < 8; ++i) lane0 |= uint64_t{memory.at(0x1008)[i]} << (8 * i);
  EXPECT_EQ(lane0, 0xf1258f7940e1dde7u);
}

TEST_F(StoreTest, TwoPackagesLoadedTogetherKeepTheirOwnCode) {
  install_package(signed_package(ZKRV_TEST_GOOD_LIBRARY), dir_ / "first", false);
  Package keccak = make_package(test_manifest("zkrv.keccak_f1600", "1.0.0"), library_bytes(ZKRV_TEST_KECCAK_LIBRARY),
                                std::nullopt, "libkeccak.so");
  sign_package(keccak, alice_);
  install_package(keccak, dir_ / "first", false);
  for (const Isolation isolation : {Isolation::kInProcess, Isolation::kSandbox}) {
    options_.isolation = isolation;
    for (int round = 0; round < 3; ++round) {  // loads and unloads reuse descriptor numbers
      const LoadedPrecompile good = load_precompile({"test.good", "*", std::nullopt}, options_);
      const LoadedPrecompile permutation = load_precompile({"zkrv.keccak_f1600", "*", std::nullopt}, options_);
      EXPECT_EQ(good.sandboxed, isolation == Isolation::kSandbox);
      if (isolation == Isolation::kInProcess) {
        ASSERT_NE(good.eval, permutation.eval);
      }
      TestMemory memory(0x1000, 256);
      zkrv_precompile_call call;
      ASSERT_EQ(memory.eval(good.call, 0x1000, 5, &call), ZKRV_PRECOMPILE_OK) << call.error;
      EXPECT_EQ(call.rd, 5u);  // the word at 0x1000 is zero
      ASSERT_EQ(memory.eval(permutation.call, 0x1000, 0, &call), ZKRV_PRECOMPILE_OK) << call.error;
      EXPECT_EQ(memory.at(0x1000)[0], 0xe7);  // first byte of Keccak-f[1600](0)
    }
  }
}

TEST_F(StoreTest, OnlyATrustEntryMarkedRunInProcessKeepsTheLibraryInProcess) {
  install_package(signed_package(ZKRV_TEST_GOOD_LIBRARY), dir_ / "first", false);
  EXPECT_TRUE(load_precompile({"test.good", "*", std::nullopt}, options_).sandboxed);  // alice: plain trust
  options_.trust = TrustStore();
  options_.trust.add_key({"alice", alice_.public_key, /*run_in_process=*/true});
  const LoadedPrecompile loaded = load_precompile({"test.good", "*", std::nullopt}, options_);
  EXPECT_FALSE(loaded.sandboxed);
  EXPECT_NE(loaded.eval, nullptr);
}

TEST_F(StoreTest, PicksTheHighestSatisfyingVersion) {
  for (const char* version : {"1.0.0", "1.4.0", "2.0.0"}) {
    install_package(signed_package(ZKRV_TEST_GOOD_LIBRARY, version), dir_ / "second", false);
  }
  EXPECT_EQ(resolve_precompile({"test.good", "^1.0", std::nullopt}, options_).package.manifest.version, "1.4.0");
  EXPECT_EQ(resolve_precompile({"test.good", "*", std::nullopt}, options_).package.manifest.version, "2.0.0");
  EXPECT_EQ(resolve_precompile({"test.good", "=1.0.0", std::nullopt}, options_).package.manifest.version, "1.0.0");
  const std::string error = load_error({"test.good", "^3", std::nullopt});
  EXPECT_NE(error.find("precompile 'test.good': no installed package satisfies version ^3; installed: 1.0.0"), std::string::npos) << error;
  EXPECT_NE(error.find("2.0.0"), std::string::npos) << error;
}

TEST_F(StoreTest, UnknownNameAndBadRequirementAreNamed) {
  EXPECT_EQ(load_error({"test.absent", "*", std::nullopt}),
            "precompile 'test.absent' is not installed (searched " + (dir_ / "first").string() + ":" +
                (dir_ / "second").string() + ")");
  EXPECT_NE(load_error({"test.good", "1.2", std::nullopt}).find("version requirement '1.2' is not one of"), std::string::npos);
}

TEST_F(StoreTest, ExpectedDigestMustMatch) {
  const Package package = signed_package(ZKRV_TEST_GOOD_LIBRARY);
  install_package(package, dir_ / "first", false);
  EXPECT_NO_THROW(load_precompile({"test.good", "*", package.digest()}, options_));
  Sha256 other = package.digest();
  other[0] ^= 1;
  const std::string error = load_error({"test.good", "*", other});
  EXPECT_NE(error.find("no installed package satisfies version * with package SHA-256 " + to_hex(other)), std::string::npos)
      << error;
  EXPECT_NE(error.find(to_hex(package.digest())), std::string::npos) << error;
}

// Flips one byte of the library inside an installed package file.
void tamper_library_in_file(const std::filesystem::path& file, const Package& package) {
  std::vector<uint8_t> bytes = read_file_bytes(file);
  bytes[48 + package.manifest_bytes.size() + package.library.size() / 2] ^= 0x01;
  write_file_atomically(file, bytes);
}

TEST_F(StoreTest, TamperedLibraryIsRefused) {
  const Package package = signed_package(ZKRV_TEST_GOOD_LIBRARY);
  const auto file = install_package(package, dir_ / "first", false);
  tamper_library_in_file(file, package);
  const std::string error = load_error({"test.good", "*", std::nullopt});
  EXPECT_NE(error.find("package test.good@1.2.0 ('" + file.string() + "') is damaged or tampered with: the library's SHA-256 is"),
            std::string::npos)
      << error;
}

TEST_F(StoreTest, SwappedInLibraryIsNeverLoaded) {
  const std::filesystem::path marker = dir_ / "marker";
  ::setenv("ZKRV_TEST_MARKER", marker.c_str(), 1);
  options_.isolation = Isolation::kInProcess;  // the marker is a file its constructor creates
  // The control: the marker library, packaged honestly, does run its constructor when loaded.
  install_package(signed_package(ZKRV_TEST_MARKER_LIBRARY), dir_ / "second", false);
  ASSERT_NO_THROW(load_precompile({"test.good", "*", std::nullopt}, options_));
  ASSERT_TRUE(std::filesystem::exists(marker));
  std::filesystem::remove_all(dir_ / "second");
  std::filesystem::remove(marker);

  // The attack: the good library's signed manifest with the marker library's bytes.
  Package package = signed_package(ZKRV_TEST_GOOD_LIBRARY);
  package.library = library_bytes(ZKRV_TEST_MARKER_LIBRARY);
  std::filesystem::create_directories(dir_ / "first");
  write_file_atomically(dir_ / "first" / "test.good-1.2.0.zkrvpkg", serialize_package(package));
  EXPECT_NE(load_error({"test.good", "*", std::nullopt}).find("is damaged or tampered with"), std::string::npos);
  EXPECT_THROW(open_package_library(package, "direct"), PackageError);  // the last line of defence
  EXPECT_FALSE(std::filesystem::exists(marker)) << "the tampered library was loaded";
  ::unsetenv("ZKRV_TEST_MARKER");
}

TEST_F(StoreTest, TamperedManifestIsRefused) {
  Package package = signed_package(ZKRV_TEST_GOOD_LIBRARY);
  package.manifest.description = "harmless, honest";
  package.manifest_bytes = package.manifest.canonical_bytes();
  install_package(package, dir_ / "first", false);
  const std::string error = load_error({"test.good", "*", std::nullopt});
  EXPECT_NE(error.find("its signature does not verify"), std::string::npos) << error;
  options_.allow_untrusted = true;  // never rescues a broken signature
  EXPECT_NE(load_error({"test.good", "*", std::nullopt}).find("its signature does not verify"), std::string::npos);
}

TEST_F(StoreTest, UnsignedPackageNeedsAllowUntrusted) {
  install_package(package_of(ZKRV_TEST_GOOD_LIBRARY), dir_ / "first", false);
  const std::string error = load_error({"test.good", "*", std::nullopt});
  EXPECT_NE(error.find("is unsigned; ask its publisher for a signed package, or accept these exact bytes with "
                       "--allow-untrusted"),
            std::string::npos)
      << error;
  options_.allow_untrusted = true;
  const LoadedPrecompile loaded = load_precompile({"test.good", "*", std::nullopt}, options_);
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].find("package test.good@1.2.0 ("), std::string::npos);
}

TEST_F(StoreTest, AllowedDigestIsTrustedButNotAfterTampering) {
  Package package = package_of(ZKRV_TEST_GOOD_LIBRARY);
  options_.trust.allow({"test.good", "1.2.0", package.digest()});
  install_package(package, dir_ / "first", false);
  EXPECT_NO_THROW(load_precompile({"test.good", "*", std::nullopt}, options_));
  package.manifest.license = "proprietary";
  package.manifest_bytes = package.manifest.canonical_bytes();
  install_package(package, dir_ / "first", true);
  EXPECT_NE(load_error({"test.good", "*", std::nullopt}).find("is unsigned"), std::string::npos);
}

TEST_F(StoreTest, UntrustedSignerIsRefused) {
  Package package = package_of(ZKRV_TEST_GOOD_LIBRARY);
  const SigningKey mallory = generate_signing_key("mallory");
  sign_package(package, mallory);
  install_package(package, dir_ / "first", false);
  const std::string error = load_error({"test.good", "*", std::nullopt});
  EXPECT_NE(error.find("is signed by " + public_key_text(mallory.public_key) + ", which is in no trust file"), std::string::npos)
      << error;
}

TEST_F(StoreTest, LibraryOfAnotherAbiVersionIsRefused) {
  install_package(signed_package(ZKRV_TEST_ABI999_LIBRARY), dir_ / "first", false);
  const std::string error = load_error({"test.good", "*", std::nullopt});
  EXPECT_NE(error.find("the library was built for precompile ABI 999: rebuild against SDK ABI 2"), std::string::npos) << error;
}

// A library the ABI-1 SDK built answers an ABI-2 host with BAD_ABI and its own version: refused at
// load, saying to rebuild it (a manifest may well claim the current ABI: the library decides).
TEST_F(StoreTest, LibraryOfAbi1IsRefusedWithAdviceToRebuild) {
  for (const Isolation isolation : {Isolation::kInProcess, Isolation::kSandbox}) {
    options_.isolation = isolation;
    install_package(signed_package(ZKRV_TEST_ABI1_LIBRARY), dir_ / "first", true);
    const std::string error = load_error({"test.good", "*", std::nullopt});
    EXPECT_NE(error.find("package test.good@1.2.0 ("), std::string::npos) << error;
    EXPECT_NE(error.find("the library was built for precompile ABI 1: rebuild against SDK ABI 2 (`zkrv precompile build`, "
                         "then pack it again); this zkrv speaks only precompile ABI 2"),
              std::string::npos)
        << error;
  }
}

TEST_F(StoreTest, ManifestOfAbi1IsRefusedBeforeLoading) {
  Manifest manifest = test_manifest();
  manifest.precompile_abi_version = 1;
  Package package = make_package(manifest, library_bytes(ZKRV_TEST_MARKER_LIBRARY), std::nullopt, "lib.so");
  sign_package(package, alice_);
  install_package(package, dir_ / "first", false);
  const std::filesystem::path marker = dir_ / "loaded";
  ::setenv("ZKRV_TEST_MARKER", marker.c_str(), 1);
  options_.isolation = Isolation::kInProcess;
  const std::string error = load_error({"test.good", "*", std::nullopt});
  ::unsetenv("ZKRV_TEST_MARKER");
  EXPECT_NE(error.find("precompile ABI 1: rebuild against SDK ABI 2"), std::string::npos) << error;
  EXPECT_FALSE(std::filesystem::exists(marker)) << "the library was loaded";
}

TEST_F(StoreTest, LibraryWhoseNameDiffersFromItsManifestIsRefused) {
  install_package(signed_package(ZKRV_TEST_WRONG_NAME_LIBRARY), dir_ / "first", false);
  const std::string error = load_error({"test.good", "*", std::nullopt});
  EXPECT_NE(error.find("the library calls itself test.impostor@1.2.0, which is not what its manifest says"), std::string::npos)
      << error;
}

TEST_F(StoreTest, NonLibraryBytesFailToLoadWithAMessage) {
  Package package = make_package(test_manifest(), {'n', 'o', 't', ' ', 'e', 'l', 'f'}, std::nullopt, "lib.so");
  sign_package(package, alice_);
  install_package(package, dir_ / "first", false);
  EXPECT_NE(load_error({"test.good", "*", std::nullopt}).find("the library does not load"), std::string::npos);
}

TEST_F(StoreTest, GarbageAndTruncatedFilesAreListedAndSkipped) {
  std::filesystem::create_directories(dir_ / "first");
  std::ofstream(dir_ / "first" / "garbage.zkrvpkg") << "this is not a package";
  const std::vector<uint8_t> bytes = serialize_package(signed_package(ZKRV_TEST_GOOD_LIBRARY));
  write_file_atomically(dir_ / "first" / "truncated.zkrvpkg", std::span(bytes).first(bytes.size() / 2));
  const auto installed = list_installed(options_.search_path);
  ASSERT_EQ(installed.size(), 2u);
  EXPECT_FALSE(installed[0].package);
  EXPECT_NE(installed[0].error.find("not a zkrv precompile package"), std::string::npos);
  EXPECT_NE(installed[1].error.find("truncated"), std::string::npos);
  EXPECT_NE(load_error({"test.good", "*", std::nullopt}).find("2 unreadable package files skipped"), std::string::npos);
}

TEST_F(StoreTest, InstallRefusesToReplaceDifferentContentsUnlessAsked) {
  const Package first = signed_package(ZKRV_TEST_GOOD_LIBRARY);
  install_package(first, dir_ / "first", false);
  EXPECT_NO_THROW(install_package(first, dir_ / "first", false));  // the same package again
  const Package second = signed_package(ZKRV_TEST_MARKER_LIBRARY);
  try {
    install_package(second, dir_ / "first", false);
    FAIL() << "expected an error";
  } catch (const PackageError& e) {
    EXPECT_NE(std::string(e.what()).find("is already installed as"), std::string::npos);
  }
  install_package(second, dir_ / "first", true);
  EXPECT_EQ(read_package_file(dir_ / "first" / "test.good-1.2.0.zkrvpkg").digest(), second.digest());
}

TEST(DefaultPaths, EnvironmentOverridesTheDefaults) {
  ::setenv("ZKRV_PRECOMPILE_PATH", "/a::/b", 1);
  ::setenv("ZKRV_TRUST_FILE", "/t.json", 1);
  EXPECT_EQ(default_search_path(), (std::vector<std::filesystem::path>{"/a", "/b"}));
  EXPECT_EQ(default_trust_files(), (std::vector<std::filesystem::path>{"/t.json"}));
  ::unsetenv("ZKRV_PRECOMPILE_PATH");
  ::unsetenv("ZKRV_TRUST_FILE");
  ::setenv("XDG_DATA_HOME", "/data", 1);
  const auto path = default_search_path();
  ASSERT_GE(path.size(), 1u);
  EXPECT_EQ(path[0], std::filesystem::path("/data/zkrv/precompiles"));
  // This test runs in the build tree: the bundled packages are the ones the build installed.
  EXPECT_EQ(path.back(), bundled_install_dir());
  EXPECT_EQ(bundled_install_dir().parent_path().filename(), "precompiles");
  EXPECT_TRUE(std::filesystem::is_directory(bundled_install_dir()));
  ::unsetenv("XDG_DATA_HOME");
}

}  // namespace
}  // namespace zkrv::precompiles
