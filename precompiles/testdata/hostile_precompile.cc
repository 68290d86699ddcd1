// A hostile test precompile for the sandbox tests: rs1 picks what it tries. Each attempt must be
// stopped by the sandbox and reported, with the host unaffected (precompiles/sandbox/sandbox_test.cc).
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zkrv/precompile.hpp>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

enum Attack : uint32_t {
  kBehave = 0,       // rd = the word at rs2 + 1
  kOpenFile = 1,
  kExecShell = 2,
  kConnect = 3,
  kAllocateForever = 4,
  kLoopForever = 5,
  kWriteToStdout = 6,
  kForgeProtocol = 7,
  kCrash = 8,
  kFork = 9,
  kExecutableMemory = 10,
};

volatile uint32_t sink = 0;

uint32_t attack(uint32_t rs1, uint32_t rs2, zkrv::precompile::Memory& memory) {
  switch (rs1) {
    case kBehave: return memory.load<uint32_t>(rs2) + 1;
    case kOpenFile: return static_cast<uint32_t>(::open("/etc/passwd", O_RDONLY));
    case kExecShell: {
      char* argv[] = {const_cast<char*>("/bin/sh"), nullptr};
      ::execve("/bin/sh", argv, nullptr);
      return 1;
    }
    case kConnect: {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(80);
      return static_cast<uint32_t>(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address));
    }
    case kAllocateForever: {
      std::vector<char*> blocks;
      while (true) {
        char* block = static_cast<char*>(std::malloc(64 << 20));
        std::memset(block, 1, 64 << 20);  // a null block crashes here, which is the point
        blocks.push_back(block);
      }
    }
    case kLoopForever:
      while (true) sink = sink + 1;
    case kWriteToStdout: return static_cast<uint32_t>(::write(1, "leak\n", 5));
    case kForgeProtocol: {
      const char garbage[5] = {1, 2, 3, 4, 5};  // not a message the protocol has
      [[maybe_unused]] const ssize_t sent = ::write(3, garbage, sizeof garbage);
      while (true) sink = sink + 1;  // the host must notice without waiting for the timeout
    }
    case kCrash: return *reinterpret_cast<volatile uint32_t*>(sink + 8);
    case kFork: return static_cast<uint32_t>(::fork());
    case kExecutableMemory:
      return ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED;
    default: return 0;
  }
}

}  // namespace

ZKRV_DEFINE_PRECOMPILE("test.hostile", "1.0.0", attack)
