// A test precompile whose witness call (ZKRV_CALL_WITNESS) lies, written by hand against the C ABI
// so that nothing in the SDK stops it: the record's rs1 picks the lie. The host must refuse every
// answer with a clear error and never size or read anything by the library's numbers
// (precompiles/package/witness_test.cc, in process and sandboxed). It declares 2 rows of 3
// columns a call; built with ZKRV_TEST_WITNESS_SHAPE_OVERFLOW, it declares 2^16 rows of 2^16
// columns, which the loader must refuse.
#include <zkrv/precompile.h>

#include <cstdint>
#include <cstdio>

namespace {

enum Lie : uint32_t {
  kBehave = 0,         // rows (ts, rs1, rs2), (rd, access count, 0)
  kTooManyRows = 1,    // reports 3 rows (writes only the 2 it was given room for)
  kHugeRowCount = 2,   // reports 2^32 - 1 rows
  kTooFewRows = 3,     // reports 1 row
  kValueNotInField = 4,  // writes p itself into row 1, column 1
  kUnknownStatus = 5,  // returns status 99
  kRefusesRecord = 6,  // ZKRV_PRECOMPILE_BAD_RECORD with its reason
  kScribble = 7,       // writes far past the host's buffer (sandbox only: it would corrupt the host)
  kNoErrorText = 8,    // ZKRV_PRECOMPILE_FAULT with an unterminated error buffer
};

#ifdef ZKRV_TEST_WITNESS_SHAPE_OVERFLOW
constexpr uint32_t kRows = 1u << 16, kWidth = 1u << 16;
#else
constexpr uint32_t kRows = 2, kWidth = 3;
#endif

int witness(zkrv_precompile_call* call) {
  const zkrv_call_record& record = *call->record;
  call->row_count = kRows;
  if (call->capacity < uint64_t{kRows} * kWidth) return ZKRV_PRECOMPILE_BUFFER_TOO_SMALL;
  uint32_t* v = call->values;
  v[0] = record.timestamp, v[1] = record.rs1, v[2] = record.rs2;
  v[3] = record.rd, v[4] = record.access_count, v[5] = 0;
  switch (record.rs1) {
    case kTooManyRows: call->row_count = 3; break;
    case kHugeRowCount: call->row_count = 0xffffffffu; break;
    case kTooFewRows: call->row_count = 1; break;
    case kValueNotInField: v[4] = ZKRV_WITNESS_FIELD_MODULUS; break;
    case kUnknownStatus: return 99;
    case kRefusesRecord:
      std::snprintf(call->error, sizeof call->error, "the call reads no words");
      return ZKRV_PRECOMPILE_BAD_RECORD;
    case kScribble: v[uint64_t{1} << 38] = 1; break;
    case kNoErrorText:
      for (char& c : call->error) c = 'x';
      return ZKRV_PRECOMPILE_FAULT;
    default: break;
  }
  return ZKRV_PRECOMPILE_OK;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int zkrv_precompile_eval(zkrv_precompile_call* call) {
  if (call->abi_version != ZKRV_PRECOMPILE_ABI_VERSION || call->struct_size < sizeof(zkrv_precompile_call)) {
    return ZKRV_PRECOMPILE_BAD_ABI;
  }
  call->library_abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
  switch (call->kind) {
    case ZKRV_CALL_INFO:
      call->name = "test.good";
      call->version = "1.2.0";
      call->witness_rows_per_call = kRows;
      call->witness_width = kWidth;
      return ZKRV_PRECOMPILE_OK;
    case ZKRV_CALL_EVAL: call->rd = 0; return ZKRV_PRECOMPILE_OK;
    case ZKRV_CALL_WITNESS: return witness(call);
    default: return ZKRV_PRECOMPILE_BAD_ABI;
  }
}
