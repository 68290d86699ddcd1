#include "precompiles/package/witness.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace zkrv::precompiles {
namespace {

const char* status_name(int status) {
  switch (status) {
    case ZKRV_PRECOMPILE_FAULT: return "failed";
    case ZKRV_PRECOMPILE_BAD_ABI: return "refused the ABI";
    case ZKRV_PRECOMPILE_BAD_MEMORY: return "reported a guest-memory failure";
    case ZKRV_PRECOMPILE_NO_WITNESS: return "has no witness generator";
    case ZKRV_PRECOMPILE_BUFFER_TOO_SMALL: return "found the buffer too small";
    case ZKRV_PRECOMPILE_BAD_RECORD: return "refused the call record";
    case ZKRV_PRECOMPILE_BAD_WIDTH: return "refused the circuit's width";
    default: return nullptr;
  }
}

}  // namespace

void generate_witness(const LoadedPrecompile& precompile, const zkrv_call_record& record, uint32_t width,
                      std::span<uint32_t> out) {
  const std::string who = fmt::format("precompile {}@{}: witness of the call at timestamp {}", precompile.name,
                                      precompile.version, record.timestamp);
  const uint32_t rows = precompile.witness_rows_per_call;
  if (!precompile.call) throw WitnessError(fmt::format("{}: internal: the precompile is not loaded", who));
  if (rows == 0) {
    throw WitnessError(fmt::format("{}: the library fills no circuit table (no witness generator), so its calls cannot be "
                                   "proven",
                                   who));
  }
  if (width != precompile.witness_width) {
    throw WitnessError(fmt::format("{}: the circuit has {} main columns but the library fills {}", who, width,
                                   precompile.witness_width));
  }
  const size_t needed = size_t{rows} * width;  // at most kMaxWitnessValuesPerCall (checked at load)
  if (out.size() < needed) {
    throw WitnessError(fmt::format("{}: internal: the buffer holds {} values, a call's {} rows need {}", who, out.size(),
                                   rows, needed));
  }
  if (record.access_count != 0 && record.accesses == nullptr) {
    throw WitnessError(fmt::format("{}: internal: {} word accesses but none passed", who, record.access_count));
  }
  std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(needed), 0u);
  zkrv_precompile_call call{};
  call.abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
  call.struct_size = sizeof call;
  call.kind = ZKRV_CALL_WITNESS;
  call.record = &record;
  call.width = width;
  call.values = out.data();
  call.capacity = needed;  // the library sees exactly a call's rows, never the rest of `out`
  const int status = precompile.call(&call);
  call.error[sizeof call.error - 1] = '\0';
  if (status != ZKRV_PRECOMPILE_OK) {
    const char* name = status_name(status);
    throw WitnessError(name ? fmt::format("{}: the library {}: {}", who, name, call.error)
                            : fmt::format("{}: the library returned the unknown status {}", who, status));
  }
  if (call.row_count != rows) {
    throw WitnessError(fmt::format("{}: the library reports {} rows, but it declared {} per call", who, call.row_count, rows));
  }
  for (size_t i = 0; i < needed; ++i) {
    if (out[i] >= ZKRV_WITNESS_FIELD_MODULUS) {
      throw WitnessError(fmt::format("{}: row {} column {} holds {}, which is not below p = 2^31 - 2^24 + 1", who,
                                     i / width, i % width, out[i]));
    }
  }
}

}  // namespace zkrv::precompiles
