WRITE_RD(static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(LOAD_U8(RS1 + IMM_U)))));
