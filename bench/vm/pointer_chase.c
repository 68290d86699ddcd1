// Random pointer chasing through 4 MiB of nodes (bigger than this machine's 2 MiB L2): every hop
// is a load whose address depends on the previous load, so it measures the VM's load path plus
// host cache and TLB misses rather than arithmetic.
#include "bench_common.h"

enum { kNodes = BENCH_SIZE(1 << 19, 1 << 12), kHops = BENCH_SIZE(40000000, 200000) };

typedef struct {
  uint32_t next;
  uint32_t value;
} Node;

static Node nodes[kNodes];

int main(void) {
  // Sattolo's shuffle gives one cycle through every node, so the chase never settles in a short loop.
  uint64_t seed = 6;
  for (uint32_t i = 0; i < kNodes; ++i) {
    nodes[i].next = i;
    nodes[i].value = bench_next32(&seed);
  }
  for (uint32_t i = kNodes - 1; i > 0; --i) {
    const uint32_t j = (uint32_t)(((uint64_t)bench_next32(&seed) * i) >> 32);  // j < i
    const uint32_t t = nodes[i].next;
    nodes[i].next = nodes[j].next;
    nodes[j].next = t;
  }
  // Known answer: a single cycle returns to its start after exactly kNodes hops.
  uint32_t at = 0;
  for (uint32_t i = 0; i < kNodes; ++i) {
    at = nodes[at].next;
    if (at == 0 && i != kNodes - 1) {
      printf("pointer_chase: the permutation is not a single cycle\n");
      return 1;
    }
  }

  uint32_t sum = 0;
  at = 0;
  for (uint32_t hop = 0; hop < kHops; ++hop) {
    at = nodes[at].next;
    sum ^= nodes[at].value;
    sum = (sum << 7 | sum >> 25) + hop;
  }
  bench_print_checksum((uint64_t)at << 32 | sum);
  return 0;
}
