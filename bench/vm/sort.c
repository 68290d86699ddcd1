// Sorting 2^21 random 32-bit keys twice: a bottom-up merge sort (streaming loads and stores,
// unpredictable compare branches) and a quicksort with median-of-three and an insertion-sort tail.
// Both results must be sorted and equal.
#include <string.h>

#include "bench_common.h"

enum { kKeys = BENCH_SIZE(1 << 21, 1 << 14), kInsertionCutoff = 16 };

static uint32_t keys[kKeys];
static uint32_t merged[kKeys];
static uint32_t scratch[kKeys];
static uint32_t quick[kKeys];

static uint32_t* merge_sort(uint32_t* data, uint32_t* spare, size_t n) {
  uint32_t* from = data;
  uint32_t* to = spare;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      const size_t mid = lo + width < n ? lo + width : n;
      const size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) to[k++] = from[j] < from[i] ? from[j++] : from[i++];
      while (i < mid) to[k++] = from[i++];
      while (j < hi) to[k++] = from[j++];
    }
    uint32_t* t = from;
    from = to;
    to = t;
  }
  return from;
}

static inline void swap(uint32_t* a, uint32_t* b) {
  const uint32_t t = *a;
  *a = *b;
  *b = t;
}

static void quick_sort(uint32_t* a, long lo, long hi) {  // [lo, hi]
  while (hi - lo > kInsertionCutoff) {
    const long mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(&a[mid], &a[lo]);
    if (a[hi] < a[lo]) swap(&a[hi], &a[lo]);
    if (a[hi] < a[mid]) swap(&a[hi], &a[mid]);
    const uint32_t pivot = a[mid];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) ++i;
      while (pivot < a[j]) --j;
      if (i <= j) swap(&a[i++], &a[j--]);
    }
    // Recurse into the smaller side so the stack stays O(log n).
    if (j - lo < hi - i) {
      quick_sort(a, lo, j);
      lo = i;
    } else {
      quick_sort(a, i, hi);
      hi = j;
    }
  }
  for (long i = lo + 1; i <= hi; ++i) {
    const uint32_t v = a[i];
    long j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      --j;
    }
    a[j + 1] = v;
  }
}

int main(void) {
  uint64_t seed = 3;
  for (size_t i = 0; i < kKeys; ++i) keys[i] = bench_next32(&seed);
  memcpy(merged, keys, sizeof(keys));
  memcpy(quick, keys, sizeof(keys));

  const uint32_t* by_merge = merge_sort(merged, scratch, kKeys);
  quick_sort(quick, 0, kKeys - 1);

  uint64_t checksum = 0;
  for (size_t i = 0; i < kKeys; ++i) {
    if (by_merge[i] != quick[i] || (i > 0 && quick[i - 1] > quick[i])) {
      printf("sort: results differ or are not sorted at index %u\n", (unsigned)i);
      return 1;
    }
    checksum = bench_mix(checksum, quick[i]);
  }
  bench_print_checksum(checksum);
  return 0;
}
