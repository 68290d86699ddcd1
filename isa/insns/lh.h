WRITE_RD(static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(LOAD_U16(RS1 + IMM_U)))));
