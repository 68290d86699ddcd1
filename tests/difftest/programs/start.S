# _start for the difftest programs: a stack, then rt_start() (rt.c), which calls main and exits.
# Registers other than sp start as zkrv and Linux (qemu-user) leave them.
  .section .text.start, "ax"
  .globl _start
_start:
  la sp, __stack_top
  call rt_start
1:
  j 1b
