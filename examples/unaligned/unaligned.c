// Parses packed records at unaligned offsets, the way byte-buffer formats are read. Public input:
// records of 7 bytes each (tag u8, value u32 LE, weight u16 LE), no padding, so most values and
// weights start at offsets that are no multiple of their width. Public output: per record, its tag
// and value * weight (u32 LE, wrapping), packed as 5 bytes; then the XOR of all values (u32 LE).
// Built with gcc's -mno-strict-align -mtune=thead-c906 (examples/CMakeLists.txt), the memcpy calls
// below compile to single misaligned LW, LHU and SW instructions, which zkrv executes and proves
// (docs/proof-system.md, "Misaligned accesses"); without such flags they compile to byte accesses.
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "zkrv/zkrv.h"

enum { kRecordBytes = 7, kOutputRecordBytes = 5, kMaxRecords = 256 };

static uint8_t output[kMaxRecords * kOutputRecordBytes + 4];

static uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, sizeof v);  // the guest is little-endian
  return v;
}

static uint16_t load_u16(const uint8_t* p) {
  uint16_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

static void store_u32(uint8_t* p, uint32_t v) { memcpy(p, &v, sizeof v); }

int main(void) {
  const uint8_t* input;
  size_t size;
  zkrv_read_public_input(&input, &size);
  if (size % kRecordBytes != 0) {
    fprintf(stderr, "unaligned: %zu bytes are not a whole number of %d-byte records\n", size, kRecordBytes);
    return 2;
  }
  const size_t records = size / kRecordBytes;
  if (records > kMaxRecords) {
    fprintf(stderr, "unaligned: %zu records, at most %d\n", records, kMaxRecords);
    return 2;
  }
  uint32_t xor_of_values = 0;
  for (size_t i = 0; i < records; ++i) {
    const uint8_t* record = input + i * kRecordBytes;
    const uint32_t value = load_u32(record + 1);
    const uint16_t weight = load_u16(record + 5);
    xor_of_values ^= value;
    output[i * kOutputRecordBytes] = record[0];
    store_u32(output + i * kOutputRecordBytes + 1, value * weight);
  }
  store_u32(output + records * kOutputRecordBytes, xor_of_values);
  printf("unaligned: %zu records, xor %08" PRIx32 "\n", records, xor_of_values);
  zkrv_output_write(output, records * kOutputRecordBytes + 4);
  return 0;
}
