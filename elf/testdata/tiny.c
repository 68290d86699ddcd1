// A minimal freestanding RISC-V program: elf_test parses the executables that clang/lld and
// GNU gcc/ld build from it (code, read-only data, data and bss, so R, RX and RW segments).
const char greeting[] = "hello from tiny";
int counter = 3;
int scratch[64];

__attribute__((noinline)) int sum(const char* text) {
  int total = 0;
  for (; *text != 0; ++text) total += *text;
  return total;
}

void _start(void) {
  scratch[1] = sum(greeting) + counter;
  register long a0 __asm__("a0") = scratch[1] & 0xff;
  register long a7 __asm__("a7") = 93;  // exit
  __asm__ volatile("ecall" : : "r"(a0), "r"(a7));
  for (;;) {
  }
}
