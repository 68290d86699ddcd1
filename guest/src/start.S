/* _start: the guest entry point (docs/abi.md, "Entry and exit").
 * The VM starts here with every register zero and .bss already zeroed (memsz > filesz), so the
 * only set-up is gp, sp and tp, then the constructors, main, and exit with main's result. */
  .section .text.init, "ax", @progbits
  .globl _start
  .type _start, @function
_start:
  /* gp must be set without relaxation, or the assembler would rewrite this to use gp itself. */
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la sp, __stack_top
  /* picolibc keeps errno and friends in TLS; one thread uses the TLS template in place. */
  la tp, __tls_base
  call __libc_init_array
  call main
  /* exit() runs atexit handlers and static destructors, then _exit (ecall 93). */
  call exit
  .size _start, . - _start
