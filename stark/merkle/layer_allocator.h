// Allocator for Merkle layers: large buffers are 2 MiB aligned and marked MADV_HUGEPAGE, and
// elements are default-initialized (not zeroed) because every digest is written before it is read.
// On a 2^20-row tree, 4 KiB page faults on 64 MiB of fresh layers cost about as much as hashing
// the nodes.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <utility>

namespace zkrv::stark::internal {

template <typename T>
struct LayerAllocator {
  using value_type = T;  // NOLINT(readability-identifier-naming): the std allocator interface
  static constexpr size_t kHugePage = size_t{2} << 20;

  LayerAllocator() = default;
  template <typename U>
  LayerAllocator(const LayerAllocator<U>&) {}  // NOLINT: allocators convert implicitly

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    const size_t alignment = bytes >= kHugePage ? kHugePage : 64;
    const size_t rounded = (bytes + alignment - 1) / alignment * alignment;
    void* p = std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
    if (p == nullptr) throw std::bad_alloc();
    if (alignment == kHugePage) madvise(p, rounded, MADV_HUGEPAGE);  // a hint; failure is harmless
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t) { std::free(p); }

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
