// gdbstub/: the GDB Remote Serial Protocol (RSP) for a zkrv run, so that gdb (gdb-multiarch with
// `set architecture riscv:rv32`) can debug a guest: breakpoints, stepping, registers, memory and
// watchpoints over a vm::DebugSession. Protocol reference:
// https://sourceware.org/gdb/current/onlinedocs/gdb.html/Remote-Protocol.html
// Depends on vm/ only.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vm/vm.h"

namespace zkrv::gdbstub {

// The target description gdb reads with qXfer:features:read (riscv:rv32, x0..x31 and pc).
std::string_view target_xml();

// Wraps a payload as "$payload#xx", escaping the bytes that the protocol reserves.
std::string frame(std::string_view payload);

// The protocol engine, transport-free: bytes from gdb go in, bytes for gdb come out. Everything it
// receives is untrusted; a malformed packet gets an error reply or a NAK, never undefined
// behaviour. Breakpoints and watchpoints are kept here, never written into guest memory.
class Stub {
 public:
  explicit Stub(vm::DebugSession& session) : session_(session) {}

  // Consumes bytes received from gdb; returns what to send back.
  std::string receive(std::string_view bytes);
  // While the guest is resumed (after `c`), executes up to `steps` instructions; returns the stop
  // reply when the guest stopped (breakpoint, watchpoint, exit, fault), else "".
  std::string run(uint64_t steps);
  // gdb's interrupt (Ctrl-C, byte 0x03) while running: the stop reply, or "" when not running.
  std::string interrupt();

  bool running() const { return running_; }
  // The session is over: gdb killed the run (k), detached (D), or was told that it ended.
  bool done() const { return done_; }
  bool killed() const { return killed_; }

  // Largest packet payload accepted; longer ones are dropped with a NAK.
  static constexpr size_t kMaxPacket = 0x4000;

 private:
  enum class Parse : uint8_t { kIdle, kPayload, kChecksum1, kChecksum2 };

  std::string handle(std::string_view packet);
  std::string stop_reply();
  std::string read_registers() const;
  std::string step_once(bool* stopped);
  std::string reply(std::string_view payload);

  vm::DebugSession& session_;
  Parse state_ = Parse::kIdle;
  std::string packet_;
  uint8_t sum_ = 0;
  uint8_t received_sum_ = 0;
  bool overflow_ = false;
  bool ack_ = true;
  bool running_ = false;
  bool done_ = false;
  bool killed_ = false;
  std::string last_stop_ = "S05";
  std::set<uint32_t> breakpoints_;
  struct Watch {
    uint32_t addr;
    uint32_t size;
    char type;  // '2' write, '3' read, '4' access
    bool operator<(const Watch& o) const {
      return addr != o.addr ? addr < o.addr : size != o.size ? size < o.size : type < o.type;
    }
  };
  std::set<Watch> watches_;
};

}  // namespace zkrv::gdbstub
