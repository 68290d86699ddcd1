// Reuse of large buffers (2 MiB and up: traces, LDEs, Merkle layers) between the rounds of a proof
// and between proofs.
//
// Freeing a large buffer normally returns it to the kernel (glibc serves such sizes with mmap),
// and the next buffer of that size is fresh memory the kernel must clear page by page on first
// touch: in a multi-table proof that was about a quarter of the prover's time. While at least one
// BufferReuse is alive, freed large buffers are kept and handed out again to requests of the same
// (2 MiB-rounded) size; when the last one goes away every kept buffer is freed. The prover holds
// one for the length of a proof; a caller that keeps a prover::ProverContext keeps the buffers of
// one proof for the next. The pool is process-wide and thread-safe (one mutex, taken once per
// large allocation), so buffers may move between threads and concurrent proofs freely.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <map>
#include <mutex>
#include <new>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace zkrv::stark {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;
// The smallest page Linux maps (x86-64; arm64 kernels use 4, 16 or 64 KiB): a write every this
// many bytes reaches every page.
inline constexpr size_t kSmallPageBytes = size_t{4} << 10;

class BufferPool {
 public:
  // Never destroyed: a static Matrix may free its storage after other statics are gone.
  static BufferPool& instance() {
    static BufferPool* const kPool = new BufferPool;
    return *kPool;
  }

  // A 2 MiB-aligned buffer of at least `bytes` (>= kHugePageBytes) bytes, marked MADV_HUGEPAGE.
  void* allocate(size_t bytes) {
    const size_t rounded = round_up(bytes);
    {
      std::lock_guard lock(mutex_);
      auto it = kept_.find(rounded);
      if (it != kept_.end()) {
        void* memory = it->second;
        kept_.erase(it);
        return memory;
      }
    }
    void* memory = std::aligned_alloc(kHugePageBytes, rounded);
    if (memory == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(memory, rounded, MADV_HUGEPAGE);  // a hint; failure is harmless
#endif
    // The kernel clears fresh memory page by page on first touch, and the first touch is usually
    // one thread value-initialising the whole buffer: in a guest proof that clearing was ~40% of the
    // prover's time, on one core. A write to one byte of every 4 KiB page from the workers makes
    // the kernel clear the pages there (a whole huge page where it grants one); the caller's
    // value-initialisation is then the one pass that writes the buffer. The byte written is
    // overwritten by that pass, so memory that is not fresh (glibc may reuse heap below its mmap
    // threshold) is as good; volatile keeps the write that only the fault needs.
    tbb::parallel_for(tbb::blocked_range<size_t>(0, rounded / kHugePageBytes),
                      [memory](const tbb::blocked_range<size_t>& pages) {
                        volatile char* const bytes = static_cast<char*>(memory);
                        for (size_t offset = pages.begin() * kHugePageBytes; offset < pages.end() * kHugePageBytes;
                             offset += kSmallPageBytes) {
                          bytes[offset] = 0;
                        }
                      });
    return memory;
  }

  // Takes back a buffer from allocate(bytes).
  void deallocate(void* memory, size_t bytes) {
    {
      std::lock_guard lock(mutex_);
      if (holders_ > 0 && returning_depth() == 0) {
        kept_.emplace(round_up(bytes), memory);
        return;
      }
    }
    std::free(memory);
  }

  size_t kept_buffers() {
    std::lock_guard lock(mutex_);
    return kept_.size();
  }

 private:
  friend class BufferReuse;
  friend class ReturnToKernel;
  BufferPool() = default;

  // How many ReturnToKernel scopes are open on this thread.
  static int& returning_depth() {
    thread_local int depth = 0;
    return depth;
  }

  static size_t round_up(size_t bytes) { return (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes; }
  static void release_all(std::multimap<size_t, void*>& buffers) {
    for (auto& [size, memory] : buffers) std::free(memory);
    buffers.clear();
  }

  void hold() {
    std::lock_guard lock(mutex_);
    ++holders_;
  }
  void drop() {
    std::multimap<size_t, void*> released;
    {
      std::lock_guard lock(mutex_);
      if (--holders_ == 0) released.swap(kept_);
    }
    release_all(released);
  }

  std::mutex mutex_;
  size_t holders_ = 0;
  std::multimap<size_t, void*> kept_;  // rounded size -> buffer
};

// Keeps freed large buffers for reuse while alive (see above).
class BufferReuse {
 public:
  BufferReuse() { BufferPool::instance().hold(); }
  ~BufferReuse() { BufferPool::instance().drop(); }
  BufferReuse(const BufferReuse&) { BufferPool::instance().hold(); }
  BufferReuse& operator=(const BufferReuse&) = default;
};

// While one is alive, the large buffers this thread frees go back to the kernel even while a
// BufferReuse keeps the pool: for a buffer freed early in a proof whose size nothing later asks for
// (the pool only hands out a kept buffer to a request of its own size), so that it stops counting
// towards the proof's peak memory instead of waiting, kept, for the proof's end. Buffers other
// threads free meanwhile are kept as usual.
class ReturnToKernel {
 public:
  ReturnToKernel() { ++BufferPool::returning_depth(); }
  ~ReturnToKernel() { --BufferPool::returning_depth(); }
  ReturnToKernel(const ReturnToKernel&) = delete;
  ReturnToKernel& operator=(const ReturnToKernel&) = delete;
};

}  // namespace zkrv::stark
