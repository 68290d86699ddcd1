// A plausible manifest for tests and fuzz seeds (no test framework needed).
#pragma once

#include <zkrv/precompile.h>

#include <string>

#include "precompiles/package/package.h"

namespace zkrv::precompiles::testing {

inline Manifest test_manifest(const std::string& name = "test.good", const std::string& version = "1.2.0") {
  Manifest m;
  m.name = name;
  m.version = version;
  m.description = "a test precompile";
  m.authors = {"Ada <ada@example.org>"};
  m.license = "MIT";
  m.repository = "https://example.org/test.git";
  m.revision = "0123abcd";
  m.precompile_abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
  m.created_by = "zkrv tests";
  return m;
}

}  // namespace zkrv::precompiles::testing
