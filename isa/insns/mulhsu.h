// mulhsu: high 32 bits of signed rs1 x unsigned rs2
WRITE_RD(static_cast<uint32_t>((static_cast<int64_t>(static_cast<int32_t>(RS1)) * static_cast<int64_t>(RS2)) >> 32));
