// Public input: n (u32 little-endian). Public output: fib(n) mod 2^64 (u64 little-endian).
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "zkrv/zkrv.h"

static uint64_t fibonacci(uint32_t n) {
  uint64_t previous = 0;
  uint64_t current = 1;
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t next = previous + current;
    previous = current;
    current = next;
  }
  return previous;
}

int main(void) {
  if (zkrv_public_input_size() != 4) {
    fprintf(stderr, "fibonacci: expected a 4-byte public input (n), got %zu bytes\n",
            zkrv_public_input_size());
    return 1;
  }
  uint32_t n = zkrv_public_input_word(0);
  zkrv_region_begin("fibonacci");
  uint64_t result = fibonacci(n);
  zkrv_region_end("fibonacci");
  printf("fib(%" PRIu32 ") = %" PRIu64 "\n", n, result);
  uint8_t bytes[8];
  memcpy(bytes, &result, sizeof(bytes));  // the guest is little-endian
  zkrv_output_write(bytes, sizeof(bytes));
  return 0;
}
