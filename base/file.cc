#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace zkrv::base {
namespace {

std::string type_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() { ::close(fd_); }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

}  // namespace

std::string FileReadFailure::describe(const std::filesystem::path& path, uint64_t limit) const {
  // Appended piece by piece: GCC 12 warns (-Wrestrict) about long operator+ chains at -O3.
  const std::string name = std::string("'").append(path.string()).append("'");
  std::string text;
  switch (kind) {
    case Kind::kOpen: return text.append("cannot open ").append(name).append(": ").append(std::strerror(error_number));
    case Kind::kNotRegular: return text.append(name).append(" is ").append(file_type).append(", not a regular file");
    case Kind::kTooLarge:
      return text.append(name).append(" is ").append(std::to_string(size)).append(" bytes, more than the limit of ")
          .append(std::to_string(limit)).append(" bytes");
    case Kind::kRead: return text.append("cannot read ").append(name).append(": ").append(std::strerror(error_number));
    case Kind::kNamedFifo:
      return text.append(name).append(" is a named FIFO, which zkrv does not open (it would wait for a writer); "
                                      "redirect it to standard input instead");
    case Kind::kShrank:
      return text.append(name).append(" shrank while being read (").append(std::to_string(bytes_read)).append(" of ")
          .append(std::to_string(size)).append(" bytes)");
  }
  return text.append("cannot read ").append(name);
}

namespace {

// True when `fd` is an anonymous pipe: Linux names those "pipe:[inode]" in /proc/self/fd, while a
// named FIFO's link is its path.
bool is_anonymous_pipe(int fd) {
  char target[64] = {};
  const std::string link = "/proc/self/fd/" + std::to_string(fd);
  const ssize_t n = ::readlink(link.c_str(), target, sizeof(target) - 1);
  return n > 5 && std::string_view(target, static_cast<size_t>(n)).starts_with("pipe:");
}

std::optional<FileReadFailure> read_open_file(const std::filesystem::path& path, uint64_t limit,
                                              std::vector<uint8_t>* bytes, bool pipes) {
  using Kind = FileReadFailure::Kind;
  // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever; it changes nothing
  // for a regular file, the only kind read below.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return FileReadFailure{Kind::kOpen, errno, 0, 0, ""};
  FdCloser closer(fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0) return FileReadFailure{Kind::kRead, errno, 0, 0, ""};
  if (S_ISFIFO(info.st_mode) && pipes) {
    if (!is_anonymous_pipe(fd)) return FileReadFailure{Kind::kNamedFifo, 0, 0, 0, "a FIFO"};
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) return FileReadFailure{Kind::kRead, errno, 0, 0, ""};
    return read_stream(fd, limit, bytes);
  }
  if (!S_ISREG(info.st_mode)) return FileReadFailure{Kind::kNotRegular, 0, 0, 0, type_of(info.st_mode)};
  const uint64_t size = static_cast<uint64_t>(info.st_size);
  if (size > limit) return FileReadFailure{Kind::kTooLarge, 0, size, 0, ""};
  bytes->assign(size, 0);
  uint64_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd, bytes->data() + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return FileReadFailure{Kind::kRead, errno, size, done, ""};
    if (got == 0) return FileReadFailure{Kind::kShrank, 0, size, done, ""};
    done += static_cast<uint64_t>(got);
  }
  return std::nullopt;
}

}  // namespace

std::optional<FileReadFailure> read_file(const std::filesystem::path& path, uint64_t limit,
                                         std::vector<uint8_t>* bytes) {
  return read_open_file(path, limit, bytes, false);
}

std::optional<FileReadFailure> read_file_or_pipe(const std::filesystem::path& path, uint64_t limit,
                                                 std::vector<uint8_t>* bytes) {
  return read_open_file(path, limit, bytes, true);
}

std::optional<FileReadFailure> read_stream(int fd, uint64_t limit, std::vector<uint8_t>* bytes) {
  using Kind = FileReadFailure::Kind;
  bytes->clear();
  std::vector<uint8_t> chunk(64 * 1024);
  while (true) {
    const ssize_t got = ::read(fd, chunk.data(), chunk.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return FileReadFailure{Kind::kRead, errno, 0, bytes->size(), ""};
    if (got == 0) return std::nullopt;
    if (bytes->size() + static_cast<uint64_t>(got) > limit) {
      return FileReadFailure{Kind::kTooLarge, 0, bytes->size() + static_cast<uint64_t>(got), bytes->size(), ""};
    }
    bytes->insert(bytes->end(), chunk.data(), chunk.data() + got);
  }
}

}  // namespace zkrv::base
