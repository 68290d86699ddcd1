/* The C API (zkrv/verify.h) from C: host_verify_c_test PROOF PROGRAM_ID_HEX OUTPUT_TEXT. PROOF is a
 * valid proof of that program that exits 0 with OUTPUT_TEXT (possibly empty) as its public output
 * (verify_c_test.cmake makes it). Checks acceptance, each rejection's status, and the message buffer's contract. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkrv/verify.h"

static int failures = 0;

static void expect_status(const char* what, zkrv_verify_status got, zkrv_verify_status want, const char* message) {
  if (got != want) {
    fprintf(stderr, "FAIL %s: status %d, expected %d (%s)\n", what, (int)got, (int)want, message);
    ++failures;
  } else {
    printf("ok   %s: %s\n", what, message);
  }
}

static unsigned char* read_all(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char* bytes = NULL;
  size_t capacity = 0;
  *size = 0;
  for (;;) {
    if (*size == capacity) {
      capacity = capacity ? 2 * capacity : 1 << 16;
      unsigned char* grown = realloc(bytes, capacity);
      if (!grown) break;
      bytes = grown;
    }
    const size_t n = fread(bytes + *size, 1, capacity - *size, f);
    if (n == 0) break;
    *size += n;
  }
  fclose(f);
  return bytes;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s PROOF PROGRAM_ID_HEX OUTPUT_TEXT\n", argv[0]);
    return 2;
  }
  const char* proof_path = argv[1];
  const char* id = argv[2];
  const unsigned char* output = (const unsigned char*)argv[3];
  const size_t output_size = strlen(argv[3]);
  char message[512];

  expect_status("valid proof file", zkrv_verify_proof_file(proof_path, id, 0, output, output_size, message, sizeof message),
                ZKRV_VERIFY_OK, message);
  expect_status("any output", zkrv_verify_proof_file(proof_path, id, 0, NULL, 0, message, sizeof message), ZKRV_VERIFY_OK,
                message);
  expect_status("another exit code", zkrv_verify_proof_file(proof_path, id, 1, NULL, 0, message, sizeof message),
                ZKRV_VERIFY_UNEXPECTED_STATEMENT, message);
  /* One byte more than the proof states. */
  unsigned char* longer = malloc(output_size + 1);
  if (!longer) return 2;
  memcpy(longer, output, output_size);
  longer[output_size] = 'x';
  expect_status("another output",
                zkrv_verify_proof_file(proof_path, id, 0, longer, output_size + 1, message, sizeof message),
                ZKRV_VERIFY_UNEXPECTED_STATEMENT, message);
  free(longer);

  /* Another program id: flip the last hex digit. */
  char other_id[65];
  snprintf(other_id, sizeof other_id, "%s", id);
  other_id[63] = other_id[63] == '0' ? '1' : '0';
  expect_status("another program", zkrv_verify_proof_file(proof_path, other_id, 0, NULL, 0, message, sizeof message),
                ZKRV_VERIFY_INVALID_PROOF, message);
  expect_status("bad program id", zkrv_verify_proof_file(proof_path, "12ab", 0, NULL, 0, message, sizeof message),
                ZKRV_VERIFY_BAD_ARGUMENT, message);
  expect_status("null program id", zkrv_verify_proof_file(proof_path, NULL, 0, NULL, 0, message, sizeof message),
                ZKRV_VERIFY_BAD_ARGUMENT, message);
  expect_status("missing file", zkrv_verify_proof_file("/nonexistent/zkrv.proof", id, 0, NULL, 0, message, sizeof message),
                ZKRV_VERIFY_IO_ERROR, message);

  size_t size = 0;
  unsigned char* proof = read_all(proof_path, &size);
  if (!proof || size < 64) {
    fprintf(stderr, "cannot read %s\n", proof_path);
    return 2;
  }
  expect_status("valid proof bytes", zkrv_verify_proof(proof, size, id, 0, output, output_size, message, sizeof message),
                ZKRV_VERIFY_OK, message);
  /* A byte of the STARK proof (the file's tail) flipped. */
  proof[size - 40] ^= 1;
  expect_status("tampered proof", zkrv_verify_proof(proof, size, id, 0, NULL, 0, message, sizeof message),
                ZKRV_VERIFY_INVALID_PROOF, message);
  proof[size - 40] ^= 1;
  expect_status("truncated proof", zkrv_verify_proof(proof, size / 2, id, 0, NULL, 0, message, sizeof message),
                ZKRV_VERIFY_INVALID_PROOF, message);
  expect_status("null proof", zkrv_verify_proof(NULL, 10, id, 0, NULL, 0, message, sizeof message), ZKRV_VERIFY_BAD_ARGUMENT,
                message);

  /* A short buffer gets a truncated, NUL-terminated message; no buffer is allowed. */
  char small[8];
  memset(small, 'x', sizeof small);
  expect_status("short message buffer", zkrv_verify_proof(proof, size, id, 1, NULL, 0, small, sizeof small),
                ZKRV_VERIFY_UNEXPECTED_STATEMENT, "");
  if (small[7] != '\0' || strlen(small) != 7) {
    fprintf(stderr, "FAIL short message buffer: not a 7-character NUL-terminated prefix\n");
    ++failures;
  }
  expect_status("no message buffer", zkrv_verify_proof(proof, size, id, 0, NULL, 0, NULL, 0), ZKRV_VERIFY_OK, "");
  free(proof);
  return failures == 0 ? 0 : 1;
}
