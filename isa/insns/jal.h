// jal: rd = return address; jump pc-relative
const uint32_t target = PC + IMM_U;
WRITE_RD(PC + LEN);
JUMP(target);
