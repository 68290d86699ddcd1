// Prints a greeting, echoes the public input as the public output and logs its length.
#include <stdio.h>

#include "zkrv/zkrv.h"

int main(void) {
  printf("hello from zkrv!\n");
  const uint8_t* input;
  size_t size;
  zkrv_read_public_input(&input, &size);
  printf("public input: %zu bytes\n", size);
  zkrv_output_write(input, size);
  return 0;
}
