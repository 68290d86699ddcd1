// Keccak-256 (Ethereum's) of the private input through zkvm_keccak256, whose blocks go to the
// zkrv.keccak_absorb precompile; the digest is the public output. The same bytes are hashed again
// from an odd address (the SDK copies each block to an aligned buffer there): a different digest
// exits 1.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkrv/zkrv.h"
#include "zkvm_accelerators.h"
#include "zkvm_io.h"

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
  write_output(digest.data, sizeof(digest.data));
  printf("keccak256 of %zu private bytes: ", size);
  for (int i = 0; i < 32; ++i) printf("%02x", digest.data[i]);
  printf("\n");
  return 0;
}
