// A stand-in for zkrv-precompile-worker that breaks the witness call's protocol on purpose, as a
// worker whose library took it over could: the bytes of the "library" it is given name what it
// does (sandbox_test.cc, SandboxWitnessProtocol). It answers the info call as test.good 1.2.0
// with 2 rows of 3 columns a call, then answers a witness call:
//   honest    rows 1..6 in one piece, then OK with 2 rows
//   offset    3 values at offset 3 (the host expects offset 0)
//   overflow  7 values (the host gave room for 6)
//   ragged    5 bytes of values
//   short     3 values, then OK with 2 rows
//   more      asks for word accesses the record does not have
//   read      a guest-memory read, which a witness call has no business making
//   error     OK's reply with 300 bytes of error text
// The host must refuse each (and stop this process) with nothing written outside its buffer.
#include <sys/mman.h>
#include <unistd.h>
#include <zkrv/precompile.h>

#include <cstring>
#include <string>

#include "precompiles/sandbox/channel.h"
#include "precompiles/sandbox/protocol.h"

namespace {

using zkrv::precompiles::sandbox::Channel;
using zkrv::precompiles::sandbox::give_turn;
using zkrv::precompiles::sandbox::kHostsTurn;
using zkrv::precompiles::sandbox::kWorkerChannelFd;
using zkrv::precompiles::sandbox::kWorkerLibraryFd;
using zkrv::precompiles::sandbox::kWorkersTurn;
using zkrv::precompiles::sandbox::MessageHeader;
using zkrv::precompiles::sandbox::MessageType;
using zkrv::precompiles::sandbox::wait_for_turn;

Channel* channel = nullptr;

void wait_for_host() {
  wait_for_turn(channel, kWorkersTurn, 200'000'000, [] { return true; });  // the host kills this process
}

void send(MessageType type, uint32_t a, uint32_t b, const void* payload = nullptr, size_t length = 0, uint32_t c = 0,
          uint32_t d = 0) {
  channel->header = MessageHeader{static_cast<uint32_t>(type), a, b, c, d};
  channel->payload_length = static_cast<uint32_t>(length);
  if (length) std::memcpy(channel->payload, payload, length);
  give_turn(channel, kHostsTurn);
  wait_for_host();
}

void witness(const std::string& scenario) {
  const uint32_t values[7] = {1, 2, 3, 4, 5, 6, 7};
  if (scenario == "offset") send(MessageType::kWitnessRows, 3, 0, values, 12);
  if (scenario == "overflow") send(MessageType::kWitnessRows, 0, 0, values, 28);
  if (scenario == "ragged") send(MessageType::kWitnessRows, 0, 0, values, 5);
  if (scenario == "short") send(MessageType::kWitnessRows, 0, 0, values, 12);
  if (scenario == "more") send(MessageType::kWitnessMore, 0, 0);
  if (scenario == "read") send(MessageType::kRead, 0x1000, 4);
  if (scenario == "error") {
    const std::string text(300, 'e');
    send(MessageType::kWitnessDone, ZKRV_PRECOMPILE_OK, 2, text.data(), text.size());
  }
  if (scenario == "honest") send(MessageType::kWitnessRows, 0, 0, values, 24);
  send(MessageType::kWitnessDone, ZKRV_PRECOMPILE_OK, 2);
}

}  // namespace

int main() {
  void* shared = ::mmap(nullptr, sizeof(Channel), PROT_READ | PROT_WRITE, MAP_SHARED, kWorkerChannelFd, 0);
  if (shared == MAP_FAILED) return 70;
  channel = static_cast<Channel*>(shared);
  char script[32] = {};
  const ssize_t n = ::pread(kWorkerLibraryFd, script, sizeof script - 1, 0);
  const std::string scenario(script, n > 0 ? static_cast<size_t>(n) : 0);
  wait_for_host();
  while (true) {
    const uint32_t type = channel->header.type;
    if (type == static_cast<uint32_t>(MessageType::kInfo)) {
      const char identity[] = "test.good\0" "1.2.0\0";
      send(MessageType::kInfoReply, ZKRV_PRECOMPILE_OK, ZKRV_PRECOMPILE_ABI_VERSION, identity, sizeof identity - 1, 2, 3);
    } else if (type == static_cast<uint32_t>(MessageType::kWitness)) {
      witness(scenario);
    } else {
      return 72;
    }
  }
}
