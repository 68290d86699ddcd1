// The system calls picolibc needs, on the zkrv guest ABI (docs/abi.md, "System calls").
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zkrv/zkrv.h"

__attribute__((noreturn)) void _exit(int code) {
  register long a0 __asm__("a0") = code;
  register long a7 __asm__("a7") = ZKRV_SYS_EXIT;
  __asm__ volatile("ecall" : : "r"(a0), "r"(a7) : "memory");
  __builtin_unreachable();
}

ssize_t write(int fd, const void* buf, size_t len) {
  register long a0 __asm__("a0") = fd;
  register long a1 __asm__("a1") = (long)buf;
  register long a2 __asm__("a2") = (long)len;
  register long a7 __asm__("a7") = ZKRV_SYS_WRITE;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  if (a0 < 0) {
    errno = (int)-a0;
    return -1;
  }
  return a0;
}

// The heap is the linker script's [_heap_start, _heap_end). sbrk never moves past _heap_end, so
// malloc returns NULL once the heap is exhausted instead of touching unmapped memory.
extern char _heap_start[];
extern char _heap_end[];
static char* heap_break = _heap_start;

void* sbrk(ptrdiff_t increment) {
  char* old_break = heap_break;
  if (increment > _heap_end - old_break || increment < _heap_start - old_break) {
    errno = ENOMEM;
    return (void*)-1;
  }
  heap_break = old_break + increment;
  return old_break;
}

// abort() ends the run with exit code 134 (128 + SIGABRT, as a POSIX shell reports it). It does not
// run atexit handlers or flush stdio buffers beyond stderr, which is unbuffered.
__attribute__((noreturn)) void abort(void) {
  static const char kMessage[] = "zkrv: abort() called\n";
  fflush(stdout);
  fflush(stderr);
  write(2, kMessage, sizeof(kMessage) - 1);
  _exit(ZKRV_EXIT_ABORT);
}
