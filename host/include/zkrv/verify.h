/* zkrv verifier, C API (library zkrv::verifier): verify a proof from `zkrv prove` against a program
 * id and the expected statement, from C or any language with a C FFI. No C++ types cross it;
 * nothing thrown escapes it. Thread-safe: no global state. */
#ifndef ZKRV_VERIFY_H
#define ZKRV_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* C names, lower_snake types and UPPER_SNAKE constants with the zkrv_ prefix, as C libraries
 * spell them (and as zkrv/precompile.h does), not the C++ style of docs/style.md.
 * NOLINTBEGIN(readability-identifier-naming) */
typedef enum zkrv_verify_status {
  ZKRV_VERIFY_OK = 0,
  ZKRV_VERIFY_INVALID_PROOF = 1,          /* malformed, another program, a failed check */
  ZKRV_VERIFY_UNEXPECTED_STATEMENT = 2,   /* valid proof, other exit code or public output */
  ZKRV_VERIFY_BAD_ARGUMENT = 3,           /* a null pointer, a program id that is not 64 hex digits */
  ZKRV_VERIFY_IO_ERROR = 4,               /* the proof file cannot be read */
  ZKRV_VERIFY_INTERNAL_ERROR = 5
} zkrv_verify_status;
/* NOLINTEND(readability-identifier-naming) */

/* Verifies `proof` (proof_size bytes) as a proof of the program whose id is `program_id_hex` (64
 * hex digits, as `zkrv inspect` prints it) that states exit code `expected_exit_code` and, unless
 * `expected_output` is NULL, the public output expected_output[0, expected_output_size). On any
 * status but ZKRV_VERIFY_OK, `message` (when not NULL) receives a NUL-terminated reason, truncated
 * to message_size bytes; on ZKRV_VERIFY_OK, a one-line summary of the statement. */
zkrv_verify_status zkrv_verify_proof(const uint8_t* proof, size_t proof_size, const char* program_id_hex,
                                     int32_t expected_exit_code, const uint8_t* expected_output,
                                     size_t expected_output_size, char* message, size_t message_size);

/* The same for a proof file. */
zkrv_verify_status zkrv_verify_proof_file(const char* proof_path, const char* program_id_hex,
                                          int32_t expected_exit_code, const uint8_t* expected_output,
                                          size_t expected_output_size, char* message, size_t message_size);

#ifdef __cplusplus
}
#endif

#endif /* ZKRV_VERIFY_H */
