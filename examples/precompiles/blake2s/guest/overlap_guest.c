/* A call example.blake2s_compress refuses: the parameters start inside the state, so the two
 * buffers overlap. Its circuit reads each word of a call once, at one memory slot, so it could not
 * prove such a call; the package faults on it before touching memory (e2e.sh checks the message). */
#include <stdint.h>
#include <zkrv/precompiles.h>

ZKRV_PRECOMPILE(blake2s_compress, 0, "example.blake2s_compress", "^2.0")

static uint32_t words[32];

int main(void) {
  blake2s_compress((uint32_t)(uintptr_t)words, (uint32_t)(uintptr_t)(words + 4));
  return 0;
}
