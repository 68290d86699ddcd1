// Merge sort (bottom-up) of `units` pseudo-random 32-bit keys (at most 2^18): data-dependent
// branches, loads and stores over a few hundred KiB.
#include "prove_common.h"

enum { kMaxKeys = 1 << 18 };
static uint32_t keys[kMaxKeys];
static uint32_t scratch[kMaxKeys];

int main(void) {
  uint32_t n = prove_units();
  if (n > kMaxKeys) n = kMaxKeys;
  uint32_t x = 0x12345678;
  for (uint32_t i = 0; i < n; ++i) {  // xorshift32
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    keys[i] = x;
  }
  uint32_t* from = keys;
  uint32_t* to = scratch;
  for (uint32_t width = 1; width < n; width <<= 1) {
    for (uint32_t lo = 0; lo < n; lo += 2 * width) {
      const uint32_t mid = lo + width < n ? lo + width : n;
      const uint32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      uint32_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) to[k++] = from[i] <= from[j] ? from[i++] : from[j++];
      while (i < mid) to[k++] = from[i++];
      while (j < hi) to[k++] = from[j++];
    }
    uint32_t* t = from;
    from = to;
    to = t;
  }
  uint64_t checksum = n;
  int sorted = 1;
  for (uint32_t i = 0; i < n; ++i) {
    if (i > 0 && from[i - 1] > from[i]) sorted = 0;
    checksum = prove_mix(checksum, from[i]);
  }
  return sorted ? prove_finish(checksum) : 1;
}
