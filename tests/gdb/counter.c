/* A guest for tests/gdb without the SDK: its own _start, a global to watch, exit through ecall 93
   (docs/abi.md). main returns 1 + 2 + 3 = 6; built with -DFAULT it stores to an unmapped address
   first. */
volatile int counter;
static char stack[4096] __attribute__((aligned(16)));

static int bump(int by) {
  counter += by;
  return counter;
}

int main(void) {
  int total = 0;
  for (int i = 1; i <= 3; ++i) total = bump(i);
#ifdef FAULT
  *(volatile int*)0x100 = total;
#endif
  return total;
}

__attribute__((naked, noreturn, section(".text.start"))) void _start(void) {
  __asm__ volatile(
      "la sp, %0 + 4096\n"
      "call main\n"
      "li a7, 93\n"
      "ecall\n"
      :
      : "i"(stack));
}
