// zkrv guest API (ABI v1, docs/abi.md): input and output tapes, hints, cycle regions, exit.
//
// The tape instructions are exposed as inline functions (zkrv_rin, zkrv_hin, zkrv_wou); most code
// should use the byte-oriented helpers below them, and portable code the Ethereum standard I/O in
// <zkvm_io.h> (read_input = private input, write_output = public output).
#ifndef ZKRV_ZKRV_H_
#define ZKRV_ZKRV_H_

#include <stddef.h>
#include <stdint.h>

#define ZKRV_ABI_VERSION 1

// System call numbers (a7).
#define ZKRV_SYS_WRITE 64
#define ZKRV_SYS_EXIT 93
#define ZKRV_SYS_EXIT_GROUP 94
#define ZKRV_SYS_REGION_BEGIN 0x5A4B0001
#define ZKRV_SYS_REGION_END 0x5A4B0002
#define ZKRV_SYS_CYCLE_COUNT 0x5A4B0003

// Exit codes produced by the SDK itself (main's return value and exit(n) pass through unchanged).
#define ZKRV_EXIT_SUCCESS 0
#define ZKRV_EXIT_ABORT 134  // abort(), failed assert(), pure virtual call, operator new failure

// Longest region name the VM accepts, in bytes.
#define ZKRV_REGION_NAME_MAX 64

#ifdef __cplusplus
extern "C" {
#endif

// ---- Raw tape instructions. Offsets are byte offsets and must be multiples of 4. ----------------
// Word 0 of an input tape is the payload length; the payload starts at byte 4 and reads as zero past
// its end. The public output is bytes [4, 4 + word 0) of the output tape.

// rin rd, 0(rs1): custom-1, funct3 = 0. A word of the public input tape.
static inline uint32_t zkrv_rin(uint32_t offset) {
  uint32_t word;
  __asm__ volatile(".insn i 0x2B, 0, %0, 0(%1)" : "=r"(word) : "r"(offset));
  return word;
}

// hin rd, 0(rs1): custom-1, funct3 = 1. A word of the private input (hint) tape.
static inline uint32_t zkrv_hin(uint32_t offset) {
  uint32_t word;
  __asm__ volatile(".insn i 0x2B, 1, %0, 0(%1)" : "=r"(word) : "r"(offset));
  return word;
}

// wou rs2, 0(rs1): custom-2, funct3 = 0. Writes a word of the public output tape.
static inline void zkrv_wou(uint32_t offset, uint32_t word) {
  __asm__ volatile(".insn s 0x5B, 0, %1, 0(%0)" : : "r"(offset), "r"(word) : "memory");
}

// ---- Public input (rin). -------------------------------------------------------------------------

// Length of the public input in bytes.
static inline size_t zkrv_public_input_size(void) { return zkrv_rin(0); }

// The index-th 32-bit little-endian word of the public input payload (zero past the end).
static inline uint32_t zkrv_public_input_word(size_t index) {
  return zkrv_rin(4 + 4 * (uint32_t)index);
}

// Copies len bytes of the public input starting at byte offset into dst; bytes past the end of the
// input are zero.
void zkrv_public_input_read(void* dst, size_t offset, size_t len);

// The whole public input, copied once into the heap on first use (like read_input). *len is 0 for
// an empty input. Aborts if the heap cannot hold it.
void zkrv_read_public_input(const uint8_t** buf, size_t* len);

// ---- Private input / hints (hin). ----------------------------------------------------------------

static inline size_t zkrv_hint_size(void) { return zkrv_hin(0); }
static inline uint32_t zkrv_hint_word(size_t index) { return zkrv_hin(4 + 4 * (uint32_t)index); }
void zkrv_hint_read(void* dst, size_t offset, size_t len);

// ---- Public output (wou). ------------------------------------------------------------------------

// Appends len bytes to the public output; the same stream as write_output(). Word 0 (the length) is
// kept up to date after every call, so the output is well-formed whenever the guest stops.
void zkrv_output_write(const void* data, size_t len);
// Bytes appended so far.
size_t zkrv_output_size(void);

// ---- Cycle regions and counters. ------------------------------------------------------------------

// Starts/stops counting retired instructions into the named region (at most 64 bytes; regions
// nest and may repeat). Ending a region that is not open, or a begin past 4,096 names or 256 deep,
// is ignored with a warning from `zkrv run` (docs/abi.md, "System calls").
void zkrv_region_begin(const char* name);
void zkrv_region_end(const char* name);

// Instructions retired so far (under qemu this call is not available).
uint64_t zkrv_cycle_count(void);

// ---- Exit and log. -------------------------------------------------------------------------------

// Ends the run immediately with code (0 = success), without running atexit handlers or flushing
// stdio. Use exit() for an orderly exit.
__attribute__((noreturn)) void zkrv_exit(int code);

// Writes a string to the host's debug log (stdout, or stderr for zkrv_log_error) followed by a
// newline. Never part of the proven result. Flushes printf's buffer first so lines stay in order.
void zkrv_log(const char* message);
void zkrv_log_error(const char* message);

#ifdef __cplusplus
}  // extern "C"

namespace zkrv {

// Counts the instructions of a scope into a named region:
//   { zkrv::Region region("hash"); ... }
class Region {
 public:
  explicit Region(const char* name) : name_(name) { zkrv_region_begin(name_); }
  ~Region() { zkrv_region_end(name_); }
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;

 private:
  const char* name_;
};

}  // namespace zkrv
#endif  // __cplusplus

#endif  // ZKRV_ZKRV_H_
