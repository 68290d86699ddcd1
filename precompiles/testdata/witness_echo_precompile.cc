// A test precompile with a large witness: 64 rows of 1,024 columns a call (256 KiB, several sandbox
// messages), each value computed from the record's words (any count, several messages too), so a
// test can compare the rows a sandboxed library returns with the same library's in process.
#include <zkrv/precompile.hpp>

namespace {

constexpr uint32_t kRows = 64, kWidth = 1024;

uint32_t zero(uint32_t, uint32_t, zkrv::precompile::Memory&) { return 0; }

void echo_witness(const zkrv::precompile::CallRecord& call, zkrv::precompile::RowWriter& rows) {
  if (call.access_count() == 0) throw zkrv::precompile::BadRecord("the call reads no words");
  uint32_t mix = call.timestamp() ^ call.rs1() ^ call.rs2() ^ call.rd();
  for (uint32_t i = 0; i < call.access_count(); ++i) {
    const zkrv_word_access& a = call.access(i);
    mix = mix * 31 + (a.address ^ a.before ^ (a.after << 1) ^ a.written);
  }
  for (uint32_t r = 0; r < kRows; ++r) {
    for (uint32_t c = 0; c < kWidth; ++c) {
      const uint32_t k = r * kWidth + c;
      const zkrv_word_access& a = call.access(k % call.access_count());
      rows.set(r, c, (a.before ^ mix ^ k) % zkrv::precompile::kFieldModulus);
    }
  }
}

}  // namespace

ZKRV_DEFINE_PRECOMPILE_WITH_WITNESS("test.good", "1.2.0", zero, echo_witness, kRows, kWidth)
