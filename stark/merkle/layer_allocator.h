// Allocator for Merkle layers: large buffers are 2 MiB aligned, marked MADV_HUGEPAGE and reused
// through the BufferPool (stark/field/buffer_pool.h), and
// elements are default-initialized (not zeroed) because every digest is written before it is read.
// On a 2^20-row tree, 4 KiB page faults on 64 MiB of fresh layers cost about as much as hashing
// the nodes.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <utility>

#include "stark/field/buffer_pool.h"

namespace zkrv::stark::internal {

template <typename T>
struct LayerAllocator {
  using value_type = T;  // NOLINT(readability-identifier-naming): the std allocator interface
  static constexpr size_t kHugePage = kHugePageBytes;

  LayerAllocator() = default;
  template <typename U>
  LayerAllocator(const LayerAllocator<U>&) {}  // NOLINT: allocators convert implicitly

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes >= kHugePage) return static_cast<T*>(BufferPool::instance().allocate(bytes));
    constexpr size_t kAlignment = 64;
    const size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
    void* p = std::aligned_alloc(kAlignment, rounded == 0 ? kAlignment : rounded);
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) >= kHugePage) {
      BufferPool::instance().deallocate(p, n * sizeof(T));
    } else {
      std::free(p);
    }
  }

  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    if constexpr (sizeof...(Args) == 0) {
      ::new (static_cast<void*>(p)) U;
    } else {
      ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
  }

  friend bool operator==(const LayerAllocator&, const LayerAllocator&) { return true; }
};

}  // namespace zkrv::stark::internal
