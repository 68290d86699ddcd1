// A library as the SDK of precompile ABI 1 built it (written by hand: the SDK now speaks ABI 2): it
// refuses a host of any other ABI version with ZKRV_PRECOMPILE_BAD_ABI and reports its own version
// in the fields every ABI version shares. The loader must refuse it, saying to rebuild it.
#include <zkrv/precompile.h>

#include <cstddef>

extern "C" __attribute__((visibility("default"))) int zkrv_precompile_eval(zkrv_precompile_call* call) {
  constexpr uint32_t kAbi1 = 1;
  constexpr size_t kStablePrefix = offsetof(zkrv_precompile_call, library_abi_version) + sizeof(uint32_t);
  if (call->abi_version != kAbi1) {
    if (call->struct_size >= kStablePrefix) call->library_abi_version = kAbi1;
    return ZKRV_PRECOMPILE_BAD_ABI;
  }
  call->library_abi_version = kAbi1;
  call->name = "test.good";
  call->version = "1.2.0";
  return ZKRV_PRECOMPILE_OK;
}
