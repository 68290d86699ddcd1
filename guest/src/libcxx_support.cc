// The few libc++ functions that live in libc++'s compiled library rather than its headers and that
// common guest code reaches: std::to_string, the bucket-count primes of the unordered containers
// and the reference counts of std::shared_ptr/weak_ptr. One hart, so the counts are plain integers.
// These definitions match the declarations of the libc++ 14 headers the SDK compiles against.
#include <stdio.h>

#include <cstddef>
#include <memory>
#include <string>

namespace std {
inline namespace __1 {

__shared_count::~__shared_count() {}

__shared_weak_count::~__shared_weak_count() {}

void __shared_weak_count::__release_weak() noexcept {
  if (--__shared_weak_owners_ == -1) __on_zero_shared_weak();
}

__shared_weak_count* __shared_weak_count::lock() noexcept {
  if (__shared_owners_ == -1) return nullptr;
  ++__shared_owners_;
  return this;
}

// Without RTTI there is no type to compare; std::get_deleter reports no deleter.
const void* __shared_weak_count::__get_deleter(const type_info&) const noexcept { return nullptr; }

size_t __next_prime(size_t n) {
  auto is_prime = [](size_t candidate) {
    if (candidate < 2) return false;
    for (size_t divisor = 2; divisor <= candidate / divisor; ++divisor) {
      if (candidate % divisor == 0) return false;
    }
    return true;
  };
  while (!is_prime(n)) ++n;
  return n;
}

namespace {

template <typename Value>
string format(const char* pattern, Value value) {
  char buffer[64];
  int length = snprintf(buffer, sizeof(buffer), pattern, value);
  return string(buffer, length < 0 ? 0 : static_cast<size_t>(length));
}

}  // namespace

string to_string(int value) { return format("%d", value); }
string to_string(unsigned value) { return format("%u", value); }
string to_string(long value) { return format("%ld", value); }
string to_string(unsigned long value) { return format("%lu", value); }
string to_string(long long value) { return format("%lld", value); }
string to_string(unsigned long long value) { return format("%llu", value); }
string to_string(float value) { return format("%f", static_cast<double>(value)); }
string to_string(double value) { return format("%f", value); }
string to_string(long double value) { return format("%Lf", value); }

}  // namespace __1
}  // namespace std
