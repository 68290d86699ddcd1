// Reads a whole file into memory with a size limit. Only regular files: opening a FIFO would
// block until a writer appears, and a directory or device has no meaningful size, so those are
// refused up front with a reason that names what the path is.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace zkrv::base {

struct FileReadFailure {
  enum class Kind {
    kOpen,        // open(2) failed: error_number
    kNotRegular,  // file_type says what it is ("a directory", "a FIFO", ...)
    kTooLarge,    // size > limit
    kRead,        // read(2) or fstat(2) failed: error_number
    kShrank,      // the file ended after `bytes_read` of `size` bytes
    kNamedFifo,   // a named FIFO: reading it would wait for a writer that may never come
  };
  Kind kind = Kind::kOpen;
  int error_number = 0;
  uint64_t size = 0;
  uint64_t bytes_read = 0;
  std::string file_type;

  // A complete sentence fragment naming `path`, e.g. "'x' is a directory, not a regular file",
  // for callers that have no wording of their own.
  std::string describe(const std::filesystem::path& path, uint64_t limit) const;
};

// Replaces *bytes with the contents of the regular file at `path`, at most `limit` bytes. Returns
// nullopt on success, else what went wrong (*bytes is then unspecified).
std::optional<FileReadFailure> read_file(const std::filesystem::path& path, uint64_t limit,
                                         std::vector<uint8_t>* bytes);

// Reads the open descriptor `fd` (standard input, a pipe) to its end, refusing more than `limit`
// bytes as kTooLarge as soon as the limit is passed (size then says "more than limit").
std::optional<FileReadFailure> read_stream(int fd, uint64_t limit, std::vector<uint8_t>* bytes);

// Like read_file, but also reads an anonymous pipe to its end: the /dev/fd/N path a shell's
// process substitution `<(...)` passes, whose writer already exists. A named FIFO is still refused
// (kNamedFifo): opening one waits for a writer, possibly forever; `< fifo` on standard input
// makes that wait the user's explicit choice.
std::optional<FileReadFailure> read_file_or_pipe(const std::filesystem::path& path, uint64_t limit,
                                                 std::vector<uint8_t>* bytes);

}  // namespace zkrv::base
