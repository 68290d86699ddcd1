// A guest for the profile test's proving-cost weights: two functions run the same instructions,
// one LW in a loop, at an aligned address in one and a misaligned one in the other, so weighed by
// cells the second costs more (a Misaligned row instead of a LoadStore row for each LW).
#include <stdint.h>

#include "zkrv/zkrv.h"

static uint8_t buffer[16] __attribute__((aligned(4)));

// The load is written in assembly so that the compiler cannot split or move it.
__attribute__((noinline)) static uint32_t loads(const uint8_t* p) {
  uint32_t sum = 0;
  for (unsigned i = 0; i < 1000; ++i) {
    uint32_t v;
    __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(p));
    sum += v;
  }
  return sum;
}

__attribute__((noinline)) static uint32_t aligned_loads(void) { return loads(buffer + 4); }
__attribute__((noinline)) static uint32_t misaligned_loads(void) { return loads(buffer + 5); }

int main(void) {
  const uint32_t total = aligned_loads() + misaligned_loads();
  zkrv_output_write(&total, sizeof total);
  return 0;
}
