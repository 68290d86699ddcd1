// host/package_circuits and package_rows: the circuit of a declared package from a store of the
// test's own (a fresh directory), admitted, with what it resolved recorded; a package without a
// circuit gives none; the library is never loaded (these packages' "libraries" are four bytes no
// loader would open); a pinned package's circuit rather than a newer version's; a key's digest
// picks the version carrying it, and one no version carries names each candidate; a tampered
// circuit, an untrusted signer (until trusted) and a bad signature are refused; a blob the decoder
// and one the machine refuses are errors naming the package; and PackageRows without the library
// loaded for the precompile's index refuses, naming the precompile.
#include "host/package_circuits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/hex.h"
#include "host/package_rows.h"
#include "precompiles/package/digest.h"
#include "precompiles/package/store.h"
#include "precompiles/package/trust.h"
#include "precompiles/testdata/test_packages.h"
#include "riscv_air/buses.h"
#include "riscv_air/program.h"
#include "stark/circuit/circuit.h"

namespace zkrv::host {
namespace {

namespace circuit = ::zkrv::stark::circuit;
using ::testing::HasSubstr;
using precompiles::Package;

// The smallest circuit the machine admits: 8 columns, the first a bit (the call's multiplicity),
// the other 7 the call's message, received on PRECOMPILE. `bus` moves the receive elsewhere.
// `name` (the table's) makes another circuit, of another digest.
std::vector<uint8_t> tiny_circuit(stark::air::BusId bus = riscv_air::kPrecompileBus, const std::string& name = "tiny") {
  circuit::Circuit c;
  c.info.name = name;
  c.info.main_width = 8;
  for (uint32_t col = 0; col < 8; ++col) c.nodes.push_back({circuit::NodeCode::kMain, col, 0, 0});
  c.nodes.push_back({circuit::NodeCode::kConstant, 1, 0, 0});  // 8
  c.nodes.push_back({circuit::NodeCode::kSub, 0, 0, 8});       // 9: active - 1
  c.nodes.push_back({circuit::NodeCode::kMul, 0, 0, 9});       // 10: active (active - 1)
  c.constraints.push_back({"active is a bit", 10});
  c.interactions.push_back({bus, stark::air::Direction::kReceive, 1, {1, 2, 3, 4, 5, 6, 7}, 0});
  return circuit::encode_circuit(circuit::canonical_circuit(c));
}

struct Store {
  std::filesystem::path dir;
  precompiles::LoaderOptions loader;
};

// A store holding `package` (unsigned, accepted as untrusted), in a directory of the test's own.
Store store_with(const std::string& test, const Package& package) {
  Store s{precompiles::testing::fresh_directory("package-circuits-" + test), {}};
  precompiles::write_package_file(s.dir / "test.good-1.2.0.zkrvpkg", package);
  s.loader.search_path = {s.dir};
  s.loader.allow_untrusted = true;
  return s;
}

Package package_with_circuit(std::vector<uint8_t> circuit_bytes, const std::string& version = "1.2.0") {
  return precompiles::make_package(precompiles::testing::test_manifest("test.good", version), {1, 2, 3, 4},
                                   std::move(circuit_bytes), "libtest.so", "test.circuit");
}

riscv_air::DeclaredPrecompile declared(const std::string& requirement = "^1.0") {
  return riscv_air::DeclaredPrecompile{3, "test.good", requirement, std::nullopt, nullptr, std::nullopt};
}

// test.good 1.2.0 and 1.3.0 installed side by side, each with a circuit of its own.
struct TwoVersions {
  Store store;
  std::vector<uint8_t> older_circuit = tiny_circuit(riscv_air::kPrecompileBus, "older");
  std::vector<uint8_t> newer_circuit = tiny_circuit(riscv_air::kPrecompileBus, "newer");
  Package older = package_with_circuit(older_circuit, "1.2.0");
  Package newer = package_with_circuit(newer_circuit, "1.3.0");
};

TwoVersions two_versions(const std::string& test) {
  TwoVersions v;
  v.store = store_with(test, v.older);
  precompiles::write_package_file(v.store.dir / "test.good-1.3.0.zkrvpkg", v.newer);
  return v;
}

std::string error_of(const riscv_air::PackageCircuitResolver& resolve) {
  try {
    resolve(declared());
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(PackageCircuits, TheInstalledPackagesCircuitIsAdmittedWithoutLoadingItsLibrary) {
  const std::vector<uint8_t> bytes = tiny_circuit();
  const Store s = store_with("admitted", package_with_circuit(bytes));
  const auto resolved = std::make_shared<ResolvedCircuits>();
  const riscv_air::PackageCircuitResolver resolve = package_circuit_resolver(s.loader, resolved);
  const std::shared_ptr<const riscv_air::PackageCircuit> c = resolve(declared());
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->digest, circuit::circuit_digest(bytes));
  EXPECT_EQ(c->circuit.info.main_width, 8);
  // Asked again (the verifier and the setup both ask): the same circuit, read once.
  EXPECT_EQ(resolve(declared()), c);
  ASSERT_EQ(resolved->size(), 1u);
  EXPECT_EQ((*resolved)[0].name, "test.good");
  EXPECT_EQ((*resolved)[0].version, "1.2.0");
  EXPECT_EQ((*resolved)[0].circuit, c);
  EXPECT_THAT((*resolved)[0].signer, HasSubstr("unsigned"));
  // A requirement nothing installed satisfies: the resolution's error, naming the precompile.
  EXPECT_THROW(resolve(declared("^2.0")), precompiles::PackageError);
}

TEST(PackageCircuits, APackageWithoutACircuitHasNone) {
  const Store s = store_with("none", precompiles::testing::test_package());
  const auto resolved = std::make_shared<ResolvedCircuits>();
  EXPECT_EQ(package_circuit_resolver(s.loader, resolved)(declared()), nullptr);
  EXPECT_TRUE(resolved->empty());
}

TEST(PackageCircuits, APinnedPackageIsTheOneWhoseCircuitIsProvenWith) {
  const TwoVersions v = two_versions("pinned");
  const riscv_air::PackageCircuitResolver resolve = package_circuit_resolver(v.store.loader);
  // Unpinned: the highest matching version, as `zkrv run` loads.
  EXPECT_EQ(resolve(declared())->digest, circuit::circuit_digest(v.newer_circuit));
  // Pinned to 1.2.0's package SHA-256 (as the ELF's descriptor says): 1.2.0's circuit, the package
  // whose library the VM runs, though 1.3.0 is installed beside it.
  riscv_air::DeclaredPrecompile pinned = declared();
  pinned.package_sha256 = v.older.digest();
  EXPECT_EQ(resolve(pinned)->digest, circuit::circuit_digest(v.older_circuit));
}

TEST(PackageCircuits, AKeysDigestPicksTheInstalledVersionCarryingIt) {
  const TwoVersions v = two_versions("by-digest");
  const auto resolved = std::make_shared<ResolvedCircuits>();
  const riscv_air::PackageCircuitResolver resolve = package_circuit_resolver(v.store.loader, resolved);
  // A proof made with 1.2.0's circuit verifies with 1.3.0 installed beside it.
  riscv_air::DeclaredPrecompile from_key = declared();
  from_key.circuit_digest = circuit::circuit_digest(v.older_circuit);
  EXPECT_EQ(resolve(from_key)->digest, *from_key.circuit_digest);
  ASSERT_EQ(resolved->size(), 1u);
  EXPECT_EQ((*resolved)[0].version, "1.2.0");
  // A digest no installed version carries: a mismatch naming each candidate and both digests.
  from_key.circuit_digest = circuit::circuit_digest(tiny_circuit(riscv_air::kPrecompileBus, "neither"));
  try {
    resolve(from_key);
    ADD_FAILURE() << "no installed version carries that digest";
  } catch (const CircuitMismatch& e) {
    EXPECT_THAT(e.what(), HasSubstr("carries the circuit of digest " + stark::to_hex(*from_key.circuit_digest)));
    EXPECT_THAT(e.what(), HasSubstr("1.3.0 ('" + (v.store.dir / "test.good-1.3.0.zkrvpkg").string() +
                                    "'): circuit digest " + stark::to_hex(circuit::circuit_digest(v.newer_circuit))));
    EXPECT_THAT(e.what(), HasSubstr("1.2.0 ('" + (v.store.dir / "test.good-1.2.0.zkrvpkg").string() +
                                    "'): circuit digest " + stark::to_hex(circuit::circuit_digest(v.older_circuit))));
  }
  // The pin still binds: pinned to 1.3.0, 1.2.0's digest is not found.
  from_key.circuit_digest = circuit::circuit_digest(v.older_circuit);
  from_key.package_sha256 = v.newer.digest();
  EXPECT_THROW(resolve(from_key), CircuitMismatch);
}

TEST(PackageCircuits, ATamperedCircuitIsRefusedNamingThePackageAndBothDigests) {
  Package package = package_with_circuit(tiny_circuit());
  const precompiles::Sha256 manifest_digest = package.manifest.circuit->sha256;
  package.circuit[20] ^= 1;
  const Store s = store_with("tampered", package);
  // verify_package's integrity check, run by every resolution before anything is admitted.
  const std::string error = error_of(package_circuit_resolver(s.loader));
  EXPECT_THAT(error, HasSubstr("test.good@1.2.0"));
  EXPECT_THAT(error, HasSubstr("is damaged or tampered with"));
  EXPECT_THAT(error, HasSubstr("the circuit's SHA-256 is " + base::to_hex(precompiles::sha256(package.circuit))));
  EXPECT_THAT(error, HasSubstr("the manifest says " + base::to_hex(manifest_digest)));
}

TEST(PackageCircuits, AnUntrustedSignerIsRefusedUntilTrustedAndABadSignatureAlways) {
  const precompiles::SigningKey author = precompiles::generate_signing_key("author");
  Package package = package_with_circuit(tiny_circuit());
  precompiles::sign_package(package, author);
  Store s = store_with("trust", package);
  s.loader.allow_untrusted = false;
  EXPECT_THAT(error_of(package_circuit_resolver(s.loader)), HasSubstr("trust its signer (--trust-key)"));
  s.loader.trust.add_key(precompiles::NamedPublicKey{"author", author.public_key, false});
  EXPECT_NE(package_circuit_resolver(s.loader)(declared()), nullptr);
  // A signature that does not verify is refused, trusted key or not, untrusted allowed or not.
  Package forged = package;
  forged.signature->signature[0] ^= 1;
  Store bad = store_with("bad-signature", forged);
  bad.loader.trust.add_key(precompiles::NamedPublicKey{"author", author.public_key, false});
  EXPECT_THAT(error_of(package_circuit_resolver(bad.loader)), HasSubstr("its signature does not verify"));
  bad.loader.allow_untrusted = true;
  EXPECT_THAT(error_of(package_circuit_resolver(bad.loader)), HasSubstr("its signature does not verify"));
}

TEST(PackageCircuits, BlobsTheDecoderOrTheMachineRefusesAreNamed) {
  const Store garbage = store_with("garbage", package_with_circuit({'n', 'o', 't', ' ', 'a', ' ', 'c', 'i', 'r', 'c'}));
  EXPECT_THAT(error_of(package_circuit_resolver(garbage.loader)),
              HasSubstr("the circuit of precompile package test.good is refused: circuit offset"));
  // A well-formed circuit that receives on MEMORY: the machine's admission refuses it.
  const Store memory = store_with("memory", package_with_circuit(tiny_circuit(riscv_air::kMemoryBus)));
  const std::string error = error_of(package_circuit_resolver(memory.loader));
  EXPECT_THAT(error, HasSubstr("test.good"));
  EXPECT_THAT(error, HasSubstr("MEMORY"));
}

TEST(PackageCircuits, RowsWithoutALoadedLibraryAreRefusedNamingThePrecompile) {
  const riscv_air::PackageRows rows = package_rows(std::make_shared<const LoadedPackages>());
  const zkrv_call_record call{};
  try {
    rows(declared(), call);
    ADD_FAILURE() << "rows without a library";
  } catch (const riscv_air::RefusedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("precompile test.good (index 3): no library of its package was loaded"));
  }
  // The same name's library loaded for another index (another declaration, possibly another
  // package): not index 3's library.
  precompiles::LoadedPrecompile other;
  other.name = "test.good";
  other.version = "1.3.0";
  const auto loaded = std::make_shared<LoadedPackages>();
  loaded->emplace(5, other);
  try {
    package_rows(loaded)(declared(), call);
    ADD_FAILURE() << "index 3's rows from index 5's library";
  } catch (const riscv_air::RefusedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("precompile test.good (index 3): no library of its package was loaded"));
  }
}

}  // namespace
}  // namespace zkrv::host
