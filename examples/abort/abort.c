// Calls abort(): the run ends with exit code 134 and a message on stderr.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("abort example: calling abort()\n");
  abort();
}
