// Source lines from a guest built by the SDK at test time, and what an ELF without usable DWARF
// gives.
#include "debuginfo/source_map.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file.h"
#include "elf/elf.h"
#include "guest/driver/guest_build.h"

namespace zkrv::debuginfo {
namespace {

namespace fs = std::filesystem;
using ::testing::EndsWith;

// Line 5 holds `work`'s loop body; main calls it from line 10.
constexpr char kSource[] = R"(// line 1
#include <stdint.h>
__attribute__((noinline)) static uint32_t work(volatile uint32_t* p, uint32_t n) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; ++i) sum += p[i & 3] * i;
  return sum;
}
int main(void) {
  volatile uint32_t data[4] = {1, 2, 3, 4};
  return (int)(work(data, 100) & 0x7f);
}
)";

class SourceMapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("zkrv-debuginfo-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "lines.c") << kSource;
    guestbuild::BuildOptions options;
    options.inputs = {dir_ / "lines.c"};
    options.output = dir_ / "lines.elf";
    options.optimization = std::string(1, '1');  // (a literal here trips GCC 12's -Wrestrict false positive)
    const guestbuild::BuildResult result = guestbuild::build_guest(options);
    ASSERT_TRUE(result.ok) << result.error;
    ASSERT_FALSE(base::read_file(options.output, uint64_t{1} << 26, &bytes_));
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::vector<uint8_t> bytes_;
};

TEST_F(SourceMapTest, EveryInstructionOfAFunctionMapsToItsSourceLines) {
  const SourceMap map(bytes_);
  ASSERT_FALSE(map.empty());
  const elf::ElfImage image = elf::parse(bytes_);
  const elf::Symbol* work = nullptr;
  for (const elf::Symbol& s : image.symbols) {
    if (s.name == "work") work = &s;
  }
  ASSERT_NE(work, nullptr);
  ASSERT_GT(work->size, 0u);
  bool loop_body = false;
  for (uint32_t pc = work->value; pc < work->value + work->size; pc += 2) {
    const std::optional<SourceLine> line = map.line_at(pc);
    ASSERT_TRUE(line) << std::hex << pc;
    EXPECT_THAT(line->file, EndsWith("lines.c"));
    EXPECT_GE(line->line, 3);
    EXPECT_LE(line->line, 6);
    loop_body |= line->line == 5;
  }
  EXPECT_TRUE(loop_body);
  EXPECT_FALSE(map.line_at(0));  // below every line table (the null guard)
}

TEST_F(SourceMapTest, FormatKeepsTheLastTwoPathComponents) {
  EXPECT_EQ(format({"/home/ada/project/src/lines.c", 12}), "src/lines.c:12");
  EXPECT_EQ(format({"lines.c", 3}), "lines.c:3");
  EXPECT_EQ(format({"/lines.c", 3}), "/lines.c:3");
}

TEST(SourceMap, BytesThatAreNoElfOrHaveNoDwarfGiveAnEmptyMap) {
  EXPECT_TRUE(SourceMap({}).empty());
  const std::vector<uint8_t> garbage(4096, 0xA5);
  EXPECT_TRUE(SourceMap(garbage).empty());
  std::vector<uint8_t> truncated = {0x7f, 'E', 'L', 'F', 1, 1, 1, 0};
  EXPECT_TRUE(SourceMap(truncated).empty());
}

}  // namespace
}  // namespace zkrv::debuginfo
