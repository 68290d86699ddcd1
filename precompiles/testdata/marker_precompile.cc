// Creates the file named by $ZKRV_TEST_MARKER as soon as it is loaded (a constructor), so a test can
// tell whether a library was ever loaded.
#include <zkrv/precompile.hpp>

#include <cstdio>
#include <cstdlib>

namespace {

__attribute__((constructor)) void leave_marker() {
  if (const char* path = std::getenv("ZKRV_TEST_MARKER")) {
    if (FILE* file = std::fopen(path, "w")) std::fclose(file);
  }
}

uint32_t zero(uint32_t, uint32_t, zkrv::precompile::Memory&) { return 0; }

}  // namespace

ZKRV_DEFINE_PRECOMPILE("test.good", "1.2.0", zero)
