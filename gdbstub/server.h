// The transport for Stub: one TCP connection from gdb (`target remote HOST:PORT`).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "gdbstub/stub.h"

namespace zkrv::gdbstub {

struct ServerError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A listening socket on an IPv4 address; port 0 lets the kernel pick a free one (read port()).
class Listener {
 public:
  Listener(const std::string& host, uint16_t port);  // throws ServerError
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  uint16_t port() const { return port_; }

  // Accepts one connection and serves it until the stub is done or gdb goes away (the connection
  // closes or fails). With an accept timeout, throws ServerError when no gdb connects within it,
  // so that a script whose gdb never started does not wait forever.
  void serve(Stub& stub, std::optional<std::chrono::milliseconds> accept_timeout = std::nullopt);

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace zkrv::gdbstub
