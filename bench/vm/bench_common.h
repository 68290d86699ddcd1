// Shared pieces of the VM benchmark guests: a deterministic generator, a checksum mixer and the
// one line every guest prints. The guests use only the C library (printf -> write, exit), so the
// same ELF runs on zkrv and under qemu-riscv32 and the two checksum lines can be compared.
#ifndef ZKRV_BENCH_VM_BENCH_COMMON_H_
#define ZKRV_BENCH_VM_BENCH_COMMON_H_

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

// Sizes are compile-time constants. The smoke build (-DZKRV_BENCH_SMOKE, used by the CTest check)
// runs the same code on inputs small enough to finish in well under a second.
#ifdef ZKRV_BENCH_SMOKE
#define BENCH_SIZE(full, smoke) (smoke)
#else
#define BENCH_SIZE(full, smoke) (full)
#endif

// SplitMix64: a full-period generator whose output is well mixed even from a small seed.
static inline uint64_t bench_next64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static inline uint32_t bench_next32(uint64_t* state) { return (uint32_t)(bench_next64(state) >> 32); }

// Folds one word into a running checksum (order-sensitive).
static inline uint64_t bench_mix(uint64_t checksum, uint64_t word) {
  checksum ^= word + 0x9e3779b97f4a7c15ull + (checksum << 6) + (checksum >> 2);
  return checksum;
}

// bench/run.sh compares this line between zkrv and qemu-riscv32.
static inline void bench_print_checksum(uint64_t checksum) {
  printf("checksum: %08" PRIx32 "%08" PRIx32 "\n", (uint32_t)(checksum >> 32), (uint32_t)checksum);
}

#endif  // ZKRV_BENCH_VM_BENCH_COMMON_H_
