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
// A precompile whose package carries a circuit also fills that circuit's table from each recorded
// call (ZKRV_CALL_WITNESS): one more function and the second macro, with the rows a call fills and
// the table's main width:
//
//   void add_witness(const zkrv::precompile::CallRecord& call, zkrv::precompile::RowWriter& rows) {
//     const zkrv_word_access& word = call.access(0);
//     rows.set(0, 0, call.timestamp());
//     rows.set(0, 1, word.before & 0xffff);  // ... every value below p = 2^31 - 2^24 + 1
//   }
//   ZKRV_DEFINE_PRECOMPILE_WITH_WITNESS("example.add", "1.0.0", add, add_witness, 1, 4)
//
// The rows come zeroed; a malformed record throws BadRecord (status ZKRV_PRECOMPILE_BAD_RECORD).
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

// A recorded call that is not one this precompile makes (too few or too many words, a word where
// the call has none, a value the precompile could not have produced): status ZKRV_PRECOMPILE_BAD_RECORD.
class BadRecord : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr uint32_t kFieldModulus = ZKRV_WITNESS_FIELD_MODULUS;

// One recorded call (zkrv_call_record), checked by the SDK before the witness function sees it:
// every word address is a multiple of 4 and every read-only word is unchanged.
class CallRecord {
 public:
  explicit CallRecord(const zkrv_call_record& record) : record_(record) {}
  uint32_t timestamp() const { return record_.timestamp; }
  uint32_t rs1() const { return record_.rs1; }
  uint32_t rs2() const { return record_.rs2; }
  uint32_t rd() const { return record_.rd; }
  uint32_t access_count() const { return record_.access_count; }
  // Access i in the order the call first touched the words; BadRecord past the last.
  const zkrv_word_access& access(uint32_t i) const {
    if (i >= record_.access_count) {
      throw BadRecord("the record has " + std::to_string(record_.access_count) + " word accesses, access " +
                      std::to_string(i) + " was asked for");
    }
    return record_.accesses[i];
  }
  // BadRecord unless the call accessed exactly `count` words.
  void expect_access_count(uint32_t count) const {
    if (record_.access_count != count) {
      throw BadRecord("the record has " + std::to_string(record_.access_count) + " word accesses, this precompile's calls make " +
                      std::to_string(count));
    }
  }

 private:
  const zkrv_call_record& record_;
};

// The rows one call fills: rows() x width() values, row-major, zero until set.
class RowWriter {
 public:
  RowWriter(uint32_t* values, uint32_t rows, uint32_t width) : values_(values), rows_(rows), width_(width) {}
  uint32_t rows() const { return rows_; }
  uint32_t width() const { return width_; }
  // Throws Fault for a cell outside the rows or a value that is not a canonical field element.
  void set(uint32_t row, uint32_t column, uint32_t value) {
    check_cell(row, column);
    if (value >= kFieldModulus) {
      throw Fault("witness row " + std::to_string(row) + " column " + std::to_string(column) + ": " +
                  std::to_string(value) + " is not below p = 2^31 - 2^24 + 1");
    }
    values_[size_t{row} * width_ + column] = value;
  }
  uint32_t get(uint32_t row, uint32_t column) const {
    check_cell(row, column);
    return values_[size_t{row} * width_ + column];
  }

 private:
  void check_cell(uint32_t row, uint32_t column) const {
    if (row >= rows_ || column >= width_) {
      throw Fault("witness cell (row " + std::to_string(row) + ", column " + std::to_string(column) + ") is outside " +
                  std::to_string(rows_) + " rows of " + std::to_string(width_) + " columns");
    }
  }

  uint32_t* values_;
  uint32_t rows_;
  uint32_t width_;
};

using WitnessFunction = void (*)(const CallRecord& call, RowWriter& rows);

// What ZKRV_DEFINE_PRECOMPILE_WITH_WITNESS declares; rows_per_call = width = 0: no witness.
struct Witness {
  WitnessFunction function = nullptr;
  uint32_t rows_per_call = 0;
  uint32_t width = 0;
};

namespace detail {

inline void set_error(zkrv_precompile_call* call, const char* message) {
  std::snprintf(call->error, sizeof call->error, "%s", message);
}

// Offset just past library_abi_version: the part of the struct every ABI version shares.
inline constexpr uint32_t kStablePrefixSize = offsetof(zkrv_precompile_call, library_abi_version) + sizeof(uint32_t);

// The generic checks of a record (CallRecord's promise); empty when it is well formed.
inline std::string record_problem(const zkrv_call_record* record) {
  if (record == nullptr) return "the host passed no call record";
  if (record->access_count != 0 && record->accesses == nullptr) return "the host passed no word accesses";
  for (uint32_t i = 0; i < record->access_count; ++i) {
    const zkrv_word_access& a = record->accesses[i];
    if (a.address % 4 != 0) {
      return "word access " + std::to_string(i) + ": address " + std::to_string(a.address) + " is not a multiple of 4";
    }
    if (a.written > 1) return "word access " + std::to_string(i) + ": written is " + std::to_string(a.written) + ", not 0 or 1";
    if (a.written == 0 && a.after != a.before) {
      return "word access " + std::to_string(i) + ": a word only read changed (before " + std::to_string(a.before) +
             ", after " + std::to_string(a.after) + ")";
    }
  }
  return {};
}

// ZKRV_CALL_WITNESS: the shape checks, then the author's function on zeroed rows.
inline int witness_call(zkrv_precompile_call* call, const char* name, const Witness& witness) {
  if (witness.function == nullptr || witness.rows_per_call == 0 || witness.width == 0) {
    std::snprintf(call->error, sizeof call->error, "%s fills no circuit table (its package has no circuit)", name);
    return ZKRV_PRECOMPILE_NO_WITNESS;
  }
  if (call->width != witness.width) {
    std::snprintf(call->error, sizeof call->error, "%s fills a table of %u columns, the host's circuit has %u", name,
                  witness.width, call->width);
    return ZKRV_PRECOMPILE_BAD_WIDTH;
  }
  call->row_count = witness.rows_per_call;
  const uint64_t needed = uint64_t{witness.rows_per_call} * witness.width;
  if (call->values == nullptr || call->capacity < needed) {
    std::snprintf(call->error, sizeof call->error,
                  "%s: a call's %u rows of %u columns need %llu values, the host's buffer holds %llu", name,
                  witness.rows_per_call, witness.width, static_cast<unsigned long long>(needed),
                  static_cast<unsigned long long>(call->values == nullptr ? 0 : call->capacity));
    return ZKRV_PRECOMPILE_BUFFER_TOO_SMALL;
  }
  if (const std::string problem = record_problem(call->record); !problem.empty()) {
    std::snprintf(call->error, sizeof call->error, "%s: malformed call record: %s", name, problem.c_str());
    return ZKRV_PRECOMPILE_BAD_RECORD;
  }
  std::memset(call->values, 0, needed * sizeof(uint32_t));
  const CallRecord record(*call->record);
  RowWriter rows(call->values, witness.rows_per_call, witness.width);
  try {
    witness.function(record, rows);
    return ZKRV_PRECOMPILE_OK;
  } catch (const BadRecord& e) {
    std::snprintf(call->error, sizeof call->error, "%s: malformed call record: %s", name, e.what());
    return ZKRV_PRECOMPILE_BAD_RECORD;
  }
}

// The whole of zkrv_precompile_eval; noexcept so nothing escapes into C.
inline int dispatch(zkrv_precompile_call* call, const char* name, const char* version, Function function,
                    const Witness& witness = {}) noexcept {
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
      call->witness_rows_per_call = witness.function ? witness.rows_per_call : 0;
      call->witness_width = witness.function ? witness.width : 0;
      return ZKRV_PRECOMPILE_OK;
    case ZKRV_CALL_EVAL:
      break;
    case ZKRV_CALL_WITNESS:
      try {
        return witness_call(call, name, witness);
      } catch (const std::exception& e) {
        set_error(call, e.what());
        return ZKRV_PRECOMPILE_FAULT;
      } catch (...) {
        set_error(call, "the witness function threw an exception that is not a std::exception");
        return ZKRV_PRECOMPILE_FAULT;
      }
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

// The same, for a precompile whose package carries a circuit: `witness` has the signature of
// zkrv::precompile::WitnessFunction and fills `rows_per_call` rows of the circuit's `width` main
// columns for each call (both constants, both at least 1).
#define ZKRV_DEFINE_PRECOMPILE_WITH_WITNESS(name, version, function, witness, rows_per_call, width)   \
  static_assert((rows_per_call) >= 1 && (width) >= 1, "a witness fills at least one row of one column"); \
  extern "C" __attribute__((visibility("default"))) int zkrv_precompile_eval(zkrv_precompile_call* call) { \
    return ::zkrv::precompile::detail::dispatch(call, name, version, function,                      \
                                                ::zkrv::precompile::Witness{witness, rows_per_call, width}); \
  }

#endif  // ZKRV_PRECOMPILE_HPP_
