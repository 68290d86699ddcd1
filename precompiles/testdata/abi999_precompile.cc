// Claims to be built for precompile ABI v999 (written by hand, not with the SDK macro).
#include <zkrv/precompile.h>

extern "C" __attribute__((visibility("default"))) int zkrv_precompile_eval(zkrv_precompile_call* call) {
  call->library_abi_version = 999;
  call->name = "test.good";
  call->version = "1.2.0";
  return ZKRV_PRECOMPILE_OK;
}
