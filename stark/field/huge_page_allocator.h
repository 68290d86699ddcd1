// An allocator for large field buffers (traces, LDEs) that asks Linux for transparent huge pages.
//
// With THP in "madvise" mode (the default on Debian), a fresh 128 MiB buffer otherwise costs 32768
// 4 KiB page faults on first touch, which on the build VM took longer than the NTT that fills it.
// Buffers of at least 2 MiB are therefore 2 MiB-aligned and marked MADV_HUGEPAGE; smaller ones use
// the ordinary heap. The hint is best effort: if the kernel declines, memory still works. Large
// buffers come from and go back to the BufferPool (buffer_pool.h), which reuses them while a
// proof runs.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

#include "stark/field/buffer_pool.h"

namespace zkrv::stark {

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;  // NOLINT(readability-identifier-naming): the std allocator interface

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: allocator rebinding

  T* allocate(size_t count) {
    if (count > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    size_t bytes = count * sizeof(T);
    if (bytes < kHugePage) {
      return static_cast<T*>(
          ::operator new (bytes, std::align_val_t{alignof(T) < 64 ? 64 : alignof(T)}));
    }
    return static_cast<T*>(BufferPool::instance().allocate(bytes));
  }

  void deallocate(T* pointer, size_t count) {
    if (count * sizeof(T) < kHugePage) {
      ::operator delete (pointer, std::align_val_t{alignof(T) < 64 ? 64 : alignof(T)});
    } else {
      BufferPool::instance().deallocate(pointer, count * sizeof(T));
    }
  }

  template <typename U>
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator<U>&) {
    return true;
  }

 private:
  static constexpr size_t kHugePage = kHugePageBytes;
};

}  // namespace zkrv::stark
