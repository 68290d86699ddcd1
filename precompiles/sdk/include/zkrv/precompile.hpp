// C++ convenience layer over the precompile C ABI (zkrv/precompile.h). A precompile written in C++
// is one function and one macro:
//
//   #include <zkrv/precompile.hpp>
//
//   uint32_t add(uint32_t rs1, uint32_t rs2, zkrv::precompile::Memory& memory) {
//     return memory.load<uint32_t>(rs1) + rs2;
//   }
//   ZKRV_DEFINE_PRECOMPILE("example.add", "1.0.0", add)
//
// The macro defines the one exported symbol, `zkrv_precompile_eval`, and handles what every library
// must get right: the ABI checks, ZKRV_CALL_INFO, and turning C++ exceptions into status codes and
// messages, since no exception may cross the C boundary. A failed guest-memory access throws
// MemoryError (status ZKRV_PRECOMPILE_BAD_MEMORY); any other exception, e.g. Fault, makes the status
// ZKRV_PRECOMPILE_FAULT with the exception's message.
//
// ABI negotiation: the first four fields of zkrv_precompile_call (abi_version, struct_size, kind,
// library_abi_version) keep their place in every ABI version, so a library answers a host of another
// version with ZKRV_PRECOMPILE_BAD_ABI and still reports its own library_abi_version there.
#ifndef ZKRV_PRECOMPILE_HPP_
#define ZKRV_PRECOMPILE_HPP_

#include <zkrv/precompile.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace zkrv::precompile {

// A guest-memory access that the VM refused (unmapped, read-only, out of limits).
class MemoryError : public std::exception {
 public:
  MemoryError(bool is_write, uint32_t address, uint32_t length)
      : is_write_(is_write), address_(address), length_(length) {
    std::snprintf(message_, sizeof message_, "%s of %u bytes at guest address 0x%08x refused by the VM",
                  is_write ? "write" : "read", length, address);
  }
  const char* what() const noexcept override { return message_; }
  bool is_write() const { return is_write_; }
  uint32_t address() const { return address_; }
  uint32_t length() const { return length_; }

 private:
  bool is_write_;
  uint32_t address_;
  uint32_t length_;
  char message_[96];
};

// A failure of the precompile itself (bad operand, ...); the guest run faults with this message.
class Fault : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Guest memory seen through the VM's callbacks. Values are little-endian, as on RV32.
class Memory {
 public:
  explicit Memory(const zkrv_guest_memory& memory) : memory_(memory) {}

  void read(uint32_t address, void* out, uint32_t length) const {
    if (memory_.read(memory_.context, address, out, length) != 0) throw MemoryError(false, address, length);
  }
  void write(uint32_t address, const void* data, uint32_t length) const {
    if (memory_.write(memory_.context, address, data, length) != 0) throw MemoryError(true, address, length);
  }

  template <typename T>
  T load(uint32_t address) const {
    static_assert(std::is_unsigned_v<T>, "load<T>: T must be an unsigned integer type");
    uint8_t bytes[sizeof(T)];
    read(address, bytes, sizeof(T));
    T value = 0;
    for (size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(static_cast<T>(bytes[i]) << (8 * i));
    return value;
  }
  template <typename T>
  void store(uint32_t address, T value) const {
    static_assert(std::is_unsigned_v<T>, "store<T>: T must be an unsigned integer type");
    uint8_t bytes[sizeof(T)];
    for (size_t i = 0; i < sizeof(T); ++i) bytes[i] = static_cast<uint8_t>(value >> (8 * i));
    write(address, bytes, sizeof(T));
  }

  // N consecutive little-endian values starting at `address`, read or written in one access.
  template <typename T, size_t N>
  std::array<T, N> load_array(uint32_t address) const {
    static_assert(std::is_unsigned_v<T>, "load_array<T>: T must be an unsigned integer type");
    uint8_t bytes[N * sizeof(T)];
    read(address, bytes, sizeof bytes);
    std::array<T, N> values{};
    for (size_t n = 0; n < N; ++n) {
      for (size_t i = 0; i < sizeof(T); ++i) values[n] |= static_cast<T>(static_cast<T>(bytes[n * sizeof(T) + i]) << (8 * i));
    }
    return values;
  }
  template <typename T, size_t N>
  void store_array(uint32_t address, const std::array<T, N>& values) const {
    static_assert(std::is_unsigned_v<T>, "store_array<T>: T must be an unsigned integer type");
    uint8_t bytes[N * sizeof(T)];
    for (size_t n = 0; n < N; ++n) {
      for (size_t i = 0; i < sizeof(T); ++i) bytes[n * sizeof(T) + i] = static_cast<uint8_t>(values[n] >> (8 * i));
    }
    write(address, bytes, sizeof bytes);
  }

 private:
  const zkrv_guest_memory& memory_;
};

using Function = uint32_t (*)(uint32_t rs1, uint32_t rs2, Memory& memory);

namespace detail {

inline void set_error(zkrv_precompile_call* call, const char* message) {
  std::snprintf(call->error, sizeof call->error, "%s", message);
}

// Offset just past library_abi_version: the part of the struct every ABI version shares.
inline constexpr uint32_t kStablePrefixSize = offsetof(zkrv_precompile_call, library_abi_version) + sizeof(uint32_t);

// The whole of zkrv_precompile_eval; noexcept so nothing escapes into C.
inline int dispatch(zkrv_precompile_call* call, const char* name, const char* version, Function function) noexcept {
  if (call == nullptr) return ZKRV_PRECOMPILE_BAD_ABI;
  if (call->abi_version != ZKRV_PRECOMPILE_ABI_VERSION || call->struct_size < sizeof(zkrv_precompile_call)) {
    if (call->struct_size >= kStablePrefixSize) call->library_abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
    return ZKRV_PRECOMPILE_BAD_ABI;
  }
  call->library_abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
  call->error[0] = '\0';
  switch (call->kind) {
    case ZKRV_CALL_INFO:
      call->name = name;
      call->version = version;
      return ZKRV_PRECOMPILE_OK;
    case ZKRV_CALL_EVAL:
      break;
    default:
      std::snprintf(call->error, sizeof call->error, "%s: unknown call kind %u", name, call->kind);
      return ZKRV_PRECOMPILE_BAD_ABI;
  }
  if (call->memory == nullptr || call->memory->read == nullptr || call->memory->write == nullptr) {
    set_error(call, "the host passed no guest-memory callbacks");
    return ZKRV_PRECOMPILE_FAULT;
  }
  try {
    Memory memory(*call->memory);
    call->rd = function(call->rs1, call->rs2, memory);
    return ZKRV_PRECOMPILE_OK;
  } catch (const MemoryError& e) {
    set_error(call, e.what());
    return ZKRV_PRECOMPILE_BAD_MEMORY;
  } catch (const std::exception& e) {
    set_error(call, e.what());
    return ZKRV_PRECOMPILE_FAULT;
  } catch (...) {
    set_error(call, "the precompile threw an exception that is not a std::exception");
    return ZKRV_PRECOMPILE_FAULT;
  }
}

}  // namespace detail
}  // namespace zkrv::precompile

// Defines the library's one exported symbol. `name` and `version` are string literals (they must
// match the package manifest: the loader checks); `function` has the signature of
// zkrv::precompile::Function.
#define ZKRV_DEFINE_PRECOMPILE(name, version, function)                                             \
  extern "C" __attribute__((visibility("default"))) int zkrv_precompile_eval(zkrv_precompile_call* call) { \
    return ::zkrv::precompile::detail::dispatch(call, name, version, function);                    \
  }

#endif  // ZKRV_PRECOMPILE_HPP_
