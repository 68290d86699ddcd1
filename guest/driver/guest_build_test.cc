#include "guest/driver/guest_build.h"

#include <elf.h>
#include <stdio.h>

#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/process.h"
#include "guest/tests/elf_image.h"

namespace zkrv::guestbuild {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class GuestBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("zkrv-guest-build-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text) {
    fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path;
  }

  BuildOptions options_for(std::vector<fs::path> inputs, const std::string& output) {
    BuildOptions options;
    options.inputs = std::move(inputs);
    options.output = dir_ / output;
    return options;
  }

  fs::path dir_;
};

const char kHello[] = R"(#include <stdio.h>
int main(void) {
  printf("hello %d\n", 42);
  return 7;
}
)";

// Runs an ELF under qemu-riscv32; returns its exit status and its stdout and stderr together.
std::pair<int, std::string> run_in_qemu(const fs::path& elf) {
  base::ProcessOptions options;
  options.stdout_mode = base::ChildOutput::kCapture;
  options.stderr_mode = base::ChildOutput::kToOtherStream;
  const base::ProcessResult result = base::run_process({ZKRV_QEMU_RISCV32, elf.string()}, options);
  return {result.started && result.signal == 0 ? result.exit_status : -1, result.stdout_text};
}

TEST_F(GuestBuildTest, BuildsCHelloWithClangIntoRiscv32Elf) {
  BuildOptions options = options_for({write("hello.c", kHello)}, "out/hello.elf");
  BuildResult result = build_guest(options);
  ASSERT_TRUE(result.ok) << result.error;
  auto image = guesttest::read_elf_image(options.output);
  ASSERT_TRUE(image.has_value());
  EXPECT_EQ(image->elf_class, ELFCLASS32);
  EXPECT_EQ(image->machine, EM_RISCV);
  EXPECT_EQ(image->entry, 0x10000u);  // _start comes first in the text segment
  ASSERT_EQ(result.commands.size(), 2u);  // one compile, one link
  EXPECT_THAT(result.commands[0], HasSubstr("-march=rv32imac"));
  EXPECT_THAT(result.commands[1], HasSubstr("-fuse-ld=lld"));
  if (std::string(ZKRV_QEMU_RISCV32).empty()) GTEST_SKIP() << "qemu-riscv32 not installed";
  auto [status, output] = run_in_qemu(options.output);
  EXPECT_EQ(status, 7);
  EXPECT_EQ(output, "hello 42\n");
}

TEST_F(GuestBuildTest, BuildsCxxWithGccForRv32im) {
  BuildOptions options = options_for({write("main.cc", R"(#include <stdio.h>
#include <algorithm>
#include <vector>
int main() {
  std::vector<int> v = {3, 1, 2};
  std::sort(v.begin(), v.end());
  printf("%d%d%d\n", v[0], v[1], v[2]);
  return 0;
}
)")},
                                     "sorted.elf");
  options.compiler = Compiler::kGcc;
  options.arch = Arch::kRv32im;
  options.optimization = "s";
  BuildResult result = build_guest(options);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_THAT(result.commands[0], HasSubstr("riscv64-unknown-elf-g++"));
  EXPECT_THAT(result.commands[0], HasSubstr("-Os"));
  if (std::string(ZKRV_QEMU_RISCV32).empty()) GTEST_SKIP() << "qemu-riscv32 not installed";
  auto [status, output] = run_in_qemu(options.output);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(output, "123\n");
}

TEST_F(GuestBuildTest, SyntaxErrorReturnsCompilerDiagnostics) {
  fs::path source = write("broken.c", "int main(void) { return }\n");
  BuildResult result = build_guest(options_for({source}, "broken.elf"));
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.error, HasSubstr("compiling " + source.string() + " failed"));
  EXPECT_THAT(result.error, HasSubstr("broken.c:1:"));
  EXPECT_THAT(result.error, HasSubstr("error:"));
  EXPECT_FALSE(fs::exists(dir_ / "broken.elf"));
}

// What the SDK lacks (iostreams, locales, threads, files) fails with one line saying so and what
// to use instead, not with pages of libc++ errors; what it has still compiles.
TEST_F(GuestBuildTest, HeadersTheSdkLacksFailWithOneClearError) {
  for (Compiler compiler : {Compiler::kClang, Compiler::kGcc}) {
    for (const auto& [header, advice] : {std::pair<std::string, std::string>{"iostream", "Use printf"},
                                         {"thread", "no threads"},
                                         {"filesystem", "no file system"},
                                         {"regex", "no locales"}}) {
      const fs::path source = write("uses_" + header + ".cc", "#include <" + header + ">\nint main() { return 0; }\n");
      BuildOptions options = options_for({source}, header + ".elf");
      options.compiler = compiler;
      const BuildResult result = build_guest(options);
      ASSERT_FALSE(result.ok) << header;
      EXPECT_THAT(result.error, HasSubstr("<" + header + ">: zkrv guests")) << result.error;
      EXPECT_THAT(result.error, HasSubstr(advice));
      EXPECT_LT(std::count(result.error.begin(), result.error.end(), '\n'), 12) << result.error;
    }
    const fs::path fine = write("fine.cc", "#include <vector>\n#include <map>\n#include <mutex>\n#include <random>\n"
                                           "int main() { std::vector<int> v(3); return static_cast<int>(v.size()) - 3; }\n");
    BuildOptions options = options_for({fine}, "fine.elf");
    options.compiler = compiler;
    EXPECT_TRUE(build_guest(options).ok);
  }
}

TEST_F(GuestBuildTest, UndefinedSymbolReturnsLinkerDiagnostics) {
  fs::path source = write("undefined.c", "int missing(void);\nint main(void) { return missing(); }\n");
  BuildResult result = build_guest(options_for({source}, "undefined.elf"));
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.error, HasSubstr("linking"));
  EXPECT_THAT(result.error, HasSubstr("missing"));
}

TEST_F(GuestBuildTest, RejectsBadInputsWithoutRunningTheCompiler) {
  struct Case {
    BuildOptions options;
    std::string message;
  };
  fs::path source = write("ok.c", kHello);
  std::vector<Case> cases;
  cases.push_back({options_for({}, "x.elf"), "no sources given"});
  cases.push_back({options_for({dir_ / "absent.c"}, "x.elf"), "absent.c does not exist"});
  cases.push_back({options_for({write("notes.txt", "")}, "x.elf"), "unknown source type '.txt'"});
  BuildOptions no_output = options_for({source}, "x.elf");
  no_output.output.clear();
  cases.push_back({no_output, "no output path"});
  cases.push_back({options_for({dir_}, "x.elf"), "has no CMakeLists.txt"});
  BuildOptions bad_level = options_for({source}, "x.elf");
  bad_level.optimization = "9";
  cases.push_back({bad_level, "optimisation level '9'"});
  BuildOptions bad_stack = options_for({source}, "x.elf");
  bad_stack.stack_size = 1000;
  cases.push_back({bad_stack, "stack size 1000 must be a non-zero multiple of 16"});
  BuildOptions no_sdk = options_for({source}, "x.elf");
  no_sdk.sdk_dir = dir_ / "no-sdk";
  cases.push_back({no_sdk, "no guest SDK at"});
  for (const Case& c : cases) {
    BuildResult result = build_guest(c.options);
    EXPECT_FALSE(result.ok) << c.message;
    EXPECT_THAT(result.error, HasSubstr(c.message));
    EXPECT_TRUE(result.commands.empty()) << c.message;
  }
}

TEST_F(GuestBuildTest, StackAndHeapSizesReachTheLinker) {
  BuildOptions options = options_for({write("hello.c", kHello)}, "sized.elf");
  options.stack_size = 0x8000;
  options.heap_size = 0x200000;
  BuildResult result = build_guest(options);
  ASSERT_TRUE(result.ok) << result.error;
  auto image = guesttest::read_elf_image(options.output);
  ASSERT_TRUE(image.has_value());
  std::vector<std::uint32_t> writable_sizes;
  for (const Elf32_Phdr& segment : image->segments) {
    if (segment.p_type == PT_LOAD && (segment.p_flags & PF_W)) writable_sizes.push_back(segment.p_memsz);
  }
  ASSERT_EQ(writable_sizes.size(), 3u);  // data, stack, heap
  EXPECT_EQ(writable_sizes[1], 0x8000u);
  EXPECT_EQ(writable_sizes[2], 0x200000u);
}

// A user's own CMake guest project, built with the SDK toolchain file.
TEST_F(GuestBuildTest, BuildsCmakeProjectWithToolchainFile) {
  write("project/CMakeLists.txt", R"(cmake_minimum_required(VERSION 3.25)
project(user_guest C CXX)
add_executable(user_guest main.c helper.cc)
target_compile_options(user_guest PRIVATE -Wall -Wextra -Werror)
)");
  write("project/main.c", R"(#include <stdio.h>
#include "zkrv/zkrv.h"
int helper(int);
int main(void) {
  printf("user project %d\n", helper(20));
  return 0;
}
)");
  write("project/helper.cc", "extern \"C\" int helper(int x) { return x * 2 + 2; }\n");
  for (Compiler compiler : {Compiler::kClang, Compiler::kGcc}) {
    BuildOptions options =
        options_for({dir_ / "project"}, "user-" + std::string(to_string(compiler)) + ".elf");
    options.compiler = compiler;
    BuildResult result = build_guest(options);
    ASSERT_TRUE(result.ok) << result.error;
    ASSERT_TRUE(fs::exists(options.output));
    if (std::string(ZKRV_QEMU_RISCV32).empty()) continue;
    auto [status, output] = run_in_qemu(options.output);
    EXPECT_EQ(status, 0);
    EXPECT_EQ(output, "user project 42\n");
  }
}

// The recipe of docs/guides/c-cpp.md (the toolchain file, no build type) builds optimised; an
// explicit build type still wins.
TEST_F(GuestBuildTest, ToolchainFileDefaultsToAnOptimisedBuild) {
  write("plain/CMakeLists.txt", "cmake_minimum_required(VERSION 3.25)\nproject(plain C)\n"
                                "add_executable(plain main.c)\n");
  write("plain/main.c", "int main(void) { return 0; }\n");
  const fs::path toolchain = default_sdk_dir() / "cmake" / "zkrv-riscv32.cmake";
  for (const auto& [extra, want_flag, unwanted_flag] :
       {std::tuple<std::string, std::string, std::string>{"", "-O3", "-O0"},
        {"-DCMAKE_BUILD_TYPE=Debug", "-g", "-O3"}}) {
    const fs::path build = dir_ / ("build" + std::to_string(extra.size()));
    std::vector<std::string> configure = {"cmake", "-S", (dir_ / "plain").string(), "-B", build.string(),
                                          "-G", "Ninja", "-DCMAKE_TOOLCHAIN_FILE=" + toolchain.string()};
    if (!extra.empty()) configure.push_back(extra);
    base::ProcessOptions options;
    options.stdout_mode = base::ChildOutput::kCapture;
    options.stderr_mode = base::ChildOutput::kToOtherStream;
    const base::ProcessResult configured = base::run_process(configure, options);
    ASSERT_EQ(configured.exit_status, 0) << configured.stdout_text;
    const base::ProcessResult commands =
        base::run_process({"ninja", "-C", build.string(), "-t", "commands", "plain.elf"}, options);
    ASSERT_EQ(commands.exit_status, 0) << commands.stdout_text;
    const std::string compile = commands.stdout_text.substr(0, commands.stdout_text.find('\n'));
    EXPECT_THAT(compile, HasSubstr(" " + want_flag + " ")) << extra;
    EXPECT_THAT(compile, ::testing::Not(HasSubstr(" " + unwanted_flag + " "))) << extra;
  }
}

TEST_F(GuestBuildTest, CmakeProjectWithTwoExecutablesIsAnError) {
  write("two/CMakeLists.txt", R"(cmake_minimum_required(VERSION 3.25)
project(two C)
add_executable(first main.c)
add_executable(second main.c)
)");
  write("two/main.c", "int main(void) { return 0; }\n");
  BuildResult result = build_guest(options_for({dir_ / "two"}, "two.elf"));
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.error, HasSubstr("produced 2 .elf files; expected exactly one"));
  EXPECT_THAT(result.error, HasSubstr("first.elf"));
}

TEST_F(GuestBuildTest, CmakeProjectErrorsCarryCompilerOutput) {
  write("bad/CMakeLists.txt", "cmake_minimum_required(VERSION 3.25)\nproject(bad C)\n"
                              "add_executable(bad main.c)\n");
  write("bad/main.c", "int main(void) { return undeclared_name; }\n");
  BuildResult result = build_guest(options_for({dir_ / "bad"}, "bad.elf"));
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.error, HasSubstr("building"));
  EXPECT_THAT(result.error, HasSubstr("undeclared_name"));
}

TEST(GuestBuildNames, ParseAndPrintRoundTrip) {
  EXPECT_EQ(parse_compiler("clang"), Compiler::kClang);
  EXPECT_EQ(parse_compiler("gcc"), Compiler::kGcc);
  EXPECT_EQ(parse_compiler("msvc"), std::nullopt);
  EXPECT_EQ(parse_arch("rv32imac"), Arch::kRv32imac);
  EXPECT_EQ(parse_arch("rv32im"), Arch::kRv32im);
  EXPECT_EQ(parse_arch("rv64im"), std::nullopt);
  EXPECT_EQ(to_string(Compiler::kGcc), "gcc");
  EXPECT_EQ(to_string(Arch::kRv32im), "rv32im");
}

TEST(GuestBuildNames, DefaultSdkDirIsTheBuildTreeSdk) {
  EXPECT_TRUE(fs::exists(default_sdk_dir() / "sdk.cfg")) << default_sdk_dir();
}

}  // namespace
}  // namespace zkrv::guestbuild
