// mulhu: high 32 bits of unsigned x unsigned
WRITE_RD(static_cast<uint32_t>((static_cast<uint64_t>(RS1) * static_cast<uint64_t>(RS2)) >> 32));
