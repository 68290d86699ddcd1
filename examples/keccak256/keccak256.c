// Keccak-256 (Ethereum's) of the private input through zkvm_keccak256, whose blocks go to the
// zkrv.keccak_absorb precompile; the digest is the public output. The same bytes are hashed again
// from an odd address (the SDK copies each block to an aligned buffer there): a different digest
// exits 1. A word-aligned constant in .rodata, longer than a block, is hashed too (its first block
// goes to the precompile in place, which only reads it): a digest other than its Keccak-256 exits 4.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkrv/zkrv.h"
#include "zkvm_accelerators.h"
#include "zkvm_io.h"

// 147 bytes, so the first 136 are absorbed from .rodata itself.
static const char kReadOnlyMessage[] __attribute__((aligned(4))) =
    "zkvm_keccak256 reads this sentence straight from .rodata: a word-aligned constant of more than one "
    "136-byte block, absorbed in place, never copied.";
// Its Keccak-256.
static const uint8_t kReadOnlyDigest[32] = {
    0xbd, 0x4e, 0xe2, 0x91, 0xfa, 0xb6, 0xb1, 0x9a, 0xe5, 0x46, 0x57, 0x61, 0x2a, 0xd0, 0xfb, 0xe9,
    0xe7, 0x45, 0xd9, 0x55, 0x2c, 0x85, 0xa9, 0x97, 0xdb, 0x82, 0x14, 0x64, 0x4b, 0x0c, 0xa2, 0xe8};

int main(void) {
  const uint8_t* input;
  size_t size;
  read_input(&input, &size);
  zkvm_keccak256_hash digest;
  zkrv_region_begin("keccak256");
  if (zkvm_keccak256(input, size, &digest) != ZKVM_EOK) return 2;
  zkrv_region_end("keccak256");
  uint8_t* shifted = malloc(size + 1);
  if (shifted == NULL) return 3;
  memcpy(shifted + 1, input, size);
  zkvm_keccak256_hash again;
  if (zkvm_keccak256(shifted + 1, size, &again) != ZKVM_EOK || memcmp(digest.data, again.data, 32) != 0) return 1;
  free(shifted);
  zkvm_keccak256_hash constant;
  if (zkvm_keccak256((const uint8_t*)kReadOnlyMessage, sizeof(kReadOnlyMessage) - 1, &constant) != ZKVM_EOK ||
      memcmp(constant.data, kReadOnlyDigest, 32) != 0) {
    return 4;
  }
  write_output(digest.data, sizeof(digest.data));
  printf("keccak256 of %zu private bytes: ", size);
  for (int i = 0; i < 32; ++i) printf("%02x", digest.data[i]);
  printf("\n");
  return 0;
}
