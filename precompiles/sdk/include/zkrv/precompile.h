/* zkrv precompile SDK: the binary interface between the zkrv VM and a dynamic precompile shipped as
 * a shared library. Plain C, so a precompile can be written in C, C++ or Rust. Knows nothing of the
 * VM or of guest programs (docs/precompiles.md).
 *
 * A precompile library exports exactly one symbol:
 *
 *     int zkrv_precompile_eval(zkrv_precompile_call* call);
 *
 * The host fills in `abi_version` and `struct_size` and asks either for the library's identity
 * (ZKRV_CALL_INFO) or for one evaluation (ZKRV_CALL_EVAL). Every guest-memory access goes through
 * the `memory` callbacks, so the VM checks permissions and limits and records each access for the
 * trace; a precompile never sees host pointers into guest memory. */
#ifndef ZKRV_PRECOMPILE_H_
#define ZKRV_PRECOMPILE_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change of the structures below. A library reports the version it was
 * built for; the host refuses a library whose version differs from its own. */
#define ZKRV_PRECOMPILE_ABI_VERSION 1u

/* C ABI shared with guest C code: C names (zkrv_ types, ZKRV_ constants), not docs/style.md.
 * NOLINTBEGIN(readability-identifier-naming) */
enum zkrv_call_kind { ZKRV_CALL_INFO = 0, ZKRV_CALL_EVAL = 1 };

enum zkrv_precompile_status {
  ZKRV_PRECOMPILE_OK = 0,
  ZKRV_PRECOMPILE_FAULT = 1,       /* the call failed; `error` says why (the guest run faults) */
  ZKRV_PRECOMPILE_BAD_ABI = 2,     /* the host's abi_version/struct_size is not one this library speaks */
  ZKRV_PRECOMPILE_BAD_MEMORY = 3,  /* a memory callback failed; the VM knows the address */
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

typedef struct zkrv_precompile_call {
  /* in: set by the host for every call */
  uint32_t abi_version; /* ZKRV_PRECOMPILE_ABI_VERSION of the host */
  uint32_t struct_size; /* sizeof(zkrv_precompile_call) of the host */
  uint32_t kind;        /* enum zkrv_call_kind */

  /* out (ZKRV_CALL_INFO): the library's identity; strings are static and NUL-terminated */
  uint32_t library_abi_version;
  const char* name;    /* e.g. "zkrv.keccak_f1600" */
  const char* version; /* semantic version, e.g. "1.0.0" */

  /* in (ZKRV_CALL_EVAL) */
  uint32_t rs1;
  uint32_t rs2;
  const zkrv_guest_memory* memory;

  /* out (ZKRV_CALL_EVAL) */
  uint32_t rd;
  char error[256]; /* NUL-terminated message when the status is not OK */
} zkrv_precompile_call;

typedef int (*zkrv_precompile_eval_fn)(zkrv_precompile_call* call);
/* NOLINTEND(readability-identifier-naming) */

#define ZKRV_PRECOMPILE_SYMBOL "zkrv_precompile_eval"

#ifdef __cplusplus
}
#endif

#endif /* ZKRV_PRECOMPILE_H_ */
