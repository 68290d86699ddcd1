WRITE_RD(static_cast<int32_t>(RS1) < static_cast<int32_t>(RS2) ? 1u : 0u);
