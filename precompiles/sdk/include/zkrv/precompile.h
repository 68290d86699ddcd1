/* zkrv precompile SDK: the binary interface between the zkrv VM and a dynamic precompile shipped as
 * a shared library. Plain C, so a precompile can be written in C, C++ or Rust. Knows nothing of the
 * VM or of guest programs (docs/precompiles.md).
 *
 * A precompile library exports exactly one symbol:
 *
 *     int zkrv_precompile_eval(zkrv_precompile_call* call);
 *
 * The host fills in `abi_version` and `struct_size` and asks for the library's identity
 * (ZKRV_CALL_INFO), for one evaluation (ZKRV_CALL_EVAL), or for the rows of its circuit's table that
 * one recorded call fills (ZKRV_CALL_WITNESS, since ABI 2). Every guest-memory access goes through
 * the `memory` callbacks, so the VM checks permissions and limits and records each access for the
 * trace; a precompile never sees host pointers into guest memory. A witness call sees only the
 * record the host made of an earlier evaluation, never guest memory. */
#ifndef ZKRV_PRECOMPILE_H_
#define ZKRV_PRECOMPILE_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change of the structures below. A library reports the version it was
 * built for; the host refuses a library whose version differs from its own. Version 2 added
 * ZKRV_CALL_WITNESS and the fields it uses; version 1 libraries are refused (rebuild them). */
#define ZKRV_PRECOMPILE_ABI_VERSION 2u

/* Witness values are elements of the KoalaBear field, p = 2^31 - 2^24 + 1, each written as its
 * canonical uint32_t (below p). */
#define ZKRV_WITNESS_FIELD_MODULUS 2130706433u

/* C ABI shared with guest C code: C names (zkrv_ types, ZKRV_ constants), not docs/style.md.
 * NOLINTBEGIN(readability-identifier-naming) */
enum zkrv_call_kind { ZKRV_CALL_INFO = 0, ZKRV_CALL_EVAL = 1, ZKRV_CALL_WITNESS = 2 };

enum zkrv_precompile_status {
  ZKRV_PRECOMPILE_OK = 0,
  ZKRV_PRECOMPILE_FAULT = 1,       /* the call failed; `error` says why (the guest run faults) */
  ZKRV_PRECOMPILE_BAD_ABI = 2,     /* the host's abi_version/struct_size is not one this library speaks */
  ZKRV_PRECOMPILE_BAD_MEMORY = 3,  /* a memory callback failed; the VM knows the address */
  /* ZKRV_CALL_WITNESS only: */
  ZKRV_PRECOMPILE_NO_WITNESS = 4,        /* the library fills no table (its package has no circuit) */
  ZKRV_PRECOMPILE_BUFFER_TOO_SMALL = 5,  /* `capacity` is below a call's rows; `row_count` says how many */
  ZKRV_PRECOMPILE_BAD_RECORD = 6,        /* the record is not one this precompile's calls make; `error` says why */
  ZKRV_PRECOMPILE_BAD_WIDTH = 7,         /* `width` differs from the table width the library fills */
};

/* Guest memory as the VM exposes it. Each callback returns 0 on success and non-zero when the access
 * is not allowed (unmapped, read-only, out of limits); the precompile must then stop and return
 * ZKRV_PRECOMPILE_BAD_MEMORY. Addresses are guest addresses; accesses may be of any length and
 * alignment. */
typedef struct zkrv_guest_memory {
  void* context;
  int (*read)(void* context, uint32_t address, void* out, uint32_t length);
  int (*write)(void* context, uint32_t address, const void* data, uint32_t length);
} zkrv_guest_memory;

/* One guest word a recorded call accessed (ZKRV_CALL_WITNESS). A call's record lists each word
 * it touched once, in the order it first touched it: the word's byte address (a multiple of 4), its
 * value before the call and after it (little-endian, as RV32 loads it), and whether the call wrote
 * any of its bytes (0: only read, and then after == before; 1: written, after may equal before). */
typedef struct zkrv_word_access {
  uint32_t address;
  uint32_t before;
  uint32_t after;
  uint32_t written;
} zkrv_word_access;

/* One call as the VM recorded it: the step's timestamp in the machine's memory argument, the
 * operands, the result and the words it accessed (docs/precompiles.md, "The witness call"). */
typedef struct zkrv_call_record {
  uint32_t timestamp;
  uint32_t rs1;
  uint32_t rs2;
  uint32_t rd;
  uint32_t access_count;
  const zkrv_word_access* accesses; /* access_count entries; may be null when access_count is 0 */
} zkrv_call_record;

typedef struct zkrv_precompile_call {
  /* in: set by the host for every call */
  uint32_t abi_version; /* ZKRV_PRECOMPILE_ABI_VERSION of the host */
  uint32_t struct_size; /* sizeof(zkrv_precompile_call) of the host */
  uint32_t kind;        /* enum zkrv_call_kind */

  /* out (ZKRV_CALL_INFO): the library's identity; strings are static and NUL-terminated */
  uint32_t library_abi_version;
  const char* name;    /* e.g. "zkrv.keccak_f1600" */
  const char* version; /* semantic version, e.g. "1.0.0" */
  /* The library's witness generator: the rows each call fills (the same for every call) and the
   * table's main width. Both 0 when the library fills no table. */
  uint32_t witness_rows_per_call;
  uint32_t witness_width;

  /* in (ZKRV_CALL_EVAL) */
  uint32_t rs1;
  uint32_t rs2;
  const zkrv_guest_memory* memory;

  /* out (ZKRV_CALL_EVAL) */
  uint32_t rd;

  /* in (ZKRV_CALL_WITNESS): the call, the width of the circuit's main trace as the host decoded it
   * (the library checks it against its own), and a host-owned buffer of `capacity` values that the
   * library fills row-major with row_count x width values, each below ZKRV_WITNESS_FIELD_MODULUS.
   * The host pads the table with all-zero rows, so a circuit's constraints must hold on them. */
  const zkrv_call_record* record;
  uint32_t width;
  uint32_t* values;
  uint64_t capacity;

  /* out (ZKRV_CALL_WITNESS): the rows written (OK), or needed (ZKRV_PRECOMPILE_BUFFER_TOO_SMALL) */
  uint32_t row_count;

  char error[256]; /* NUL-terminated message when the status is not OK */
} zkrv_precompile_call;

typedef int (*zkrv_precompile_eval_fn)(zkrv_precompile_call* call);
/* NOLINTEND(readability-identifier-naming) */

#define ZKRV_PRECOMPILE_SYMBOL "zkrv_precompile_eval"

#ifdef __cplusplus
}
#endif

#endif /* ZKRV_PRECOMPILE_H_ */
