// A guest with a known call structure for the profile test: main calls middle 10 times, each
// middle calls leaf twice, each leaf loops 1000 times.
#include "zkrv/zkrv.h"

__attribute__((noinline)) static unsigned leaf(unsigned x) {
  unsigned sum = 0;
  for (unsigned i = 0; i < 1000; ++i) sum += (x ^ i) >> 1;
  return sum;
}

__attribute__((noinline)) static unsigned middle(unsigned x) { return leaf(x) + leaf(x + 1); }

int main(void) {
  unsigned total = 0;
  for (unsigned i = 0; i < 10; ++i) total += middle(i);
  zkrv_output_write(&total, sizeof total);
  return 0;
}
