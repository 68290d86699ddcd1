// A well-behaved test precompile: rd = the 32-bit word at rs1 plus rs2. Its witness fills one row
// per call of 4 columns: the call's timestamp, rs1, the word's low and high 16 bits.
#include <zkrv/precompile.hpp>

namespace {

uint32_t add_word(uint32_t rs1, uint32_t rs2, zkrv::precompile::Memory& memory) { return memory.load<uint32_t>(rs1) + rs2; }

void add_word_witness(const zkrv::precompile::CallRecord& call, zkrv::precompile::RowWriter& rows) {
  call.expect_access_count(1);
  const zkrv_word_access& word = call.access(0);
  if (word.address != call.rs1() || word.written) throw zkrv::precompile::BadRecord("the call reads the one word at rs1");
  if (call.rd() != word.before + call.rs2()) throw zkrv::precompile::BadRecord("rd is not the word plus rs2");
  rows.set(0, 0, call.timestamp());
  rows.set(0, 1, call.rs1());
  rows.set(0, 2, word.before & 0xffff);
  rows.set(0, 3, word.before >> 16);
}

}  // namespace

ZKRV_DEFINE_PRECOMPILE_WITH_WITNESS("test.good", "1.2.0", add_word, add_word_witness, 1, 4)
