WRITE_RD(static_cast<uint32_t>(static_cast<int32_t>(RS1) >> IMM_U));
