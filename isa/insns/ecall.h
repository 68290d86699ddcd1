// ecall: system call: number in a7, arguments in a0-a5, result in a0 (docs/abi.md)
ECALL();
