#include "base/layout.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <thread>
#include <vector>

namespace zkrv::base {
namespace {

namespace fs = std::filesystem;

class LayoutTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "zkrv-base-layout-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = fs::canonical(pattern);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // An executable file at `path` (its folders created).
  fs::path touch(const fs::path& path) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "";
    return path;
  }
  fs::path dir_;
};

TEST_F(LayoutTest, AnExecutableBesideAnInstalledDataFolderIsInstalled) {
  const fs::path bin = dir_ / "prefix" / "bin";
  fs::create_directories((bin / ZKRV_DATADIR_RELATIVE_TO_BINDIR / "zkrv").lexically_normal());
  const Layout layout = layout_of(touch(bin / "zkrv"));
  EXPECT_EQ(layout.kind, LayoutKind::kInstalled);
  EXPECT_EQ(layout.data_dir, (bin / ZKRV_DATADIR_RELATIVE_TO_BINDIR / "zkrv").lexically_normal());
  EXPECT_EQ(layout.libexec_dir, (bin / ZKRV_LIBEXECDIR_RELATIVE_TO_BINDIR / "zkrv").lexically_normal());
  EXPECT_TRUE(layout.source_dir.empty());
}

TEST_F(LayoutTest, AnExecutableBelowABuildTreeMarkerIsInTheBuildTree) {
  std::ofstream(dir_ / kBuildTreeMarker) << "source_dir=/src/zkrv\nnot a key\nguest_sdk_dir=/src/zkrv/guest\n";
  const Layout layout = layout_of(touch(dir_ / "precompiles" / "tests" / "a_test"));
  EXPECT_EQ(layout.kind, LayoutKind::kBuildTree);
  EXPECT_EQ(layout.data_dir, dir_);
  EXPECT_EQ(layout.libexec_dir, dir_);
  EXPECT_EQ(layout.source_dir, "/src/zkrv");
  EXPECT_EQ(layout.guest_sdk_dir, "/src/zkrv/guest");
}

// A prefix installed inside a build tree (as tests/install does) is an installed tree: it must
// never reach into the tree around it.
TEST_F(LayoutTest, AnInstalledTreeInsideABuildTreeIsInstalled) {
  std::ofstream(dir_ / kBuildTreeMarker) << "source_dir=/src/zkrv\n";
  const fs::path bin = dir_ / "work" / "prefix" / "bin";
  fs::create_directories((bin / ZKRV_DATADIR_RELATIVE_TO_BINDIR / "zkrv").lexically_normal());
  EXPECT_EQ(layout_of(touch(bin / "zkrv")).kind, LayoutKind::kInstalled);
}

TEST_F(LayoutTest, AnExecutableElsewhereHasNoLayout) {
  EXPECT_EQ(layout_of(touch(dir_ / "bin" / "zkrv")).kind, LayoutKind::kNone);
  EXPECT_EQ(layout_of({}).kind, LayoutKind::kNone);
}

TEST_F(LayoutTest, TheRunningExecutableIsThisTest) {
  EXPECT_EQ(running_executable().filename(), "base_test");
  // This test is built in a build tree, so it finds that tree's marker.
  EXPECT_EQ(running_layout().kind, LayoutKind::kBuildTree);
}

// Computed once per process: every call, from any thread, sees the same layout object.
TEST_F(LayoutTest, TheRunningLayoutIsComputedOnce) {
  std::vector<const Layout*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) threads.emplace_back([&seen, i] { seen[i] = &running_layout(); });
  for (std::thread& t : threads) t.join();
  for (const Layout* layout : seen) EXPECT_EQ(layout, &running_layout());
  EXPECT_EQ(running_layout().kind, LayoutKind::kBuildTree);
}

}  // namespace
}  // namespace zkrv::base
