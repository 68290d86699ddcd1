#include "riscv_air/package_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <random>
#include <unordered_map>

#include "base/hex.h"
#include "precompiles/package/witness.h"
#include "riscv_air/buses.h"
#include "riscv_air/package_circuit.h"
#include "stark/air/value_builder.h"
#include "stark/circuit/interpreted_table.h"

namespace zkrv::riscv_air {

namespace {

namespace circuit = stark::circuit;
namespace air = stark::air;
using air::Fp;

// The guest memory of the random calls: one mapped range of random words. Accesses outside it fail
// as the VM's do; every word an access touches is recorded once, in first-touch order, with its
// value before the call, as the VM's pass 2 records a call (riscv_air/generation.cc).
constexpr uint32_t kMemoryBase = 0x10000;
constexpr uint32_t kMemoryBytes = 0x10000;
// The index the check binds the circuit at; any index gives the same constraints but the constant.
constexpr uint32_t kCheckIndex = 0;
constexpr size_t kMaxSamples = 4;  // faults and witness errors quoted
// The values of the calls' rows the check holds at most (16 MiB of them, and as many field elements
// in the table): past it, no more calls are made. One call's rows are always made.
constexpr size_t kMaxCheckedValues = size_t{1} << 22;

class CallMemory {
 public:
  explicit CallMemory(std::mt19937_64& rng) : bytes_(kMemoryBytes) {
    // Words of random values, zeros and ones: a library faults on what its circuit cannot prove
    // (a flag that is not a bit, a length out of range), and random bytes alone would make most
    // calls of such a library fault.
    for (size_t at = 0; at < bytes_.size(); at += 4) {
      const uint64_t pick = rng() % 4;
      const uint32_t value = pick < 2 ? static_cast<uint32_t>(rng()) : static_cast<uint32_t>(pick - 2);
      std::memcpy(bytes_.data() + at, &value, 4);
    }
    callbacks_.context = this;
    callbacks_.read = [](void* context, uint32_t address, void* out, uint32_t length) {
      auto* self = static_cast<CallMemory*>(context);
      if (!self->mapped(address, length)) return 1;
      self->touch(address, length, false);
      std::memcpy(out, self->bytes_.data() + (address - kMemoryBase), length);
      return 0;
    };
    callbacks_.write = [](void* context, uint32_t address, const void* data, uint32_t length) {
      auto* self = static_cast<CallMemory*>(context);
      if (!self->mapped(address, length)) return 1;
      self->touch(address, length, true);
      std::memcpy(self->bytes_.data() + (address - kMemoryBase), data, length);
      return 0;
    };
  }
  CallMemory(const CallMemory&) = delete;
  CallMemory& operator=(const CallMemory&) = delete;

  const zkrv_guest_memory* callbacks() const { return &callbacks_; }

  // The call's words with their values after it.
  std::vector<zkrv_word_access> accesses() const {
    std::vector<zkrv_word_access> words = words_;
    for (zkrv_word_access& w : words) w.after = word(w.address);
    return words;
  }

 private:
  bool mapped(uint32_t address, uint32_t length) const {
    return address >= kMemoryBase && uint64_t{address} + length <= uint64_t{kMemoryBase} + kMemoryBytes;
  }
  uint32_t word(uint32_t address) const {
    uint32_t value = 0;
    std::memcpy(&value, bytes_.data() + (address - kMemoryBase), 4);  // little-endian host, as RV32
    return value;
  }
  void touch(uint32_t address, uint32_t length, bool write) {
    for (uint64_t byte = address; byte < uint64_t{address} + length; ++byte) {
      const auto aligned = static_cast<uint32_t>(byte & ~uint64_t{3});
      auto [at, fresh] = word_of_.emplace(aligned, words_.size());
      if (fresh) words_.push_back({aligned, word(aligned), 0, 0});
      if (write) words_[at->second].written = 1;
    }
  }

  std::vector<uint8_t> bytes_;
  zkrv_guest_memory callbacks_{};
  std::vector<zkrv_word_access> words_;
  std::unordered_map<uint32_t, size_t> word_of_;
};

// A pointer argument: mostly a word-aligned address in the memory, sometimes an unaligned one,
// sometimes any 32-bit value (the library should fault on what its circuit cannot prove).
uint32_t random_pointer(std::mt19937_64& rng) {
  const uint64_t pick = rng() % 8;
  const auto inside = static_cast<uint32_t>(kMemoryBase + rng() % kMemoryBytes);
  if (pick < 6) return inside & ~3u;
  if (pick == 6) return inside;
  return static_cast<uint32_t>(rng());
}

std::string bus_text(const circuit::CircuitInteraction& it) {
  return fmt::format("{} on {}", it.direction == air::Direction::kSend ? "send" : "receive", bus_name(it.bus));
}

// Whether a lookup's tuple is an entry of the fixed table it is sent to (RANGE16: x < 2^16;
// BYTE_XOR: bytes x, y and x ^ y).
bool lookup_holds(air::BusId bus, std::span<const Fp> tuple) {
  if (bus == kRange16Bus) return tuple.size() == 1 && tuple[0].to_u32() < (1u << 16);
  if (tuple.size() != 3) return false;
  const uint32_t x = tuple[0].to_u32(), y = tuple[1].to_u32(), z = tuple[2].to_u32();
  return x < 256 && y < 256 && z == (x ^ y);
}

// The bound circuit evaluated on windows of one trace (rows x width, row-major).
class Evaluator {
 public:
  Evaluator(const circuit::Circuit& bound, size_t height)
      : table_(bound), width_(static_cast<size_t>(bound.info.main_width)), height_(height),
        trace_(height * width_, Fp::zero()), pre_(bound.preprocessed) {}

  std::span<Fp> row(size_t r) { return {trace_.data() + r * width_, width_}; }
  size_t height() const { return height_; }
  const circuit::InterpretedTable& table() const { return table_; }

  // Evaluates the window (r, r + 1 mod height); the builder's outputs hold its values.
  const air::ValueBuilder<Fp>& eval(size_t r) {
    const size_t next = (r + 1) % height_;
    builder_.main_local = trace_.data() + r * width_;
    builder_.main_next_row = trace_.data() + next * width_;
    if (pre_.width() > 0) {
      builder_.preprocessed_local = &pre_.at(r % pre_.rows(), 0);
      builder_.preprocessed_next_row = &pre_.at(next % pre_.rows(), 0);
    }
    builder_.first_row = r == 0 ? Fp::one() : Fp::zero();
    builder_.last_row = r + 1 == height_ ? Fp::one() : Fp::zero();
    builder_.transition = Fp::one() - builder_.last_row;
    builder_.clear();
    table_.eval(builder_);
    return builder_;
  }
  bool holds(size_t r) {
    const air::ValueBuilder<Fp>& b = eval(r);
    return std::all_of(b.constraint_values.begin(), b.constraint_values.end(), [](const Fp& v) { return v.is_zero(); });
  }

 private:
  circuit::InterpretedTable table_;
  size_t width_;
  size_t height_;
  std::vector<Fp> trace_;
  stark::Matrix<Fp> pre_;
  air::ValueBuilder<Fp> builder_;
};

// The main columns each node reads (a kMain / kMainNext leaf), closed over operands: which columns
// reach the messages, and which no node reads at all.
std::vector<bool> columns_reached(const circuit::Circuit& c, const std::vector<uint32_t>& roots) {
  std::vector<bool> node_used(c.nodes.size(), false), columns(static_cast<size_t>(c.info.main_width), false);
  for (uint32_t root : roots) node_used[root] = true;
  for (size_t i = c.nodes.size(); i-- > 0;) {
    if (!node_used[i]) continue;
    const circuit::CircuitNode& n = c.nodes[i];
    switch (n.code) {
      case circuit::NodeCode::kMain:
      case circuit::NodeCode::kMainNext: columns[n.value] = true; break;
      case circuit::NodeCode::kAdd:
      case circuit::NodeCode::kSub:
      case circuit::NodeCode::kMul: node_used[n.lhs] = node_used[n.rhs] = true; break;
      case circuit::NodeCode::kNeg: node_used[n.lhs] = true; break;
      default: break;
    }
  }
  return columns;
}

// What a window's messages (multiplicity, then the tuple, per interaction) tell the machine, honest
// against mutated: kPinned when a change is one the bus balance catches, kOutput when only an
// output changed (and `detail` says which), kNothing when the machine sees the same.
enum class MessageChange { kNothing, kOutput, kPinned };

MessageChange compare_messages(const circuit::Circuit& bound, std::span<const Fp> honest, std::span<const Fp> mutated,
                               uint32_t call_ts, std::string& detail) {
  MessageChange change = MessageChange::kNothing;
  size_t offset = 0;
  for (size_t k = 0; k < bound.interactions.size(); ++k) {
    const circuit::CircuitInteraction& it = bound.interactions[k];
    const size_t size = 1 + it.tuple.size();
    const std::span<const Fp> honest_message = honest.subspan(offset, size);
    const std::span<const Fp> mutated_message = mutated.subspan(offset, size);
    offset += size;
    if (std::equal(honest_message.begin(), honest_message.end(), mutated_message.begin())) continue;
    const Fp honest_count = honest_message[0], mutated_count = mutated_message[0];
    const std::span<const Fp> honest_tuple = honest_message.subspan(1);
    const std::span<const Fp> mutated_tuple = mutated_message.subspan(1);
    // Lookups into a fixed table: any entry passes, so only a tuple outside the table is caught.
    if (it.bus == kRange16Bus || it.bus == kByteBus) {
      if (!mutated_count.is_zero() && !lookup_holds(it.bus, mutated_tuple)) return MessageChange::kPinned;
      continue;
    }
    // A message's count is matched by the other side's (the call row's, a PrecompileMemory row's).
    if (honest_count != mutated_count) return MessageChange::kPinned;
    if (honest_count.is_zero()) continue;  // no message either way
    // The entries the rest of the machine does not pin: rd of the call (the PrecompileCall row
    // writes what the callee states) and the value of a word after the call (the access writes it).
    size_t first_free = honest_tuple.size();
    if (it.bus == kPrecompileBus) first_free = honest_tuple.size() - 2;
    if (it.bus == kPrecompileWordBus && honest_tuple[0] == Fp::from_u32(call_ts + 3)) first_free = 2;
    for (size_t e = 0; e < honest_tuple.size(); ++e) {
      if (honest_tuple[e] == mutated_tuple[e]) continue;
      // A limb outside 16 bits is refused where the machine writes it (a register or a memory word).
      if (e < first_free || mutated_tuple[e].to_u32() >= (1u << 16)) return MessageChange::kPinned;
      change = MessageChange::kOutput;
      if (detail.empty()) {
        detail = fmt::format("interaction {} ({}): entry {} {:#x} -> {:#x}", k, bus_text(it), e, honest_tuple[e].to_u32(),
                             mutated_tuple[e].to_u32());
      }
    }
  }
  return change;
}

std::string column_name(const circuit::Circuit& c, uint32_t column) {
  if (column < c.info.main_names.size() && !c.info.main_names[column].empty()) return c.info.main_names[column];
  return fmt::format("main[{}]", column);
}

}  // namespace

std::string_view cell_problem_name(CellProblem problem) {
  return problem == CellProblem::kForgeableOutput ? "forgeable output" : "free cell";
}

PackageCheckReport check_package_circuit_rows(std::string_view package, std::span<const uint8_t> circuit_bytes,
                                              const precompiles::LoadedPrecompile& library, const PackageCheckOptions& options) {
  PackageCheckReport report;
  report.package = std::string(package);
  report.rows_per_call = library.witness_rows_per_call;
  std::shared_ptr<const PackageCircuit> admitted;
  try {
    admitted = admit_package_circuit(package, circuit_bytes);
  } catch (const RefusedError& e) {
    report.refusal = e.what();
    return report;
  }
  report.circuit_digest = base::to_hex(admitted->digest);
  const circuit::Circuit bound = bind_package_circuit(*admitted, kCheckIndex, std::string(package) + "[check]");
  const auto width = static_cast<uint32_t>(bound.info.main_width);
  report.main_width = width;
  report.constraints = bound.constraints.size();
  report.interactions = bound.interactions.size();
  if (library.witness_rows_per_call == 0 || library.witness_width != width) {
    report.witness_error_count = 1;
    report.witness_errors.push_back(
        library.witness_rows_per_call == 0
            ? fmt::format("{}: the library fills no table (its witness call declares 0 rows a call)", package)
            : fmt::format("{}: the library fills {} columns a row, the circuit has {}", package, library.witness_width, width));
    return report;
  }

  // The calls, and each one's rows.
  std::mt19937_64 rng(options.seed);
  std::vector<std::vector<uint32_t>> call_rows;
  std::vector<uint32_t> call_ts;
  const size_t values_per_call = size_t{library.witness_rows_per_call} * width;
  for (uint32_t i = 0; i < options.calls; ++i) {
    if (!call_rows.empty() && (call_rows.size() + 1) * values_per_call > kMaxCheckedValues) {
      report.calls_capped = true;
      break;
    }
    ++report.calls;
    CallMemory memory(rng);
    zkrv_precompile_call call{};
    call.abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
    call.struct_size = sizeof call;
    call.kind = ZKRV_CALL_EVAL;
    call.rs1 = random_pointer(rng);
    call.rs2 = random_pointer(rng);
    call.memory = memory.callbacks();
    const int status = library.call(&call);
    call.error[sizeof call.error - 1] = '\0';
    if (status == ZKRV_PRECOMPILE_FAULT || status == ZKRV_PRECOMPILE_BAD_MEMORY) {
      ++report.faulted_calls;
      if (report.fault_samples.size() < kMaxSamples) {
        report.fault_samples.push_back(fmt::format("call {} (rs1 {:#010x}, rs2 {:#010x}): {}", i, call.rs1, call.rs2,
                                                   status == ZKRV_PRECOMPILE_FAULT ? call.error : "a memory access failed"));
      }
      continue;
    }
    if (status != ZKRV_PRECOMPILE_OK) {
      throw precompiles::PackageError(fmt::format("{}: call {} returned status {}: {}", package, i, status, call.error));
    }
    const std::vector<zkrv_word_access> words = memory.accesses();
    const uint32_t ts = 4 * static_cast<uint32_t>(1 + rng() % ((uint32_t{1} << 27) - 1));
    const zkrv_call_record record{ts, call.rs1, call.rs2, call.rd, static_cast<uint32_t>(words.size()),
                                  words.empty() ? nullptr : words.data()};
    std::vector<uint32_t> rows(values_per_call);
    try {
      precompiles::generate_witness(library, record, width, rows);
    } catch (const precompiles::WitnessError& e) {
      if (report.witness_errors.size() < options.max_listed) {
        report.witness_errors.push_back(fmt::format("call {} (rs1 {:#010x}, rs2 {:#010x}): {}", i, call.rs1, call.rs2, e.what()));
      }
      ++report.witness_error_count;
      continue;
    }
    ++report.witnessed_calls;
    call_rows.push_back(std::move(rows));
    call_ts.push_back(ts);
  }

  // The table: the calls' rows, then zero rows up to a power of two, at least one (the machine
  // pads with them, so they must satisfy every constraint). A circuit with preprocessed columns has
  // their height; calls past it are left out.
  const size_t rows_per_call = library.witness_rows_per_call;
  size_t call_count = call_rows.size();
  size_t height = std::bit_ceil(call_count * rows_per_call + 1);
  if (bound.info.preprocessed_width > 0) {
    height = bound.preprocessed.rows();
    call_count = std::min(call_count, (height - 1) / rows_per_call);
  }
  report.checked_calls = call_count;
  const size_t active_rows = call_count * rows_per_call;
  Evaluator evaluator(bound, height);
  for (size_t k = 0; k < call_count; ++k) {
    for (size_t v = 0; v < values_per_call; ++v) {
      evaluator.row(k * rows_per_call + v / width)[v % width] = Fp::from_u32(call_rows[k][v]);
    }
  }
  report.rows = height;
  report.padding_rows = height - active_rows;

  // The row checker, keeping every window's messages for the probe.
  std::vector<std::vector<Fp>> messages(height);
  std::vector<bool> window_holds(height, true);
  for (size_t r = 0; r < height; ++r) {
    const air::ValueBuilder<Fp>& b = evaluator.eval(r);
    messages[r] = b.interaction_values;
    for (size_t k = 0; k < b.constraint_values.size(); ++k) {
      if (b.constraint_values[k].is_zero()) continue;
      window_holds[r] = false;
      ++report.row_failure_count;
      if (report.row_failures.size() < options.max_listed) {
        report.row_failures.push_back({r, r < active_rows ? std::optional<size_t>(r / rows_per_call) : std::nullopt, k,
                                       bound.constraints[k].name, b.constraint_values[k].to_u32()});
      }
    }
  }

  // Columns nothing reads, and those that reach a message (mutated first).
  std::vector<uint32_t> constraint_roots, message_roots;
  for (const circuit::CircuitConstraint& c : bound.constraints) constraint_roots.push_back(c.root);
  for (const circuit::CircuitInteraction& it : bound.interactions) {
    message_roots.insert(message_roots.end(), it.tuple.begin(), it.tuple.end());
    message_roots.push_back(it.multiplicity);
  }
  std::vector<uint32_t> all_roots = constraint_roots;
  all_roots.insert(all_roots.end(), message_roots.begin(), message_roots.end());
  const std::vector<bool> read = columns_reached(bound, all_roots);
  const std::vector<bool> reaches_message = columns_reached(bound, message_roots);
  std::vector<uint32_t> first, rest;
  for (uint32_t c = 0; c < width; ++c) {
    if (!read[c]) {
      report.unread_columns.push_back(c);
    } else {
      (reaches_message[c] ? first : rest).push_back(c);
    }
  }
  std::shuffle(first.begin(), first.end(), rng);
  std::shuffle(rest.begin(), rest.end(), rng);
  std::vector<uint32_t> order = std::move(first);
  order.insert(order.end(), rest.begin(), rest.end());

  // The probe: one cell of an honest call row at a time, in windows that held before.
  std::vector<size_t> probe_rows;
  for (size_t r = 0; r < active_rows; ++r) {
    if (window_holds[r] && window_holds[(r + height - 1) % height]) probe_rows.push_back(r);
  }
  if (probe_rows.empty()) return report;
  const size_t budget = std::min<size_t>(options.cells, order.size() * probe_rows.size());
  for (size_t i = 0; i < budget; ++i) {
    const uint32_t column = order[i % order.size()];
    const size_t r = probe_rows[rng() % probe_rows.size()];
    const size_t previous = (r + height - 1) % height;
    Fp& cell = evaluator.row(r)[column];
    const Fp honest = cell;
    const Fp candidates[] = {honest + Fp::one(), honest - Fp::one(), Fp::from_u64(rng())};
    ++report.cells_mutated;
    bool caught_by_constraint = true, caught_by_bus = false;
    for (const Fp& candidate : candidates) {
      cell = candidate;
      if (!evaluator.holds(r) || !evaluator.holds(previous)) continue;
      caught_by_constraint = false;
      std::string detail;
      MessageChange change = MessageChange::kNothing;
      for (const size_t w : {previous, r}) {
        const uint32_t ts = w < active_rows ? call_ts[w / rows_per_call] : 0;
        const std::vector<Fp> mutated = evaluator.eval(w).interaction_values;
        change = std::max(change, compare_messages(bound, messages[w], mutated, ts, detail));
      }
      if (change == MessageChange::kPinned) {
        caught_by_bus = true;
        continue;
      }
      ++report.cell_problem_count;
      if (report.cell_problems.size() < options.max_listed) {
        const CellProblem problem = change == MessageChange::kOutput ? CellProblem::kForgeableOutput : CellProblem::kFreeCell;
        report.cell_problems.push_back({problem, r, r / rows_per_call, column, column_name(bound, column), honest.to_u32(),
                                        candidate.to_u32(), detail});
      }
      caught_by_bus = false;
      break;
    }
    cell = honest;
    if (caught_by_constraint) ++report.caught_by_constraints;
    else if (caught_by_bus) ++report.caught_by_buses;
  }
  return report;
}

PackageCheckReport check_package(const precompiles::Package& package, std::string_view origin,
                                 const std::filesystem::path& worker, const PackageCheckOptions& options) {
  precompiles::verify_package(package, origin, {});
  if (!package.manifest.circuit || package.circuit.empty()) {
    throw precompiles::PackageError(fmt::format("{} ({}): the package has no circuit, so there is nothing to check", origin,
                                                package.id()));
  }
  const precompiles::LoadedPrecompile library = precompiles::open_package_sandboxed(package, origin, worker, {});
  return check_package_circuit_rows(package.id(), package.circuit, library, options);
}

}  // namespace zkrv::riscv_air
