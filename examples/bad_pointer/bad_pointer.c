// Stores through a pointer into the unmapped null-guard page: the VM stops with a store fault
// (`zkrv run` exit status 3) naming the pc, the instruction and the symbol `main`.
#include <stdint.h>
#include <stdio.h>

int main(void) {
  printf("bad_pointer example: writing to address 0x100\n");
  // Read the address from a volatile so the compiler cannot see (and warn about) the bad store.
  volatile uintptr_t address = 0x100;
  *(volatile uint32_t*)address = 0xdeadbeef;
  return 0;
}
