// The C half of the twin pair in examples/rust/twin: the same function over the same input.
// Public output: FNV-1a-32 of the public input (little-endian u32), then the input bytes sorted.
#include <stdint.h>
#include <stdlib.h>

#include "zkrv/zkrv.h"

static int compare_bytes(const void* a, const void* b) {
  return (int)*(const uint8_t*)a - (int)*(const uint8_t*)b;
}

int main(void) {
  const uint8_t* input;
  size_t len;
  zkrv_read_public_input(&input, &len);
  uint32_t hash = 0x811c9dc5u;
  for (size_t i = 0; i < len; i++) hash = (hash ^ input[i]) * 0x01000193u;
  const uint8_t hash_bytes[4] = {(uint8_t)hash, (uint8_t)(hash >> 8), (uint8_t)(hash >> 16), (uint8_t)(hash >> 24)};
  zkrv_output_write(hash_bytes, sizeof hash_bytes);
  uint8_t* sorted = malloc(len ? len : 1);
  if (sorted == NULL) return 3;
  for (size_t i = 0; i < len; i++) sorted[i] = input[i];
  qsort(sorted, len, 1, compare_bytes);
  zkrv_output_write(sorted, len);
  free(sorted);
  return 0;
}
