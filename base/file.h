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

}  // namespace zkrv::base
