// Helpers for package tests: a fresh temporary directory and a plausible manifest.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "precompiles/package/package.h"
#include "precompiles/testdata/test_manifest.h"

namespace zkrv::precompiles::testing {

inline std::filesystem::path fresh_directory(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("zkrv-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline Package test_package(std::vector<uint8_t> library = {1, 2, 3, 4}, const std::string& version = "1.2.0") {
  return make_package(test_manifest("test.good", version), std::move(library), std::nullopt, "libtest.so");
}

}  // namespace zkrv::precompiles::testing
