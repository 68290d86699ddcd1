// Sorting pseudo-random data (ints, and 12-byte records through a generic swap), then misaligned
// copies: packed structs memcpy'd to and from odd addresses, and word/halfword loads and stores at
// every misalignment, issued as real lw/lh/sw/sh instructions (compilers split misaligned C accesses
// into bytes).
#include "rt.h"

#define N 3000

static int32_t numbers[N];

struct Record {
  uint32_t key;
  int32_t value;
  uint16_t tag;
  uint8_t pad[2];
};
static struct Record records[N / 3];

static int compare_int(const void* a, const void* b) {
  const int32_t x = *(const int32_t*)a, y = *(const int32_t*)b;
  return (x > y) - (x < y);
}

static int compare_record(const void* a, const void* b) {
  const struct Record* x = (const struct Record*)a;
  const struct Record* y = (const struct Record*)b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->value > y->value) - (x->value < y->value);
}

struct __attribute__((packed)) Packed {
  uint8_t tag;
  uint32_t a;
  uint16_t b;
  uint64_t c;
};

static uint32_t load_word(const uint8_t* p) {
  uint32_t v;
  __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(p) : "memory");
  return v;
}
static int32_t load_half(const uint8_t* p) {
  int32_t v;
  __asm__ volatile("lh %0, 0(%1)" : "=r"(v) : "r"(p) : "memory");
  return v;
}
static uint32_t load_half_unsigned(const uint8_t* p) {
  uint32_t v;
  __asm__ volatile("lhu %0, 0(%1)" : "=r"(v) : "r"(p) : "memory");
  return v;
}
static void store_word(uint8_t* p, uint32_t v) { __asm__ volatile("sw %1, 0(%0)" : : "r"(p), "r"(v) : "memory"); }
static void store_half(uint8_t* p, uint32_t v) { __asm__ volatile("sh %1, 0(%0)" : : "r"(p), "r"(v) : "memory"); }

static uint8_t bytes[512];

int main(void) {
  for (int i = 0; i < N; ++i) numbers[i] = (int32_t)rt_random() >> (i % 20);
  rt_qsort(numbers, N, sizeof numbers[0], compare_int);
  int status = 0;
  uint32_t checksum = 0;
  for (int i = 0; i < N; ++i) {
    if (i > 0 && numbers[i - 1] > numbers[i]) status = 1;
    checksum = checksum * 33 + (uint32_t)numbers[i];
    if (i % 150 == 0) {
      put_dec(numbers[i]);
      put_char(' ');
    }
  }
  put_str("\nints ");
  put_hex32(checksum);
  put_char('\n');

  for (int i = 0; i < N / 3; ++i) {
    records[i].key = rt_random() % 97;  // many equal keys
    records[i].value = (int32_t)rt_random();
    records[i].tag = (uint16_t)i;
  }
  rt_qsort(records, N / 3, sizeof records[0], compare_record);
  checksum = 0;
  for (int i = 0; i < N / 3; ++i) {
    if (i > 0 && compare_record(&records[i - 1], &records[i]) > 0) status = 2;
    checksum = checksum * 33 + records[i].key + (uint32_t)records[i].value + records[i].tag;
  }
  put_str("records ");
  put_hex32(checksum);
  put_char('\n');

  // Packed structs at odd offsets, copied byte-wise by memcpy and read back field by field.
  struct Packed items[7];
  for (int i = 0; i < 7; ++i) {
    items[i].tag = (uint8_t)i;
    items[i].a = rt_random();
    items[i].b = (uint16_t)rt_random();
    items[i].c = (uint64_t)rt_random() << 32 | rt_random();
  }
  for (size_t offset = 1; offset < 8; offset += 2) {
    memcpy(bytes + offset, items, sizeof items);
    struct Packed back[7];
    memmove(back, bytes + offset, sizeof back);
    for (int i = 0; i < 7; ++i) {
      put_hex32(back[i].a);
      put_char(' ');
      put_hex32(back[i].b);
      put_char(' ');
      put_hex64(back[i].c);
      put_char(i == 6 ? '\n' : ' ');
    }
    if (memcmp(back, items, sizeof items) != 0) status = 3;
  }

  // Real misaligned word and halfword accesses at every offset.
  for (size_t i = 0; i < sizeof bytes; ++i) bytes[i] = (uint8_t)(i * 7 + 3);
  for (size_t offset = 0; offset < 8; ++offset) {
    put_hex32(load_word(bytes + 64 + offset));
    put_char(' ');
    put_hex32((uint32_t)load_half(bytes + 128 + offset));
    put_char(' ');
    put_hex32(load_half_unsigned(bytes + 192 + offset));
    put_char('\n');
    store_word(bytes + 256 + offset * 5, 0xa1b2c3d4u + (uint32_t)offset);
    store_half(bytes + 320 + offset * 3, 0xe5f6u + (uint32_t)offset);
  }
  put_bytes_hex(bytes + 256, 96);
  put_char('\n');
  return status;
}
