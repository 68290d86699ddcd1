// __atomic and __sync builtins compiled for the A extension: AMOs (add, and, or, xor, swap, min/max
// through compare-exchange loops), LR/SC loops (compare-exchange, nand) and, with clang, sub-word
// atomics (masked LR/SC on the containing word).
#include "rt.h"

static int32_t counter;
static uint32_t bits;
static int32_t words[16];
#ifdef __clang__
static uint8_t small_bytes[8];
static uint16_t small_halves[4];
#endif

static void show(const char* name, uint32_t old_value, uint32_t new_value) {
  put_str(name);
  put_char(' ');
  put_hex32(old_value);
  put_char(' ');
  put_hex32(new_value);
  put_char('\n');
}

int main(void) {
  for (int i = 0; i < 100; ++i) {
    const int32_t delta = (int32_t)(rt_random() % 1000) - 500;
    const int32_t before = __atomic_fetch_add(&counter, delta, __ATOMIC_SEQ_CST);
    const int32_t after = __atomic_sub_fetch(&counter, delta / 3, __ATOMIC_ACQ_REL);
    if (i % 10 == 0) show("add", (uint32_t)before, (uint32_t)after);
  }
  for (int i = 0; i < 32; ++i) {
    const uint32_t r = rt_random();
    show("or", __atomic_fetch_or(&bits, r & 0x11111111u, __ATOMIC_RELAXED), bits);
    show("and", __atomic_fetch_and(&bits, r | 0x0f0f0f0fu, __ATOMIC_ACQUIRE), bits);
    show("xor", __atomic_fetch_xor(&bits, r, __ATOMIC_RELEASE), bits);
    show("nand", __atomic_fetch_nand(&bits, r >> 3, __ATOMIC_SEQ_CST), bits);
    show("xchg", __atomic_exchange_n(&words[i % 16], (int32_t)r, __ATOMIC_SEQ_CST), (uint32_t)words[i % 16]);
  }
  // Compare-exchange: success and failure, strong and weak.
  for (int i = 0; i < 16; ++i) {
    int32_t expected = (i % 3 == 0) ? words[i] : words[i] + 1;
    const int success = __atomic_compare_exchange_n(&words[i], &expected, i * 1111, i % 2, __ATOMIC_SEQ_CST,
                                                    __ATOMIC_RELAXED);
    show(success ? "cas-ok" : "cas-fail", (uint32_t)expected, (uint32_t)words[i]);
    show("sync-cas", (uint32_t)__sync_val_compare_and_swap(&words[i], i * 1111, -i), (uint32_t)words[i]);
    show("sync-bool", (uint32_t)__sync_bool_compare_and_swap(&words[i], 12345, 0), (uint32_t)words[i]);
  }
  // Signed and unsigned minimum/maximum as compare-exchange loops (AMOMIN/AMOMAX for clang -O2).
  int32_t minimum = 0x7fffffff;
  uint32_t maximum = 0;
  for (int i = 0; i < 64; ++i) {
    const uint32_t r = rt_random();
    int32_t seen = __atomic_load_n(&minimum, __ATOMIC_RELAXED);
    while ((int32_t)r < seen &&
           !__atomic_compare_exchange_n(&minimum, &seen, (int32_t)r, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    uint32_t top = __atomic_load_n(&maximum, __ATOMIC_ACQUIRE);
    while (r > top && !__atomic_compare_exchange_n(&maximum, &top, r, 1, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    __atomic_store_n(&words[i % 16], (int32_t)(r ^ (uint32_t)i), __ATOMIC_RELEASE);
  }
  show("min-max", (uint32_t)minimum, maximum);
  show("sync-add", (uint32_t)__sync_fetch_and_add(&counter, 5), (uint32_t)__sync_add_and_fetch(&counter, 7));
  __sync_synchronize();
#ifdef __clang__
  for (int i = 0; i < 40; ++i) {
    const uint32_t r = rt_random();
    show("byte-add", __atomic_fetch_add(&small_bytes[i % 8], (uint8_t)r, __ATOMIC_SEQ_CST), small_bytes[i % 8]);
    show("half-xor", __atomic_fetch_xor(&small_halves[i % 4], (uint16_t)r, __ATOMIC_SEQ_CST), small_halves[i % 4]);
    uint8_t expected = small_bytes[(i + 1) % 8];
    __atomic_compare_exchange_n(&small_bytes[(i + 1) % 8], &expected, (uint8_t)(r >> 8), 0, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
  }
  put_bytes_hex(small_bytes, sizeof small_bytes);
  put_char('\n');
#endif
  uint32_t checksum = 0;
  for (int i = 0; i < 16; ++i) checksum = checksum * 31 + (uint32_t)words[i];
  put_str("checksum ");
  put_hex32(checksum);
  put_char('\n');
  return (int)(checksum & 0x3f);
}
