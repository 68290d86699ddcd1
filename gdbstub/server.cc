#include "gdbstub/server.h"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <string_view>

namespace zkrv::gdbstub {
namespace {

// Instructions executed between two looks at the connection for gdb's interrupt (Ctrl-C).
constexpr uint64_t kStepsPerPoll = 100000;

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Waits until `listener` has a connection to accept; false when `timeout` passes first.
bool wait_for_connection(int listener, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    // poll takes an int of milliseconds: wait in slices of at most that much.
    const auto slice = std::min<std::chrono::milliseconds::rep>(left.count(), std::numeric_limits<int>::max());
    pollfd p{listener, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(slice));
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) throw ServerError(std::string("poll: ") + std::strerror(errno));
  }
}

}  // namespace

Listener::Listener(const std::string& host, uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    throw ServerError("'" + host + "' is not an IPv4 address");
  }
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw ServerError(std::string("socket: ") + std::strerror(errno));
  const int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 1) != 0) {
    const std::string message = std::strerror(errno);
    ::close(fd_);
    throw ServerError("cannot listen on " + host + ":" + std::to_string(port) + ": " + message);
  }
  socklen_t length = sizeof addr;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length);
  port_ = ntohs(addr.sin_port);
}

Listener::~Listener() {
  if (fd_ >= 0) ::close(fd_);
}

void Listener::serve(Stub& stub, std::optional<std::chrono::milliseconds> accept_timeout) {
  if (accept_timeout && !wait_for_connection(fd_, *accept_timeout)) {
    throw ServerError(fmt::format("no gdb connected to port {} within {:.3g} s", port_,
                                  static_cast<double>(accept_timeout->count()) / 1000));
  }
  int fd = -1;
  do {
    fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) throw ServerError(std::string("accept: ") + std::strerror(errno));
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // replies are small and awaited
  char buffer[4096];
  while (!stub.done()) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, stub.running() ? 0 : -1);
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // gdb went away
      if (!send_all(fd, stub.receive(std::string_view(buffer, static_cast<size_t>(n))))) break;
    }
    if (stub.running() && !send_all(fd, stub.run(kStepsPerPoll))) break;
  }
  ::close(fd);
}

}  // namespace zkrv::gdbstub
