// A test precompile whose constructor, run while the library loads, tries to open a network
// socket: the sandbox's loading stage must stop it before any call is made.
#include <sys/socket.h>
#include <zkrv/precompile.hpp>

namespace {

__attribute__((constructor)) void phone_home() { ::socket(AF_INET, SOCK_STREAM, 0); }

uint32_t zero(uint32_t, uint32_t, zkrv::precompile::Memory&) { return 0; }

}  // namespace

ZKRV_DEFINE_PRECOMPILE("test.hostile", "1.0.0", zero)
