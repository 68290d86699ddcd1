STORE_U8(RS1 + IMM_U, static_cast<uint8_t>(RS2));
