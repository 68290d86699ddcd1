/* BLAKE2s-256 of the public input, computed with the example.blake2s_compress precompile; the
 * 32-byte digest is the public output. */
#include <stdint.h>
#include <string.h>
#include <zkrv/precompiles.h>
#include <zkrv/zkrv.h>

ZKRV_PRECOMPILE(blake2s_compress, 0, "example.blake2s_compress", "^2.0")

/* The precompile's operand at rs2: 64-byte block, byte counter, final flag (76 bytes used). */
struct blake2s_block {
  uint8_t bytes[64];
  uint64_t counter;
  uint32_t last;
};

int main(void) {
  const uint8_t* input;
  size_t size;
  zkrv_read_public_input(&input, &size);
  uint32_t h[8] = {0x6a09e667 ^ 0x01010020, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  struct blake2s_block block;
  size_t offset = 0;
  do {
    const size_t take = size - offset < 64 ? size - offset : 64;
    memset(block.bytes, 0, sizeof block.bytes);
    memcpy(block.bytes, input + offset, take);
    offset += take;
    block.counter = offset;
    block.last = offset == size;
    blake2s_compress((uint32_t)(uintptr_t)h, (uint32_t)(uintptr_t)&block);
  } while (offset < size);
  zkrv_output_write(h, sizeof h); /* little-endian words: the digest bytes in order */
  return 0;
}
