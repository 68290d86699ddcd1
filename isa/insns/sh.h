STORE_U16(RS1 + IMM_U, static_cast<uint16_t>(RS2));
