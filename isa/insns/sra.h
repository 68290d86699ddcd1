// sra: shift amounts are masked to 5 bits
WRITE_RD(static_cast<uint32_t>(static_cast<int32_t>(RS1) >> (RS2 & 31)));
