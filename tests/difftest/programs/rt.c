#include "rt.h"

static long syscall3(long number, long a, long b, long c) {
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a7 __asm__("a7") = number;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

static char out_buffer[1024];
static size_t out_used;

void flush(void) {
  size_t done = 0;
  while (done < out_used) {
    const long n = syscall3(64, 1, (long)(out_buffer + done), (long)(out_used - done));
    if (n <= 0) break;
    done += (size_t)n;
  }
  out_used = 0;
}

void rt_exit(int code) {
  flush();
  syscall3(93, code, 0, 0);
  for (;;) {
  }
}

void rt_start(void) { rt_exit(main()); }

void put_char(char c) {
  if (out_used == sizeof out_buffer) flush();
  out_buffer[out_used++] = c;
}

void put_str(const char* s) {
  while (*s) put_char(*s++);
}

static const char kHexDigits[] = "0123456789abcdef";

void put_hex32(uint32_t v) {
  for (int shift = 28; shift >= 0; shift -= 4) put_char(kHexDigits[(v >> shift) & 15]);
}

void put_hex64(uint64_t v) {
  put_hex32((uint32_t)(v >> 32));
  put_hex32((uint32_t)v);
}

void put_dec(int64_t v) {
  char digits[24];
  int n = 0;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do {
    digits[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) put_char('-');
  while (n > 0) put_char(digits[--n]);
}

void put_bytes_hex(const uint8_t* bytes, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    put_char(kHexDigits[bytes[i] >> 4]);
    put_char(kHexDigits[bytes[i] & 15]);
  }
}

static uint32_t random_state = 0x12345678u;

uint32_t rt_random(void) {
  uint32_t x = random_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  random_state = x;
  return x;
}

static void swap_bytes(unsigned char* a, unsigned char* b, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    const unsigned char t = a[i];
    a[i] = b[i];
    b[i] = t;
  }
}

// Quicksort (median of three, insertion sort for short ranges), recursing on the smaller half.
void rt_qsort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*)) {
  unsigned char* a = (unsigned char*)base;
  while (count > 8) {
    unsigned char* lo = a;
    unsigned char* mid = a + (count / 2) * size;
    unsigned char* hi = a + (count - 1) * size;
    if (compare(mid, lo) < 0) swap_bytes(mid, lo, size);
    if (compare(hi, mid) < 0) swap_bytes(hi, mid, size);
    if (compare(mid, lo) < 0) swap_bytes(mid, lo, size);
    swap_bytes(mid, hi - size, size);  // pivot just before the last element
    unsigned char* pivot = hi - size;
    unsigned char* i = lo;
    unsigned char* j = pivot;
    for (;;) {
      do i += size; while (compare(i, pivot) < 0);
      do j -= size; while (compare(pivot, j) < 0);
      if (i >= j) break;
      swap_bytes(i, j, size);
    }
    swap_bytes(i, pivot, size);
    const size_t left = (size_t)(i - a) / size;
    const size_t right = count - left - 1;
    if (left < right) {
      rt_qsort(a, left, size, compare);
      a = i + size;
      count = right;
    } else {
      rt_qsort(i + size, right, size, compare);
      count = left;
    }
  }
  for (size_t k = 1; k < count; ++k)
    for (size_t m = k; m > 0 && compare(a + (m - 1) * size, a + m * size) > 0; --m)
      swap_bytes(a + (m - 1) * size, a + m * size, size);
}

void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  while (n--) *d++ = *s++;
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}

void* memset(void* dst, int c, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
  const unsigned char* x = (const unsigned char*)a;
  const unsigned char* y = (const unsigned char*)b;
  for (size_t i = 0; i < n; ++i)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}
