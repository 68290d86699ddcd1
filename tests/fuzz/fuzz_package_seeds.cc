// Seeds for fuzz_package: a valid package with a library and a circuit, the same signed, and one
// without a circuit.
#include <filesystem>
#include <fstream>

#include "precompiles/package/package.h"
#include "precompiles/package/trust.h"
#include "precompiles/testdata/test_manifest.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::filesystem::path out = argv[1];
  std::filesystem::create_directories(out);
  const zkrv::precompiles::Manifest m = zkrv::precompiles::testing::test_manifest("fuzz.seed", "1.2.3");
  auto write = [&](const char* name, const zkrv::precompiles::Package& package) {
    const auto bytes = zkrv::precompiles::serialize_package(package);
    std::ofstream(out / name, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                      static_cast<std::streamsize>(bytes.size()));
  };
  auto with_circuit = zkrv::precompiles::make_package(m, {1, 2, 3, 4, 5, 6, 7, 8}, std::vector<uint8_t>{9, 9, 9},
                                                      "libseed.so");
  write("with_circuit.zkrvpkg", with_circuit);
  auto signed_package = with_circuit;
  zkrv::precompiles::sign_package(signed_package, zkrv::precompiles::generate_signing_key("seed"));
  write("signed.zkrvpkg", signed_package);
  write("library_only.zkrvpkg", zkrv::precompiles::make_package(m, {0x7f, 'E', 'L', 'F'}, std::nullopt, "libseed.so"));
  return 0;
}
