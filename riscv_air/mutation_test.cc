// The mutation test (in the spirit of RISC Zero's Picus checks, https://github.com/Veridise/Picus):
// an honest witness of a small run, every cell changed in turn (and random pairs of cells), each
// mutant checked against every constraint and bus without proving. A mutant that still satisfies
// them all must state the same thing: the same public values (exit code, and what later tables
// add). Such a mutant changes no message on any bus (the honest witness is balanced, and only
// the mutated rows changed), so it is the same execution: the cells it changes are don't-cares
// (padding rows, accesses a row does not make). They are listed, so a new one shows up in the log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>

#include "isa/encode.h"
#include "precompile_air/keccak_f1600/keccak_air.h"
#include "precompile_air/sha256_compress/sha256_air.h"
#include "riscv_air/precompile_testing.h"
#include "riscv_air/prover.h"
#include "stark/air/checker.h"
#include "stark/air/witness.h"
#include "vm/testing/program.h"

namespace zkrv::riscv_air {
namespace {

namespace air = stark::air;
using isa::Op;
using vm::testing::TestProgram;
namespace enc = isa::encode;

// One instruction of every family, a read-only load, a store and load of zero-initialised memory.
TestProgram small_program() {
  TestProgram p;
  p.rodata() = {0x78, 0x56, 0x34, 0x12};
  p.li(5, TestProgram::kRodata).li(6, TestProgram::kData);
  p.emit(enc::load(Op::LW, 7, 5, 0));
  p.emit(enc::op_reg(Op::XOR, 8, 7, 5));
  p.emit(enc::op_reg(Op::SLT, 9, 8, 7));
  p.emit(enc::op_imm(Op::SRAI, 9, 8, 3));
  p.emit(enc::op_reg(Op::MULH, 8, 9, 7));
  p.emit(enc::store(Op::SB, 8, 6, 1));
  p.emit(enc::store(Op::SH, 8, 6, 3));   // misaligned, across into the next word
  p.emit(enc::load(Op::LH, 9, 6, 1));    // misaligned within one word
  p.emit(enc::load(Op::LW, 10, 6, 0));
  p.emit(enc::branch(Op::BNE, 10, 0, 8));
  p.emit(enc::op_imm(Op::ADDI, 10, 0, 1));
  p.emit(enc::jal(1, 4));
  p.li(17, 93).emit(enc::ecall());
  return p;
}

using Key = std::pair<air::BusId, std::vector<uint32_t>>;

// Checks mutants of one witness row by row: a cell's mutant changes only its row and the row
// before it (whose `next` it is), and, the honest witness being balanced, the mutant is balanced
// exactly when what those rows put on the buses is unchanged.
class MutationChecker {
 public:
  // `machine`: the statement's (statement_machine), whose IO boundary the honest witness balances.
  MutationChecker(const air::Machine& machine, MachineWitness& w) : machine_(machine), w_(w) {
    for (size_t t = 0; t < machine.num_tables(); ++t) fixed_.push_back(machine.table(t).preprocessed());
    evaluators_.reserve(machine.num_tables());
    for (size_t t = 0; t < machine.num_tables(); ++t) {
      evaluators_.emplace_back(machine.table(t), machine.analysis(t), fixed_[t], w.tables[t]);
    }
  }

  // Whether the witness with the cells set to `values` satisfies every constraint and bus; the
  // witness is left as it was. A cell is (table, row, column), row = SIZE_MAX for a public value.
  struct Cell {
    size_t table, row, column;
  };
  bool accepts(const std::vector<Cell>& cells, const std::vector<Fp>& values) {
    std::map<size_t, std::vector<size_t>> rows;  // per table, the rows to re-evaluate
    bool public_values = false;
    for (const Cell& c : cells) {
      std::vector<size_t>& r = rows[c.table];
      const size_t n = w_.tables[c.table].main.rows();
      if (c.row == SIZE_MAX) {
        public_values = true;
        for (size_t k = 0; k < n; ++k) r.push_back(k);
      } else {
        r.push_back(c.row);
        r.push_back((c.row + n - 1) % n);
      }
    }
    for (auto& [t, r] : rows) {
      std::sort(r.begin(), r.end());
      r.erase(std::unique(r.begin(), r.end()), r.end());
    }
    std::map<Key, Fp> net;
    add(rows, public_values, net, -Fp::one());
    std::vector<Fp> old;
    for (size_t k = 0; k < cells.size(); ++k) {
      Fp& cell = at(cells[k]);
      old.push_back(cell);
      cell = values[k];
    }
    const bool satisfied = add(rows, public_values, net, Fp::one());
    for (size_t k = cells.size(); k-- > 0;) at(cells[k]) = old[k];
    if (!satisfied) return false;
    return std::all_of(net.begin(), net.end(), [](const auto& e) { return e.second == Fp::zero(); });
  }

  Fp& at(const Cell& c) {
    return c.row == SIZE_MAX ? w_.tables[c.table].public_values[c.column] : w_.tables[c.table].main.at(c.row, c.column);
  }

 private:
  // Adds sign x (sends - receives) of the rows (and the boundary) to net; false if a row fails a
  // constraint.
  bool add(const std::map<size_t, std::vector<size_t>>& rows, bool public_values, std::map<Key, Fp>& net, Fp sign) {
    bool satisfied = true;
    for (const auto& [t, list] : rows) {
      const air::TableAnalysis& analysis = machine_.analysis(t);
      for (const size_t r : list) {
        const air::ValueBuilder<Fp>& v = evaluators_[t].evaluate(r);
        for (const Fp& c : v.constraint_values) satisfied = satisfied && c == Fp::zero();
        size_t offset = 0;
        for (const air::SymbolicInteraction& it : analysis.interactions) {
          const Fp m = v.interaction_values[offset];
          if (m != Fp::zero()) {
            Key key{it.bus, {}};
            for (size_t k = 0; k < it.tuple.size(); ++k) key.second.push_back(v.interaction_values[offset + 1 + k].to_u32());
            net[key] += sign * (it.direction == air::Direction::kSend ? m : -m);
          }
          offset += 1 + it.tuple.size();
        }
      }
    }
    if (public_values) {
      std::vector<std::vector<Fp>> pvs;
      for (const air::TableWitness& t : w_.tables) pvs.push_back(t.public_values);
      // The verifier checks the IO digests against the statement before it balances anything: a
      // boundary that throws is a rejection.
      std::vector<air::BoundaryInteraction> boundary;
      try {
        boundary = machine_.boundary(pvs);
      } catch (const air::AirError&) {
        return false;
      }
      for (const air::BoundaryInteraction& b : boundary) {
        Key key{b.bus, {}};
        for (const Fp& x : b.tuple) key.second.push_back(x.to_u32());
        net[key] += sign * (b.direction == air::Direction::kSend ? b.multiplicity : -b.multiplicity);
      }
    }
    return satisfied;
  }

  const air::Machine& machine_;
  MachineWitness& w_;
  std::vector<stark::Matrix<Fp>> fixed_;
  std::vector<air::RowEvaluator> evaluators_;
};

std::vector<std::vector<Fp>> statement_of(const MachineWitness& w) {
  std::vector<std::vector<Fp>> out;
  for (const air::TableWitness& t : w.tables) out.push_back(t.public_values);
  return out;
}

// `fast`'s setup with its witnesses generated for whole tables (no rows reserved for zero
// knowledge): the checker reads every row, as the AIR's constraints do without the random rows.
ProvingSetup whole_table_setup(const TestProgram& p) {
  ProvingSetup s = setup(p.image(), stark::fast_profile());
  s.params.zk = false;
  return s;
}

TEST(RiscvMutation, EveryAcceptedMutantStatesTheSame) {
  const TestProgram p = small_program();
  const ProvingSetup s = whole_table_setup(p);
  MachineWitness w = run_witness(s, p.image(), {});
  const air::Machine machine = statement_machine(s, w);
  ASSERT_TRUE(stark::air::check_machine(machine, [&] {
                std::vector<stark::Matrix<Fp>> f;
                for (size_t t = 0; t < machine.num_tables(); ++t) f.push_back(machine.table(t).preprocessed());
                return f;
              }(), w.tables).ok());
  const auto honest = statement_of(w);
  MutationChecker checker(machine, w);
  std::mt19937 rng(12);
  const auto random_fp = [&] { return Fp::from_u32(static_cast<uint32_t>(rng() % 0x7f000001u)); };

  // Rows that put nothing on any bus: family, Exit and ZeroInit rows with is_real = 0 (column 0),
  // Image rows past the image.
  const auto is_padding = [&](const MutationChecker::Cell& c) {
    if (c.table == kImageTable) return c.row >= s.program.image.size();
    return c.table >= kZeroInitTable && w.tables[c.table].main.at(c.row, 0) == Fp::zero();
  };
  // Every cell: +1, -1 and a random value.
  std::map<std::string, size_t> free_cells;  // "table column" -> accepted mutants
  size_t mutants = 0, accepted = 0;
  for (size_t t = 0; t < w.tables.size(); ++t) {
    const air::TableInfo info = machine.table(t).info();
    const stark::Matrix<Fp>& m = w.tables[t].main;
    std::vector<MutationChecker::Cell> cells;
    // Range16's and ByteXor's 2^16 counts: every 37th (each is the only supplier of its tuple, so
    // any change unbalances the bus; all of them would be 90% of the mutants).
    const size_t stride = m.rows() > 4096 ? 37 : 1;
    for (size_t r = 0; r < m.rows(); r += stride) {
      for (size_t c = 0; c < m.width(); ++c) cells.push_back({t, r, c});
    }
    for (size_t k = 0; k < w.tables[t].public_values.size(); ++k) cells.push_back({t, SIZE_MAX, k});
    for (const MutationChecker::Cell& cell : cells) {
      const Fp v = checker.at(cell);
      for (const Fp& x : {v + Fp::one(), v - Fp::one(), random_fp()}) {
        ++mutants;
        if (x == v || !checker.accepts({cell}, {x})) continue;
        ++accepted;
        ASSERT_NE(cell.row, SIZE_MAX) << info.name << " public value " << cell.column << " changed to " << x.to_u32();
        const std::string name = cell.column < info.main_names.size() ? info.main_names[cell.column] : std::to_string(cell.column);
        ++free_cells[info.name + " column " + name + (is_padding(cell) ? " (padding rows)" : " (real rows)")];
      }
    }
  }
  // Random pairs of cells among the family, Exit and ZeroInit tables, often in one row.
  std::vector<size_t> tables;
  for (size_t t = kZeroInitTable; t < w.tables.size(); ++t) tables.push_back(t);
  size_t pair_accepted = 0;
  for (int k = 0; k < 20000; ++k) {
    const size_t t = tables[rng() % tables.size()];
    const stark::Matrix<Fp>& m = w.tables[t].main;
    const MutationChecker::Cell a{t, rng() % m.rows(), rng() % m.width()};
    const size_t t2 = rng() % 2 ? t : tables[rng() % tables.size()];
    const stark::Matrix<Fp>& m2 = w.tables[t2].main;
    const MutationChecker::Cell b{t2, t2 == t && rng() % 2 ? a.row : rng() % m2.rows(), rng() % m2.width()};
    if (a.table == b.table && a.row == b.row && a.column == b.column) continue;
    const auto value = [&](const MutationChecker::Cell& c) {
      const Fp v = checker.at(c);
      switch (rng() % 3) {
        case 0: return v + Fp::one();
        case 1: return v - Fp::one();
        default: return random_fp();
      }
    };
    ++mutants;
    if (checker.accepts({a, b}, {value(a), value(b)})) ++pair_accepted;
  }
  EXPECT_EQ(statement_of(w), honest);
  std::printf("%zu mutants, %zu single-cell and %zu pair mutants accepted\n", mutants, accepted, pair_accepted);
  for (const auto& [cell, n] : free_cells) std::printf("  free: %s (%zu)\n", cell.c_str(), n);
}

// Segment mode: a segment that neither starts at the entry nor halts (the middle of a loop over
// memory, an LR's reservation open across both cuts), its witness checked against the segment
// machine with its statement. Every cell of the memory-boundary table, every real row of the
// tree-update table and every public value changed in turn (+1, -1, a random value): an accepted
// mutant must state the same (the boundary throws on a public value not the statement's); the
// cells accepted mutants change are listed. The tree-update table's padding and its Poseidon2
// cells are tree_update_air_test's sweep.
TEST(RiscvMutation, EveryAcceptedSegmentMutantStatesTheSame) {
  TestProgram p;
  p.li(20, TestProgram::kData + 0x200);
  p.emit(enc::amo(Op::LR_W, 21, 20, 0));
  p.li(5, TestProgram::kData + 0x100).li(6, 6);
  const uint32_t loop = p.pc();
  p.emit(enc::store(Op::SW, 6, 5, 0));
  p.emit(enc::load(Op::LW, 8, 5, 0));
  p.emit(enc::op_imm(Op::ADDI, 5, 5, 4));
  p.emit(enc::op_imm(Op::ADDI, 6, 6, -1));
  p.emit(enc::branch(Op::BNE, 6, 0, static_cast<int32_t>(loop - p.pc())));
  p.emit(enc::amo(Op::SC_W, 22, 20, 6));
  p.exit_with(22);
  const elf::ElfImage image = p.image();
  ProvingSetup s = setup(image, stark::fast_profile());
  s.params.zk = false;
  const SegmentSetup segments = segment_setup(s);
  std::vector<vm::Checkpoint> checkpoints;
  vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  vm::Vm(image, config).run({}, 12, [&](vm::Checkpoint c) { checkpoints.push_back(std::move(c)); });
  ASSERT_GE(checkpoints.size(), 3u);
  const ChunkWords salt = {1, 2, 3, 4};
  SegmentWitness w = segment_witness(s, segments, image, {}, checkpoints[1], 12, salt);
  ASSERT_FALSE(w.statement.halted);
  const air::Machine machine = make_segment_machine(s.program, &w.statement);
  std::vector<stark::Matrix<Fp>> fixed;
  for (size_t t = 0; t < machine.num_tables(); ++t) fixed.push_back(machine.table(t).preprocessed());
  ASSERT_TRUE(stark::air::check_machine(machine, fixed, w.machine.tables).ok());
  const auto honest = statement_of(w.machine);
  MutationChecker checker(machine, w.machine);
  std::mt19937 rng(14);
  const auto random_fp = [&] { return Fp::from_u32(static_cast<uint32_t>(rng() % 0x7f000001u)); };
  std::vector<MutationChecker::Cell> cells;
  const stark::Matrix<Fp>& boundary = w.machine.tables[kMemoryBoundaryTable].main;
  for (size_t r = 0; r < boundary.rows(); ++r) {
    for (size_t c = 0; c < boundary.width(); ++c) cells.push_back({kMemoryBoundaryTable, r, c});
  }
  const stark::Matrix<Fp>& tree = w.machine.tables[kTreeUpdateTable].main;
  for (size_t r = 0; r < tree.rows() && tree.at(r, 0) != Fp::zero(); ++r) {
    for (size_t c = 0; c < tree.width(); ++c) cells.push_back({kTreeUpdateTable, r, c});
  }
  for (const size_t t : {size_t{kMemoryBoundaryTable}, size_t{kTreeUpdateTable}, size_t{kExitTable}}) {
    for (size_t k = 0; k < w.machine.tables[t].public_values.size(); ++k) cells.push_back({t, SIZE_MAX, k});
  }
  std::map<std::string, size_t> free_cells;
  size_t mutants = 0;
  for (const MutationChecker::Cell& cell : cells) {
    const air::TableInfo info = machine.table(cell.table).info();
    const Fp v = checker.at(cell);
    for (const Fp& x : {v + Fp::one(), v - Fp::one(), random_fp()}) {
      ++mutants;
      if (x == v || !checker.accepts({cell}, {x})) continue;
      ASSERT_NE(cell.row, SIZE_MAX) << info.name << " public value " << cell.column << " changed to " << x.to_u32();
      const bool real = w.machine.tables[cell.table].main.at(cell.row, 0) != Fp::zero();
      const std::string name = cell.column < info.main_names.size() ? info.main_names[cell.column] : std::to_string(cell.column);
      ++free_cells[info.name + " column " + name + (real ? " (real rows)" : " (padding rows)")];
    }
  }
  EXPECT_EQ(statement_of(w.machine), honest);
  // A real boundary row has no free cell: every one is a limb, a bound or a record.
  for (const auto& [cell, n] : free_cells) {
    EXPECT_FALSE(cell.starts_with("memory_boundary") && cell.ends_with("(real rows)")) << cell;
  }
  std::printf("%zu segment mutants\n", mutants);
  for (const auto& [cell, n] : free_cells) std::printf("  free: %s (%zu)\n", cell.c_str(), n);
}

// Every cell of the PrecompileCall and PrecompileMemory tables and of the precompile table's cells
// from `first_column` on (its call's), plus `extra` cells of it (the words its messages carry),
// changed in turn (+1, -1, a random value) in the witness of `p`'s run. An accepted mutant must
// state the same, and the cells it changes are listed as in EveryAcceptedMutantStatesTheSame.
void check_precompile_call_mutants(const TestProgram& p, size_t first_column, size_t active_column,
                                   const std::vector<size_t>& extra = {}) {
  ProvingSetup s = setup(p.image(), stark::fast_profile());
  s.params.zk = false;
  MachineWitness w = run_witness(s, p.image(), {}, testing::precompile_config());
  const air::Machine machine = statement_machine(s, w);
  const auto honest = statement_of(w);
  MutationChecker checker(machine, w);
  std::mt19937 rng(13);
  const auto random_fp = [&] { return Fp::from_u32(static_cast<uint32_t>(rng() % 0x7f000001u)); };
  std::map<std::string, size_t> free_cells;
  size_t mutants = 0;
  for (const size_t t : {size_t{kPrecompileCallTable}, size_t{kPrecompileMemoryTable}, size_t{kNumTables}}) {
    const air::TableInfo info = machine.table(t).info();
    const stark::Matrix<Fp>& m = w.tables[t].main;
    std::vector<size_t> columns = t == kNumTables ? extra : std::vector<size_t>{};
    for (size_t c = t == kNumTables ? first_column : 0; c < m.width(); ++c) columns.push_back(c);
    for (size_t r = 0; r < m.rows(); ++r) {
      for (const size_t c : columns) {
        const MutationChecker::Cell cell{t, r, c};
        const Fp v = checker.at(cell);
        for (const Fp& x : {v + Fp::one(), v - Fp::one(), random_fp()}) {
          ++mutants;
          if (x == v || !checker.accepts({cell}, {x})) continue;
          // A real call's row: is_real (column 0) or, in the precompile's table, active.
          const bool real = m.at(r, t == kNumTables ? active_column : 0) != Fp::zero();
          const std::string name = c < info.main_names.size() ? info.main_names[c] : std::to_string(c);
          ++free_cells[info.name + " column " + name + (real ? " (real rows)" : " (padding rows)")];
        }
      }
    }
  }
  EXPECT_EQ(statement_of(w), honest);
  std::printf("%zu precompile-call mutants\n", mutants);
  for (const auto& [cell, n] : free_cells) std::printf("  free: %s (%zu)\n", cell.c_str(), n);
}

// A guest that calls keccak-f twice; the keccak table's call columns (active to the state words;
// the permutation's own cells are keccak_air_test's).
TEST(RiscvMutation, EveryAcceptedPrecompileCallMutantStatesTheSame) {
  namespace keccak = precompile_air::keccak_f1600;
  TestProgram p;
  p.declare_precompile(1, std::string(kKeccakF1600Name), "^1.0.0");
  p.data().assign(200, 0x5a);
  p.li(10, TestProgram::kData);
  p.emit(enc::precompile(1, 0, 10, 0)).emit(enc::precompile(1, 11, 10, 0));
  p.emit(enc::load(Op::LW, 12, 10, 8));
  p.li(17, 93).emit(enc::ecall());
  check_precompile_call_mutants(p, static_cast<size_t>(keccak::KeccakColumns::kActive),
                                static_cast<size_t>(keccak::KeccakColumns::kActive));
}

// A guest that calls SHA-256 compression twice, the second time on a read-only block; the SHA-256
// table's call columns and the bits its messages carry (H, H', W[0..15]; the compression's own cells
// are sha256_air_test's).
TEST(RiscvMutation, EveryAcceptedSha256CallMutantStatesTheSame) {
  using Columns = precompile_air::sha256_compress::Sha256Columns;
  TestProgram p;
  p.declare_precompile(3, std::string(kSha256CompressName), "^1.0.0");
  p.data().assign(0x80, 0x5a);
  p.rodata().assign(64, 0xa7);
  p.li(10, TestProgram::kData).li(11, TestProgram::kData + 0x40).li(13, TestProgram::kRodata);
  p.emit(enc::precompile(3, 0, 10, 11)).emit(enc::precompile(3, 0, 10, 13));
  p.emit(enc::load(Op::LW, 12, 10, 8));
  p.li(17, 93).emit(enc::ecall());
  std::vector<size_t> words;
  for (int c = Columns::kInputStart; c < Columns::kInputStart + 256; ++c) words.push_back(static_cast<size_t>(c));
  for (int c = Columns::kScheduleStart; c < Columns::kScheduleStart + 512; ++c) words.push_back(static_cast<size_t>(c));
  for (int c = Columns::kOutputStart; c < Columns::kOutputStart + 256; ++c) words.push_back(static_cast<size_t>(c));
  check_precompile_call_mutants(p, static_cast<size_t>(Columns::kActive), static_cast<size_t>(Columns::kActive), words);
}

// A guest that absorbs twice (zkrv.keccak_absorb), the second block in read-only memory (its
// PrecompileMemory rows name the read-only space): every cell of the PrecompileCall and
// PrecompileMemory tables, of the keccak-f table's call columns and of the absorb table changed in
// turn, as above. An accepted mutant must state the same; its cells are listed.
TEST(RiscvMutation, EveryAcceptedAbsorbMutantStatesTheSame) {
  namespace keccak = precompile_air::keccak_f1600;
  TestProgram p;
  p.declare_precompile(1, std::string(kKeccakAbsorbName), "^1.0.0");
  p.data().assign(0x200 + 136, 0x5a);
  for (size_t i = 0x200; i < p.data().size(); ++i) p.data()[i] = static_cast<uint8_t>(i);
  p.rodata().assign(p.data().begin() + 0x200, p.data().end());
  p.li(10, TestProgram::kData).li(11, TestProgram::kData + 0x200).li(13, TestProgram::kRodata);
  p.emit(enc::precompile(1, 0, 10, 11)).emit(enc::precompile(1, 12, 10, 13));
  p.emit(enc::load(Op::LW, 12, 10, 8));
  p.li(17, 93).emit(enc::ecall());
  ProvingSetup s = setup(p.image(), stark::fast_profile());
  s.params.zk = false;
  MachineWitness w = run_witness(s, p.image(), {}, testing::precompile_config());
  const air::Machine machine = statement_machine(s, w);
  const auto honest = statement_of(w);
  MutationChecker checker(machine, w);
  std::mt19937 rng(17);
  const auto random_fp = [&] { return Fp::from_u32(static_cast<uint32_t>(rng() % 0x7f000001u)); };
  std::map<std::string, size_t> free_cells;
  size_t mutants = 0;
  const size_t keccak_table = kNumTables, absorb_table = kNumTables + 1;
  for (const size_t t : {size_t{kPrecompileCallTable}, size_t{kPrecompileMemoryTable}, keccak_table, absorb_table}) {
    const air::TableInfo info = machine.table(t).info();
    const stark::Matrix<Fp>& m = w.tables[t].main;
    const size_t first_column = t == keccak_table ? static_cast<size_t>(keccak::KeccakColumns::kActive) : 0;
    for (size_t r = 0; r < m.rows(); ++r) {
      for (size_t c = first_column; c < m.width(); ++c) {
        const MutationChecker::Cell cell{t, r, c};
        const Fp v = checker.at(cell);
        for (const Fp& x : {v + Fp::one(), v - Fp::one(), random_fp()}) {
          ++mutants;
          if (x == v || !checker.accepts({cell}, {x})) continue;
          const bool real = m.at(r, t == keccak_table ? static_cast<size_t>(keccak::KeccakColumns::kActive) : 0) != Fp::zero();
          const std::string name = c < info.main_names.size() ? info.main_names[c] : std::to_string(c);
          ++free_cells[info.name + " column " + name + (real ? " (real rows)" : " (padding rows)")];
        }
      }
    }
  }
  EXPECT_EQ(statement_of(w), honest);
  for (const auto& [cell, n] : free_cells) {
    EXPECT_EQ(cell.find("keccak_absorb[1] column") == 0 && cell.find("(real rows)") != std::string::npos, false)
        << "a real absorb row's cell accepted a mutant: " << cell;
  }
  std::printf("%zu absorb mutants\n", mutants);
  for (const auto& [cell, n] : free_cells) std::printf("  free: %s (%zu)\n", cell.c_str(), n);
}

// The checker itself: a change that breaks a constraint or a bus is rejected, and no change is
// accepted.
TEST(RiscvMutation, TheCheckerSeesBrokenConstraintsAndBuses) {
  const TestProgram p = small_program();
  const ProvingSetup s = whole_table_setup(p);
  MachineWitness w = run_witness(s, p.image(), {});
  const air::Machine machine = statement_machine(s, w);
  MutationChecker checker(machine, w);
  // The exit code: rejected on the EXIT bus.
  EXPECT_FALSE(checker.accepts({{kExitTable, SIZE_MAX, 0}}, {Fp::from_u32(7)}));
  // Image's first final record (x0's): rejected on MEMORY.
  EXPECT_FALSE(checker.accepts({{kImageTable, 0, 0}}, {Fp::from_u32(99)}));
  // is_real of ZeroInit's padding row: rejected by "the last row is padding".
  const size_t last = w.tables[kZeroInitTable].main.rows() - 1;
  EXPECT_FALSE(checker.accepts({{kZeroInitTable, last, 0}}, {Fp::one()}));
  // The same cell set to what it is: accepted.
  EXPECT_TRUE(checker.accepts({{kZeroInitTable, last, 0}}, {Fp::zero()}));
}

}  // namespace
}  // namespace zkrv::riscv_air
