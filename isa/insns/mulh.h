// mulh: high 32 bits of signed x signed
WRITE_RD(static_cast<uint32_t>((static_cast<int64_t>(static_cast<int32_t>(RS1)) * static_cast<int64_t>(static_cast<int32_t>(RS2))) >> 32));
