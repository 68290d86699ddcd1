// A freestanding runtime for the difftest programs: only the write and exit system calls (so the
// programs run unchanged on zkrv and qemu-riscv32), buffered printing and the functions compilers
// may call (memcpy, memset, memmove, memcmp).
#ifndef ZKRV_DIFFTEST_RT_H_
#define ZKRV_DIFFTEST_RT_H_

#include <stddef.h>
#include <stdint.h>

void rt_exit(int code) __attribute__((noreturn));
void put_char(char c);
void put_str(const char* s);
void put_hex32(uint32_t v);
void put_hex64(uint64_t v);
void put_dec(int64_t v);
void put_bytes_hex(const uint8_t* bytes, size_t n);
void flush(void);

// A small deterministic generator (xorshift32); the same sequence on every machine.
uint32_t rt_random(void);

// Generic sort with a comparison function, like the C library's qsort.
void rt_qsort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*));

void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
int memcmp(const void* a, const void* b, size_t n);

int main(void);

#endif  // ZKRV_DIFFTEST_RT_H_
