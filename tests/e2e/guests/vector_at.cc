// A C++ guest that calls std::vector::at out of range: libc++ without exceptions calls abort(), and
// `zkrv run` names the exception it would have thrown and where (tests/e2e/abort_report.sh).
#include <cstdio>
#include <vector>

__attribute__((noinline)) int pick(const std::vector<int>& values, unsigned index) { return values.at(index); }

int main() {
  const std::vector<int> values = {1, 2, 3};
  std::printf("%d\n", pick(values, 7));
  return 0;
}
