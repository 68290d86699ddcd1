// The precompile package format (header, JSON manifest, library, optional circuit, signature):
// parse_package on arbitrary bytes either throws PackageError or returns a package that serializes
// back to bytes that parse to the same package; integrity and trust checks never crash on it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "precompiles/package/package.h"
#include "precompiles/package/trust.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using zkrv::precompiles::Package;
  Package package;
  try {
    package = zkrv::precompiles::parse_package(std::span<const uint8_t>(data, size), "fuzz");
  } catch (const zkrv::precompiles::PackageError&) {
    return 0;
  }
  (void)zkrv::precompiles::integrity_problems(package);
  (void)zkrv::precompiles::evaluate_trust(package, zkrv::precompiles::TrustStore());
  const std::vector<uint8_t> again = zkrv::precompiles::serialize_package(package);
  try {
    const Package reparsed = zkrv::precompiles::parse_package(again, "fuzz (re-serialized)");
    if (reparsed.digest() != package.digest() || zkrv::precompiles::serialize_package(reparsed) != again) std::abort();
  } catch (const zkrv::precompiles::PackageError&) {
    std::abort();  // what was accepted once must be accepted again
  }
  return 0;
}
