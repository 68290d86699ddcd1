// The SDK's linker script and runtime, checked on real guests built with every toolchain pairing.
#include <elf.h>
#include <stdio.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/process.h"
#include "guest/driver/guest_build.h"
#include "guest/tests/elf_image.h"

namespace zkrv::guesttest {
namespace {

namespace fs = std::filesystem;
using guestbuild::Arch;
using guestbuild::BuildOptions;
using guestbuild::Compiler;
using ::testing::HasSubstr;

struct Toolchain {
  const char* name;
  Compiler compiler;
  Arch arch;
  std::vector<std::string> extra_flags;
};

// clang links with LLD by default; the GNU ld pairing proves the script works there too.
std::vector<Toolchain> toolchains() {
  std::vector<Toolchain> all = {{"clang+lld", Compiler::kClang, Arch::kRv32imac, {}},
                                {"gcc+bfd", Compiler::kGcc, Arch::kRv32im, {}}};
  if (std::string(ZKRV_GNU_LD).size() > 0) {
    all.push_back({"clang+bfd",
                   Compiler::kClang,
                   Arch::kRv32imac,
                   {"--ld-path=" ZKRV_GNU_LD, "-Wl,-melf32lriscv", "-Wno-unused-command-line-argument"}});
  }
  return all;
}

class SdkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("zkrv-sdk-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Builds source (C, or C++ when name ends in .cc) with a toolchain; fails the test on error.
  fs::path build(const Toolchain& toolchain, const std::string& name, const std::string& source,
                 BuildOptions options = {}) {
    fs::path source_path = dir_ / name;
    std::ofstream(source_path) << source;
    options.inputs = {source_path};
    options.output = dir_ / (std::string(toolchain.name) + "-" + name + ".elf");
    options.compiler = toolchain.compiler;
    options.arch = toolchain.arch;
    options.extra_flags.insert(options.extra_flags.end(), toolchain.extra_flags.begin(),
                               toolchain.extra_flags.end());
    options.extra_flags.insert(options.extra_flags.end(), {"-Wall", "-Wextra", "-Werror"});
    guestbuild::BuildResult result = guestbuild::build_guest(options);
    EXPECT_TRUE(result.ok) << toolchain.name << ": " << result.error;
    return options.output;
  }

  fs::path dir_;
};

struct QemuRun {
  int status = -1;
  std::string stdout_text;
  std::string stderr_text;
};

QemuRun run_in_qemu(const fs::path& elf) {
  base::ProcessOptions options;
  options.stdout_mode = base::ChildOutput::kCapture;
  options.stderr_mode = base::ChildOutput::kCapture;
  const base::ProcessResult result = base::run_process({ZKRV_QEMU_RISCV32, elf.string()}, options);
  QemuRun run;
  if (result.started && result.signal == 0) run.status = result.exit_status;
  run.stdout_text = result.stdout_text;
  run.stderr_text = result.stderr_text;
  return run;
}

bool have_qemu() { return std::string(ZKRV_QEMU_RISCV32).size() > 0; }

const char kLayoutProbe[] = R"(#include <stdio.h>
#include <stdlib.h>
static int table[1000];      /* .bss */
int initialised = 5;         /* .data */
const char message[] = "ro"; /* .rodata */
int main(void) {
  table[3] = initialised;
  printf("%s %d\n", message, table[3]);
  return 0;
}
)";

TEST_F(SdkTest, LinkerScriptGivesTheAbiLayoutWithEveryLinker) {
  for (const Toolchain& toolchain : toolchains()) {
    SCOPED_TRACE(toolchain.name);
    auto image = read_elf_image(build(toolchain, "layout.c", kLayoutProbe));
    ASSERT_TRUE(image.has_value());
    std::vector<Elf32_Phdr> loads;
    for (const Elf32_Phdr& segment : image->segments) {
      if (segment.p_type == PT_LOAD) loads.push_back(segment);
    }
    ASSERT_EQ(loads.size(), 5u);
    constexpr std::uint32_t kR = PF_R, kRX = PF_R | PF_X, kRW = PF_R | PF_W;
    EXPECT_EQ(loads[0].p_flags, kRX);  // text
    EXPECT_EQ(loads[1].p_flags, kR);   // rodata
    EXPECT_EQ(loads[2].p_flags, kRW);  // data
    EXPECT_EQ(loads[3].p_flags, kRW);  // stack
    EXPECT_EQ(loads[4].p_flags, kRW);  // heap
    EXPECT_EQ(loads[0].p_vaddr, 0x10000u);
    EXPECT_EQ(image->entry, 0x10000u);
    EXPECT_EQ(loads[3].p_memsz, 0x100000u);    // default stack, 1 MiB
    EXPECT_EQ(loads[4].p_memsz, 0x10000000u);  // default heap, 256 MiB
    for (size_t i = 0; i < loads.size(); ++i) {
      EXPECT_EQ(loads[i].p_vaddr % 4096, 0u) << "segment " << i;
      EXPECT_FALSE((loads[i].p_flags & PF_W) && (loads[i].p_flags & PF_X)) << "segment " << i;
      if (i > 0) {
        std::uint32_t previous_end = loads[i - 1].p_vaddr + loads[i - 1].p_memsz;
        std::uint32_t previous_page_end = (previous_end + 4095) & ~4095u;
        EXPECT_GE(loads[i].p_vaddr, previous_page_end) << "segments " << i - 1 << " and " << i;
      }
    }
    // The guard page: at least one unmapped page between data and stack.
    std::uint32_t data_page_end = (loads[2].p_vaddr + loads[2].p_memsz + 4095) & ~4095u;
    EXPECT_GE(loads[3].p_vaddr, data_page_end + 4096);
    ASSERT_EQ(image->sections.count(".note.zkrv.abi"), 1u);
    EXPECT_EQ(image->sections[".note.zkrv.abi"], (std::vector<std::uint8_t>{1, 0, 0, 0}));
  }
}

TEST_F(SdkTest, StdioConstructorsAndExitCodes) {
  if (!have_qemu()) GTEST_SKIP() << "qemu-riscv32 not installed";
  const char source[] = R"(#include <stdio.h>
#include <stdlib.h>
static int order;
__attribute__((constructor)) static void early(void) { order = order * 10 + 1; }
static void at_exit(void) { printf("atexit ran\n"); }
int main(void) {
  atexit(at_exit);
  fprintf(stderr, "to stderr\n");
  printf("order %d, getchar %d\n", order, getchar());
  printf("unterminated");
  return 42;
}
)";
  for (const Toolchain& toolchain : toolchains()) {
    SCOPED_TRACE(toolchain.name);
    QemuRun run = run_in_qemu(build(toolchain, "stdio.c", source));
    EXPECT_EQ(run.status, 42);
    EXPECT_EQ(run.stdout_text, "order 1, getchar -1\nunterminatedatexit ran\n");
    EXPECT_EQ(run.stderr_text, "to stderr\n");
  }
}

TEST_F(SdkTest, MallocReturnsNullAtTheEndOfTheHeap) {
  if (!have_qemu()) GTEST_SKIP() << "qemu-riscv32 not installed";
  const char source[] = R"(#include <stdio.h>
#include <stdlib.h>
int main(void) {
  /* Chain the blocks so the compiler cannot drop the allocations. */
  void** chain = NULL;
  int blocks = 0;
  for (void** block; (block = malloc(64 * 1024)) != NULL; ++blocks) {
    *block = chain;
    chain = block;
  }
  printf("blocks %d, last %p\n", blocks, (void*)chain);
  return blocks >= 14 && blocks < 16 ? 0 : 1;
}
)";
  BuildOptions options;
  options.heap_size = 1024 * 1024;
  for (const Toolchain& toolchain : toolchains()) {
    SCOPED_TRACE(toolchain.name);
    QemuRun run = run_in_qemu(build(toolchain, "heap.c", source, options));
    EXPECT_EQ(run.status, 0) << run.stdout_text;
    EXPECT_THAT(run.stdout_text, HasSubstr("blocks "));
  }
}

TEST_F(SdkTest, StackOverflowHitsTheGuardPage) {
  if (!have_qemu()) GTEST_SKIP() << "qemu-riscv32 not installed";
  const char source[] = R"(#include <stdio.h>
static int depth(volatile char* previous, int n) {
  volatile char frame[512];
  frame[0] = previous ? previous[0] + 1 : 0;
  return n == 0 ? frame[0] : depth(frame, n - 1) + 1;
}
int main(void) {
  printf("recursing\n");
  return depth(0, 1 << 20) & 1;
}
)";
  BuildOptions options;
  options.stack_size = 64 * 1024;
  Toolchain toolchain = toolchains()[0];
  QemuRun run = run_in_qemu(build(toolchain, "overflow.c", source, options));
  EXPECT_EQ(run.stdout_text, "recursing\n");
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.status, 1);  // killed by the fault, not a normal exit
}

TEST_F(SdkTest, CxxRuntimeAbortsOnPureVirtualCallWith134) {
  if (!have_qemu()) GTEST_SKIP() << "qemu-riscv32 not installed";
  const char source[] = R"(#include <stdio.h>
struct Base {
  Base() { call(); }
  void call() { run(); }
  virtual void run() = 0;
  virtual ~Base() = default;
};
struct Derived : Base {
  void run() override { printf("derived\n"); }
};
int main() {
  Derived d;
  d.run();
  return 0;
}
)";
  QemuRun run = run_in_qemu(build(toolchains()[0], "pure.cc", source));
  EXPECT_EQ(run.status, 134);
  EXPECT_THAT(run.stderr_text, HasSubstr("pure virtual function called"));
}


TEST_F(SdkTest, LibcxxContainersStringsAndSmartPointersWork) {
  if (!have_qemu()) GTEST_SKIP() << "qemu-riscv32 not installed";
  const char source[] = R"(#include <stdio.h>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
int main() {
  std::unordered_map<int, std::string> names;
  for (int i = 0; i < 100; ++i) names[i] = std::to_string(i * 3);
  std::map<std::string, int> ordered{{"b", 2}, {"a", 1}};
  auto shared = std::make_shared<int>(9);
  std::weak_ptr<int> weak = shared;
  std::function<int(int)> twice = [](int x) { return 2 * x; };
  printf("%s %d %ld %d %d\n", names[33].c_str(), ordered.begin()->second, shared.use_count(),
         *weak.lock(), twice(21));
  shared.reset();
  return weak.expired() ? 0 : 1;
}
)";
  for (const Toolchain& toolchain : toolchains()) {
    SCOPED_TRACE(toolchain.name);
    QemuRun run = run_in_qemu(build(toolchain, "libcxx.cc", source));
    EXPECT_EQ(run.status, 0);
    EXPECT_EQ(run.stdout_text, "99 1 1 9 42\n");
  }
}

}  // namespace
}  // namespace zkrv::guesttest
