#include "riscv_air/machine.h"

#include <fmt/format.h>

#include <optional>

#include "stark/hash/blake2s.h"

#include "riscv_air/add_sub_air.h"
#include "riscv_air/atomic_air.h"
#include "riscv_air/bitwise_air.h"
#include "riscv_air/div_air.h"
#include "riscv_air/branch_air.h"
#include "riscv_air/ecall_air.h"
#include "riscv_air/exit_air.h"
#include "riscv_air/fixed_tables.h"
#include "riscv_air/jump_air.h"
#include "riscv_air/load_store_air.h"
#include "riscv_air/lt_air.h"
#include "riscv_air/misaligned_air.h"
#include "riscv_air/mul_air.h"
#include "riscv_air/package_circuit.h"
#include "riscv_air/precompile_call_air.h"
#include "precompile_air/keccak_absorb/absorb_air.h"
#include "precompile_air/keccak_f1600/keccak_air.h"
#include "precompile_air/sha256_compress/sha256_air.h"
#include "precompiles/package/semver.h"
#include "riscv_air/shift_air.h"
#include "riscv_air/tape_air.h"
#include "riscv_air/tape_words_air.h"
#include "riscv_air/zero_init_air.h"
#include "stark/circuit/interpreted_table.h"
#include "stark/poseidon2/tree_update_air.h"

namespace zkrv::riscv_air {

namespace air = stark::air;

namespace {

// The IO boundary: the statement's words, checked against the digests the proof carries.
struct IoBoundary {
  std::vector<Fp> input_digest, output_digest;
  std::vector<uint32_t> input;
  std::shared_ptr<const PublicIo> io;
};

void add_words(std::vector<air::BoundaryInteraction>& out, uint32_t space, std::span<const uint32_t> words) {
  for (size_t w = 0; w < words.size(); ++w) {
    out.push_back({kIoBus, air::Direction::kReceive,
                   {Fp::from_u32(space), Fp::from_u32(static_cast<uint32_t>(w)), Fp::from_u32(words[w] & 0xffff),
                    Fp::from_u32(words[w] >> 16)},
                   Fp::one()});
  }
}

void add_io(std::vector<air::BoundaryInteraction>& out, const IoBoundary& io,
            std::span<const std::vector<Fp>> public_values) {
  if (public_values.size() < kNumTables) return;
  const std::vector<Fp>& in = public_values[kPublicInputTable];
  const std::vector<Fp>& outv = public_values[kOutputTable];
  if (in.size() != kIoDigestLimbs || outv.size() != kIoDigestLimbs + 2) return;
  if (!std::equal(in.begin(), in.end(), io.input_digest.begin())) {
    throw air::AirError("the proof's public input is not the statement's");
  }
  if (!std::equal(io.output_digest.begin(), io.output_digest.end(), outv.begin())) {
    throw air::AirError("the proof's public output is not the statement's");
  }
  const uint32_t tail_lo = outv[kIoDigestLimbs].to_u32(), tail_hi = outv[kIoDigestLimbs + 1].to_u32();
  if (tail_lo > 0xffff || tail_hi > 0xffff) throw air::AirError("the output's tail is not two 16-bit limbs");
  add_words(out, kPublicInputSpace, io.input);
  add_words(out, kOutputSpace, output_words(io.io->output, tail_lo | tail_hi << 16));
}

std::vector<std::shared_ptr<const air::Table>> machine_tables(const MachineShape& shape,
                                                              std::shared_ptr<const std::vector<ProgramRow>> rows,
                                                              std::shared_ptr<const std::vector<ImageWord>> words,
                                                              std::shared_ptr<const std::vector<ReadableInterval>> readable) {
  std::vector<std::shared_ptr<const air::Table>> tables(kNumTables);
  tables[kProgramTable] = air::make_table(ProgramTable{std::move(rows)});
  tables[kRange16Table] = air::make_table(Range16Table{});
  tables[kByteXorTable] = air::make_table(ByteXorTable{});
  tables[kImageTable] = air::make_table(ImageTable{std::move(words)});
  tables[kReadableTable] = air::make_table(ReadableTable{std::move(readable)});
  tables[kZeroInitTable] = air::make_table(ZeroInitTable{shape.zero_ranges});
  tables[kExitTable] = air::make_table(ExitTable{});
  tables[kAddSubTable] = air::make_table(AddSubTable{});
  tables[kJumpTable] = air::make_table(JumpTable{});
  tables[kBranchTable] = air::make_table(BranchTable{});
  tables[kLoadStoreTable] = air::make_table(LoadStoreTable{});
  tables[kBitwiseTable] = air::make_table(BitwiseTable{});
  tables[kLtTable] = air::make_table(LtTable{});
  tables[kShiftTable] = air::make_table(ShiftTable{});
  tables[kMulTable] = air::make_table(MulTable{});
  tables[kAtomicTable] = air::make_table(AtomicTable{});
  tables[kDivTable] = air::make_table(DivTable{});
  tables[kTapeTable] = air::make_table(TapeTable{});
  tables[kPublicInputTable] = air::make_table(TapeWordsTable{TapeKind::kPublicInput});
  tables[kPrivateInputTable] = air::make_table(TapeWordsTable{TapeKind::kPrivateInput});
  tables[kOutputTable] = air::make_table(TapeWordsTable{TapeKind::kOutput});
  tables[kEcallTable] = air::make_table(EcallTable{});
  tables[kMisalignedTable] = air::make_table(MisalignedTable{});
  tables[kPrecompileCallTable] = air::make_table(PrecompileCallTable{});
  tables[kPrecompileMemoryTable] = air::make_table(PrecompileMemoryTable{});
  for (const DeclaredPrecompile& d : precompile_tables(shape.precompiles)) {
    if (d.circuit_digest) {
      // A package's circuit: interpreted, answering calls to its declared index only.
      if (!d.circuit || d.circuit->digest != *d.circuit_digest) {
        throw RefusedError(fmt::format("precompile {} (index {}): its package circuit (digest {}) is not at hand", d.name,
                                       d.index, stark::to_hex(*d.circuit_digest)));
      }
      tables.push_back(std::make_shared<const stark::circuit::InterpretedTable>(
          bind_package_circuit(*d.circuit, d.index, fmt::format("{}[{}]", d.name, d.index))));
      continue;
    }
    if (d.name == kSha256CompressName) {
      precompile_air::sha256_compress::Sha256Table sha256;
      sha256.buses = {kPrecompileBus, kPrecompileWordBus, kPrecompileReadBus, kRange16Bus, d.index};
      sha256.name = fmt::format("sha256_compress[{}]", d.index);
      tables.push_back(air::make_table(sha256));
      continue;
    }
    precompile_air::keccak_f1600::KeccakTable keccak;
    keccak.buses = {kPrecompileBus, kPrecompileWordBus, kRange16Bus, d.index};
    if (d.name == kKeccakAbsorbName) {
      keccak.buses->absorb = true;
      keccak.buses->handoff = kKeccakAbsorbBus;
      keccak.name = fmt::format("keccak_absorb_f1600[{}]", d.index);
      tables.push_back(air::make_table(keccak));
      precompile_air::keccak_absorb::AbsorbTable absorb;
      absorb.buses = {kKeccakAbsorbBus, kPrecompileWordBus, kPrecompileReadBus, kByteBus};
      absorb.name = fmt::format("keccak_absorb[{}]", d.index);
      tables.push_back(air::make_table(absorb));
      continue;
    }
    keccak.name = fmt::format("keccak_f1600[{}]", d.index);
    tables.push_back(air::make_table(keccak));
  }
  return tables;
}

std::vector<air::BusInfo> machine_buses() {
  return {{kStateBus, "state"},
          {kProgramBus, "program"},
          {kMemoryBus, "memory"},
          {kRange16Bus, "range16"},
          {kByteBus, "byte_xor"},
          {kExitBus, "exit"},
          {kIoBus, "io"},
          {kReadableBus, "readable"},
          {kPrecompileBus, "precompile"},
          {kPrecompileWordBus, "precompile_word"},
          {kKeccakAbsorbBus, "keccak_absorb"},
          {kPrecompileReadBus, "precompile_read"}};
}

air::Machine assemble(const MachineShape& shape, std::shared_ptr<const std::vector<ProgramRow>> rows,
                      std::shared_ptr<const std::vector<ImageWord>> words,
                      std::shared_ptr<const std::vector<ReadableInterval>> readable,
                      std::shared_ptr<const PublicIo> public_io) {
  std::vector<std::shared_ptr<const air::Table>> tables =
      machine_tables(shape, std::move(rows), std::move(words), std::move(readable));
  std::shared_ptr<const IoBoundary> io;
  if (public_io) {
    io = std::make_shared<const IoBoundary>(IoBoundary{io_digest(public_io->input, false), io_digest(public_io->output, true),
                                                       input_words(public_io->input), public_io});
  }
  const uint32_t entry = shape.entry;
  air::BoundaryFunction boundary = [entry, io](std::span<const std::vector<Fp>> public_values) {
    std::vector<air::BoundaryInteraction> out;
    out.push_back({kStateBus, air::Direction::kSend, {Fp::from_u32(entry), Fp::from_u32(kTsPerStep)}, Fp::one()});
    if (public_values.size() > kExitTable && public_values[kExitTable].size() == 2) {
      out.push_back({kExitBus, air::Direction::kReceive, public_values[kExitTable], Fp::one()});
    }
    if (io) add_io(out, *io, public_values);
    return out;
  };
  return air::Machine("riscv", std::move(tables), machine_buses(), std::move(boundary));
}

// The memory-boundary table with the segment's public values (kSegmentPublicValues), which the
// verifier's boundary reads; its constraints are the boundary table's.
struct SegmentBoundaryTable {
  MemoryBoundaryTable boundary;
  air::TableInfo info() const {
    air::TableInfo i = boundary.info();
    i.num_public_values = kSegmentPublicValues;
    return i;
  }
  template <class B>
  void eval(B& b) const {
    boundary.eval(b);
  }
};

// A slot segment mode leaves empty: one column, zero on every row, so it emits nothing.
struct NoRowsTable {
  std::string name;
  air::TableInfo info() const { return {name, 1, 0, 0, {"unused"}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.assert_zero("segment mode has no rows here", b.main(0));
  }
};

void check_public_value(const char* what, const Fp& proven, const Fp& stated) {
  if (proven != stated) {
    throw air::AirError(fmt::format("the proof's {} ({}) is not the segment statement's ({})", what, proven.to_u32(),
                                    stated.to_u32()));
  }
}

air::Machine assemble_segment(const MachineShape& shape, std::span<const ChunkRange> mapped,
                              std::shared_ptr<const std::vector<ProgramRow>> rows,
                              std::shared_ptr<const std::vector<ReadableInterval>> readable,
                              const SegmentStatement* expected) {
  std::vector<std::shared_ptr<const air::Table>> tables = machine_tables(shape, std::move(rows), nullptr, std::move(readable));
  tables[kMemoryBoundaryTable] = air::make_table(SegmentBoundaryTable{segment_boundary_table(mapped)});
  tables[kExitTable] = air::make_table(ExitTable{.sends_ts = true});
  tables[kTreeUpdateTable] = air::make_table(stark::poseidon2::TreeUpdateTable{kMemoryTreeBus, kMemoryTreeDepth});
  tables[kPublicInputTable] = air::make_table(NoRowsTable{"public_input (none in segment mode)"});
  tables[kPrivateInputTable] = air::make_table(NoRowsTable{"private_input (none in segment mode)"});
  tables[kOutputTable] = air::make_table(NoRowsTable{"public_output (none in segment mode)"});
  std::vector<air::BusInfo> buses = machine_buses();
  buses.push_back({kMemoryTreeBus, "memory_tree"});
  std::optional<SegmentStatement> stated;
  if (expected) stated = *expected;
  air::BoundaryFunction boundary = [stated](std::span<const std::vector<Fp>> public_values) {
    std::vector<air::BoundaryInteraction> out;
    if (public_values.size() < kNumTables) return out;
    const std::vector<Fp>& segment = public_values[kMemoryBoundaryTable];
    const std::vector<Fp>& exit = public_values[kExitTable];
    if (segment.size() != kSegmentPublicValues || exit.size() != 2) return out;
    const Fp halted = segment[kSegmentHalted];
    if (halted != Fp::zero() && halted != Fp::one()) throw air::AirError("the proof's halted flag is not a bit");
    // Nothing in a halting segment's proof holds the exit's pc (the Exit row consumes the last
    // state and sends only the code), so its statement says 0 there rather than an unproven pc.
    if (halted == Fp::one() && segment[kSegmentPcOut] != Fp::zero()) {
      throw air::AirError("the proof's pc_out of a halting segment is not 0");
    }
    if (stated) {
      const std::vector<Fp> want = segment_public_values(*stated);
      check_public_value("pc_in", segment[kSegmentPcIn], want[kSegmentPcIn]);
      check_public_value("pc_out", segment[kSegmentPcOut], want[kSegmentPcOut]);
      check_public_value("steps", segment[kSegmentSteps], want[kSegmentSteps]);
      check_public_value("halted flag", halted, want[kSegmentHalted]);
      const auto code = static_cast<uint32_t>(stated->exit_code);
      check_public_value("exit code (low limb)", exit[0], Fp::from_u32(code & 0xffff));
      check_public_value("exit code (high limb)", exit[1], Fp::from_u32(code >> 16));
      const std::vector<Fp> roots = stark::poseidon2::tree_update_public_values(stated->root_in, stated->root_out);
      const std::vector<Fp>& proven = public_values[kTreeUpdateTable];
      for (size_t i = 0; i < roots.size(); ++i) {
        check_public_value(i < roots.size() / 2 ? "root_in" : "root_out", i < proven.size() ? proven[i] : Fp::zero(),
                           roots[i]);
      }
    }
    out.push_back({kStateBus, air::Direction::kSend, {segment[kSegmentPcIn], Fp::from_u32(kTsPerStep)}, Fp::one()});
    if (halted == Fp::one()) {
      // The Exit row is the segment's last step, at 4 steps: this binds `steps` of a halting segment.
      out.push_back({kExitBus, air::Direction::kReceive,
                     {exit[0], exit[1], Fp::from_u32(kTsPerStep) * segment[kSegmentSteps]}, Fp::one()});
    } else {
      // The state after the last step: step i runs at 4 (i + 1), so the next one would at 4 steps + 4.
      const Fp ts_out = Fp::from_u32(kTsPerStep) * segment[kSegmentSteps] + Fp::from_u32(kTsPerStep);
      out.push_back({kStateBus, air::Direction::kReceive, {segment[kSegmentPcOut], ts_out}, Fp::one()});
    }
    for (air::BoundaryInteraction& root : stark::poseidon2::tree_root_boundary(kMemoryTreeBus, public_values, kTreeUpdateTable)) {
      out.push_back(std::move(root));
    }
    return out;
  };
  return air::Machine("riscv_segment", std::move(tables), std::move(buses), std::move(boundary));
}

}  // namespace

MemoryBoundaryTable segment_boundary_table(std::span<const ChunkRange> mapped) {
  return make_memory_boundary_table({kMemoryBus, kRange16Bus, kMemoryTreeBus}, mapped, kMemoryTreeDepth, false);
}

air::Machine make_segment_machine(const ProgramImage& program, const SegmentStatement* expected) {
  const std::vector<ChunkRange> mapped = mapped_chunk_ranges(program);
  return assemble_segment({program.entry, program.zero_start_word, program.zero_ranges, program.precompiles}, mapped,
                          std::make_shared<const std::vector<ProgramRow>>(program.program),
                          std::make_shared<const std::vector<ReadableInterval>>(program.readable), expected);
}

air::Machine make_segment_machine(const MachineShape& shape, std::span<const ChunkRange> mapped,
                                  const SegmentStatement* expected) {
  return assemble_segment(shape, mapped, nullptr, nullptr, expected);
}

std::vector<Fp> segment_public_values(const SegmentStatement& statement) {
  return {Fp::from_u32(statement.pc_in), Fp::from_u32(statement.pc_out), Fp::from_u32(statement.steps),
          statement.halted ? Fp::one() : Fp::zero()};
}

std::optional<std::string_view> circuit_version(std::string_view name) {
  if (name == kKeccakF1600Name) return kKeccakF1600Version;
  if (name == kKeccakAbsorbName) return kKeccakAbsorbVersion;
  if (name == kSha256CompressName) return kSha256CompressVersion;
  return std::nullopt;
}

bool has_circuit(std::string_view name, std::string_view version_requirement) {
  const std::optional<std::string_view> version = circuit_version(name);
  if (!version) return false;
  const std::optional<precompiles::VersionRequirement> requirement = precompiles::VersionRequirement::parse(version_requirement);
  return requirement && requirement->matches(*precompiles::parse_version(*version));
}

std::string why_no_circuit(std::string_view name, std::string_view version_requirement) {
  const std::optional<std::string_view> version = circuit_version(name);
  if (!version) return "no circuit proves it";
  return fmt::format("declared as version {}, which the circuit this zkrv has for it (version {}) does not satisfy",
                     version_requirement, *version);
}

size_t circuit_table_count(std::string_view name) { return name == kKeccakAbsorbName ? 2 : 1; }

size_t precompile_table_count(std::span<const DeclaredPrecompile> declared) {
  size_t count = 0;
  for (const DeclaredPrecompile& d : precompile_tables(declared)) count += d.circuit_digest ? 1 : circuit_table_count(d.name);
  return count;
}

std::vector<DeclaredPrecompile> precompile_tables(std::span<const DeclaredPrecompile> declared) {
  std::vector<DeclaredPrecompile> out;
  for (const DeclaredPrecompile& d : declared) {
    if (d.circuit_digest || has_circuit(d.name, d.version_requirement)) out.push_back(d);
  }
  return out;
}

air::Machine make_machine(const ProgramImage& program, std::shared_ptr<const PublicIo> io) {
  return assemble({program.entry, program.zero_start_word, program.zero_ranges, program.precompiles},
                  std::make_shared<const std::vector<ProgramRow>>(program.program),
                  std::make_shared<const std::vector<ImageWord>>(program.image),
                  std::make_shared<const std::vector<ReadableInterval>>(program.readable), std::move(io));
}

air::Machine make_machine(const MachineShape& shape, std::shared_ptr<const PublicIo> io) {
  return assemble(shape, nullptr, nullptr, nullptr, std::move(io));
}

size_t table_of(isa::Op op) {
  const std::optional<Family> family = family_of(op);
  if (!family) return kNumTables;
  switch (*family) {
    case Family::kAddSub: return kAddSubTable;
    case Family::kBitwise: return kBitwiseTable;
    case Family::kLt: return kLtTable;
    case Family::kShift: return kShiftTable;
    case Family::kMul: return kMulTable;
    case Family::kDiv: return kDivTable;
    case Family::kJump: return kJumpTable;
    case Family::kBranch: return kBranchTable;
    case Family::kLoadStore: return kLoadStoreTable;
    case Family::kAtomic: return kAtomicTable;
    case Family::kTape: return kTapeTable;
    case Family::kExit: return kEcallTable;
    case Family::kPrecompile: return kPrecompileCallTable;
  }
  return kNumTables;
}

uint32_t cells_per_row(const air::Machine& machine, size_t table) {
  const air::TableAnalysis& a = machine.analysis(table);
  return static_cast<uint32_t>(a.info.main_width + a.interaction_width() + 4 * a.quotient_chunks());
}

std::vector<Fp> io_digest(std::span<const uint8_t> bytes, bool output) {
  stark::Blake2s hasher(stark::Blake2sParams::personalized(output ? "zkrvpout" : "zkrvpin"));
  hasher.update(bytes);
  const stark::Digest d = hasher.finish();
  std::vector<Fp> limbs;
  for (size_t i = 0; i + 1 < d.size(); i += 2) limbs.push_back(Fp::from_u32(uint32_t{d[i]} | uint32_t{d[i + 1]} << 8));
  return limbs;
}

namespace {

std::vector<uint32_t> words_of(std::span<const uint8_t> bytes) {
  std::vector<uint32_t> words(1 + (bytes.size() + 3) / 4, 0);
  words[0] = static_cast<uint32_t>(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) words[1 + i / 4] |= uint32_t{bytes[i]} << (8 * (i % 4));
  return words;
}

}  // namespace

std::vector<uint32_t> input_words(std::span<const uint8_t> input) { return words_of(input); }

std::vector<uint32_t> output_words(std::span<const uint8_t> output, uint32_t tail) {
  std::vector<uint32_t> words = words_of(output);
  const size_t used = output.size() % 4;
  // Bytes below the length are the statement's; the tail holds only those past it.
  const uint32_t stated = used == 0 ? 0xffffffffu : (1u << (8 * used)) - 1;
  if ((tail & stated) != 0) throw air::AirError(fmt::format("the output's tail {:#x} overlaps its stated bytes", tail));
  if (used != 0) words.back() |= tail;
  return words;
}

}  // namespace zkrv::riscv_air
