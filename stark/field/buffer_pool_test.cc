#include "stark/field/buffer_pool.h"

#include <gtest/gtest.h>

#include "stark/field/koalabear.h"
#include "stark/field/matrix.h"

namespace zkrv::stark {
namespace {

constexpr size_t kLarge = 3 * kHugePageBytes;

TEST(BufferPoolTest, KeepsFreedLargeBuffersOnlyWhileAReuseIsAlive) {
  BufferPool& pool = BufferPool::instance();
  void* first = nullptr;
  {
    const BufferReuse reuse;
    first = pool.allocate(kLarge);
    pool.deallocate(first, kLarge);
    EXPECT_EQ(pool.kept_buffers(), size_t{1});
    void* again = pool.allocate(kLarge - 1);  // the same 2 MiB-rounded size
    EXPECT_EQ(again, first);
    EXPECT_EQ(pool.kept_buffers(), size_t{0});
    void* other = pool.allocate(kLarge + kHugePageBytes);  // another size gets its own buffer
    EXPECT_NE(other, first);
    pool.deallocate(again, kLarge);
    pool.deallocate(other, kLarge + kHugePageBytes);
    EXPECT_EQ(pool.kept_buffers(), size_t{2});
  }
  EXPECT_EQ(pool.kept_buffers(), size_t{0});  // the last reuse freed them
  void* unkept = pool.allocate(kLarge);
  pool.deallocate(unkept, kLarge);
  EXPECT_EQ(pool.kept_buffers(), size_t{0});
}

TEST(BufferPoolTest, ReturnToKernelFreesWhatTheThreadFreesMeanwhile) {
  BufferPool& pool = BufferPool::instance();
  const BufferReuse reuse;
  void* kept = pool.allocate(kLarge);
  void* returned = pool.allocate(kLarge + kHugePageBytes);
  {
    const ReturnToKernel to_kernel;
    pool.deallocate(returned, kLarge + kHugePageBytes);
    EXPECT_EQ(pool.kept_buffers(), size_t{0});
  }
  pool.deallocate(kept, kLarge);  // the scope has ended: kept again
  EXPECT_EQ(pool.kept_buffers(), size_t{1});
}

TEST(BufferPoolTest, MatricesReuseStorageAndStartZeroed) {
  const BufferReuse reuse;
  const size_t rows = kLarge / sizeof(KoalaBear) / 4;
  const KoalaBear* storage = nullptr;
  {
    Matrix<KoalaBear> m(rows, 4);
    m.at(rows - 1, 3) = KoalaBear::one();
    storage = m.data();
  }
  const Matrix<KoalaBear> reused(rows, 4);
  EXPECT_EQ(reused.data(), storage);
  EXPECT_TRUE(reused.at(rows - 1, 3).is_zero());
}

}  // namespace
}  // namespace zkrv::stark
