// Regions, cycle counter, exit, debug log and picolibc's stdout/stderr on the zkrv ABI.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zkrv/zkrv.h"

// The ABI version this SDK was built for (docs/abi.md, "Versioning"): 4 bytes, little-endian 1.
// The linker script keeps .note.zkrv.* and names this symbol so the note is always linked in.
__attribute__((section(".note.zkrv.abi"), used, aligned(4)))
const uint32_t __zkrv_abi_note = ZKRV_ABI_VERSION;

static long region_call(long number, const char* name) {
  // Measure first: a call between setting a register variable and the asm may clobber it.
  size_t length = strlen(name);
  register long a0 __asm__("a0") = (long)name;
  register long a1 __asm__("a1") = (long)length;
  register long a7 __asm__("a7") = number;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
  return a0;
}

void zkrv_region_begin(const char* name) { region_call(ZKRV_SYS_REGION_BEGIN, name); }

void zkrv_region_end(const char* name) { region_call(ZKRV_SYS_REGION_END, name); }

uint64_t zkrv_cycle_count(void) {
  register long a0 __asm__("a0");
  register long a1 __asm__("a1");
  register long a7 __asm__("a7") = ZKRV_SYS_CYCLE_COUNT;
  __asm__ volatile("ecall" : "=r"(a0), "=r"(a1) : "r"(a7) : "memory");
  return ((uint64_t)(uint32_t)a1 << 32) | (uint32_t)a0;
}

void zkrv_exit(int code) { _exit(code); }

static void log_line(int fd, const char* message) {
  fflush(stdout);
  fflush(stderr);
  write(fd, message, strlen(message));
  write(fd, "\n", 1);
}

void zkrv_log(const char* message) { log_line(1, message); }

void zkrv_log_error(const char* message) { log_line(2, message); }

// stdout and stderr are picolibc tinystdio streams that collect a line and hand it to write(), so
// the VM sees one system call per line rather than one per character.
struct LineBuffer {
  int fd;
  size_t used;
  char bytes[256];
};

static struct LineBuffer stdout_line = {1, 0, {0}};
static struct LineBuffer stderr_line = {2, 0, {0}};

static void flush_line(struct LineBuffer* line) {
  if (line->used > 0) {
    write(line->fd, line->bytes, line->used);
    line->used = 0;
  }
}

static int put_line_char(struct LineBuffer* line, char c) {
  line->bytes[line->used++] = c;
  if (c == '\n' || line->used == sizeof(line->bytes)) flush_line(line);
  return (unsigned char)c;
}

static int stdout_put(char c, FILE* file) {
  (void)file;
  return put_line_char(&stdout_line, c);
}

static int stderr_put(char c, FILE* file) {
  (void)file;
  return put_line_char(&stderr_line, c);
}

static int stdout_flush(FILE* file) {
  (void)file;
  flush_line(&stdout_line);
  return 0;
}

static int stderr_flush(FILE* file) {
  (void)file;
  flush_line(&stderr_line);
  return 0;
}

static FILE stdout_file = FDEV_SETUP_STREAM(stdout_put, NULL, stdout_flush, _FDEV_SETUP_WRITE);
static FILE stderr_file = FDEV_SETUP_STREAM(stderr_put, NULL, stderr_flush, _FDEV_SETUP_WRITE);

FILE* const stdout = &stdout_file;
FILE* const stderr = &stderr_file;
// There is no stdin: every read reports end of file.
static int stdin_get(FILE* file) {
  (void)file;
  return _FDEV_EOF;
}

static FILE stdin_file = FDEV_SETUP_STREAM(NULL, stdin_get, NULL, _FDEV_SETUP_READ);
FILE* const stdin = &stdin_file;

// exit() runs the destructors in .fini_array; this one makes an unterminated last line visible.
__attribute__((destructor(101))) static void flush_std_streams(void) {
  flush_line(&stdout_line);
  flush_line(&stderr_line);
}
