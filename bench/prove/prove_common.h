// Shared pieces of the proving benchmark guests: the work size from the public input and the
// checksum to the public output. The guests use only the tapes and exit (no printf, which would
// pull in the debug-log ecall and division), so each proves with the smallest set of tables its
// own work needs.
#ifndef ZKRV_BENCH_PROVE_PROVE_COMMON_H_
#define ZKRV_BENCH_PROVE_PROVE_COMMON_H_

#include <stdint.h>

#include "zkrv/zkrv.h"

// The public input's first word: how many units of work (blocks, keys, iterations) to do.
static inline uint32_t prove_units(void) {
  return zkrv_public_input_size() >= 4 ? zkrv_public_input_word(0) : 1;
}

static inline uint64_t prove_mix(uint64_t checksum, uint64_t word) {
  checksum ^= word + 0x9e3779b97f4a7c15ull + (checksum << 6) + (checksum >> 2);
  return checksum;
}

static inline int prove_finish(uint64_t checksum) {
  zkrv_output_write(&checksum, sizeof checksum);
  return 0;
}

#endif  // ZKRV_BENCH_PROVE_PROVE_COMMON_H_
