#include "base/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace zkrv::base {
namespace {

namespace fs = std::filesystem;
using Kind = FileReadFailure::Kind;

// Appended, not "'" + ...: GCC 12 warns (-Wrestrict) about that operator+ at -O3.
std::string quoted(const fs::path& path) { return std::string("'").append(path.string()).append("'"); }

class FileTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "zkrv-base-file-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }
  fs::path dir_;
};

TEST_F(FileTest, ReadsARegularFileWithinTheLimit) {
  const fs::path path = write("a", "hello");
  std::vector<uint8_t> bytes = {9, 9, 9, 9, 9, 9, 9};
  EXPECT_FALSE(read_file(path, 5, &bytes));
  EXPECT_EQ(bytes, (std::vector<uint8_t>{'h', 'e', 'l', 'l', 'o'}));
  EXPECT_FALSE(read_file(write("empty", ""), 0, &bytes));
  EXPECT_TRUE(bytes.empty());
}

TEST_F(FileTest, RefusesAFileOverTheLimit) {
  const fs::path path = write("a", "hello");
  std::vector<uint8_t> bytes;
  const auto failure = read_file(path, 4, &bytes);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->kind, Kind::kTooLarge);
  EXPECT_EQ(failure->size, 5u);
  EXPECT_EQ(failure->describe(path, 4), quoted(path) + " is 5 bytes, more than the limit of 4 bytes");
}

TEST_F(FileTest, NamesAMissingFile) {
  std::vector<uint8_t> bytes;
  const auto failure = read_file(dir_ / "missing", 100, &bytes);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->kind, Kind::kOpen);
  EXPECT_EQ(failure->error_number, ENOENT);
  EXPECT_NE(failure->describe(dir_ / "missing", 100).find("missing'"), std::string::npos);
}

TEST_F(FileTest, RefusesADirectoryInsteadOfReportingAHugeSize) {
  std::vector<uint8_t> bytes;
  const auto failure = read_file(dir_, uint64_t{1} << 62, &bytes);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->kind, Kind::kNotRegular);
  EXPECT_EQ(failure->file_type, "a directory");
  EXPECT_EQ(failure->describe(dir_, 0), quoted(dir_) + " is a directory, not a regular file");
}

TEST_F(FileTest, RefusesAFifoWithoutWaitingForAWriter) {
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::vector<uint8_t> bytes;
  const auto failure = read_file(fifo, 100, &bytes);  // would hang if it opened in blocking mode
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->kind, Kind::kNotRegular);
  EXPECT_EQ(failure->file_type, "a FIFO");
}

TEST_F(FileTest, RefusesADevice) {
  std::vector<uint8_t> bytes;
  const auto failure = read_file("/dev/null", 100, &bytes);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->kind, Kind::kNotRegular);
  EXPECT_EQ(failure->file_type, "a character device");
}

TEST_F(FileTest, ReadsAnAnonymousPipeToItsEnd) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "piped", 5), 5);
  ::close(fds[1]);
  // The path a shell's <(...) passes: /dev/fd/N, reopened through /proc.
  std::vector<uint8_t> bytes;
  const auto failure = read_file_or_pipe("/dev/fd/" + std::to_string(fds[0]), 100, &bytes);
  ::close(fds[0]);
  ASSERT_FALSE(failure) << failure->describe("pipe", 100);
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()), "piped");
}

TEST_F(FileTest, ReadFileOrPipeStillRefusesANamedFifo) {
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::vector<uint8_t> bytes;
  const auto failure = read_file_or_pipe(fifo, 100, &bytes);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->kind, Kind::kNamedFifo);
  EXPECT_NE(failure->describe(fifo, 100).find("named FIFO"), std::string::npos);
}

TEST_F(FileTest, StreamPastTheLimitIsRefusedWithoutReadingItAll) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string text(1000, 'z');
  ASSERT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  std::vector<uint8_t> bytes;
  const auto failure = read_stream(fds[0], 999, &bytes);
  ::close(fds[0]);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->kind, Kind::kTooLarge);
}

}  // namespace
}  // namespace zkrv::base
