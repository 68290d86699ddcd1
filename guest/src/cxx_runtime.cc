// The C++ runtime pieces a guest needs without libstdc++/libc++abi: operator new/delete on malloc,
// and the ABI hooks the compiler calls. zkrv guests have no exceptions: allocation failure and
// pure virtual calls abort (exit code 134) with a message.
#include <stdio.h>
#include <stdlib.h>

#include <stdint.h>

#include <cstddef>
#include <new>

namespace {

[[noreturn]] void fail(const char* message) {
  fprintf(stderr, "zkrv: %s\n", message);
  abort();
}

void* allocate(std::size_t size) {
  void* block = malloc(size == 0 ? 1 : size);
  if (block == nullptr) fail("out of memory in operator new");
  return block;
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
  std::size_t align = static_cast<std::size_t>(alignment);
  if (align < sizeof(void*)) align = sizeof(void*);
  std::size_t rounded = (size + align - 1) / align * align;
  void* block = aligned_alloc(align, rounded == 0 ? align : rounded);
  if (block == nullptr) fail("out of memory in operator new");
  return block;
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return malloc(size ? size : 1); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return malloc(size ? size : 1); }
void* operator new(std::size_t size, std::align_val_t alignment) { return allocate_aligned(size, alignment); }
void* operator new[](std::size_t size, std::align_val_t alignment) { return allocate_aligned(size, alignment); }

void operator delete(void* block) noexcept { free(block); }
void operator delete[](void* block) noexcept { free(block); }
void operator delete(void* block, std::size_t) noexcept { free(block); }
void operator delete[](void* block, std::size_t) noexcept { free(block); }
void operator delete(void* block, const std::nothrow_t&) noexcept { free(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { free(block); }
void operator delete(void* block, std::align_val_t) noexcept { free(block); }
void operator delete[](void* block, std::align_val_t) noexcept { free(block); }
void operator delete(void* block, std::size_t, std::align_val_t) noexcept { free(block); }
void operator delete[](void* block, std::size_t, std::align_val_t) noexcept { free(block); }

extern "C" {

void __cxa_pure_virtual() { fail("pure virtual function called"); }
void __cxa_deleted_virtual() { fail("deleted virtual function called"); }

// Function-local statics: one hart, so a guard only records "initialised" in its first byte.
// The SDK compiles with -fno-threadsafe-statics, but user code built otherwise still links.
int __cxa_guard_acquire(uint64_t* guard) { return *reinterpret_cast<char*>(guard) == 0; }
void __cxa_guard_release(uint64_t* guard) { *reinterpret_cast<char*>(guard) = 1; }
void __cxa_guard_abort(uint64_t*) {}

}  // extern "C"
