// jalr: target computed before rd is written: rd may equal rs1; bit 0 of the target is cleared
const uint32_t target = (RS1 + IMM_U) & ~1u;
WRITE_RD(PC + LEN);
JUMP(target);
