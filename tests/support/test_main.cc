// main() of every GoogleTest binary (zkrv_test in the root CMakeLists.txt). Before any test runs it
// takes away the user's per-user state: HOME points below a regular file, so nothing can create or
// write it, not even root, and the variables that redirect zkrv's package and trust directories or
// cargo's are unset (the list is ZKRV_TEST_PER_USER_VARIABLES in the root CMakeLists.txt, which
// applies the same to every other test). A test that needs such a directory makes its own
// (docs/testing.md), so no two tests, and no test and the user, share one.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>

int main(int argc, char** argv) {
  ::setenv("HOME", ZKRV_TEST_UNWRITABLE_HOME, 1);
  std::string_view variables = ZKRV_TEST_PER_USER_VARIABLES;  // "A:B:C"
  while (!variables.empty()) {
    const size_t colon = variables.find(':');
    ::unsetenv(std::string(variables.substr(0, colon)).c_str());
    variables.remove_prefix(colon == std::string_view::npos ? variables.size() : colon + 1);
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
