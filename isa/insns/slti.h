WRITE_RD(static_cast<int32_t>(RS1) < IMM ? 1u : 0u);
