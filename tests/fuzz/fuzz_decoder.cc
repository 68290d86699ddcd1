// Decoder and disassembler: any 32 bits decode to an instruction of guest ABI v1 or to ILLEGAL,
// never crash, and the decoded fields are in range.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "base/little_endian.h"
#include "isa/isa.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (size_t i = 0; i + 4 <= size; i += 2) {
    const uint32_t word = zkrv::base::load_le32(data + i);
    const zkrv::isa::DecodedInsn d = zkrv::isa::decode(word);
    if (d.rd > 31 || d.rs1 > 31 || d.rs2 > 31) std::abort();
    if (d.length != (zkrv::isa::is_compressed(word) ? 2 : 4)) std::abort();
    if (static_cast<unsigned>(d.op) >= static_cast<unsigned>(zkrv::isa::Op::kCount)) std::abort();
    if (zkrv::isa::disassemble(d, static_cast<uint32_t>(i)).empty()) std::abort();
  }
  return 0;
}
