#include "riscv_air/generation.h"

#include <algorithm>
#include <array>
#include <bit>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "isa/isa.h"
#include "riscv_air/add_sub_columns.h"
#include "riscv_air/atomic_columns.h"
#include "riscv_air/bitwise_columns.h"
#include "riscv_air/branch_columns.h"
#include "riscv_air/div_columns.h"
#include "riscv_air/buses.h"
#include "riscv_air/ecall_air.h"
#include "riscv_air/exit_air.h"
#include "riscv_air/fixed_tables.h"
#include "riscv_air/jump_columns.h"
#include "riscv_air/load_store_columns.h"
#include "riscv_air/lt_columns.h"
#include "riscv_air/misaligned_columns.h"
#include "riscv_air/mul_columns.h"
#include "riscv_air/package_circuit.h"
#include "riscv_air/precompile_call_air.h"
#include "precompile_air/keccak_absorb/absorb_air.h"
#include "precompile_air/keccak_f1600/keccak_air.h"
#include "precompile_air/sha256_compress/sha256_air.h"
#include "riscv_air/shift_columns.h"
#include "riscv_air/tape_columns.h"
#include "riscv_air/tape_words_air.h"
#include "riscv_air/machine.h"
#include "riscv_air/memory_boundary_generation.h"
#include "riscv_air/memory_tree_checkpoint.h"
#include "riscv_air/zero_init_air.h"
#include "stark/air/checker.h"
#include "stark/air/witness.h"
#include "base/little_endian.h"

namespace zkrv::riscv_air {

namespace air = stark::air;
using isa::Op;

namespace {

Fp fp(uint32_t v) { return Fp::from_u32(v); }
uint32_t lo16(uint32_t v) { return v & 0xffff; }
uint32_t hi16(uint32_t v) { return v >> 16; }

// A word's bytes, then 4 bytes of its extension (255 each when ext).
std::array<uint32_t, 8> extended_bytes(uint32_t v, uint32_t ext) {
  std::array<uint32_t, 8> out{};
  for (int k = 0; k < 8; ++k) out[k] = k < 4 ? v >> (8 * k) & 0xff : 255 * ext;
  return out;
}

void fill_word_bytes(std::span<Fp> row, const WordBytesCols& w, uint32_t v) {
  for (int k = 0; k < 4; ++k) row[w.byte[k]] = fp(v >> (8 * k) & 0xff);
  row[w.x[0]] = fp((v & 0xff) ^ (v >> 8 & 0xff));
  row[w.x[1]] = fp((v >> 16 & 0xff) ^ (v >> 24));
  row[w.sign] = fp(v >> 31);
  row[w.rest] = fp(v >> 24 & 0x7f);
}

// eval_byte_product's carries for x y + addend; returns the output bytes.
std::array<uint32_t, 8> fill_byte_product(std::span<Fp> row, const int (&carry_cols)[8], const std::array<uint32_t, 8>& x,
                                          const std::array<uint32_t, 8>& y, const std::array<uint32_t, 8>& addend) {
  std::array<uint32_t, 8> out{};
  uint32_t carry = 0;
  for (int j = 0; j < 8; ++j) {
    uint32_t column = carry + addend[j];
    for (int i = 0; i <= j; ++i) column += x[i] * y[j - i];
    out[j] = column & 0xff;
    carry = column >> 8;
    row[carry_cols[j]] = fp(carry);
  }
  return out;
}

// Word `word` of an input tape holding `payload` (docs/abi.md): word 0 the length, then the bytes,
// zero from the length on.
uint32_t input_tape_word(std::span<const uint8_t> payload, uint64_t word) {
  if (word == 0) return static_cast<uint32_t>(payload.size());
  uint32_t v = 0;
  for (uint64_t k = 0; k < 4; ++k) {
    const uint64_t at = 4 * (word - 1) + k;
    if (at < payload.size()) v |= uint32_t{payload[at]} << (8 * k);
  }
  return v;
}

// The rows of a table with `rows` active rows and `reserved` more (protocol::padded_log_height for
// the parameters that reserve them; fixed tables are grown the same way by prover::setup).
size_t padded_rows(size_t rows, size_t reserved) {
  return std::max<size_t>(2, std::bit_ceil(std::max<size_t>(rows, 1) + reserved));
}

struct Record {
  uint32_t ts = 0;
  uint32_t value = 0;
};

// Rows of one table, grown one at a time.
class Rows {
 public:
  explicit Rows(int width) : width_(width) {}
  std::span<Fp> add() {
    cells_.resize(cells_.size() + static_cast<size_t>(width_));
    return {cells_.data() + cells_.size() - width_, static_cast<size_t>(width_)};
  }
  size_t count() const { return cells_.size() / static_cast<size_t>(width_); }
  // At least min_rows rows and then the reserved ones (zero knowledge's: protocol::reserved_rows),
  // a power of two; the rest zero (every family's padding row is zero; the prover fills the
  // reserved rows).
  Matrix<Fp> matrix(size_t reserved_rows, size_t min_rows = 0) const {
    const size_t rows = padded_rows(std::max(count(), min_rows), reserved_rows);
    Matrix<Fp> m(rows, static_cast<size_t>(width_));
    for (size_t r = 0; r < count(); ++r) {
      for (int c = 0; c < width_; ++c) m.at(r, static_cast<size_t>(c)) = cells_[r * static_cast<size_t>(width_) + static_cast<size_t>(c)];
    }
    return m;
  }

 private:
  int width_;
  std::vector<Fp> cells_;
};

// Segment mode: the state a segment starts from (a vm Checkpoint's registers, reservation and pages).
struct SegmentStart {
  std::array<uint32_t, 32> registers{};
  uint32_t reservation_record = 0;  // 0 for none, a + 1 for a reservation on a
  std::unordered_map<uint32_t, const vm::PageBytes*> pages;  // page number -> the checkpoint's bytes
};

class Builder {
 public:
  Builder(const ProgramImage& program, std::span<const uint8_t> public_input, std::span<const uint8_t> private_input,
          size_t reserved_rows, std::span<const vm::PrecompileAccess> precompile_accesses,
          std::span<const uint8_t> precompile_bytes, PackageRows package_rows = {})
      : program_(program), reserved_rows_(reserved_rows), public_input_(public_input.begin(), public_input.end()),
        input_words_(input_words(public_input)), private_input_(private_input),
        precompile_accesses_(precompile_accesses), precompile_bytes_(precompile_bytes),
        package_rows_(std::move(package_rows)) {
    circuits_ = precompile_tables(program.precompiles);
    const std::vector<DeclaredPrecompile>& circuits = circuits_;
    for (size_t k = 0; k < circuits.size(); ++k) {
      circuit_of_.emplace(circuits[k].index, k);
      const bool package = circuits[k].circuit_digest.has_value();
      if (package && !circuits[k].circuit) throw RefusedError("internal: a package circuit is not attached");
      package_tables_.emplace_back(package ? circuits[k].circuit->circuit.info.main_width : 1);
      circuit_is_absorb_.push_back(circuits[k].name == kKeccakAbsorbName);
      is_sha256_.push_back(circuits[k].name == kSha256CompressName);
    }
    keccak_calls_.resize(circuits.size());
    absorb_calls_.resize(circuits.size());
    sha256_calls_.resize(circuits.size());
    for (const ImageWord& w : program.image) {
      if (w.space != kRegisterSpace) {
        memory_.emplace(w.addr, Record{0, w.value});
        spaces_.emplace(w.addr, w.space);
      }
    }
    for (const ProgramRow& r : program.program) program_rows_.emplace(r.pc, r);
  }

  // Segment mode: the initial records are the checkpoint's state, not the image's, every word's
  // initial record comes from the boundary table (chunks()), and a segment may end without exit.
  void start_segment(const SegmentStart& start) {
    segment_ = &start;
    for (auto& [addr, record] : memory_) {
      image_words_.emplace(addr, record.value);
      record.value = state_word(addr);
    }
    for (uint32_t r = 0; r < 32; ++r) registers_[r] = {0, start.registers[r]};
    registers_[kReservationRegister] = {0, start.reservation_record};
  }

  // The pc after the last step of a segment that did not halt.
  uint32_t pc_out() const { return pc_out_; }

  // The chunks of the memory tree the segment touched (any word of them accessed): each chunk's
  // words at the start (the checkpoint's state) and at the end, and each word's final timestamp.
  std::vector<BoundaryChunk> chunks() const {
    std::map<uint64_t, BoundaryChunk> out;
    for (const auto& [addr, record] : memory_) {
      if (record.ts == 0) continue;
      const uint32_t chunk = addr / kChunkWords;
      const uint64_t leaf = memory_leaf(kMemoryTreeDepth, chunk);
      if (out.contains(leaf)) continue;
      BoundaryChunk c{leaf, {}, {}, {}};
      for (uint32_t w = 0; w < kChunkWords; ++w) {
        const uint32_t word = chunk * kChunkWords + w;
        c.old_words[w] = state_word(word);
        const auto it = memory_.find(word);
        c.new_words[w] = it == memory_.end() ? c.old_words[w] : it->second.value;
        c.final_ts[w] = it == memory_.end() ? 0 : it->second.ts;
      }
      out.emplace(leaf, c);
    }
    for (uint32_t k = 0; k < 8; ++k) {
      BoundaryChunk c{register_leaf(kMemoryTreeDepth, k), {}, {}, {}};
      bool touched = false;
      for (uint32_t w = 0; w < kChunkWords; ++w) {
        const uint32_t reg = k * kChunkWords + w;
        c.old_words[w] = segment_->registers[reg];
        c.new_words[w] = registers_[reg].value;
        c.final_ts[w] = registers_[reg].ts;
        touched = touched || registers_[reg].ts != 0;
      }
      // The chunk of x0..x3 is always a row: the tree update must not be empty (it could not
      // balance the root messages), and a segment of only JAL x0 or FENCE touches no register.
      if (touched || k == 0) out.emplace(c.leaf, c);
    }
    if (const Record& r = registers_[kReservationRegister]; r.ts != 0) {
      BoundaryChunk c{reservation_leaf(kMemoryTreeDepth), {}, {}, {}};
      c.old_words[0] = segment_->reservation_record;
      c.new_words[0] = r.value;
      c.final_ts[0] = r.ts;
      out.emplace(c.leaf, c);
    }
    std::vector<BoundaryChunk> chunks;
    for (auto& [leaf, c] : out) chunks.push_back(c);
    return chunks;
  }

  MachineWitness run(std::span<const vm::TraceStep> steps, std::span<const uint8_t> public_output) {
    MachineWitness out;
    out.steps = steps.size();
    for (size_t i = 0; i < steps.size(); ++i) step(steps[i], static_cast<uint32_t>(i + 1) * kTsPerStep, i + 1 < steps.size() ? &steps[i + 1] : nullptr, out);
    out.tables.resize(kNumTables);
    out.tables[kPrecompileCallTable].main = precompile_call_.matrix(reserved_rows_);
    out.tables[kPrecompileMemoryTable].main = precompile_memory_.matrix(reserved_rows_);
    // In the order of the machine's tables (machine.cc, assemble).
    for (size_t k = 0; k < keccak_calls_.size(); ++k) {
      if (circuits_[k].circuit_digest) {
        // Its calls' rows, then all-zero rows (a package circuit's constraints hold on them).
        out.tables.push_back({package_tables_[k].matrix(reserved_rows_), {}});
        continue;
      }
      if (is_sha256_[k]) {
        out.tables.push_back(precompile_air::sha256_compress::sha256_call_witness(sha256_calls_[k], reserved_rows_));
        continue;
      }
      if (!circuit_is_absorb_[k]) {
        out.tables.push_back(precompile_air::keccak_f1600::keccak_call_witness(keccak_calls_[k], reserved_rows_));
        continue;
      }
      std::vector<precompile_air::keccak_f1600::Call> permutations;
      for (const auto& call : absorb_calls_[k]) permutations.push_back(precompile_air::keccak_absorb::keccak_call(call));
      out.tables.push_back(precompile_air::keccak_f1600::keccak_call_witness(permutations, reserved_rows_, 0, true));
      out.tables.push_back(precompile_air::keccak_absorb::absorb_witness(absorb_calls_[k], reserved_rows_));
    }
    out.tables[kAddSubTable].main = add_sub_.matrix(reserved_rows_);
    out.tables[kJumpTable].main = jump_.matrix(reserved_rows_);
    out.tables[kBranchTable].main = branch_.matrix(reserved_rows_);
    out.tables[kLoadStoreTable].main = load_store_.matrix(reserved_rows_);
    out.tables[kBitwiseTable].main = bitwise_.matrix(reserved_rows_);
    out.tables[kLtTable].main = lt_.matrix(reserved_rows_);
    out.tables[kShiftTable].main = shift_.matrix(reserved_rows_);
    out.tables[kMulTable].main = mul_.matrix(reserved_rows_);
    out.tables[kAtomicTable].main = atomic_.matrix(reserved_rows_);
    out.tables[kDivTable].main = div_.matrix(reserved_rows_);
    out.tables[kExitTable].main = exit_.matrix(reserved_rows_);
    out.tables[kExitTable].public_values = {fp(lo16(static_cast<uint32_t>(out.exit_code))),
                                            fp(hi16(static_cast<uint32_t>(out.exit_code)))};
    out.tables[kTapeTable].main = tape_.matrix(reserved_rows_);
    out.tables[kEcallTable].main = ecall_.matrix(reserved_rows_);
    out.tables[kMisalignedTable].main = misaligned_.matrix(reserved_rows_);
    if (segment_ != nullptr) {
      // The boundary and tree-update tables are the caller's (generate_segment_witness); the tape
      // slots hold no rows.
      for (const size_t t : {kPublicInputTable, kPrivateInputTable, kOutputTable}) {
        out.tables[t].main = Matrix<Fp>(padded_rows(1, reserved_rows_), 1);
      }
      return out;
    }
    finish_memory(out);
    finish_tapes(out, public_output);
    return out;
  }

 private:
  [[noreturn]] void refuse(const vm::TraceStep& s, const std::string& why) const {
    const isa::DecodedInsn insn = isa::decode(s.insn);
    throw RefusedError(fmt::format("pc {:#x}: {}: {}", s.pc, isa::disassemble(insn, s.pc), why));
  }

  // The space of a mapped memory word; a word of a zero range gets its initial record here. The
  // VM faults on an unmapped word, so an honest trace never names one.
  uint32_t memory_space(uint32_t addr, const vm::TraceStep& s) {
    if (const auto it = spaces_.find(addr); it != spaces_.end()) return it->second;
    const auto range = std::find_if(program_.zero_ranges.begin(), program_.zero_ranges.end(),
                                    [&](const ZeroRange& z) { return z.begin <= addr && addr < z.end; });
    if (range == program_.zero_ranges.end()) refuse(s, fmt::format("word {:#x} is not mapped", uint64_t{addr} * 4));
    if (addr - range->begin >= kZeroInitSpan || range->end - 1 - addr >= kZeroInitSpan) {
      refuse(s, fmt::format("word {:#x} lies beyond the provable memory span", uint64_t{addr} * 4));
    }
    memory_.emplace(addr, Record{0, segment_ != nullptr ? state_word(addr) : 0});
    spaces_.emplace(addr, range->space);
    zero_words_.push_back(addr);
    return range->space;
  }

  // One access: returns the record it consumes and leaves (ts, value).
  Record access(uint32_t space, uint32_t addr, uint32_t ts, uint32_t value, const vm::TraceStep& s) {
    Record* slot = nullptr;
    if (space == kRegisterSpace) {
      slot = &registers_[addr];
    } else {
      if (memory_space(addr, s) != space) refuse(s, "internal: an access to a word in another space");
      slot = &memory_.at(addr);
    }
    const Record prev = *slot;
    *slot = {ts, value};
    return prev;
  }

  void fill_access(std::span<Fp> row, const AccessCols& a, const Record& prev, uint32_t ts) {
    // An access at or before its record's ts (only an aliased precompile call makes one: its
    // words share the call's slot) has no gap limbs; 0 keeps the lookups well-formed, and the
    // ordering constraint then fails, naming the row, when the prover checks the witness.
    const uint32_t d = ts > prev.ts ? ts - prev.ts - 1 : 0;
    row[a.prev_ts] = fp(prev.ts);
    row[a.prev_lo] = fp(lo16(prev.value));
    row[a.prev_hi] = fp(hi16(prev.value));
    row[a.d0] = fp(lo16(d));
    row[a.d1] = fp(hi16(d));
  }
  uint32_t read_register(std::span<Fp> row, const AccessCols& a, uint32_t reg, uint32_t ts, const vm::TraceStep& s) {
    const uint32_t value = registers_[reg].value;
    fill_access(row, a, access(kRegisterSpace, reg, ts, value, s), ts);
    return value;
  }
  // What every family that writes one result to rd does last: its selector, the result's limbs,
  // the check against the VM's trace, the register write, the next pc.
  template <class Cols>
  uint32_t finish_result(std::span<Fp> row, const Cols& c, int flag, uint32_t r, const ProgramRow& p, uint32_t ts,
                         const vm::TraceStep& s) {
    row[flag] = Fp::one();
    row[c.r_lo] = fp(lo16(r));
    row[c.r_hi] = fp(hi16(r));
    if (p.rd_w && r != s.rd_value) refuse(s, "internal: result differs from the trace");
    write_register(row, c.rd, p, ts, r, s);
    return s.pc + p.len;
  }

  void write_register(std::span<Fp> row, const AccessCols& a, const ProgramRow& p, uint32_t ts, uint32_t value,
                      const vm::TraceStep& s) {
    if (!p.rd_w) return;
    fill_access(row, a, access(kRegisterSpace, p.rd, ts + kSlotRd, value, s), ts + kSlotRd);
  }

  void fill_core(std::span<Fp> row, const CoreCols& c, const ProgramRow& p, uint32_t ts) {
    const uint32_t imm = static_cast<uint32_t>(p.imm);
    row[c.is_real] = Fp::one();
    row[c.pc] = fp(p.pc);
    row[c.ts] = fp(ts);
    row[c.pc_hi] = fp(hi16(p.pc));
    row[c.rd] = fp(p.rd);
    row[c.rs1] = fp(p.rs1);
    row[c.rs2] = fp(p.rs2);
    row[c.imm_lo] = fp(lo16(imm));
    row[c.imm_hi] = fp(hi16(imm));
    row[c.imm] = signed_fp(p.imm);
    row[c.rd_w] = fp(p.rd_w ? 1 : 0);
    row[c.len] = fp(p.len);
  }

  void step(const vm::TraceStep& s, uint32_t ts, const vm::TraceStep* next, MachineWitness& out) {
    const auto it = program_rows_.find(s.pc);
    const isa::DecodedInsn insn = isa::decode(s.insn);
    if (it == program_rows_.end()) refuse(s, fmt::format("the {} instruction family is not proven yet", isa::mnemonic(insn.op)));
    const ProgramRow& p = it->second;
    uint32_t next_pc = s.pc + p.len;
    if (segment_ != nullptr && (*family_of(p.op) == Family::kTape || *family_of(p.op) == Family::kPrecompile)) {
      refuse(s, "tapes and precompile calls are not proven in segment mode yet");
    }
    switch (*family_of(p.op)) {
      case Family::kAddSub: next_pc = add_sub(s, p, ts); break;
      case Family::kBitwise: next_pc = bitwise(s, p, ts); break;
      case Family::kLt: next_pc = lt(s, p, ts); break;
      case Family::kShift: next_pc = shift(s, p, ts); break;
      case Family::kMul: next_pc = mul(s, p, ts); break;
      case Family::kDiv: next_pc = div(s, p, ts); break;
      case Family::kJump: next_pc = jump(s, p, ts); break;
      case Family::kBranch: next_pc = branch(s, p, ts); break;
      case Family::kLoadStore: next_pc = load_store(s, p, ts); break;
      case Family::kAtomic: next_pc = atomic(s, p, ts); break;
      case Family::kTape: next_pc = tape(s, p, ts); break;
      case Family::kPrecompile: next_pc = precompile_call(s, p, ts); break;
      case Family::kExit:
        if (const uint32_t a7 = registers_[17].value; a7 != 93 && a7 != 94) {
          next_pc = ecall(s, p, ts);
          break;
        }
        exit(s, p, ts, out);
        if (next != nullptr) refuse(s, "internal: steps after exit");
        return;
    }
    if (next == nullptr && segment_ != nullptr) {
      pc_out_ = next_pc;
      return;
    }
    if (next == nullptr) refuse(s, "the run did not end with exit");
    if (next->pc != next_pc) refuse(s, fmt::format("internal: next pc {:#x}, the trace says {:#x}", next_pc, next->pc));
  }

  // A custom-0 call to the precompile the program declares at index imm: its PrecompileCall row,
  // its words' PrecompileMemory rows and the call the precompile's table answers. The words
  // come from this builder's memory (the records the proof holds); the bytes the VM recorded the
  // call writing must be the circuit's output.
  uint32_t precompile_call(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const uint32_t index = static_cast<uint32_t>(p.imm);
    const auto circuit = circuit_of_.find(index);
    if (circuit == circuit_of_.end()) {
      const auto declared = std::find_if(program_.precompiles.begin(), program_.precompiles.end(),
                                         [&](const DeclaredPrecompile& d) { return d.index == index; });
      refuse(s, declared == program_.precompiles.end()
                    ? fmt::format("precompile index {} is not declared", index)
                    : fmt::format("precompile {} (index {}) has no circuit: its calls are not proven ({})", declared->name,
                                  index, why_no_circuit(declared->name, declared->version_requirement)));
    }
    const PrecompileCallCols c = make_columns<PrecompileCallCols>();
    std::span<Fp> row = precompile_call_.add();
    fill_core(row, c.core, p, ts);
    const uint32_t ptr = read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    const uint32_t rs2 = read_register(row, c.rs2, p.rs2, ts + kSlotRs2, s);
    const size_t k = circuit->second;
    if (circuits_[k].circuit_digest) {
      // The callee states rd; the trace holds it when the call writes a register.
      const uint32_t rd = p.rd_w ? s.rd_value : 0;
      row[c.rd_lo] = fp(lo16(rd));
      row[c.rd_hi] = fp(hi16(rd));
      package_call(s, ts, ptr, rs2, rd, k);
      write_register(row, c.rd, p, ts, rd, s);
      return s.pc + p.len;
    }
    if (is_sha256_[k]) {
      sha256_call(s, ts, ptr, rs2, sha256_calls_[k]);
    } else if (circuit_is_absorb_[k]) {
      absorb_call(s, ts, ptr, rs2, absorb_calls_[k]);
    } else {
      keccak_call(s, ts, ptr, rs2, keccak_calls_[k]);
    }
    if (p.rd_w && s.rd_value != 0) refuse(s, "internal: the precompile's rd differs from the trace");
    write_register(row, c.rd, p, ts, 0, s);
    return s.pc + p.len;
  }

  // A call to a package circuit: the words pass 2 recorded it touching (each once, in first-touch
  // order, before from this builder's memory, after with the recorded writes applied), each one
  // PrecompileMemory row (read and written back, in writable memory; or only read, in either
  // space), and the package's rows for the call.
  void package_call(const vm::TraceStep& s, uint32_t ts, uint32_t rs1, uint32_t rs2, uint32_t rd, size_t k) {
    const DeclaredPrecompile& d = circuits_[k];
    if (!package_rows_) {
      refuse(s, fmt::format("precompile {} (index {}) has a package circuit but no witness generator for its rows", d.name,
                            d.index));
    }
    std::vector<zkrv_word_access> words;
    std::unordered_map<uint32_t, size_t> word_of;  // word address -> its entry
    const uint64_t step = ts / kTsPerStep - 1;
    while (next_access_ < precompile_accesses_.size() && precompile_accesses_[next_access_].step < step) ++next_access_;
    for (; next_access_ < precompile_accesses_.size() && precompile_accesses_[next_access_].step == step; ++next_access_) {
      const vm::PrecompileAccess& a = precompile_accesses_[next_access_];
      const uint64_t end = a.data_offset + (a.write ? 2 * uint64_t{a.length} : a.length);
      if (end > precompile_bytes_.size()) refuse(s, "internal: a precompile access's bytes are not in the trace");
      for (uint32_t j = 0; j < a.length; ++j) {
        const uint64_t byte = uint64_t{a.addr} + j;
        const uint64_t word = byte / 4;
        if (word >= (uint64_t{1} << 30)) refuse(s, fmt::format("{}: the word {:#x} is past the end of memory", d.name, word * 4));
        auto [at, fresh] = word_of.emplace(static_cast<uint32_t>(word), words.size());
        if (fresh) {
          const uint32_t before = precompile_word(s, static_cast<uint32_t>(word * 4), 0, d.name + " buffer", false);
          words.push_back({static_cast<uint32_t>(word * 4), before, before, 0});
        }
        zkrv_word_access& w = words[at->second];
        const uint32_t shift = 8 * static_cast<uint32_t>(byte % 4);
        const uint8_t seen = precompile_bytes_[a.data_offset + j];
        if (seen != static_cast<uint8_t>(w.after >> shift)) {
          refuse(s, fmt::format("internal: {} read {:#x} at {:#x}, the proof's memory holds another byte", d.name, seen, byte));
        }
        if (a.write) {
          const uint8_t written = precompile_bytes_[a.data_offset + a.length + j];
          w.after = (w.after & ~(uint32_t{0xff} << shift)) | uint32_t{written} << shift;
          w.written = 1;
        }
      }
    }
    for (const zkrv_word_access& w : words) {
      if (w.written != 0) {
        precompile_word(s, w.address, 0, d.name + " buffer", true);  // refuses a write outside writable memory
        add_precompile_memory(s, ts, w.address / 4, w.after, false);
      } else {
        add_precompile_memory(s, ts, w.address / 4, w.before, true);
      }
    }
    const zkrv_call_record record{ts, rs1, rs2, rd, static_cast<uint32_t>(words.size()), words.data()};
    const std::vector<uint32_t> rows = package_rows_(d, record);
    Rows& table = package_tables_[k];
    const size_t width = static_cast<size_t>(d.circuit->circuit.info.main_width);
    if (rows.empty() || rows.size() % width != 0) {
      refuse(s, fmt::format("{}'s rows for the call are {} values, not whole rows of its circuit's {} columns", d.name,
                            rows.size(), width));
    }
    for (size_t r = 0; r < rows.size() / width; ++r) {
      std::span<Fp> out = table.add();
      for (size_t c = 0; c < width; ++c) {
        const uint32_t v = rows[r * width + c];
        if (v >= Fp::kModulus) {
          refuse(s, fmt::format("{}'s row {} column {} for the call is {}, not below p", d.name, r, c, v));
        }
        out[c] = fp(v);
      }
    }
  }

  // keccak-f[1600] of the 50 words at ptr, written back.
  void keccak_call(const vm::TraceStep& s, uint32_t ts, uint32_t ptr, uint32_t rs2,
                   std::vector<precompile_air::keccak_f1600::Call>& calls) {
    namespace keccak = precompile_air::keccak_f1600;
    if (ptr % 4 != 0) refuse(s, fmt::format("the keccak-f state at {:#x} is not word aligned", ptr));
    keccak::Call call{{}, ts, ptr, rs2};
    for (size_t w = 0; w < keccak::kStateWords; ++w) {
      call.input[w / 2] |= uint64_t{precompile_word(s, ptr, w, "keccak-f state", true)} << (32 * (w % 2));
    }
    keccak::State output = call.input;
    keccak::permute(output);
    std::vector<uint32_t> after(keccak::kStateWords);
    for (size_t w = 0; w < keccak::kStateWords; ++w) after[w] = static_cast<uint32_t>(output[w / 2] >> (32 * (w % 2)));
    check_precompile_writes(s, ts / kTsPerStep - 1, ptr, after, "keccak-f[1600] of its state");
    for (size_t w = 0; w < keccak::kStateWords; ++w) add_precompile_memory(s, ts, ptr / 4 + static_cast<uint32_t>(w), after[w], false);
    calls.push_back(call);
  }

  // SHA-256's compression of the 16-word block at rs2 into the 8-word state at rs1, written back.
  // The native precompile faults when the buffers overlap, so an honest trace has no such call. Were
  // one here (an implementation that allowed it), its rows are built as the accesses fall: a block
  // word that is also a state word is read at ts + 2 after the state's write at ts + 2, which the
  // memory argument rejects (the prover's witness check names the row): aliasing cannot prove.
  void sha256_call(const vm::TraceStep& s, uint32_t ts, uint32_t state_ptr, uint32_t block_ptr,
                   std::vector<precompile_air::sha256_compress::Call>& calls) {
    namespace sha = precompile_air::sha256_compress;
    if (state_ptr % 4 != 0) refuse(s, fmt::format("the SHA-256 state at {:#x} is not word aligned", state_ptr));
    if (block_ptr % 4 != 0) refuse(s, fmt::format("the SHA-256 block at {:#x} is not word aligned", block_ptr));
    sha::Call call{{}, ts, state_ptr, block_ptr};
    for (size_t i = 0; i < sha::kStateWords; ++i) call.input.state[i] = precompile_word(s, state_ptr, i, "SHA-256 state", true);
    std::vector<uint32_t> block(sha::kBlockWords);
    for (size_t t = 0; t < sha::kBlockWords; ++t) {
      block[t] = precompile_word(s, block_ptr, t, "SHA-256 block", false);
      // The block's bytes are big-endian words; memory's are little-endian.
      const uint32_t v = block[t];
      call.input.block[t] = v << 24 | (v & 0xff00) << 8 | (v >> 8 & 0xff00) | v >> 24;
    }
    const sha::ChainingValue output = sha::compress(call.input.state, call.input.block);
    const std::vector<uint32_t> after(output.begin(), output.end());
    check_precompile_writes(s, ts / kTsPerStep - 1, state_ptr, after, "SHA-256's compression of its state and block");
    for (size_t i = 0; i < sha::kStateWords; ++i) add_precompile_memory(s, ts, state_ptr / 4 + static_cast<uint32_t>(i), after[i], false);
    for (size_t t = 0; t < sha::kBlockWords; ++t) {
      // A read leaves the word as its record holds it (block[t], unless an aliased state word's
      // write came first).
      const uint32_t addr = block_ptr / 4 + static_cast<uint32_t>(t);
      add_precompile_memory(s, ts, addr, memory_.at(addr).value, true);
    }
    calls.push_back(call);
  }

  // zkrv.keccak_absorb: the 34-word block at block_ptr XORed into the 50-word state at ptr, then
  // keccak-f. The state's 50 words and the block's 34 each get a PrecompileMemory row (the block's
  // only read, so it may be read-only memory); the keccak-f table permutes the XORed state and the
  // absorb table makes the words' messages.
  void absorb_call(const vm::TraceStep& s, uint32_t ts, uint32_t ptr, uint32_t block_ptr,
                   std::vector<precompile_air::keccak_absorb::Call>& calls) {
    namespace keccak = precompile_air::keccak_f1600;
    if (ptr % 4 != 0) refuse(s, fmt::format("the keccak-f state at {:#x} is not word aligned", ptr));
    if (block_ptr % 4 != 0) refuse(s, fmt::format("the keccak absorb block at {:#x} is not word aligned", block_ptr));
    const uint64_t state_end = uint64_t{ptr} + 4 * keccak::kStateWords, block_end = uint64_t{block_ptr} + 4 * keccak::kAbsorbBlockWords;
    if (ptr < block_end && block_ptr < state_end) {
      refuse(s, fmt::format("the keccak absorb state at {:#x} and block at {:#x} overlap", ptr, block_ptr));
    }
    precompile_air::keccak_absorb::Call call;
    call.ts = ts;
    call.ptr = ptr;
    call.block_ptr = block_ptr;
    for (size_t w = 0; w < keccak::kStateWords; ++w) {
      call.state[w / 2] |= uint64_t{precompile_word(s, ptr, w, "keccak absorb state", true)} << (32 * (w % 2));
    }
    for (size_t w = 0; w < keccak::kAbsorbBlockWords; ++w) {
      call.block[w / 2] |= uint64_t{precompile_word(s, block_ptr, w, "keccak absorb block", false)} << (32 * (w % 2));
    }
    keccak::State output = precompile_air::keccak_absorb::absorbed(call);
    keccak::permute(output);
    std::vector<uint32_t> after(keccak::kStateWords);
    for (size_t w = 0; w < keccak::kStateWords; ++w) after[w] = static_cast<uint32_t>(output[w / 2] >> (32 * (w % 2)));
    check_precompile_writes(s, ts / kTsPerStep - 1, ptr, after, "keccak-f[1600] of its state with the block absorbed");
    for (size_t w = 0; w < keccak::kStateWords; ++w) add_precompile_memory(s, ts, ptr / 4 + static_cast<uint32_t>(w), after[w], false);
    for (size_t w = 0; w < keccak::kAbsorbBlockWords; ++w) {
      // A read leaves the word as it was (the buffers do not overlap: refused above).
      add_precompile_memory(s, ts, block_ptr / 4 + static_cast<uint32_t>(w),
                            static_cast<uint32_t>(call.block[w / 2] >> (32 * (w % 2))), true);
    }
    calls.push_back(call);
  }

  // Word w of a call's buffer at ptr (word aligned), which the call writes (writable memory) or only
  // reads (either space).
  uint32_t precompile_word(const vm::TraceStep& s, uint32_t ptr, size_t w, std::string_view what, bool written) {
    const uint64_t addr = uint64_t{ptr / 4} + w;
    if (addr >= (uint64_t{1} << 30)) refuse(s, fmt::format("the {} word {:#x} is past the end of memory", what, addr * 4));
    const uint32_t space = memory_space(static_cast<uint32_t>(addr), s);
    if (written && space != kMemorySpace) refuse(s, fmt::format("the {} word {:#x} is not writable memory", what, addr * 4));
    return memory_.at(static_cast<uint32_t>(addr)).value;
  }

  // The PrecompileMemory row of one word: written (leaving `after`) or only read (after = its value).
  void add_precompile_memory(const vm::TraceStep& s, uint32_t ts, uint32_t addr, uint32_t after, bool read) {
    const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
    const uint32_t space = read ? memory_space(addr, s) : kMemorySpace;
    std::span<Fp> mrow = precompile_memory_.add();
    mrow[m.is_real] = Fp::one();
    mrow[m.ts] = fp(ts + kSlotMemory);
    mrow[m.addr] = fp(addr);
    mrow[m.after_lo] = fp(lo16(after));
    mrow[m.after_hi] = fp(hi16(after));
    mrow[m.read] = fp(read ? 1 : 0);
    mrow[m.read_only] = fp(space == kReadOnlySpace ? 1 : 0);
    fill_access(mrow, m.a, access(space, addr, ts + kSlotMemory, after, s), ts + kSlotMemory);
  }

  // The bytes pass 2 recorded step `step` writing lie in the words from ptr and equal `after`'s.
  void check_precompile_writes(const vm::TraceStep& s, uint64_t step, uint32_t ptr, std::span<const uint32_t> after,
                               std::string_view what) {
    while (next_access_ < precompile_accesses_.size() && precompile_accesses_[next_access_].step < step) ++next_access_;
    for (; next_access_ < precompile_accesses_.size() && precompile_accesses_[next_access_].step == step; ++next_access_) {
      const vm::PrecompileAccess& a = precompile_accesses_[next_access_];
      if (!a.write) continue;
      for (uint32_t j = 0; j < a.length; ++j) {
        const uint64_t at = uint64_t{a.addr} + j - ptr;
        const uint64_t data = a.data_offset + a.length + j;  // the bytes after the write
        if (at >= 4 * after.size() || data >= precompile_bytes_.size() ||
            precompile_bytes_[data] != static_cast<uint8_t>(after[at / 4] >> (8 * (at % 4)))) {
          refuse(s, fmt::format("internal: the precompile's writes differ from {}", what));
        }
      }
    }
  }

  uint32_t add_sub(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const AddSubCols c = make_columns<AddSubCols>();
    std::span<Fp> row = add_sub_.add();
    fill_core(row, c.core, p, ts);
    const uint32_t a = read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    uint32_t b = static_cast<uint32_t>(p.imm);
    if (p.op == Op::ADDI) {
      row[c.rs2.prev_lo] = fp(lo16(b));
      row[c.rs2.prev_hi] = fp(hi16(b));
    } else {
      b = read_register(row, c.rs2, p.rs2, ts + kSlotRs2, s);
    }
    const bool sub = p.op == Op::SUB;
    const uint32_t r = sub ? a - b : a + b;
    // ADD: a + b = r + carries; SUB: r + b = a + carries.
    const uint32_t x = sub ? r : a;
    const uint32_t c0 = (lo16(x) + lo16(b)) >> 16;
    const uint32_t c1 = (hi16(x) + hi16(b) + c0) >> 16;
    row[c.r_lo] = fp(lo16(r));
    row[c.r_hi] = fp(hi16(r));
    row[c.c0] = fp(c0);
    row[c.c1] = fp(c1);
    row[p.op == Op::ADD ? c.is_add : sub ? c.is_sub : c.is_addi] = Fp::one();
    if (p.rd_w && p.rd != 0 && r != s.rd_value) refuse(s, "internal: result differs from the trace");
    write_register(row, c.rd, p, ts, r, s);
    return s.pc + p.len;
  }

  // rs2's value, or for an immediate form the immediate held in rs2's value columns.
  uint32_t operand_b(std::span<Fp> row, const AccessCols& rs2, const ProgramRow& p, bool immediate, uint32_t ts,
                     const vm::TraceStep& s) {
    if (!immediate) return read_register(row, rs2, p.rs2, ts + kSlotRs2, s);
    const uint32_t b = static_cast<uint32_t>(p.imm);
    row[rs2.prev_lo] = fp(lo16(b));
    row[rs2.prev_hi] = fp(hi16(b));
    return b;
  }

  uint32_t bitwise(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const BitwiseCols c = make_columns<BitwiseCols>();
    std::span<Fp> row = bitwise_.add();
    fill_core(row, c.core, p, ts);
    const uint32_t a = read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    const bool immediate = p.op == Op::XORI || p.op == Op::ORI || p.op == Op::ANDI;
    const uint32_t b = operand_b(row, c.rs2, p, immediate, ts, s);
    for (int k = 0; k < 4; ++k) {
      row[c.a[k]] = fp(a >> (8 * k) & 0xff);
      row[c.b[k]] = fp(b >> (8 * k) & 0xff);
      row[c.x[k]] = fp((a ^ b) >> (8 * k) & 0xff);
    }
    uint32_t r = 0;
    int flag = c.is_xor;
    switch (p.op) {
      case Op::XOR: r = a ^ b; flag = c.is_xor; break;
      case Op::OR: r = a | b; flag = c.is_or; break;
      case Op::AND: r = a & b; flag = c.is_and; break;
      case Op::XORI: r = a ^ b; flag = c.is_xori; break;
      case Op::ORI: r = a | b; flag = c.is_ori; break;
      default: r = a & b; flag = c.is_andi; break;
    }
    return finish_result(row, c, flag, r, p, ts, s);
  }

  uint32_t lt(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const LtCols c = make_columns<LtCols>();
    std::span<Fp> row = lt_.add();
    fill_core(row, c.core, p, ts);
    const uint32_t a = read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    const bool immediate = p.op == Op::SLTI || p.op == Op::SLTIU;
    const uint32_t b = operand_b(row, c.rs2, p, immediate, ts, s);
    fill_compare(row, c.cmp, a, b);
    const bool is_signed = p.op == Op::SLT || p.op == Op::SLTI;
    const uint32_t r = is_signed ? (static_cast<int32_t>(a) < static_cast<int32_t>(b) ? 1 : 0) : (a < b ? 1 : 0);
    row[p.op == Op::SLT ? c.is_slt : p.op == Op::SLTU ? c.is_sltu : p.op == Op::SLTI ? c.is_slti : c.is_sltiu] = Fp::one();
    row[c.r] = fp(r);
    if (p.rd_w && r != s.rd_value) refuse(s, "internal: result differs from the trace");
    write_register(row, c.rd, p, ts, r, s);
    return s.pc + p.len;
  }

  uint32_t shift(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const ShiftCols c = make_columns<ShiftCols>();
    std::span<Fp> row = shift_.add();
    fill_core(row, c.core, p, ts);
    const uint32_t a = read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    const bool immediate = p.op == Op::SLLI || p.op == Op::SRLI || p.op == Op::SRAI;
    const uint32_t b = operand_b(row, c.rs2, p, immediate, ts, s);
    const uint32_t amount = b & 31, t = amount & 7, q = amount >> 3;
    const bool left = p.op == Op::SLL || p.op == Op::SLLI;
    const bool arithmetic = p.op == Op::SRA || p.op == Op::SRAI;
    const uint32_t byte3 = a >> 24;
    for (int k = 0; k < 4; ++k) row[c.a[k]] = fp(a >> (8 * k) & 0xff);
    row[c.ax[0]] = fp((a & 0xff) ^ (a >> 8 & 0xff));
    row[c.ax[1]] = fp((a >> 16 & 0xff) ^ byte3);
    for (int i = 0; i < 3; ++i) row[c.t[i]] = fp(t >> i & 1);
    row[c.sel[q]] = Fp::one();
    row[c.w] = fp(lo16(b) >> 5);
    row[c.m1] = fp((1 + (t & 1)) * (1 + 3 * (t >> 1 & 1)));
    row[c.m] = fp(1u << t);
    row[c.m2] = fp(1u << (8 - t));
    const uint32_t factor = left ? 1u << t : 1u << (8 - t);
    for (int k = 0; k < 4; ++k) {
      const uint32_t product = (a >> (8 * k) & 0xff) * factor;
      row[c.lo[k]] = fp(product & 0xff);
      row[c.hi[k]] = fp(product >> 8);
      row[c.x[k]] = fp((product & 0xff) ^ (product >> 8));
    }
    const uint32_t sign = byte3 >> 7;
    row[c.sign] = fp(sign);
    row[c.rest] = fp(byte3 & 0x7f);
    const uint32_t fill = arithmetic ? sign : 0;
    row[c.fill] = fp(fill);
    row[c.v3] = fp(((byte3 * factor) >> 8) + fill * (256 - (1u << (8 - t))));
    uint32_t r = 0;
    int flag = c.is_sll;
    switch (p.op) {
      case Op::SLL: r = a << amount; flag = c.is_sll; break;
      case Op::SRL: r = a >> amount; flag = c.is_srl; break;
      case Op::SRA: r = static_cast<uint32_t>(static_cast<int32_t>(a) >> amount); flag = c.is_sra; break;
      case Op::SLLI: r = a << amount; flag = c.is_slli; break;
      case Op::SRLI: r = a >> amount; flag = c.is_srli; break;
      default: r = static_cast<uint32_t>(static_cast<int32_t>(a) >> amount); flag = c.is_srai; break;
    }
    return finish_result(row, c, flag, r, p, ts, s);
  }

  uint32_t mul(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const MulCols c = make_columns<MulCols>();
    std::span<Fp> row = mul_.add();
    fill_core(row, c.core, p, ts);
    const uint32_t a = read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    const uint32_t b = read_register(row, c.rs2, p.rs2, ts + kSlotRs2, s);
    const Op op = p.op;
    const uint32_t ext_a = (op == Op::MULH || op == Op::MULHSU) && (a >> 31) ? 1 : 0;
    const uint32_t ext_b = op == Op::MULH && (b >> 31) ? 1 : 0;
    const std::array<uint32_t, 8> bytes_a = extended_bytes(a, ext_a), bytes_b = extended_bytes(b, ext_b);
    fill_word_bytes(row, c.a, a);
    fill_word_bytes(row, c.b, b);
    row[c.ext_a] = fp(ext_a);
    row[c.ext_b] = fp(ext_b);
    const std::array<uint32_t, 8> p_bytes = fill_byte_product(row, c.carry, bytes_a, bytes_b, {});
    uint64_t product = 0;
    for (int j = 0; j < 8; ++j) {
      row[c.p[j]] = fp(p_bytes[j]);
      product |= uint64_t{p_bytes[j]} << (8 * j);
    }
    for (int k = 0; k < 4; ++k) row[c.px[k]] = fp((product >> (16 * k) & 0xff) ^ (product >> (16 * k + 8) & 0xff));
    const uint32_t r = op == Op::MUL ? static_cast<uint32_t>(product) : static_cast<uint32_t>(product >> 32);
    const int flag = op == Op::MUL ? c.is_mul : op == Op::MULH ? c.is_mulh : op == Op::MULHSU ? c.is_mulhsu : c.is_mulhu;
    return finish_result(row, c, flag, r, p, ts, s);
  }

  uint32_t div(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const DivCols c = make_columns<DivCols>();
    std::span<Fp> row = div_.add();
    fill_core(row, c.core, p, ts);
    const uint32_t a = read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    const uint32_t b = read_register(row, c.rs2, p.rs2, ts + kSlotRs2, s);
    const Op op = p.op;
    const bool is_signed = op == Op::DIV || op == Op::REM;
    const bool zero = b == 0, overflow = is_signed && a == 0x80000000u && b == 0xffffffffu;
    uint32_t q = 0, m = 0;
    if (zero) {
      q = 0xffffffffu;
      m = a;
    } else if (overflow) {
      q = a;
    } else if (is_signed) {
      const int64_t x = static_cast<int32_t>(a), y = static_cast<int32_t>(b);
      q = static_cast<uint32_t>(x / y);
      m = static_cast<uint32_t>(x % y);
    } else {
      q = a / b;
      m = a % b;
    }
    const auto neg = [&](uint32_t v) -> uint32_t { return is_signed && (v >> 31) ? 1 : 0; };
    for (const auto& [w, v] : {std::pair{c.a, a}, std::pair{c.b, b}, std::pair{c.q, q}, std::pair{c.m, m}}) {
      fill_word_bytes(row, w, v);
    }
    row[c.neg_a] = fp(neg(a));
    row[c.neg_b] = fp(neg(b));
    row[c.neg_q] = fp(neg(q));
    row[c.neg_m] = fp(neg(m));
    row[c.overflow] = fp(overflow ? 1 : 0);
    const std::array<uint32_t, 8> out = fill_byte_product(row, c.carry, extended_bytes(q, neg(q) - (overflow ? 1 : 0)),
                                                          extended_bytes(b, neg(b)), extended_bytes(m, neg(m)));
    if (out != extended_bytes(a, neg(a))) refuse(s, "internal: q b + m differs from a");
    row[c.zero] = fp(zero ? 1 : 0);
    if (!zero) row[c.inv] = (fp(lo16(b)) + fp(hi16(b))).inverse();
    const auto fill_abs = [&](uint32_t v, int abs_lo, int abs_hi, int k) {
      const uint32_t abs = neg(v) ? 0u - v : v;
      row[abs_lo] = fp(lo16(abs));
      row[abs_hi] = fp(hi16(abs));
      row[k] = fp(neg(v) && lo16(v) != 0 ? 1 : 0);
      return abs;
    };
    const uint32_t abs_b = fill_abs(b, c.abs_b_lo, c.abs_b_hi, c.kb);
    const uint32_t abs_m = fill_abs(m, c.abs_m_lo, c.abs_m_hi, c.km);
    if (!zero) {
      if (abs_m >= abs_b) refuse(s, "internal: |m| >= |b|");
      const uint32_t d = abs_b - abs_m - 1;
      row[c.d_lo] = fp(lo16(d));
      row[c.d_hi] = fp(hi16(d));
      row[c.borrow] = fp(lo16(abs_b) < lo16(abs_m) + 1 ? 1 : 0);
    }
    const bool quotient = op == Op::DIV || op == Op::DIVU;
    const int flag = op == Op::DIV ? c.is_div : op == Op::DIVU ? c.is_divu : op == Op::REM ? c.is_rem : c.is_remu;
    return finish_result(row, c, flag, quotient ? q : m, p, ts, s);
  }

  uint32_t jump(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const JumpCols c = make_columns<JumpCols>();
    std::span<Fp> row = jump_.add();
    fill_core(row, c.core, p, ts);
    const uint32_t imm = static_cast<uint32_t>(p.imm);
    const bool lui = p.op == Op::LUI, auipc = p.op == Op::AUIPC, jal = p.op == Op::JAL, jalr = p.op == Op::JALR;
    const uint32_t uses_pc = auipc || jal || jalr, uses_imm = lui || auipc, links = jal || jalr;
    const uint32_t sum_lo = uses_pc * lo16(p.pc) + uses_imm * lo16(imm) + links * p.len;
    const uint32_t c0 = sum_lo >> 16;
    const uint32_t sum_hi = uses_pc * hi16(p.pc) + uses_imm * hi16(imm) + c0;
    const uint32_t r = lo16(sum_lo) | lo16(sum_hi) << 16;
    row[c.r_lo] = fp(lo16(sum_lo));
    row[c.r_hi] = fp(lo16(sum_hi));
    row[c.c0] = fp(c0);
    row[c.c1] = fp(sum_hi >> 16);
    uint32_t next_pc = s.pc + p.len;
    if (jal) next_pc = s.pc + imm;
    if (jalr) {
      const uint32_t a = read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
      const uint32_t cs0 = (lo16(a) + lo16(imm)) >> 16;
      const uint32_t target = a + imm;
      row[c.s_lo] = fp(lo16(target));
      row[c.s_hi] = fp(hi16(target));
      row[c.cs0] = fp(cs0);
      row[c.cs1] = fp((hi16(a) + hi16(imm) + cs0) >> 16);
      row[c.bit0] = fp(target & 1);
      row[c.q] = fp(lo16(target) >> 1);
      next_pc = target & ~1u;
      if (hi16(target) >= (1u << 14)) refuse(s, "internal: jump target at or above 2^30");
    }
    row[c.next_pc] = fp(next_pc);
    const Op op = p.op;
    row[lui ? c.is_lui : auipc ? c.is_auipc : jal ? c.is_jal : jalr ? c.is_jalr : op == Op::FENCE ? c.is_fence : c.is_fence_i] =
        Fp::one();
    if (p.rd_w && p.rd != 0 && r != s.rd_value) refuse(s, "internal: result differs from the trace");
    write_register(row, c.rd, p, ts, r, s);
    return next_pc;
  }

  static void fill_compare(std::span<Fp> row, const CompareCols& c, uint32_t a, uint32_t b) {
    const uint32_t br0 = lo16(a) < lo16(b) ? 1 : 0;
    row[c.d_lo] = fp(lo16(lo16(a) - lo16(b)));
    row[c.d_hi] = fp(lo16(hi16(a) - hi16(b) - br0));
    row[c.br0] = fp(br0);
    row[c.br1] = fp(a < b ? 1 : 0);
    row[c.sa] = fp(a >> 31);
    row[c.sb] = fp(b >> 31);
    row[c.ra] = fp(hi16(a) & 0x7fff);
    row[c.rb] = fp(hi16(b) & 0x7fff);
    row[c.lt] = fp(static_cast<int32_t>(a) < static_cast<int32_t>(b) ? 1 : 0);
  }

  uint32_t branch(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const BranchCols c = make_columns<BranchCols>();
    std::span<Fp> row = branch_.add();
    fill_core(row, c.core, p, ts);
    const uint32_t a = read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    const uint32_t b = read_register(row, c.rs2, p.rs2, ts + kSlotRs2, s);
    const bool eq = a == b;
    row[c.eq] = fp(eq ? 1 : 0);
    if (!eq) {
      if (lo16(a) != lo16(b)) {
        row[c.inv_lo] = (fp(lo16(a)) - fp(lo16(b))).inverse();
      } else {
        row[c.inv_hi] = (fp(hi16(a)) - fp(hi16(b))).inverse();
      }
    }
    fill_compare(row, c.cmp, a, b);
    const bool lt = static_cast<int32_t>(a) < static_cast<int32_t>(b), ltu = a < b;
    bool taken = false;
    int flag = c.is_beq;
    switch (p.op) {
      case Op::BEQ: taken = eq; flag = c.is_beq; break;
      case Op::BNE: taken = !eq; flag = c.is_bne; break;
      case Op::BLT: taken = lt; flag = c.is_blt; break;
      case Op::BGE: taken = !lt; flag = c.is_bge; break;
      case Op::BLTU: taken = ltu; flag = c.is_bltu; break;
      default: taken = !ltu; flag = c.is_bgeu; break;
    }
    row[flag] = Fp::one();
    row[c.taken] = fp(taken ? 1 : 0);
    const uint32_t next_pc = taken ? s.pc + static_cast<uint32_t>(p.imm) : s.pc + p.len;
    row[c.next_pc] = fp(next_pc);
    return next_pc;
  }

  uint32_t load_store(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const LoadStoreCols c = make_columns<LoadStoreCols>();
    const uint32_t imm = static_cast<uint32_t>(p.imm);
    const uint32_t a = registers_[p.rs1].value;
    const uint32_t addr = a + imm;
    const Op op = p.op;
    const uint32_t width = op == Op::LW || op == Op::SW ? 4 : op == Op::LH || op == Op::LHU || op == Op::SH ? 2 : 1;
    if (addr % width != 0) {
      if (segment_ != nullptr) refuse(s, fmt::format("the misaligned access to {:#x} is not proven in segment mode yet", addr));
      return misaligned(s, p, ts, addr);
    }
    std::span<Fp> row = load_store_.add();
    fill_core(row, c.core, p, ts);
    read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    const bool store = op == Op::SB || op == Op::SH || op == Op::SW;
    const uint32_t stored = store ? read_register(row, c.rs2, p.rs2, ts + kSlotRs2, s) : 0;
    const uint32_t offset = addr & 3;
    const uint32_t c0 = (lo16(a) + lo16(imm)) >> 16;
    row[c.q] = fp(lo16(addr) >> 2);
    row[c.a_hi] = fp(hi16(addr));
    row[c.c0] = fp(c0);
    row[c.c1] = fp((hi16(a) + hi16(imm) + c0) >> 16);
    row[c.h[offset]] = Fp::one();
    const uint32_t word = addr >> 2;
    const uint32_t space = memory_space(word, s);
    if (store && space != kMemorySpace) refuse(s, fmt::format("internal: a store to the read-only word {:#x}", addr));
    row[c.read_only] = fp(space == kReadOnlySpace ? 1 : 0);
    const uint32_t before = memory_.at(word).value;
    const bool byte_op = op == Op::LB || op == Op::LBU || op == Op::SB;
    if (byte_op) {
      for (int k = 0; k < 4; ++k) row[c.m[k]] = fp(before >> (8 * k) & 0xff);
      row[c.mx[0]] = fp((before & 0xff) ^ (before >> 8 & 0xff));
      row[c.mx[1]] = fp((before >> 16 & 0xff) ^ (before >> 24));
    }
    uint32_t after = before, r = 0;
    int flag = c.is_lw;
    switch (op) {
      case Op::LB: case Op::LBU: case Op::LH: case Op::LHU: {
        const bool half = op == Op::LH || op == Op::LHU;
        const uint32_t loaded = half ? before >> (8 * offset) & 0xffff : before >> (8 * offset) & 0xff;
        const uint32_t top = half ? 0x8000 : 0x80;
        const uint32_t sign = loaded & top ? 1 : 0;
        const bool is_signed = op == Op::LB || op == Op::LH;
        r = is_signed && sign ? loaded | ~(top * 2 - 1) : loaded;
        row[c.loaded] = fp(loaded);
        row[c.sign] = fp(sign);
        row[c.rest] = fp(loaded - sign * top);
        row[c.scaled_rest] = fp((loaded - sign * top) * (half ? 2 : 512));
        flag = op == Op::LB ? c.is_lb : op == Op::LBU ? c.is_lbu : op == Op::LH ? c.is_lh : c.is_lhu;
        break;
      }
      case Op::LW: r = before; flag = c.is_lw; break;
      case Op::SW: after = stored; flag = c.is_sw; break;
      case Op::SH: {
        const uint32_t shift = 8 * offset;
        after = (before & ~(0xffffu << shift)) | (stored & 0xffff) << shift;
        flag = c.is_sh;
        break;
      }
      default: {
        const uint32_t shift = 8 * offset;
        after = (before & ~(0xffu << shift)) | (stored & 0xff) << shift;
        row[c.s[0]] = fp(stored & 0xff);
        row[c.s[1]] = fp(stored >> 8 & 0xff);
        row[c.sx] = fp((stored & 0xff) ^ (stored >> 8 & 0xff));
        flag = c.is_sb;
        break;
      }
    }
    fill_access(row, c.mem, access(space, word, ts + kSlotMemory, after, s), ts + kSlotMemory);
    row[c.new_lo] = fp(lo16(after));
    row[c.new_hi] = fp(hi16(after));
    row[c.r_lo] = fp(lo16(r));
    row[c.r_hi] = fp(hi16(r));
    row[flag] = Fp::one();
    if (p.rd_w && r != s.rd_value) refuse(s, "internal: loaded value differs from the trace");
    write_register(row, c.rd, p, ts, r, s);
    return s.pc + p.len;
  }

  // A halfword or word at an address not a multiple of its width: the word holding its first byte
  // and, when it crosses, the next one (misaligned_air.h).
  uint32_t misaligned(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts, uint32_t addr) {
    const MisalignedCols c = make_columns<MisalignedCols>();
    const uint32_t imm = static_cast<uint32_t>(p.imm);
    const uint32_t a = registers_[p.rs1].value;
    const Op op = p.op;
    const bool store = op == Op::SH || op == Op::SW;
    const uint32_t width = op == Op::LW || op == Op::SW ? 4 : 2;
    std::span<Fp> row = misaligned_.add();
    fill_core(row, c.core, p, ts);
    read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    const uint32_t stored = store ? read_register(row, c.rs2, p.rs2, ts + kSlotRs2, s) : 0;
    const uint32_t offset = addr & 3;
    const uint32_t c0 = (lo16(a) + lo16(imm)) >> 16;
    row[c.q] = fp(lo16(addr) >> 2);
    row[c.a_hi] = fp(hi16(addr));
    row[c.c0] = fp(c0);
    row[c.c1] = fp((hi16(a) + hi16(imm) + c0) >> 16);
    row[c.h[offset - 1]] = Fp::one();
    const bool crosses = offset + width > 4;
    row[c.crosses] = fp(crosses ? 1 : 0);
    // The VM faults on an access that wraps past 4 GiB or reaches an unmapped or (stores) read-only
    // page, so an honest trace's words all have records in the space named.
    const uint32_t word0 = addr >> 2, word1 = word0 + 1;
    const uint32_t space0 = memory_space(word0, s);
    const uint32_t space1 = crosses ? memory_space(word1, s) : kMemorySpace;
    if (store && (space0 != kMemorySpace || space1 != kMemorySpace)) {
      refuse(s, fmt::format("internal: a store to the read-only word {:#x}", addr));
    }
    row[c.read_only0] = fp(space0 == kReadOnlySpace ? 1 : 0);
    row[c.read_only1] = fp(space1 == kReadOnlySpace ? 1 : 0);
    const uint32_t before0 = memory_.at(word0).value, before1 = crosses ? memory_.at(word1).value : 0;
    const uint64_t before = uint64_t{before1} << 32 | before0;
    for (int k = 0; k < 8; ++k) row[c.m[k]] = fp(static_cast<uint32_t>(before >> (8 * k) & 0xff));
    for (int k = 0; k < 4; ++k) row[c.mx[k]] = fp(static_cast<uint32_t>((before >> (16 * k) ^ before >> (16 * k + 8)) & 0xff));
    for (int j = 0; j < 4; ++j) row[c.v[j]] = fp(static_cast<uint32_t>(before >> (8 * (offset + j)) & 0xff));
    const uint32_t v1 = static_cast<uint32_t>(before >> (8 * (offset + 1)) & 0xff);
    row[c.sign] = fp(v1 >> 7);
    row[c.rest] = fp(v1 & 0x7f);
    const uint64_t mask = (width == 4 ? uint64_t{0xffffffff} : uint64_t{0xffff}) << (8 * offset);
    uint64_t after = before;
    uint32_t r = 0;
    if (store) {
      for (int k = 0; k < 4; ++k) row[c.s[k]] = fp(stored >> (8 * k) & 0xff);
      row[c.sx[0]] = fp((stored ^ stored >> 8) & 0xff);
      row[c.sx[1]] = fp((stored >> 16 ^ stored >> 24) & 0xff);
      after = (before & ~mask) | (uint64_t{stored} << (8 * offset) & mask);
    } else {
      const uint32_t loaded = static_cast<uint32_t>((before & mask) >> (8 * offset));
      r = op == Op::LH && (loaded & 0x8000) ? loaded | 0xffff0000u : loaded;
    }
    const uint32_t after0 = static_cast<uint32_t>(after), after1 = static_cast<uint32_t>(after >> 32);
    fill_access(row, c.mem0, access(space0, word0, ts + kSlotMemory, after0, s), ts + kSlotMemory);
    if (crosses) fill_access(row, c.mem1, access(space1, word1, ts + kSlotRd, after1, s), ts + kSlotRd);
    row[c.new0_lo] = fp(lo16(after0));
    row[c.new0_hi] = fp(hi16(after0));
    row[c.new1_lo] = fp(lo16(after1));
    row[c.new1_hi] = fp(hi16(after1));
    const int flag = op == Op::LH ? c.is_lh : op == Op::LHU ? c.is_lhu : op == Op::LW ? c.is_lw : op == Op::SH ? c.is_sh : c.is_sw;
    return finish_result(row, c, flag, r, p, ts, s);
  }

  uint32_t atomic(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const AtomicCols c = make_columns<AtomicCols>();
    const Op op = p.op;
    const uint32_t addr = registers_[p.rs1].value;
    if (addr % 4 != 0) refuse(s, fmt::format("internal: misaligned atomic access to {:#x}", addr));
    std::span<Fp> row = atomic_.add();
    fill_core(row, c.core, p, ts);
    read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    const uint32_t b = op == Op::LR_W ? 0 : read_register(row, c.rs2, p.rs2, ts + kSlotRs2, s);
    row[c.q] = fp(lo16(addr) >> 2);
    const uint32_t word = addr >> 2;
    bool touches_memory = true;
    if (op == Op::LR_W || op == Op::SC_W) {
      const uint32_t reservation = registers_[kReservationRegister].value;
      const bool eq = op == Op::SC_W && reservation == addr + 1;
      const uint32_t slot = ts + kSlotMemory;
      const uint32_t reserved = op == Op::LR_W ? addr + 1 : 0;
      fill_access(row, c.res, access(kRegisterSpace, kReservationRegister, slot, reserved, s), slot);
      if (op == Op::SC_W) {
        row[c.eq] = fp(eq ? 1 : 0);
        touches_memory = eq;
        if (!eq) {
          // The reservation differs from addr + 1 in some limb: that limb's difference has an inverse.
          const Fp d_lo = fp(lo16(reservation)) - fp(lo16(addr) + 1), d_hi = fp(hi16(reservation)) - fp(hi16(addr));
          if (d_lo != Fp::zero()) {
            row[c.inv_lo] = d_lo.inverse();
          } else {
            row[c.inv_hi] = d_hi.inverse();
          }
        }
      }
    }
    // A failed SC makes no memory access: its old-word columns stay zero. LR.W is a load and may read
    // a read-only word; the VM faults on a store (SC.W, an AMO) there, so an honest trace has none.
    uint32_t space = kMemorySpace;
    if (touches_memory) {
      space = memory_space(word, s);
      if (space != kMemorySpace && op != Op::LR_W) refuse(s, fmt::format("internal: a store to the read-only word {:#x}", addr));
    }
    row[c.read_only] = fp(space == kReadOnlySpace ? 1 : 0);
    const uint32_t old = touches_memory ? memory_.at(word).value : 0;
    uint32_t after = old, r = old;
    int flag = c.is_lr;
    bool pick_old = false;
    switch (op) {
      case Op::LR_W: flag = c.is_lr; break;
      case Op::SC_W: after = b; r = touches_memory ? 0 : 1; flag = c.is_sc; break;
      case Op::AMOSWAP_W: after = b; flag = c.is_swap; break;
      case Op::AMOADD_W: {
        after = old + b;
        const uint32_t c0 = (lo16(old) + lo16(b)) >> 16;
        row[c.c0] = fp(c0);
        row[c.c1] = fp((hi16(old) + hi16(b) + c0) >> 16);
        flag = c.is_add;
        break;
      }
      case Op::AMOXOR_W: after = old ^ b; flag = c.is_xor; break;
      case Op::AMOAND_W: after = old & b; flag = c.is_and; break;
      case Op::AMOOR_W: after = old | b; flag = c.is_or; break;
      case Op::AMOMIN_W: pick_old = static_cast<int32_t>(old) < static_cast<int32_t>(b); flag = c.is_min; break;
      case Op::AMOMAX_W: pick_old = !(static_cast<int32_t>(old) < static_cast<int32_t>(b)); flag = c.is_max; break;
      case Op::AMOMINU_W: pick_old = old < b; flag = c.is_minu; break;
      default: pick_old = !(old < b); flag = c.is_maxu; break;
    }
    const bool minmax = op == Op::AMOMIN_W || op == Op::AMOMAX_W || op == Op::AMOMINU_W || op == Op::AMOMAXU_W;
    if (minmax) after = pick_old ? old : b;
    row[c.pick_old] = fp(minmax && pick_old ? 1 : 0);
    for (int k = 0; k < 4; ++k) {
      row[c.a[k]] = fp(old >> (8 * k) & 0xff);
      row[c.b[k]] = fp(b >> (8 * k) & 0xff);
      row[c.x[k]] = fp((old ^ b) >> (8 * k) & 0xff);
    }
    fill_compare(row, c.cmp, old, b);
    if (touches_memory) {
      fill_access(row, c.mem, access(space, word, ts + kSlotMemory, after, s), ts + kSlotMemory);
    }
    row[c.new_lo] = fp(lo16(after));
    row[c.new_hi] = fp(hi16(after));
    return finish_result(row, c, flag, r, p, ts, s);
  }

  uint32_t ecall(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const EcallCols c = make_columns<EcallCols>();
    const uint32_t a7 = registers_[17].value;
    const uint32_t fd = registers_[10].value;
    const bool write = a7 == kSysWrite, count = a7 == (kSysZkrvHi << 16 | 3);
    const bool std_fd = write && (fd == 1 || fd == 2);
    int flag = 0;
    if (write) {
      flag = std_fd ? c.is_write_std : c.is_write_other;
    } else if (a7 == (kSysZkrvHi << 16 | 1)) {
      flag = c.is_region_begin;
    } else if (a7 == (kSysZkrvHi << 16 | 2)) {
      flag = c.is_region_end;
    } else if (count) {
      flag = c.is_cycle_count;
    } else {
      refuse(s, fmt::format("ecall {:#x} is not an ABI v1 system call", a7));
    }
    std::span<Fp> row = ecall_.add();
    fill_core(row, c.core, p, ts);
    row[flag] = Fp::one();
    read_register(row, c.a7, 17, ts + kSlotRs1, s);
    uint32_t result = 0;
    if (write) {
      const uint32_t length = read_register(row, c.x, 12, ts + kSlotRs2, s);
      if (std_fd) buffer(row, read_register(row, c.y, 11, ts + kSlotMemory, s), length, s);
      result = std_fd ? length : kEbadf;
      const Fp t = (fp(lo16(fd)) - Fp::one()) * (fp(lo16(fd)) - fp(2));
      if (!std_fd) {
        row[c.t] = t;
        if (hi16(fd) != 0) {
          row[c.inv_hi] = fp(hi16(fd)).inverse();
        } else {
          row[c.inv_lo] = t.inverse();
        }
      }
    } else if (!count) {  // a region
      buffer(row, fd, read_register(row, c.x, 11, ts + kSlotRs2, s), s);
    } else {
      const uint32_t index = ts / kTsPerStep - 1;
      result = index;
      row[c.cnt_lo] = fp(lo16(index));
      row[c.cnt_hi] = fp(hi16(index));
      fill_access(row, c.x, access(kRegisterSpace, 11, ts + kSlotRs2, 0, s), ts + kSlotRs2);
    }
    if (result != s.rd_value) refuse(s, "internal: the ecall's a0 differs from the trace");
    fill_access(row, c.a0, access(kRegisterSpace, 10, ts + kSlotRd, result, s), ts + kSlotRd);
    return s.pc + p.len;
  }

  // The buffer [ptr, ptr + len) a system call read: the readable interval holding it, and the
  // limbs of ptr - lo and hi - ptr - len (nothing when len is 0, which the VM never checks).
  void buffer(std::span<Fp> row, uint32_t ptr, uint32_t len, const vm::TraceStep& s) const {
    const EcallCols c = make_columns<EcallCols>();
    if (len == 0) return;
    const uint64_t end = uint64_t{ptr} + len;
    const auto it = std::find_if(program_.readable.begin(), program_.readable.end(),
                                 [&](const ReadableInterval& i) { return i.lo <= ptr && end <= i.hi; });
    if (it == program_.readable.end()) {
      refuse(s, fmt::format("internal: the VM read [{:#x}, {:#x}), which is not readable", ptr, end));
    }
    const uint32_t d = ptr - it->lo;
    const uint64_t e = it->hi - end;
    row[c.checked] = Fp::one();
    row[c.inv_len] = fp(lo16(len) + hi16(len)).inverse();
    row[c.lo_lo] = fp(lo16(it->lo));
    row[c.lo_hi] = fp(hi16(it->lo));
    row[c.hi_lo] = fp(static_cast<uint32_t>(it->hi & 0xffff));
    row[c.hi_hi] = fp(static_cast<uint32_t>(it->hi >> 16));
    row[c.d_lo] = fp(lo16(d));
    row[c.d_hi] = fp(hi16(d));
    row[c.c0] = fp((lo16(it->lo) + lo16(d)) >> 16);
    row[c.e_lo] = fp(static_cast<uint32_t>(e & 0xffff));
    row[c.e_hi] = fp(static_cast<uint32_t>(e >> 16));
    row[c.k0] = fp((lo16(ptr) + lo16(len) + static_cast<uint32_t>(e & 0xffff)) >> 16);
  }

  void exit(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts, MachineWitness& out) {
    const ExitCols c = make_columns<ExitCols>();
    const uint32_t a7 = registers_[17].value;
    if (a7 != 93 && a7 != 94) refuse(s, fmt::format("ecall {:#x} is not proven yet (only exit)", a7));
    std::span<Fp> row = exit_.add();
    fill_core(row, c.core, p, ts);
    read_register(row, c.a7, 17, ts + kSlotRs1, s);
    out.exit_code = static_cast<int32_t>(read_register(row, c.a0, 10, ts + kSlotRs2, s));
  }

  static size_t tape_index(uint32_t space) { return space - kPublicInputSpace; }

  // One access to a tape word: its first access fixes its initial value (the public input's word,
  // the private word the VM read, or zero for the output).
  Record tape_access(uint32_t space, uint32_t word, uint32_t ts, uint32_t value, uint32_t before) {
    const size_t t = tape_index(space);
    auto it = tapes_[t].find(word);
    if (it == tapes_[t].end()) {
      uint32_t initial = 0;
      if (space == kPublicInputSpace) initial = word < input_words_.size() ? input_words_[word] : 0;
      if (space == kPrivateInputSpace) initial = before;
      it = tapes_[t].emplace(word, Record{0, initial}).first;
      tape_init_[t].emplace(word, initial);
    }
    const Record prev = it->second;
    it->second = {ts, value};
    return prev;
  }

  uint32_t tape(const vm::TraceStep& s, const ProgramRow& p, uint32_t ts) {
    const TapeCols c = make_columns<TapeCols>();
    const uint32_t imm = static_cast<uint32_t>(p.imm);
    const uint32_t a = registers_[p.rs1].value;
    const uint32_t offset = a + imm;
    if (offset % 4 != 0) refuse(s, fmt::format("internal: tape offset {:#x} is not a multiple of 4", offset));
    std::span<Fp> row = tape_.add();
    fill_core(row, c.core, p, ts);
    read_register(row, c.rs1, p.rs1, ts + kSlotRs1, s);
    const bool write = p.op == Op::WOU;
    const uint32_t stored = write ? read_register(row, c.rs2, p.rs2, ts + kSlotRs2, s) : 0;
    const uint32_t c0 = (lo16(a) + lo16(imm)) >> 16;
    row[c.q] = fp(lo16(offset) >> 2);
    row[c.a_hi] = fp(hi16(offset));
    row[c.c0] = fp(c0);
    row[c.c1] = fp((hi16(a) + hi16(imm) + c0) >> 16);
    const uint32_t space = p.op == Op::RIN ? kPublicInputSpace : p.op == Op::HIN ? kPrivateInputSpace : kOutputSpace;
    const size_t t = tape_index(space);
    const auto known = tapes_[t].find(offset >> 2);
    const uint32_t before = known != tapes_[t].end() ? known->second.value : s.mem_before;
    if (before != s.mem_before) refuse(s, "internal: tape word differs from the trace");
    const uint32_t after = write ? stored : before;
    fill_access(row, c.tape, tape_access(space, offset >> 2, ts + kSlotMemory, after, s.mem_before), ts + kSlotMemory);
    const uint32_t r = write ? 0 : before;
    row[c.r_lo] = fp(lo16(r));
    row[c.r_hi] = fp(hi16(r));
    row[p.op == Op::RIN ? c.is_rin : p.op == Op::HIN ? c.is_hin : c.is_wou] = Fp::one();
    if (p.rd_w && r != s.rd_value) refuse(s, "internal: tape word differs from the trace");
    write_register(row, c.rd, p, ts, r, s);
    return s.pc + p.len;
  }

  // One tape table: `words` (besides the touched ones) any order; the first `io_words` addresses
  // 0.. are the statement's.
  Matrix<Fp> tape_words(uint32_t space, std::vector<uint32_t> words, uint32_t io_words) {
    const size_t t = tape_index(space);
    for (uint32_t w = 0; w < io_words; ++w) words.push_back(w);
    for (const auto& [word, rec] : tapes_[t]) words.push_back(word);
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    const TapeWordsCols c = make_columns<TapeWordsCols>();
    Rows rows(space == kPrivateInputSpace ? kWidth<PrivateWordsCols> : kWidth<TapeWordsCols>);
    for (size_t i = 0; i < words.size(); ++i) {
      const uint32_t addr = words[i];
      std::span<Fp> row = rows.add();
      uint32_t initial = 0;
      if (const auto it = tape_init_[t].find(addr); it != tape_init_[t].end()) {
        initial = it->second;
      } else if (space == kPublicInputSpace && addr < input_words_.size()) {
        initial = input_words_[addr];
      } else if (space == kPrivateInputSpace) {
        initial = input_tape_word(private_input_, addr);
      }
      if (space == kPrivateInputSpace && initial != input_tape_word(private_input_, addr)) {
        throw RefusedError(fmt::format("internal: private input word {} differs from the run's input", addr));
      }
      const auto touched = tapes_[t].find(addr);
      const Record rec = touched != tapes_[t].end() ? touched->second : Record{0, initial};
      row[c.is_real] = Fp::one();
      row[c.addr] = fp(addr);
      row[c.e0] = fp(lo16(addr));
      row[c.e1] = fp(hi16(addr));
      if (i + 1 < words.size()) {
        const uint32_t g = words[i + 1] - addr - 1;
        row[c.g0] = fp(lo16(g));
        row[c.g1] = fp(hi16(g));
      }
      row[c.init_lo] = fp(lo16(initial));
      row[c.init_hi] = fp(hi16(initial));
      row[c.io] = fp(addr < io_words ? 1 : 0);
      row[c.final_ts] = fp(rec.ts);
      row[c.final_lo] = fp(lo16(rec.value));
      row[c.final_hi] = fp(hi16(rec.value));
    }
    Matrix<Fp> m = rows.matrix(reserved_rows_, rows.count() + 1);
    if (space == kPrivateInputSpace) fill_private_length(m, words);
    return m;
  }

  // tape_words_air.h's PrivateLengthCols: L on every row, row 0's limb bounds, past and boundary.
  void fill_private_length(Matrix<Fp>& m, const std::vector<uint32_t>& words) const {
    const PrivateWordsCols pc = make_columns<PrivateWordsCols>();
    const PrivateLengthCols& l = pc.len;
    const uint32_t length = static_cast<uint32_t>(private_input_.size());
    const uint32_t q = length / 4, rem = length % 4, top = hi16(length) == (1u << 14) ? 1 : 0;
    if (words.empty() || words[0] != 0) throw RefusedError("internal: the private input table has no word 0");
    m.at(0, pc.words.e0) = fp(lo16(length) / 4);
    m.at(0, pc.words.e1) = fp((1u << 14) - 1 - hi16(length) + top);
    m.at(0, l.top) = fp(top);
    for (size_t r = 0; r < m.rows(); ++r) {
      m.at(r, l.len_q) = fp(q);
      if (rem != 0) m.at(r, rem == 1 ? l.rem1 : rem == 2 ? l.rem2 : l.rem3) = Fp::one();
      if (r < words.size()) {
        m.at(r, l.past) = fp(words[r] > q ? 1 : 0);
        m.at(r, l.boundary) = fp(words[r] == q + 1 ? 1 : 0);
      }
    }
  }

  void finish_tapes(MachineWitness& out, std::span<const uint8_t> public_output) {
    out.public_input = public_input_;
    out.public_output.assign(public_output.begin(), public_output.end());
    out.tables[kPublicInputTable].main =
        tape_words(kPublicInputSpace, {}, static_cast<uint32_t>(input_words_.size()));
    out.tables[kPublicInputTable].public_values = io_digest(public_input_, false);
    // Word 0 (the length) and word ⌊L/4⌋ + 1 (the boundary: byte L's word) are rows whether read or not.
    out.tables[kPrivateInputTable].main =
        tape_words(kPrivateInputSpace, {0, static_cast<uint32_t>(private_input_.size() / 4 + 1)}, 0);
    // The output the statement holds is words 0..m of the final tape; the bytes of word m past the
    // length are the prover's to state (public values), checked here against the VM's result.
    const auto& output = tapes_[tape_index(kOutputSpace)];
    const auto final_word = [&](uint32_t w) {
      const auto it = output.find(w);
      return it == output.end() ? 0 : it->second.value;
    };
    const std::vector<uint32_t> stated = output_words(public_output, 0);
    uint32_t tail = 0;
    if (public_output.size() % 4 != 0) {
      const uint32_t last = static_cast<uint32_t>(stated.size() - 1);
      tail = final_word(last) & ~((1u << (8 * (public_output.size() % 4))) - 1);
    }
    const std::vector<uint32_t> words = output_words(public_output, tail);
    for (uint32_t w = 0; w < words.size(); ++w) {
      if (final_word(w) != words[w]) throw RefusedError(fmt::format("internal: output word {} differs from the run's output", w));
    }
    out.tables[kOutputTable].main = tape_words(kOutputSpace, {}, static_cast<uint32_t>(words.size()));
    out.tables[kOutputTable].public_values = io_digest(public_output, true);
    out.tables[kOutputTable].public_values.push_back(fp(lo16(tail)));
    out.tables[kOutputTable].public_values.push_back(fp(hi16(tail)));
  }

  void finish_memory(MachineWitness& out) {
    // Image: every word's final record (untouched words: their initial one, at ts 0).
    Matrix<Fp> image(padded_rows(program_.image.size(), reserved_rows_), ImageTable::kMainWidth);
    for (size_t r = 0; r < program_.image.size(); ++r) {
      const ImageWord& w = program_.image[r];
      const Record& rec = w.space == kRegisterSpace ? registers_[w.addr] : memory_.at(w.addr);
      image.at(r, ImageTable::kFinalTs) = fp(rec.ts);
      image.at(r, ImageTable::kFinalLo) = fp(lo16(rec.value));
      image.at(r, ImageTable::kFinalHi) = fp(hi16(rec.value));
    }
    out.tables[kImageTable].main = std::move(image);
    // ZeroInit: touched words at or above Z, sorted, then at least one padding row.
    const ZeroInitCols c = make_columns<ZeroInitCols>();
    const ZeroInitTable table{program_.zero_ranges};
    std::sort(zero_words_.begin(), zero_words_.end());
    Rows zero(table.info().main_width);
    for (size_t i = 0; i < zero_words_.size(); ++i) {
      const uint32_t addr = zero_words_[i];
      std::span<Fp> row = zero.add();
      const Record& rec = memory_.at(addr);
      const auto range = std::find_if(program_.zero_ranges.begin(), program_.zero_ranges.end(),
                                      [&](const ZeroRange& z) { return z.begin <= addr && addr < z.end; });
      const uint32_t e = addr - range->begin, f = range->end - 1 - addr;
      row[c.is_real] = Fp::one();
      row[c.addr] = fp(addr);
      row[c.e0] = fp(lo16(e));
      row[c.e1] = fp(hi16(e));
      row[c.f0] = fp(lo16(f));
      row[c.f1] = fp(hi16(f));
      row[table.selector(static_cast<size_t>(range - program_.zero_ranges.begin()))] = Fp::one();
      if (i + 1 < zero_words_.size()) {
        const uint32_t g = zero_words_[i + 1] - addr - 1;
        if (g >= kZeroInitSpan) {
          throw RefusedError(fmt::format("zero-initialised words {:#x} and {:#x} lie 2 GiB or more apart",
                                         uint64_t{addr} * 4, uint64_t{zero_words_[i + 1]} * 4));
        }
        row[c.g0] = fp(lo16(g));
        row[c.g1] = fp(hi16(g));
      }
      row[c.final_ts] = fp(rec.ts);
      row[c.final_lo] = fp(lo16(rec.value));
      row[c.final_hi] = fp(hi16(rec.value));
    }
    out.tables[kZeroInitTable].main = zero.matrix(reserved_rows_, zero.count() + 1);
  }

  // Word `addr` of memory in the segment's starting state: the checkpoint's page holding it, else the
  // image's word, else zero.
  uint32_t state_word(uint32_t addr) const {
    const uint64_t byte = uint64_t{addr} * 4;
    if (const auto page = segment_->pages.find(static_cast<uint32_t>(byte / vm::kCheckpointPageSize));
        page != segment_->pages.end()) {
      return base::load_le32(page->second->data() + byte % vm::kCheckpointPageSize);
    }
    const auto image = image_words_.find(addr);
    return image == image_words_.end() ? 0 : image->second;
  }

  const SegmentStart* segment_ = nullptr;
  std::unordered_map<uint32_t, uint32_t> image_words_;  // segment mode: the image's memory words
  uint32_t pc_out_ = 0;
  const ProgramImage& program_;
  size_t reserved_rows_;
  std::vector<uint8_t> public_input_;
  std::vector<uint32_t> input_words_;
  std::span<const uint8_t> private_input_;  // the caller's, for the length and the boundary word
  std::array<std::map<uint32_t, Record>, 3> tapes_;  // spaces 3, 4, 5: each touched word's record
  std::array<std::unordered_map<uint32_t, uint32_t>, 3> tape_init_;
  std::unordered_map<uint32_t, ProgramRow> program_rows_;
  std::array<Record, kRegisterRecords> registers_{};
  std::unordered_map<uint32_t, Record> memory_;
  std::unordered_map<uint32_t, uint32_t> spaces_;  // every memory word with a record: its space
  std::vector<uint32_t> zero_words_;
  Rows add_sub_{kWidth<AddSubCols>}, jump_{kWidth<JumpCols>}, branch_{kWidth<BranchCols>},
      load_store_{kWidth<LoadStoreCols>}, exit_{kWidth<ExitCols>}, bitwise_{kWidth<BitwiseCols>}, lt_{kWidth<LtCols>},
      shift_{kWidth<ShiftCols>}, mul_{kWidth<MulCols>}, atomic_{kWidth<AtomicCols>}, div_{kWidth<DivCols>},
      tape_{kWidth<TapeCols>}, ecall_{kWidth<EcallCols>}, misaligned_{kWidth<MisalignedCols>},
      precompile_call_{kWidth<PrecompileCallCols>}, precompile_memory_{kWidth<PrecompileMemoryCols>};
  std::span<const vm::PrecompileAccess> precompile_accesses_;
  std::span<const uint8_t> precompile_bytes_;
  PackageRows package_rows_;
  std::vector<DeclaredPrecompile> circuits_;  // precompile_tables(program.precompiles)
  std::vector<Rows> package_tables_;          // per circuit: its package circuit's rows (width 1 for a first-party one)
  size_t next_access_ = 0;
  std::unordered_map<uint32_t, size_t> circuit_of_;  // custom-0 index -> its table (from kNumTables)
  std::vector<bool> is_sha256_;                                                // per circuit table
  std::vector<std::vector<precompile_air::keccak_f1600::Call>> keccak_calls_;  // per circuit table
  std::vector<std::vector<precompile_air::keccak_absorb::Call>> absorb_calls_;  // per circuit, absorb ones
  std::vector<bool> circuit_is_absorb_;
  std::vector<std::vector<precompile_air::sha256_compress::Call>> sha256_calls_;
};

}  // namespace

// The lookup tables' counts: every interaction the other tables make on PROGRAM, RANGE16 and
// BYTE, read back from their own eval so the counts cannot drift from the constraints.

void fill_lookup_counts(const ProgramImage& program, const air::Machine& machine, MachineWitness& w,
                        size_t reserved_rows) {
  std::unordered_map<uint32_t, size_t> program_index;
  for (size_t r = 0; r < program.program.size(); ++r) program_index.emplace(program.program[r].pc, r);
  // The fixed tables' heights as prover::setup grows them for the reserved rows.
  const size_t fixed_rows = reserved_rows == 0 ? size_t{1} << 16 : padded_rows(size_t{1} << 16, reserved_rows);
  std::vector<uint32_t> program_counts(padded_rows(program.program.size(), reserved_rows), 0);
  std::vector<uint32_t> range_counts(fixed_rows, 0), byte_counts(fixed_rows, 0);
  std::map<std::array<uint32_t, 4>, size_t> readable_index;  // an interval no row holds counts nowhere
  for (size_t r = 0; r < program.readable.size(); ++r) {
    const ReadableInterval& i = program.readable[r];
    readable_index.emplace(std::array<uint32_t, 4>{lo16(i.lo), hi16(i.lo), static_cast<uint32_t>(i.hi & 0xffff),
                                                   static_cast<uint32_t>(i.hi >> 16)},
                           r);
  }
  std::vector<uint32_t> readable_counts(padded_rows(program.readable.size(), reserved_rows), 0);
  const Matrix<Fp> none;
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    const air::TableAnalysis& analysis = machine.analysis(t);
    // The fixed tables before ZeroInit (Program, Range16, ByteXor, Image, Readable) are the counts'
    // owners or make no lookups; segment mode's boundary table, in Image's slot, has no fixed
    // columns and is counted.
    if (t < kZeroInitTable && analysis.info.preprocessed_width > 0) continue;
    air::RowEvaluator evaluator(machine.table(t), analysis, none, w.tables[t], reserved_rows);
    for (size_t r = 0; r < evaluator.active_rows(); ++r) {
      const std::vector<Fp>& values = evaluator.evaluate(r).interaction_values;
      size_t offset = 0;
      for (const air::SymbolicInteraction& it : analysis.interactions) {
        const uint32_t m = values[offset].to_u32();
        if (m != 0) {
          const uint32_t x = values[offset + 1].to_u32();
          if (it.bus == kRange16Bus) {
            if (x < (size_t{1} << 16)) range_counts[x] += m;
          } else if (it.bus == kByteBus) {
            const uint32_t y = values[offset + 2].to_u32();
            if (x > 255 || y > 255) throw air::AirError(fmt::format("internal: {} row {}: byte pair ({}, {})", machine.table(t).info().name, r, x, y));
            byte_counts[x << 8 | y] += m;
          } else if (it.bus == kProgramBus) {
            program_counts.at(program_index.at(x)) += m;
          } else if (it.bus == kReadableBus) {
            const auto row = readable_index.find({x, values[offset + 2].to_u32(), values[offset + 3].to_u32(),
                                                  values[offset + 4].to_u32()});
            if (row != readable_index.end()) readable_counts[row->second] += m;
          }
        }
        offset += 1 + it.tuple.size();
      }
    }
  }
  const auto column = [](const std::vector<uint32_t>& counts) {
    Matrix<Fp> m(counts.size(), 1);
    for (size_t r = 0; r < counts.size(); ++r) m.at(r, 0) = fp(counts[r]);
    return m;
  };
  w.tables[kProgramTable].main = column(program_counts);
  w.tables[kRange16Table].main = column(range_counts);
  w.tables[kByteXorTable].main = column(byte_counts);
  w.tables[kReadableTable].main = column(readable_counts);
}

namespace {

// A package's rows are its library's: checked against its circuit before any proving work, so
// that a wrong witness generator is named rather than found by a failed proof.
void check_package_rows(const ProgramImage& program, const air::Machine& machine, const MachineWitness& w,
                        size_t reserved_rows) {
  size_t t = kNumTables;
  for (const DeclaredPrecompile& d : precompile_tables(program.precompiles)) {
    if (!d.circuit_digest) {
      t += circuit_table_count(d.name);
      continue;
    }
    if (t >= machine.num_tables() || t >= w.tables.size()) throw RefusedError("internal: a package table is missing");
    const std::vector<air::ConstraintFailure> failures = air::check_table_rows(
        machine.table(t), machine.analysis(t), machine.table(t).preprocessed(), w.tables[t], 1, reserved_rows);
    if (!failures.empty()) {
      throw RefusedError(fmt::format("precompile {} (index {}): its package's rows fail its circuit: constraint \"{}\" "
                                     "on row {}",
                                     d.name, d.index, failures.front().constraint, failures.front().row));
    }
    ++t;
  }
}

}  // namespace

MachineWitness generate_witness(const ProgramImage& program, const air::Machine& machine,
                                std::span<const vm::TraceStep> steps, const vm::RunResult& result,
                                const PrecompileTrace& precompiles, std::span<const uint8_t> public_input,
                                std::span<const uint8_t> private_input, size_t reserved_rows) {
  if (result.reason != vm::StopReason::kExit) {
    throw RefusedError(fmt::format("the run did not halt: {} at pc {:#x}", vm::fault_name(result.fault.kind), result.fault.pc));
  }
  if (steps.size() != result.instructions) throw RefusedError("the trace does not hold the whole run");
  if (steps.size() > (uint64_t{1} << kMaxLogSteps)) {
    throw RefusedError(fmt::format("{} steps: one proof covers at most 2^{} steps", steps.size(), kMaxLogSteps));
  }
  if (steps.empty()) throw RefusedError("the run has no steps");
  if (private_input.size() > vm::kMaxInputBytesLimit) {
    throw RefusedError(fmt::format("the private input is {} bytes, more than the VM's {}", private_input.size(),
                                   vm::kMaxInputBytesLimit));
  }
  Builder builder(program, public_input, private_input, reserved_rows, precompiles.accesses, precompiles.bytes,
                  precompiles.package_rows);
  MachineWitness w = builder.run(steps, result.public_output);
  if (w.exit_code != result.exit_code) throw RefusedError("internal: exit code differs from the run's");
  check_package_rows(program, machine, w, reserved_rows);
  fill_lookup_counts(program, machine, w, reserved_rows);
  return w;
}

SegmentWitness generate_segment_witness(const ProgramImage& program, const air::Machine& machine,
                                       const vm::Checkpoint& from, std::span<const vm::TraceStep> steps,
                                       const std::optional<vm::RunResult>& halted, std::span<const uint8_t> public_input,
                                       std::span<const uint8_t> private_input, const ChunkWords& salt,
                                       size_t reserved_rows) {
  if (halted && halted->reason != vm::StopReason::kExit) {
    throw RefusedError(fmt::format("the segment ends in a fault: {} at pc {:#x}", vm::fault_name(halted->fault.kind),
                                   halted->fault.pc));
  }
  if (steps.empty()) throw RefusedError("the segment has no steps");
  if (steps.size() > (uint64_t{1} << kMaxLogSteps)) {
    throw RefusedError(fmt::format("{} steps: one segment covers at most 2^{} steps", steps.size(), kMaxLogSteps));
  }
  if (steps.front().pc != from.pc) {
    throw RefusedError(fmt::format("internal: the segment's first step is at pc {:#x}, its checkpoint at {:#x}",
                                   steps.front().pc, from.pc));
  }
  SegmentStart start;
  start.registers = from.registers;
  start.reservation_record = from.reservation_valid ? from.reservation + 1 : 0;
  for (const vm::Checkpoint::Page& page : from.pages) {
    if (!page.bytes) throw RefusedError(fmt::format("checkpoint page {:#x} has no bytes", page.number));
    start.pages.emplace(page.number, page.bytes.get());
  }
  Builder builder(program, public_input, private_input, reserved_rows, {}, {});
  builder.start_segment(start);
  SegmentWitness out;
  out.machine = builder.run(steps, {});
  out.statement.pc_in = from.pc;
  out.statement.steps = static_cast<uint32_t>(steps.size());
  out.statement.halted = halted.has_value();
  out.statement.exit_code = halted ? out.machine.exit_code : 0;
  out.statement.pc_out = halted ? 0 : builder.pc_out();
  if (halted && out.machine.exit_code != halted->exit_code) throw RefusedError("internal: exit code differs from the run's");
  MemoryTree tree = memory_tree_at(program, from, public_input, private_input, salt);
  const MemoryBoundaryTable table = segment_boundary_table(mapped_chunk_ranges(program));
  MemoryBoundaryWitness boundary = memory_boundary_witness(table, tree, builder.chunks(), reserved_rows);
  out.statement.root_in = boundary.root_in;
  out.statement.root_out = boundary.root_out;
  out.machine.tables[kMemoryBoundaryTable] = std::move(boundary.boundary);
  out.machine.tables[kMemoryBoundaryTable].public_values = segment_public_values(out.statement);
  out.machine.tables[kTreeUpdateTable] = std::move(boundary.tree_update);
  fill_lookup_counts(program, machine, out.machine, reserved_rows);
  return out;
}

}  // namespace zkrv::riscv_air
