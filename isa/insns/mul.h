// mul: low 32 bits of the product; signedness does not matter
WRITE_RD(RS1 * RS2);
