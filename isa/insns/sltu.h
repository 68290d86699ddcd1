WRITE_RD(RS1 < RS2 ? 1u : 0u);
