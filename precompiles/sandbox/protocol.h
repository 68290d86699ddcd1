// The call protocol between zkrv and a sandboxed precompile worker (docs/precompiles.md
// "Sandbox"). Messages (a fixed header and an optional payload) travel through a shared-memory
// Channel, one at a time, turn by turn: a socket round trip costs two context switches, which
// made one SHA-256 compression call about 60 µs; a channel whose waiting side spins briefly before
// sleeping on a futex costs well under that when both sides have a core. The socket remains for
// what must work even when the worker is wedged or gone: its end (EOF) and the filter's report of a
// forbidden system call. The worker is untrusted and can write the channel at any time, so the
// host copies each message out once and checks it before using it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zkrv::precompiles::sandbox {

enum class MessageType : uint32_t {
  // host -> worker
  kInfo = 1,        // ask for the library's identity
  kEval = 2,        // a = rs1, b = rs2
  kReadReply = 3,   // a = status (0: the bytes follow), payload = the bytes read
  kWriteReply = 4,  // a = status
  // A witness call: a = width, b = access count, c = value capacity (at most kMaxWitnessValues);
  // payload = timestamp, rs1, rs2, rd (4 bytes each), then the first word accesses (16 bytes
  // each: address, before, after, written), as many as fit.
  kWitness = 5,
  kWitnessAccesses = 6,   // payload = the next word accesses (after a kWitnessMore)
  kWitnessRowsReply = 7,  // a = 0: the values were taken
  // worker -> host
  kInfoReply = 16,  // a = status, b = library ABI version, c = witness rows per call, d = witness width;
                    // payload = name \0 version \0 error
  kRead = 17,       // a = guest address, b = length
  kWrite = 18,      // a = guest address, b = length; payload = the bytes
  kDone = 19,       // a = status, b = rd; payload = error text (status != OK)
  kViolation = 20,  // a = the system call number the filter stopped
  kWitnessMore = 21,  // the worker wants the next word accesses
  kWitnessRows = 22,  // a = offset of the first value; payload = values (4 bytes each), in order
  kWitnessDone = 23,  // a = status, b = row count; payload = error text (status != OK)
};

struct MessageHeader {
  uint32_t type = 0;
  uint32_t a = 0;
  uint32_t b = 0;
  uint32_t c = 0;
  uint32_t d = 0;
};

// Whose turn it is (Channel::turn).
enum Turn : uint32_t { kWorkersTurn = 1, kHostsTurn = 2 };

// Guest accesses larger than this travel as several messages.
inline constexpr uint32_t kMaxPayload = 60 * 1024;
inline constexpr size_t kMaxMessage = sizeof(MessageHeader) + kMaxPayload;
inline constexpr size_t kMaxErrorText = 255;  // zkrv_precompile_call::error holds 256 bytes
// One witness call's record and rows (both sides refuse more): 2^22 word accesses (16 MiB of guest
// memory touched by one call) and 2^24 values (precompiles::kMaxWitnessValuesPerCall).
inline constexpr uint32_t kMaxWitnessAccesses = uint32_t{1} << 22;
inline constexpr uint32_t kMaxWitnessValues = uint32_t{1} << 24;
inline constexpr size_t kWitnessCallBytes = 16;    // timestamp, rs1, rs2, rd
inline constexpr size_t kWitnessAccessBytes = 16;  // address, before, after, written

struct Channel {
  uint32_t turn;  // a futex word, accessed with atomic_ref: the side named may read and write
  uint32_t payload_length;
  MessageHeader header;
  uint8_t payload[kMaxPayload];
};

// The worker finds its socket, its library and the channel's memory at these descriptors.
inline constexpr int kWorkerSocketFd = 3;
inline constexpr int kWorkerLibraryFd = 4;
inline constexpr int kWorkerChannelFd = 5;

}  // namespace zkrv::precompiles::sandbox
