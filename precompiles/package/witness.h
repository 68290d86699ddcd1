// The witness call on the host side: the rows a loaded precompile's library fills for one recorded
// call (ZKRV_CALL_WITNESS, docs/precompiles.md "The witness call"), with every number the library
// returns checked before anything is sized or read by it. The same for a library in process and
// one in the sandbox (precompiles/sandbox carries the call).
#pragma once

#include <zkrv/precompile.h>

#include <cstdint>
#include <span>

#include "precompiles/package/package.h"
#include "precompiles/package/store.h"

namespace zkrv::precompiles {

// A witness call that failed or whose answer is refused; the message names the package, the call
// (its timestamp) and what is wrong.
class WitnessError : public PackageError {
 public:
  using PackageError::PackageError;
};

// The rows `precompile`'s witness generator fills for one recorded call, written into
// out[0, witness_rows_per_call * width); the library is given exactly that much room. `width` is
// the main width of the package's circuit as the caller decoded it; `out` must hold at least a
// call's rows. Checked: the status, the row count (exactly the rows per call the library declared
// when it was loaded) and every value (below p). Throws WitnessError.
void generate_witness(const LoadedPrecompile& precompile, const zkrv_call_record& record, uint32_t width,
                      std::span<uint32_t> out);

}  // namespace zkrv::precompiles
