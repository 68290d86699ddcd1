// Per-table checks: the machine's shape (no unused columns, degrees within the bound, the cells a
// row commits), and under-constraint probes: with a row's inputs fixed, its outputs have one
// satisfying assignment among candidates that include wrap-around values near p.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <tuple>
#include <cstdio>

#include "isa/isa.h"
#include "riscv_air/add_sub_air.h"
#include "riscv_air/atomic_air.h"
#include "riscv_air/bitwise_air.h"
#include "riscv_air/branch_air.h"
#include "riscv_air/div_air.h"
#include "riscv_air/ecall_air.h"
#include "riscv_air/jump_air.h"
#include "riscv_air/load_store_air.h"
#include "riscv_air/lt_air.h"
#include "riscv_air/machine.h"
#include "riscv_air/misaligned_air.h"
#include "riscv_air/mul_air.h"
#include "riscv_air/generation.h"
#include "riscv_air/program.h"
#include "riscv_air/shift_air.h"
#include "riscv_air/tape_air.h"
#include "riscv_air/tape_words_air.h"
#include "riscv_air/zero_init_air.h"
#include "precompile_air/keccak_f1600/keccak_air.h"
#include "stark/air/probe.h"
#include "vm/testing/program.h"

namespace zkrv::riscv_air {
namespace {

namespace air = stark::air;
using isa::Op;

Fp fp(uint32_t v) { return Fp::from_u32(v); }

TEST(RiscvTables, EveryColumnIsUsedAndDegreesStayWithinTheBound) {
  // A program that declares keccak-f (which has a circuit) and another precompile (which has none).
  const air::Machine m = make_machine(MachineShape{0x10000,
                                                   0x80000,
                                                   {{kMemorySpace, 0x80000, 0x84000}, {kReadOnlySpace, 0x90000, 0x90400}},
                                                   {{1, std::string(kKeccakF1600Name), "^1.0.0", std::nullopt, nullptr, std::nullopt},
                                                    {2, "acme.widget", "1", std::nullopt, nullptr, std::nullopt}}});
  ASSERT_EQ(m.num_tables(), static_cast<size_t>(kNumTables) + 1);
  for (size_t t = 0; t < m.num_tables(); ++t) {
    const air::TableAnalysis& a = m.analysis(t);
    EXPECT_TRUE(a.unused_main.empty()) << a.info.name << " column " << a.unused_main.front();
    EXPECT_LE(a.max_degree, air::kMaxConstraintDegree) << a.info.name;
    // The figures docs/proof-system.md quotes: main + interaction columns per row.
    std::printf("%-10s main %3d  interactions %2zu  logup columns %3d  total %3d\n", a.info.name.c_str(),
                a.info.main_width, a.interactions.size(), a.interaction_width(),
                a.info.main_width + a.interaction_width());
  }
}

// The values a probe may try for a limb or carry: small ones, the 16-bit edges and p - k.
std::vector<Fp> candidates(std::initializer_list<uint32_t> values) {
  std::vector<Fp> out;
  for (uint32_t v : values) out.push_back(fp(v));
  for (uint32_t k : {1u, 2u, 65535u, 65536u}) out.push_back(-fp(k));
  return out;
}

// Sends on RANGE16 must be 16-bit and on BYTE a byte pair with its xor: what the fixed tables hold.
const air::InteractionFilter kLookupsHold = [](air::BusId bus, air::Direction, const std::vector<Fp>& t, Fp) {
  if (bus == kRange16Bus) return t[0].to_u32() < (1u << 16);
  if (bus == kByteBus) return t[0].to_u32() < 256 && t[1].to_u32() < 256 && t[2].to_u32() == (t[0].to_u32() ^ t[1].to_u32());
  return true;
};

// Runs the probe with each cell's candidates deduplicated (a repeated candidate would count one
// assignment twice).
template <class T>
std::vector<air::ProbeResult> probe(const T& table, const air::ProbeWindow& window, std::vector<air::ProbeCell> cells) {
  for (air::ProbeCell& cell : cells) {
    std::vector<Fp> unique;
    for (const Fp& v : cell.candidates) {
      if (std::find(unique.begin(), unique.end(), v) == unique.end()) unique.push_back(v);
    }
    cell.candidates = std::move(unique);
  }
  const auto erased = air::make_table(table);
  return air::probe_assignments(*erased, air::analyze_table(table), window, cells, kLookupsHold);
}

// A real row with its core filled in (pc, ts and the decoded instruction's fields).
template <class Cols>
std::vector<Fp> core_row(const Cols& c, uint32_t pc, int32_t imm, uint32_t len = 4) {
  std::vector<Fp> row(kWidth<Cols>);
  const uint32_t u = static_cast<uint32_t>(imm);
  row[c.core.is_real] = Fp::one();
  row[c.core.pc] = fp(pc);
  row[c.core.pc_hi] = fp(pc >> 16);
  row[c.core.ts] = fp(400);
  row[c.core.imm_lo] = fp(u & 0xffff);
  row[c.core.imm_hi] = fp(u >> 16);
  row[c.core.imm] = imm >= 0 ? fp(u) : -fp(static_cast<uint32_t>(-static_cast<int64_t>(imm)));
  row[c.core.len] = fp(len);
  row[c.core.rd_w] = Fp::one();
  row[c.core.rd] = fp(5);
  return row;
}

// The access at `slot` consumes a record from ts 0: its ts difference limbs.
void settle(std::vector<Fp>& row, const AccessCols& a, uint32_t slot) { row[a.d0] = fp(400 + slot - 1); }

TEST(RiscvTablesProbe, AddSubHasOneResult) {
  const AddSubCols c = make_columns<AddSubCols>();
  const std::vector<std::pair<uint32_t, uint32_t>> operands = {{0, 0}, {0xffff, 1}, {0xffffffff, 1}, {5, 7}, {0x8000, 0xffff8000}};
  for (const bool sub : {false, true}) {
    for (const auto& [a, b] : operands) {
      std::vector<Fp> row = core_row(c, 0x10000, 0);
      row[sub ? c.is_sub : c.is_add] = Fp::one();
      settle(row, c.rs1, kSlotRs1);
      settle(row, c.rs2, kSlotRs2);
      settle(row, c.rd, kSlotRd);
      row[c.rs1.prev_lo] = fp(a & 0xffff);
      row[c.rs1.prev_hi] = fp(a >> 16);
      row[c.rs2.prev_lo] = fp(b & 0xffff);
      row[c.rs2.prev_hi] = fp(b >> 16);
      const uint32_t r = sub ? a - b : a + b;
      const auto results = probe(AddSubTable{}, {row, std::vector<Fp>(kWidth<AddSubCols>), {}, false, false},
                                 {{false, c.r_lo, candidates({r & 0xffff, (r & 0xffff) + 1, (r & 0xffff) + 65536, 0})},
                                  {false, c.r_hi, candidates({r >> 16, (r >> 16) + 1, (r >> 16) + 65536, 0})},
                                  {false, c.c0, candidates({0, 1, 2})},
                                  {false, c.c1, candidates({0, 1, 2})}});
      ASSERT_EQ(results.size(), 1u) << a << (sub ? " - " : " + ") << b;
      EXPECT_EQ(results[0].local[c.r_lo], fp(r & 0xffff));
      EXPECT_EQ(results[0].local[c.r_hi], fp(r >> 16));
    }
  }
}

TEST(RiscvTablesProbe, BitwiseHasOneResult) {
  const BitwiseCols c = make_columns<BitwiseCols>();
  const uint32_t a = 0xf0f01234u, b = 0x0ff0ff81u;
  for (const int flag : {c.is_xor, c.is_or, c.is_and}) {
    const uint32_t r = flag == c.is_xor ? a ^ b : flag == c.is_or ? a | b : a & b;
    std::vector<Fp> row = core_row(c, 0x10000, 0);
    row[flag] = Fp::one();
    settle(row, c.rs1, kSlotRs1);
    settle(row, c.rs2, kSlotRs2);
    settle(row, c.rd, kSlotRd);
    row[c.rs1.prev_lo] = fp(a & 0xffff);
    row[c.rs1.prev_hi] = fp(a >> 16);
    row[c.rs2.prev_lo] = fp(b & 0xffff);
    row[c.rs2.prev_hi] = fp(b >> 16);
    for (int k = 0; k < 4; ++k) {
      row[c.a[k]] = fp(a >> (8 * k) & 0xff);
      row[c.b[k]] = fp(b >> (8 * k) & 0xff);
    }
    std::vector<air::ProbeCell> cells;
    for (int k = 0; k < 2; ++k) {
      const uint32_t x = (a ^ b) >> (8 * k) & 0xff;
      cells.push_back({false, c.x[k], candidates({x, x ^ 1, x + 256, 0})});
    }
    cells.push_back({false, c.r_lo, candidates({r & 0xffff, (r & 0xffff) ^ 1, 0, (r & 0xffff) + 65536})});
    row[c.x[2]] = fp((a ^ b) >> 16 & 0xff);
    row[c.x[3]] = fp((a ^ b) >> 24);
    row[c.r_hi] = fp(r >> 16);
    const auto results = probe(BitwiseTable{}, {row, std::vector<Fp>(kWidth<BitwiseCols>), {}, false, false}, cells);
    ASSERT_EQ(results.size(), 1u) << flag;
    EXPECT_EQ(results[0].local[c.r_lo], fp(r & 0xffff)) << flag;
  }
}

TEST(RiscvTablesProbe, LtHasOneResult) {
  const LtCols c = make_columns<LtCols>();
  const std::vector<std::pair<uint32_t, uint32_t>> operands = {{1, 2}, {2, 1}, {0xffffffff, 1}, {0x80000000, 0x7fffffff}, {5, 5}};
  for (const bool is_signed : {true, false}) {
    for (const auto& [a, b] : operands) {
      std::vector<Fp> row = core_row(c, 0x10000, 0);
      row[is_signed ? c.is_slt : c.is_sltu] = Fp::one();
      settle(row, c.rs1, kSlotRs1);
      settle(row, c.rs2, kSlotRs2);
      settle(row, c.rd, kSlotRd);
      row[c.rs1.prev_lo] = fp(a & 0xffff);
      row[c.rs1.prev_hi] = fp(a >> 16);
      row[c.rs2.prev_lo] = fp(b & 0xffff);
      row[c.rs2.prev_hi] = fp(b >> 16);
      const uint32_t br0 = (a & 0xffff) < (b & 0xffff);
      row[c.cmp.d_lo] = fp(((a & 0xffff) - (b & 0xffff)) & 0xffff);
      row[c.cmp.d_hi] = fp(((a >> 16) - (b >> 16) - br0) & 0xffff);
      row[c.cmp.br0] = fp(br0);
      row[c.cmp.sa] = fp(a >> 31);
      row[c.cmp.sb] = fp(b >> 31);
      row[c.cmp.ra] = fp((a >> 16) & 0x7fff);
      row[c.cmp.rb] = fp((b >> 16) & 0x7fff);
      const uint32_t r = is_signed ? static_cast<int32_t>(a) < static_cast<int32_t>(b) : a < b;
      const auto results = probe(LtTable{}, {row, std::vector<Fp>(kWidth<LtCols>), {}, false, false},
                                 {{false, c.cmp.br1, candidates({0, 1, 2})},
                                  {false, c.cmp.lt, candidates({0, 1, 2})},
                                  {false, c.r, candidates({0, 1, 2})}});
      ASSERT_EQ(results.size(), 1u) << std::hex << a << " " << b;
      EXPECT_EQ(results[0].local[c.r], fp(r)) << std::hex << a << " " << b;
    }
  }
}

// The keccak table's round-0 row of a call: the pointer's word address ptr_lo / 4 is the only value
// of ptr_word the row admits (RANGE16 holds it), and a pointer that is not word aligned has none.
TEST(RiscvTablesProbe, KeccakCallPointerIsAlignedAndUnique) {
  namespace keccak = precompile_air::keccak_f1600;
  using Columns = keccak::KeccakColumns;
  keccak::KeccakTable table;
  table.buses = {kPrecompileBus, kPrecompileWordBus, kRange16Bus, 1};
  for (const uint32_t ptr : {0x200000u, 0x20fff0u, 0x200002u, 0x200001u}) {
    const air::TableWitness w = keccak::keccak_call_witness(std::vector<keccak::Call>{{{}, 400, ptr & ~3u, 0}});
    std::vector<Fp> local(w.main.row(0).begin(), w.main.row(0).end());
    std::vector<Fp> next(w.main.row(1).begin(), w.main.row(1).end());
    local[Columns::kPtrLo] = fp(ptr & 0xffff);
    next[Columns::kPtrLo] = fp(ptr & 0xffff);
    const uint32_t q = (ptr & 0xffff) >> 2;
    std::vector<Fp> q_candidates = candidates({q, q + 1, q + 16384});
    q_candidates.push_back(fp(ptr & 0xffff) * fp(4).inverse());
    const auto results = probe(table, {local, next, {}, true, false}, {{false, Columns::kPtrWord, q_candidates}});
    if (ptr % 4 != 0) {
      EXPECT_TRUE(results.empty()) << std::hex << ptr;
    } else {
      ASSERT_EQ(results.size(), 1u) << std::hex << ptr;
      EXPECT_EQ(results[0].local[Columns::kPtrWord], fp(q));
    }
  }
}

// The witness of a small program's run (no commitment: setup is not needed to generate it).
MachineWitness witness_of(const vm::testing::TestProgram& p) {
  const elf::ElfImage image = p.image();
  const ProgramImage program = program_image(image);
  vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  vm::Vm vm(image, config);
  vm::Trace trace;
  const vm::RunResult result = vm.run_traced({}, &trace);
  return generate_witness(program, make_machine(program), trace.steps, result);
}

uint32_t shifted(Op op, uint32_t a, uint32_t amount) {
  amount &= 31;
  if (op == Op::SLL) return a << amount;
  if (op == Op::SRL) return a >> amount;
  return static_cast<uint32_t>(static_cast<int32_t>(a) >> amount);
}

// Shift: a real row from an honest run; the shift amount's decomposition and the result's low limb
// are probed against the results of every other amount: one assignment, the honest one.
TEST(RiscvTablesProbe, ShiftHasOneResult) {
  const ShiftCols c = make_columns<ShiftCols>();
  const uint32_t a = 0x80f01235u;
  for (const Op op : {Op::SLL, Op::SRL, Op::SRA}) {
    for (const uint32_t amount : {0u, 3u, 8u, 13u, 31u, 0xffffffe9u}) {
      vm::testing::TestProgram p;
      p.li(5, a).li(7, amount).emit(isa::encode::op_reg(op, 8, 5, 7)).exit(0);
      const MachineWitness w = witness_of(p);
      const stark::Matrix<Fp>& m = w.tables[kShiftTable].main;
      const std::vector<Fp> local(m.row(0).begin(), m.row(0).end()), next(m.row(1).begin(), m.row(1).end());
      std::vector<Fp> results_lo, results_hi;
      for (uint32_t k = 0; k < 32; ++k) {
        results_lo.push_back(fp(shifted(op, a, k) & 0xffff));
        results_hi.push_back(fp(shifted(op, a, k) >> 16));
      }
      std::vector<air::ProbeCell> cells;
      for (int i = 0; i < 3; ++i) cells.push_back({false, c.t[i], {fp(0), fp(1)}});
      for (int q = 0; q < 4; ++q) cells.push_back({false, c.sel[q], {fp(0), fp(1)}});
      cells.push_back({false, c.w, candidates({local[c.w].to_u32(), local[c.w].to_u32() + 1, 0})});
      cells.push_back({false, c.r_lo, results_lo});
      auto results = probe(ShiftTable{}, {local, next, {}, false, false}, cells);
      ASSERT_EQ(results.size(), 1u) << isa::mnemonic(op) << " " << amount;
      EXPECT_EQ(results[0].local[c.r_lo], fp(shifted(op, a, amount) & 0xffff));
      // Then the byte shift selectors against what any subset of byte shifts would sum to.
      const auto cell = [&](int col) { return local[static_cast<size_t>(col)].to_u32(); };
      for (uint32_t subset = 1; subset < 16; ++subset) {
        uint32_t r = 0;
        for (int j = 0; j < 4; ++j) {
          uint32_t byte = 0;
          for (int q = 0; q < 4; ++q) {
            if ((subset >> q & 1) == 0) continue;
            if (op == Op::SLL) {
              if (j - q == 0) byte += cell(c.lo[0]);
              if (j - q > 0) byte += cell(c.lo[j - q]) + cell(c.hi[j - q - 1]);
            } else {
              const int k = j + q;
              byte += k < 3 ? cell(c.hi[k]) + cell(c.lo[k + 1]) : k == 3 ? cell(c.v3) : 255 * cell(c.fill);
            }
          }
          r += byte << (8 * j);
        }
        results_lo.push_back(fp(r & 0xffff));
        results_hi.push_back(fp(r >> 16));
      }
      cells.clear();
      for (int q = 0; q < 4; ++q) cells.push_back({false, c.sel[q], {fp(0), fp(1)}});
      cells.push_back({false, c.r_lo, results_lo});
      cells.push_back({false, c.r_hi, results_hi});
      results = probe(ShiftTable{}, {local, next, {}, false, false}, cells);
      ASSERT_EQ(results.size(), 1u) << isa::mnemonic(op) << " " << amount;
      EXPECT_EQ(results[0].local[c.r_hi], fp(shifted(op, a, amount) >> 16));
    }
  }
}

// JALR: the target has bit 0 cleared, and one (s, bit0, q) decomposition exists.
TEST(RiscvTablesProbe, JalrClearsBitZero) {
  const JumpCols c = make_columns<JumpCols>();
  for (const uint32_t rs1 : {0x10001u, 0x10000u, 0x1fffeu, 0x2ffffu}) {
    std::vector<Fp> row = core_row(c, 0x10000, 3);
    row[c.is_jalr] = Fp::one();
    settle(row, c.rs1, kSlotRs1);
    settle(row, c.rd, kSlotRd);
    row[c.rs1.prev_lo] = fp(rs1 & 0xffff);
    row[c.rs1.prev_hi] = fp(rs1 >> 16);
    const uint32_t link = 0x10004;
    row[c.r_lo] = fp(link & 0xffff);
    row[c.r_hi] = fp(link >> 16);
    const uint32_t s = rs1 + 3;
    row[c.s_hi] = fp(s >> 16);
    const uint32_t target = s & ~1u;
    const auto results = probe(JumpTable{}, {row, std::vector<Fp>(kWidth<JumpCols>), {}, false, false},
                               {{false, c.bit0, candidates({0, 1})},
                                {false, c.q, candidates({(s & 0xffff) >> 1, ((s & 0xffff) >> 1) + 1, ((s & 0xffff) >> 1) + 32768})},
                                {false, c.s_lo, candidates({s & 0xffff, (s & 0xffff) ^ 1, (s & 0xffff) + 65536})},
                                {false, c.cs0, candidates({0, 1})},
                                {false, c.next_pc, candidates({target, target + 1, s, target - 2})}});
    ASSERT_EQ(results.size(), 1u) << std::hex << rs1;
    EXPECT_EQ(results[0].local[c.next_pc], fp(target)) << std::hex << rs1;
    EXPECT_EQ(results[0].local[c.bit0], fp(s & 1));
  }
}

// The selectors sum to is_real: two selectors whose opcodes add up to another's (LUI 1 + AUIPC 2 =
// JAL 3) cannot pass for that instruction, whose lookup then matches with other semantics.
TEST(RiscvTablesProbe, SelectorsCannotAliasAnotherOpcode) {
  const JumpCols c = make_columns<JumpCols>();
  std::vector<Fp> row = core_row(c, 0x10000, 8);
  settle(row, c.rd, kSlotRd);
  const air::InteractionFilter is_jal = [](air::BusId bus, air::Direction, const std::vector<Fp>& t, Fp m) {
    return kLookupsHold(bus, air::Direction::kSend, t, m) &&
           (bus != kProgramBus || t[2] == fp(static_cast<uint32_t>(Op::JAL)));
  };
  const auto erased = air::make_table(JumpTable{});
  const auto results = air::probe_assignments(
      *erased, air::analyze_table(JumpTable{}), {row, std::vector<Fp>(kWidth<JumpCols>), {}, false, false},
      {{false, c.is_lui, {fp(0), fp(1)}},
       {false, c.is_auipc, {fp(0), fp(1)}},
       {false, c.is_jal, {fp(0), fp(1)}},
       {false, c.is_jalr, {fp(0), fp(1)}},
       {false, c.r_lo, {fp(4), fp(16)}},      // the link, or 2 pc_lo + 2 imm_lo
       {false, c.r_hi, {fp(1), fp(2)}},       // likewise for the high limb
       {false, c.next_pc, {fp(0x10008), fp(0x20008)}}},  // pc + imm, or 2 (pc + len)
      is_jal);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].local[c.is_jal], Fp::one());
  EXPECT_EQ(results[0].local[c.next_pc], fp(0x10008));
}

// Branch: taken and the next pc are fixed by the operands, for every comparison.
TEST(RiscvTablesProbe, BranchDecisionIsUnique) {
  const BranchCols c = make_columns<BranchCols>();
  const std::vector<std::pair<uint32_t, uint32_t>> operands = {
      {1, 2}, {2, 1}, {7, 7}, {0xffffffff, 1}, {1, 0xffffffff}, {0x80000000, 0x7fffffff}, {0x10000, 0x1}};
  const std::vector<std::pair<int, bool (*)(uint32_t, uint32_t)>> ops = {
      {c.is_beq, [](uint32_t a, uint32_t b) { return a == b; }},
      {c.is_bne, [](uint32_t a, uint32_t b) { return a != b; }},
      {c.is_blt, [](uint32_t a, uint32_t b) { return static_cast<int32_t>(a) < static_cast<int32_t>(b); }},
      {c.is_bge, [](uint32_t a, uint32_t b) { return static_cast<int32_t>(a) >= static_cast<int32_t>(b); }},
      {c.is_bltu, [](uint32_t a, uint32_t b) { return a < b; }},
      {c.is_bgeu, [](uint32_t a, uint32_t b) { return a >= b; }}};
  for (const auto& [flag, taken] : ops) {
    for (const auto& [a, b] : operands) {
      std::vector<Fp> row = core_row(c, 0x10000, 64);
      row[flag] = Fp::one();
      row[c.core.rd_w] = Fp::zero();
      settle(row, c.rs1, kSlotRs1);
      settle(row, c.rs2, kSlotRs2);
      row[c.rs1.prev_lo] = fp(a & 0xffff);
      row[c.rs1.prev_hi] = fp(a >> 16);
      row[c.rs2.prev_lo] = fp(b & 0xffff);
      row[c.rs2.prev_hi] = fp(b >> 16);
      // The honest witness of everything but the decision.
      const uint32_t br0 = (a & 0xffff) < (b & 0xffff);
      row[c.cmp.d_lo] = fp(((a & 0xffff) - (b & 0xffff)) & 0xffff);
      row[c.cmp.d_hi] = fp(((a >> 16) - (b >> 16) - br0) & 0xffff);
      row[c.cmp.br0] = fp(br0);
      row[c.cmp.sa] = fp(a >> 31);
      row[c.cmp.sb] = fp(b >> 31);
      row[c.cmp.ra] = fp((a >> 16) & 0x7fff);
      row[c.cmp.rb] = fp((b >> 16) & 0x7fff);
      if (a != b) {
        if ((a & 0xffff) != (b & 0xffff)) {
          row[c.inv_lo] = (fp(a & 0xffff) - fp(b & 0xffff)).inverse();
        } else {
          row[c.inv_hi] = (fp(a >> 16) - fp(b >> 16)).inverse();
        }
      }
      const bool t = taken(a, b);
      const uint32_t next = t ? 0x10040 : 0x10004;
      const auto results = probe(BranchTable{}, {row, std::vector<Fp>(kWidth<BranchCols>), {}, false, false},
                                 {{false, c.eq, candidates({0, 1})},
                                  {false, c.cmp.br1, candidates({0, 1})},
                                  {false, c.cmp.lt, candidates({0, 1})},
                                  {false, c.taken, candidates({0, 1})},
                                  {false, c.next_pc, candidates({0x10040, 0x10004, 0x10000})}});
      ASSERT_EQ(results.size(), 1u) << std::hex << a << " " << b << " flag " << flag;
      EXPECT_EQ(results[0].local[c.next_pc], fp(next)) << std::hex << a << " " << b << " flag " << flag;
    }
  }
}

// LoadStore: only an aligned address has a (q, a_hi) decomposition, and it is unique.
TEST(RiscvTablesProbe, LoadStoreAddressIsAlignedAndUnique) {
  const LoadStoreCols c = make_columns<LoadStoreCols>();
  for (const Op op : {Op::LW, Op::LH, Op::LBU}) {
    const uint32_t width = op == Op::LW ? 4 : op == Op::LH ? 2 : 1;
    for (const uint32_t addr : {0x200000u, 0x200004u, 0x20fffcu, 0x200001u, 0x200002u, 0x200003u}) {
      std::vector<Fp> row = core_row(c, 0x10000, 0);
      row[op == Op::LW ? c.is_lw : op == Op::LH ? c.is_lh : c.is_lbu] = Fp::one();
      row[c.core.rd_w] = Fp::zero();  // the result is not what this probes
      settle(row, c.rs1, kSlotRs1);
      settle(row, c.mem, kSlotMemory);
      row[c.rs1.prev_lo] = fp(addr & 0xffff);
      row[c.rs1.prev_hi] = fp(addr >> 16);
      const uint32_t q = (addr & 0xffff) >> 2;
      std::vector<Fp> q_candidates = candidates({q, q + 1, q + 16384});
      // The field element (addr & 0xffff) / 4: what a misaligned forgery would need.
      q_candidates.push_back(fp(addr & 0xffff) * fp(4).inverse());
      std::vector<air::ProbeCell> cells = {{false, c.q, q_candidates},
                                           {false, c.a_hi, candidates({addr >> 16, (addr >> 16) + 1})},
                                           {false, c.c0, candidates({0, 1})}};
      for (int k = 0; k < 4; ++k) cells.push_back({false, c.h[k], {fp(0), fp(1)}});
      const auto results = probe(LoadStoreTable{}, {row, std::vector<Fp>(kWidth<LoadStoreCols>), {}, false, false}, cells);
      if (addr % width != 0) {
        EXPECT_TRUE(results.empty()) << isa::mnemonic(op) << std::hex << " " << addr;
      } else {
        ASSERT_EQ(results.size(), 1u) << isa::mnemonic(op) << std::hex << " " << addr;
        EXPECT_EQ(results[0].local[c.q], fp(q));
        EXPECT_EQ(results[0].local[c.h[addr & 3]], Fp::one());
      }
    }
  }
}

// Narrow loads and stores from honest runs: the value loaded (with its sign) and the word stored
// are the only ones the row admits, among every byte and halfword of the word and both signs.
TEST(RiscvTablesProbe, NarrowLoadsAndStoresHaveOneResult) {
  const LoadStoreCols c = make_columns<LoadStoreCols>();
  const uint32_t word = 0x80ff7f01u, value = 0x1234a5c3u;
  for (const Op op : {Op::LB, Op::LBU, Op::LH, Op::LHU, Op::SB, Op::SH}) {
    const bool half = op == Op::LH || op == Op::LHU || op == Op::SH;
    for (uint32_t offset = 0; offset < 4; offset += half ? 2 : 1) {
      vm::testing::TestProgram p;
      p.data() = {0x01, 0x7f, 0xff, 0x80};
      p.li(5, vm::testing::TestProgram::kData).li(6, value);
      const bool store = op == Op::SB || op == Op::SH;
      p.emit(store ? isa::encode::store(op, 6, 5, static_cast<int32_t>(offset))
                   : isa::encode::load(op, 7, 5, static_cast<int32_t>(offset)));
      p.exit(0);
      const MachineWitness w = witness_of(p);
      const stark::Matrix<Fp>& m = w.tables[kLoadStoreTable].main;
      const std::vector<Fp> local(m.row(0).begin(), m.row(0).end()), next(m.row(1).begin(), m.row(1).end());
      std::vector<Fp> lo_candidates, hi_candidates;
      for (uint32_t k = 0; k < 4; ++k) {
        const uint32_t b = word >> (8 * k) & 0xff, h = word >> (8 * (k & 2)) & 0xffff;
        for (const uint32_t v : {b, b | 0xff00, h, (value & 0xff) << (8 * (k & 1)), value & 0xffff,
                                 (word & 0xffff & ~(0xffu << (8 * (k & 1)))) | (value & 0xff) << (8 * (k & 1)),
                                 (word >> 16 & ~(0xffu << (8 * (k & 1)))) | (value & 0xff) << (8 * (k & 1))}) {
          lo_candidates.push_back(fp(v));
        }
      }
      for (const uint32_t v : {0u, 0xffffu, word >> 16, word & 0xffff, value & 0xffff}) lo_candidates.push_back(fp(v));
      hi_candidates = lo_candidates;
      std::vector<air::ProbeCell> cells;
      if (store) {
        cells = {{false, c.new_lo, lo_candidates}, {false, c.new_hi, hi_candidates}};
      } else {
        // rest and its scaled check for either sign: loaded - 128 sign or loaded - 2^15 sign.
        std::vector<Fp> rests, scaled;
        for (const Fp top : {fp(0), fp(128), fp(1u << 15)}) rests.push_back(local[c.loaded] - top);
        for (const Fp& r : rests) {
          scaled.push_back(fp(512) * r);
          scaled.push_back(fp(2) * r);
        }
        cells = {{false, c.sign, {fp(0), fp(1)}}, {false, c.rest, rests}, {false, c.scaled_rest, scaled},
                 {false, c.r_lo, lo_candidates}, {false, c.r_hi, hi_candidates}};
      }
      const auto results = probe(LoadStoreTable{}, {local, next, {}, false, false}, cells);
      ASSERT_EQ(results.size(), 1u) << isa::mnemonic(op) << " offset " << offset;
      const int out = store ? c.new_lo : c.r_lo;
      EXPECT_EQ(results[0].local[out], local[out]) << isa::mnemonic(op) << " offset " << offset;
    }
  }
}

// The window of a family table's first row in an honest run.
air::ProbeWindow first_row(const MachineWitness& w, size_t table) {
  const stark::Matrix<Fp>& m = w.tables[table].main;
  return {std::vector<Fp>(m.row(0).begin(), m.row(0).end()), std::vector<Fp>(m.row(1).begin(), m.row(1).end()), {}, false, false};
}

// v + d (mod 2^16), and v - d, as field elements: a limb's neighbours.
std::vector<Fp> around16(uint32_t v, uint32_t d) { return {fp(v), fp((v + d) & 0xffff), fp((v - d) & 0xffff)}; }

// Misaligned: only a misaligned address has a (q, a_hi, offset) decomposition, it is unique, and so
// is whether the access crosses into the next word.
TEST(RiscvTablesProbe, MisalignedAddressIsMisalignedAndUnique) {
  const MisalignedCols c = make_columns<MisalignedCols>();
  for (const Op op : {Op::LW, Op::LH, Op::SH}) {
    const uint32_t width = op == Op::LW ? 4 : 2;
    for (const uint32_t addr : {0x200000u, 0x200001u, 0x200002u, 0x200003u, 0x20fffdu, 0x20ffffu}) {
      std::vector<Fp> row = core_row(c, 0x10000, 0);
      row[op == Op::LW ? c.is_lw : op == Op::LH ? c.is_lh : c.is_sh] = Fp::one();
      row[c.core.rd_w] = Fp::zero();  // the result is not what this probes
      settle(row, c.rs1, kSlotRs1);
      settle(row, c.rs2, kSlotRs2);
      settle(row, c.mem0, kSlotMemory);
      settle(row, c.mem1, kSlotRd);
      row[c.rs1.prev_lo] = fp(addr & 0xffff);
      row[c.rs1.prev_hi] = fp(addr >> 16);
      const uint32_t q = (addr & 0xffff) >> 2;
      std::vector<Fp> q_candidates = candidates({q, q + 1, q + 16384});
      q_candidates.push_back(fp(addr & 0xffff) * fp(4).inverse());  // what an aligned forgery would need
      std::vector<air::ProbeCell> cells = {{false, c.q, q_candidates},
                                           {false, c.a_hi, candidates({addr >> 16, (addr >> 16) + 1})},
                                           {false, c.c0, candidates({0, 1})},
                                           {false, c.crosses, {fp(0), fp(1)}}};
      for (int k = 0; k < 3; ++k) cells.push_back({false, c.h[k], {fp(0), fp(1)}});
      const auto results = probe(MisalignedTable{}, {row, std::vector<Fp>(kWidth<MisalignedCols>), {}, false, false}, cells);
      if (addr % width == 0) {
        EXPECT_TRUE(results.empty()) << isa::mnemonic(op) << std::hex << " " << addr;
      } else {
        ASSERT_EQ(results.size(), 1u) << isa::mnemonic(op) << std::hex << " " << addr;
        EXPECT_EQ(results[0].local[c.q], fp(q));
        EXPECT_EQ(results[0].local[c.h[(addr & 3) - 1]], Fp::one());
        EXPECT_EQ(results[0].local[c.crosses], fp((addr & 3) + width > 4 ? 1 : 0));
      }
    }
  }
}

// Misaligned loads and stores from honest runs at every offset: with both words' bytes fixed, the
// accessed bytes are the only ones among all 8; with those, the sign and the value loaded, or each
// word stored, is the only one among every 16-bit window of the words before and after, rs2's
// limbs, 0 and 0xffff (so neither a neighbour byte nor the sign extension is free).
TEST(RiscvTablesProbe, MisalignedAccessesHaveOneResult) {
  const MisalignedCols c = make_columns<MisalignedCols>();
  const uint32_t value = 0x1234a5c3u;
  for (const Op op : {Op::LH, Op::LHU, Op::LW, Op::SH, Op::SW}) {
    const uint32_t width = op == Op::LW || op == Op::SW ? 4 : 2;
    const bool store = op == Op::SH || op == Op::SW;
    for (uint32_t offset = 1; offset < 4; ++offset) {
      if (width == 2 && offset == 2) continue;
      vm::testing::TestProgram p;
      p.data() = {0x01, 0x7f, 0xff, 0x80, 0x93, 0x05, 0xe6, 0x27};
      p.li(5, vm::testing::TestProgram::kData).li(6, value);
      p.emit(store ? isa::encode::store(op, 6, 5, static_cast<int32_t>(offset))
                   : isa::encode::load(op, 7, 5, static_cast<int32_t>(offset)));
      p.exit(0);
      const MachineWitness w = witness_of(p);
      const air::ProbeWindow window = first_row(w, kMisalignedTable);
      const std::vector<Fp>& local = window.local;
      const std::string what = std::string(isa::mnemonic(op)) + " offset " + std::to_string(offset);
      std::vector<Fp> bytes, limbs = {fp(0), fp(0xffff), fp(value & 0xffff), fp(value >> 16)};
      for (int k = 0; k < 8; ++k) bytes.push_back(local[c.m[k]]);
      const auto word = [&](int lo, int hi) { return uint64_t{local[lo].to_u32() | local[hi].to_u32() << 16}; };
      for (const uint64_t both : {word(c.mem0.prev_lo, c.mem0.prev_hi) | word(c.mem1.prev_lo, c.mem1.prev_hi) << 32,
                                  word(c.new0_lo, c.new0_hi) | word(c.new1_lo, c.new1_hi) << 32}) {
        for (int k = 0; k < 7; ++k) limbs.push_back(fp(static_cast<uint32_t>(both >> (8 * k) & 0xffff)));
      }
      const auto one_result = [&](const std::vector<int>& columns, const std::vector<Fp>& values) {
        std::vector<air::ProbeCell> cells;
        for (const int col : columns) cells.push_back({false, col, values});
        const auto results = probe(MisalignedTable{}, window, cells);
        ASSERT_EQ(results.size(), 1u) << what << " column " << columns.front();
        for (const int col : columns) EXPECT_EQ(results[0].local[col], local[col]) << what << " column " << col;
      };
      one_result({c.v[0], c.v[1], c.v[2], c.v[3]}, bytes);
      if (store) {
        one_result({c.new0_lo, c.new0_hi}, limbs);
        one_result({c.new1_lo, c.new1_hi}, limbs);
      } else {
        std::vector<air::ProbeCell> cells = {{false, c.sign, {fp(0), fp(1)}},
                                             {false, c.rest, {local[c.rest], local[c.rest] + fp(128), local[c.rest] - fp(128)}},
                                             {false, c.r_lo, limbs}, {false, c.r_hi, limbs}};
        const auto results = probe(MisalignedTable{}, window, cells);
        ASSERT_EQ(results.size(), 1u) << what;
        EXPECT_EQ(results[0].local[c.r_lo], local[c.r_lo]) << what;
        EXPECT_EQ(results[0].local[c.r_hi], local[c.r_hi]) << what;
      }
    }
  }
}

// Mul: from honest runs, the flags that choose a reading of the operands (sign extension), a
// product byte of the high word traded against its carry, and the result limb: one assignment.
TEST(RiscvTablesProbe, MulHasOneResult) {
  const MulCols c = make_columns<MulCols>();
  const std::vector<std::pair<uint32_t, uint32_t>> operands = {
      {0xffffffffu, 0xffffffffu}, {0x80000000u, 0x7fffffffu}, {0x12345678u, 0xfedcba98u}, {7, 0xfffffffeu}};
  for (const Op op : {Op::MUL, Op::MULH, Op::MULHSU, Op::MULHU}) {
    for (const auto& [a, b] : operands) {
      vm::testing::TestProgram p;
      p.li(5, a).li(6, b).emit(isa::encode::op_reg(op, 7, 5, 6)).exit(0);
      const air::ProbeWindow window = first_row(witness_of(p), kMulTable);
      const auto cell = [&](int col) { return window.local[static_cast<size_t>(col)].to_u32(); };
      std::vector<Fp> results;
      for (const Op other : {Op::MUL, Op::MULH, Op::MULHSU, Op::MULHU}) {
        const int64_t sa = static_cast<int32_t>(a), sb = static_cast<int32_t>(b);
        const uint64_t ua = a, ub = b;
        const uint64_t product = other == Op::MUL || other == Op::MULHU ? ua * ub
                                 : other == Op::MULH                     ? static_cast<uint64_t>(sa * sb)
                                                                         : static_cast<uint64_t>(sa * static_cast<int64_t>(ub));
        const uint32_t word = other == Op::MUL ? static_cast<uint32_t>(product) : static_cast<uint32_t>(product >> 32);
        results.push_back(fp(word & 0xffff));
      }
      const uint32_t p4 = cell(c.p[4]), c3 = cell(c.carry[3]), c4 = cell(c.carry[4]);
      const std::vector<air::ProbeCell> cells = {
          {false, c.ext_a, {fp(0), fp(1)}},
          {false, c.ext_b, {fp(0), fp(1)}},
          {false, c.p[4], {fp(p4), fp((p4 + 1) & 0xff), fp((p4 - 1) & 0xff), fp(p4) + fp(256), fp(p4) - fp(256)}},
          {false, c.carry[3], {fp(c3), fp(c3 + 1), fp(c3) - fp(1)}},
          {false, c.carry[4], {fp(c4), fp(c4 + 1), fp(c4) - fp(1)}},
          {false, c.r_lo, results}};
      const auto found = probe(MulTable{}, window, cells);
      ASSERT_EQ(found.size(), 1u) << isa::mnemonic(op) << std::hex << " " << a << " " << b;
      EXPECT_EQ(found[0].local[c.r_lo], window.local[c.r_lo]);
      EXPECT_EQ(found[0].local[c.ext_a], window.local[c.ext_a]);
      // Then whole rows for each reading of the operands (each sign-extended or not): the product's
      // bytes, their xors, the carries and the result all follow the reading; only the honest one
      // holds.
      int accepted = 0;
      for (uint32_t reading = 0; reading < 4; ++reading) {
        const uint32_t ext_a = reading & 1, ext_b = reading >> 1;
        air::ProbeWindow alt = window;
        std::array<uint32_t, 8> x{}, y{};
        for (int k = 0; k < 8; ++k) {
          x[k] = k < 4 ? a >> (8 * k) & 0xff : 255 * ext_a;
          y[k] = k < 4 ? b >> (8 * k) & 0xff : 255 * ext_b;
        }
        uint32_t carry = 0;
        uint64_t product = 0;
        for (int j = 0; j < 8; ++j) {
          uint32_t column = carry;
          for (int i = 0; i <= j; ++i) column += x[i] * y[j - i];
          carry = column >> 8;
          alt.local[c.p[j]] = fp(column & 0xff);
          alt.local[c.carry[j]] = fp(carry);
          product |= uint64_t{column & 0xff} << (8 * j);
        }
        for (int k = 0; k < 4; ++k) alt.local[c.px[k]] = fp((product >> (16 * k) & 0xff) ^ (product >> (16 * k + 8) & 0xff));
        const uint32_t word = op == Op::MUL ? static_cast<uint32_t>(product) : static_cast<uint32_t>(product >> 32);
        alt.local[c.ext_a] = fp(ext_a);
        alt.local[c.ext_b] = fp(ext_b);
        alt.local[c.r_lo] = fp(word & 0xffff);
        alt.local[c.r_hi] = fp(word >> 16);
        if (!probe(MulTable{}, alt, {}).empty()) {
          ++accepted;
          EXPECT_EQ(alt.local[c.r_hi], window.local[c.r_hi]) << isa::mnemonic(op) << std::hex << " " << a << " " << b;
        }
      }
      EXPECT_EQ(accepted, 1) << isa::mnemonic(op) << std::hex << " " << a << " " << b;
    }
  }
}

// Under AddressSanitizer (make test-asan) the Div probe runs every third of its cases: each case
// is about 10^6 evaluations of the same row's constraints, field arithmetic on other values with
// nothing new for the sanitizers to see, and the nine took minutes there (docs/testing.md). The
// Release run (make test) runs them all.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kDivProbeStride = 3;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr size_t kDivProbeStride = 3;
#else
constexpr size_t kDivProbeStride = 1;
#endif
#else
constexpr size_t kDivProbeStride = 1;
#endif

// Div: from honest runs on the corners (b = 0, -2^31 / -1, signs, a remainder that could be b
// larger or smaller), the case flags, the signs, and a neighbouring (q, m) = (q -+ 1, m +- b) in the
// low bytes with every column that follows them: one assignment, the honest one.
TEST(RiscvTablesProbe, DivHasOneResult) {
  const DivCols c = make_columns<DivCols>();
  // Every third case still holds a division by zero (DIVU 7 / 0), a signed one (REM 7 / -2) and a
  // remainder that could be b smaller (REMU 5 / 7).
  const std::vector<std::tuple<Op, uint32_t, uint32_t>> all_cases = {
      {Op::DIVU, 7, 0},          {Op::DIV, 0xfffffff9u, 2}, {Op::REM, 0xfffffff9u, 2},     {Op::REM, 7, 0xfffffffeu},
      {Op::DIVU, 7, 2},          {Op::DIV, 0xfffffff9u, 0}, {Op::REMU, 5, 7},
      {Op::REMU, 0x12345678u, 0x10}, {Op::DIV, 0x80000000u, 0xffffffffu}};
  std::vector<std::tuple<Op, uint32_t, uint32_t>> cases;
  for (size_t i = 0; i < all_cases.size(); i += kDivProbeStride) cases.push_back(all_cases[i]);
  for (const auto& [op, a, b] : cases) {
    vm::testing::TestProgram p;
    p.li(5, a).li(6, b).emit(isa::encode::op_reg(op, 7, 5, 6)).exit(0);
    const air::ProbeWindow window = first_row(witness_of(p), kDivTable);
    const auto cell = [&](int col) { return window.local[static_cast<size_t>(col)].to_u32(); };
    const uint32_t b0 = b & 0xff, q0 = cell(c.q.byte[0]), m0 = cell(c.m.byte[0]);
    const auto bytes = [&](uint32_t v, int other) {
      std::vector<Fp> out;
      for (const uint32_t x : {v, (v + 1) & 0xff, (v - 1) & 0xff}) out.push_back(fp(x));
      for (const uint32_t x : {(v + b0) & 0xff, (v - b0) & 0xff}) out.push_back(fp(x));
      std::vector<Fp> xors;
      for (const Fp& x : out) xors.push_back(fp(x.to_u32() ^ static_cast<uint32_t>(other)));
      return std::pair{out, xors};
    };
    const auto [q_bytes, q_xors] = bytes(q0, static_cast<int>(cell(c.q.byte[1])));
    const auto [m_bytes, m_xors] = bytes(m0, static_cast<int>(cell(c.m.byte[1])));
    std::vector<Fp> results = around16(cell(c.r_lo), 1);
    for (const Fp& r : around16(cell(c.r_lo), b0)) results.push_back(r);
    const std::vector<air::ProbeCell> cells = {
        {false, c.zero, {fp(0), fp(1)}},
        {false, c.overflow, {fp(0), fp(1)}},
        {false, c.neg_q, {fp(0), fp(1)}},
        {false, c.neg_m, {fp(0), fp(1)}},
        {false, c.borrow, {fp(0), fp(1)}},
        {false, c.q.byte[0], q_bytes},
        {false, c.q.x[0], q_xors},
        {false, c.m.byte[0], m_bytes},
        {false, c.m.x[0], m_xors},
        {false, c.abs_m_lo, around16(cell(c.abs_m_lo), b0)},
        {false, c.d_lo, around16(cell(c.d_lo), b0)},
        {false, c.r_lo, results}};
    const auto found = probe(DivTable{}, window, cells);
    ASSERT_EQ(found.size(), 1u) << isa::mnemonic(op) << std::hex << " " << a << " " << b;
    EXPECT_EQ(found[0].local[c.r_lo], window.local[c.r_lo]) << isa::mnemonic(op) << std::hex << " " << a << " " << b;
  }
}

// ZeroInit: a second row may not repeat (or go below) the address of the row before it.
TEST(RiscvTablesProbe, ZeroInitAddressesStrictlyIncrease) {
  const ZeroInitCols c = make_columns<ZeroInitCols>();
  const ZeroInitTable table{{{kMemorySpace, 0x80000, 0x80020}}};
  std::vector<Fp> local(static_cast<size_t>(table.info().main_width)), next(local.size());
  local[c.is_real] = next[c.is_real] = Fp::one();
  local[static_cast<size_t>(table.selector(0))] = Fp::one();
  local[c.addr] = fp(0x80010);
  local[c.e0] = fp(0x10);
  local[c.f0] = fp(0xf);
  std::vector<Fp> addresses;
  for (uint32_t a = 0x80000; a < 0x80020; ++a) addresses.push_back(fp(a));
  addresses.push_back(fp(0x80010) - fp(1u << 29));  // a wrap below by the gap's whole range
  std::vector<Fp> gaps = candidates({0, 1, 2, 15});
  std::vector<Fp> gap_hi = candidates({0, 1, 1u << 13});
  for (uint32_t k = 0; k < 8; ++k) gap_hi.push_back(fp(k) * fp(8).inverse());
  const auto erased = air::make_table(table);
  const auto results = air::probe_assignments(*erased, air::analyze_table(table),
                                              {local, next, {}, false, false},
                                              {{true, c.addr, addresses}, {false, c.g0, gaps}, {false, c.g1, gap_hi}},
                                              kLookupsHold);
  ASSERT_FALSE(results.empty());
  for (const air::ProbeResult& r : results) EXPECT_GT(r.next[c.addr].to_u32(), 0x80010u);
}

// Atomic: only a word-aligned rs1 has a q (so no misaligned word is ever accessed), and it is unique.
TEST(RiscvTablesProbe, AtomicAddressIsAlignedAndUnique) {
  const AtomicCols c = make_columns<AtomicCols>();
  for (const uint32_t addr : {0x200000u, 0x20fffcu, 0xfffffffcu, 0x200001u, 0x200002u, 0x200003u}) {
    std::vector<Fp> row = core_row(c, 0x10000, 0);
    row[c.is_lr] = Fp::one();
    row[c.core.rd_w] = Fp::zero();  // the result is not what this probes
    settle(row, c.rs1, kSlotRs1);
    settle(row, c.mem, kSlotMemory);
    settle(row, c.res, kSlotMemory);
    row[c.rs1.prev_lo] = fp(addr & 0xffff);
    row[c.rs1.prev_hi] = fp(addr >> 16);
    const uint32_t q = (addr & 0xffff) >> 2;
    std::vector<Fp> q_candidates = candidates({q, q + 1, q + 16384});
    q_candidates.push_back(fp(addr & 0xffff) * fp(4).inverse());
    const auto results = probe(AtomicTable{}, {row, std::vector<Fp>(kWidth<AtomicCols>), {}, false, false},
                               {{false, c.q, q_candidates}});
    if (addr % 4 != 0) {
      EXPECT_TRUE(results.empty()) << std::hex << addr;
    } else {
      ASSERT_EQ(results.size(), 1u) << std::hex << addr;
      EXPECT_EQ(results[0].local[c.q], fp(q));
    }
  }
}

// Atomic rows from an honest run of every LR/SC/AMO: with the operands, the old word and the
// reservation fixed, the word left behind, rd, SC's match and the min/max choice have one
// assignment among the results of every other AMO on the same operands and their off-by-one and
// wrapped neighbours.
TEST(RiscvTablesProbe, AtomicHasOneResult) {
  const AtomicCols c = make_columns<AtomicCols>();
  vm::testing::TestProgram p;
  p.data() = {0x05, 0x00, 0x00, 0x80};
  p.li(5, vm::testing::TestProgram::kData).li(6, 0x8000000fu).li(9, 0x12345678u);
  for (const Op op : {Op::AMOSWAP_W, Op::AMOADD_W, Op::AMOXOR_W, Op::AMOAND_W, Op::AMOOR_W, Op::AMOMIN_W,
                      Op::AMOMAX_W, Op::AMOMINU_W, Op::AMOMAXU_W}) {
    p.emit(isa::encode::amo(op, 7, 5, 9)).emit(isa::encode::amo(op, 7, 5, 6));
  }
  p.emit(isa::encode::amo(Op::SC_W, 7, 5, 9));  // no reservation: fails
  p.emit(isa::encode::amo(Op::LR_W, 7, 5, 0));
  p.emit(isa::encode::amo(Op::SC_W, 7, 5, 9));  // succeeds
  p.exit(0);
  const MachineWitness w = witness_of(p);
  const stark::Matrix<Fp>& t = w.tables[kAtomicTable].main;
  size_t probed = 0;
  for (size_t r = 0; r < t.rows() && t.at(r, c.core.is_real) == Fp::one(); ++r, ++probed) {
    std::vector<Fp> row(kWidth<AtomicCols>);
    for (int k = 0; k < kWidth<AtomicCols>; ++k) row[k] = t.at(r, static_cast<size_t>(k));
    const uint32_t old = t.at(r, c.mem.prev_lo).to_u32() | t.at(r, c.mem.prev_hi).to_u32() << 16;
    const uint32_t b = t.at(r, c.rs2.prev_lo).to_u32() | t.at(r, c.rs2.prev_hi).to_u32() << 16;
    const int32_t so = static_cast<int32_t>(old), sb = static_cast<int32_t>(b);
    std::vector<Fp> lo = candidates({(old & 0xffff) + 65536}), hi = candidates({});
    for (const uint32_t v : {b, old + b, old ^ b, old & b, old | b, so < sb ? old : b, so < sb ? b : old,
                             old < b ? old : b, old < b ? b : old, old, old ^ 1u, 0u, 1u}) {
      lo.push_back(fp(v & 0xffff));
      hi.push_back(fp(v >> 16));
    }
    const auto results = probe(AtomicTable{}, {row, std::vector<Fp>(kWidth<AtomicCols>), {}, false, false},
                               {{false, c.new_lo, lo},
                                {false, c.new_hi, hi},
                                {false, c.r_lo, candidates({0, 1, old & 0xffff, b & 0xffff})},
                                {false, c.eq, {fp(0), fp(1)}},
                                {false, c.pick_old, {fp(0), fp(1)}}});
    ASSERT_EQ(results.size(), 1u) << "row " << r;
    EXPECT_EQ(results[0].local[c.new_lo], row[c.new_lo]) << "row " << r;
    EXPECT_EQ(results[0].local[c.r_lo], row[c.r_lo]) << "row " << r;
    EXPECT_EQ(results[0].local[c.eq], row[c.eq]) << "row " << r;
  }
  EXPECT_EQ(probed, 21u);
}

// ZeroInit: a real row's address lies in the range it selects, and takes that range's space; an
// address just outside either range, or a range's whole limb span away, has no assignment.
// Ecall's buffer check: for a write to fd 1 (or a region call) with (ptr, len) fixed, an assignment
// of the new columns exists exactly when the VM accepts the buffer, and every one that checks the
// buffer names an interval holding it with the exact d = ptr - lo and e = hi - ptr - len. The
// candidates include each interval's forced limbs, their neighbours and values near p.
TEST(RiscvTablesProbe, EcallBufferIsReadableExactlyWhenTheVmSaysSo) {
  const EcallCols c = make_columns<EcallCols>();
  const std::vector<ReadableInterval> intervals = {{0x10000, 0x11000}, {0x200000, 0x212000}, {0xfffff000u, 1ull << 32}};
  struct Case {
    bool region;
    uint32_t ptr, len;
  };
  const Case cases[] = {{false, 0x200000, 1},      {false, 0x211fff, 1},       {false, 0x211fff, 2},
                        {false, 0x1fffff, 1},      {false, 0x10000, 0x1000},  {false, 0x10000, 0x1001},
                        {false, 0xfffffff0u, 16},  {false, 0xfffffff0u, 17},  {false, 0, 0},
                        {false, 0xffffffffu, 0},   {false, 0x10ff0, 0x1f0000}, {false, 0xfff0, 0x20},
                        {true, 0x211fc0, 64},      {true, 0x200000, 65},      {true, 0x212000, 0}};
  const auto limbs_of = [](int64_t v) {  // v = lo + 2^16 hi, lo in [0, 2^16), hi negative when v is
    const int64_t l = ((v % 65536) + 65536) % 65536, h = (v - l) / 65536;
    return std::pair<Fp, Fp>{fp(static_cast<uint32_t>(l)), h >= 0 ? fp(static_cast<uint32_t>(h)) : -fp(static_cast<uint32_t>(-h))};
  };
  const EcallTable table;
  for (const Case& k : cases) {
    SCOPED_TRACE(::testing::Message() << (k.region ? "region " : "write ") << std::hex << k.ptr << " " << k.len);
    const uint64_t end = uint64_t{k.ptr} + k.len;
    bool vm_accepts = k.len == 0 || std::any_of(intervals.begin(), intervals.end(), [&](const ReadableInterval& i) {
                        return i.lo <= k.ptr && end <= i.hi;
                      });
    if (k.region && k.len > 64) vm_accepts = false;
    size_t accepted = 0;
    for (const ReadableInterval& i : intervals) {
      std::vector<Fp> local = core_row(c, 0x10000, 0);
      local[k.region ? c.is_region_begin : c.is_write_std] = Fp::one();
      local[c.a7.prev_lo] = fp(k.region ? 1 : kSysWrite);
      local[c.a7.prev_hi] = fp(k.region ? kSysZkrvHi : 0);
      local[k.region ? c.a0.prev_lo : c.y.prev_lo] = fp(k.ptr & 0xffff);
      local[k.region ? c.a0.prev_hi : c.y.prev_hi] = fp(k.ptr >> 16);
      if (!k.region) local[c.a0.prev_lo] = fp(1);
      local[c.x.prev_lo] = fp(k.len & 0xffff);
      local[c.x.prev_hi] = fp(k.len >> 16);
      settle(local, c.a7, kSlotRs1);
      settle(local, c.x, kSlotRs2);
      if (!k.region) settle(local, c.y, kSlotMemory);
      settle(local, c.a0, kSlotRd);
      local[c.lo_lo] = fp(i.lo & 0xffff);
      local[c.lo_hi] = fp(i.lo >> 16);
      local[c.hi_lo] = fp(static_cast<uint32_t>(i.hi & 0xffff));
      local[c.hi_hi] = fp(static_cast<uint32_t>(i.hi >> 16));
      const auto [d_lo, d_hi] = limbs_of(int64_t{k.ptr} - i.lo);
      const auto [e_lo, e_hi] = limbs_of(static_cast<int64_t>(i.hi) - static_cast<int64_t>(end));
      const Fp sum = fp((k.len & 0xffff) + (k.len >> 16));
      const auto results = probe(table, {local, std::vector<Fp>(local.size()), {}, false, false},
                                 {{false, c.checked, {fp(0), fp(1)}},
                                  {false, c.inv_len, {fp(0), sum == Fp::zero() ? fp(1) : sum.inverse()}},
                                  {false, c.d_lo, {d_lo, fp(0), -fp(1)}},
                                  {false, c.d_hi, {d_hi, d_hi + fp(1), d_hi - fp(1), -fp(1), fp(65536)}},
                                  {false, c.c0, {fp(0), fp(1)}},
                                  {false, c.e_lo, {e_lo, fp(0), -fp(1)}},
                                  {false, c.e_hi, {e_hi, e_hi + fp(1), e_hi - fp(1), -fp(1), fp(65536)}},
                                  {false, c.k0, {fp(0), fp(1), fp(2)}}});
      for (const air::ProbeResult& r : results) {
        if (r.local[c.checked] == Fp::zero()) {
          EXPECT_EQ(k.len, 0u);
          continue;
        }
        EXPECT_NE(k.len, 0u);
        EXPECT_LE(i.lo, k.ptr);
        EXPECT_LE(end, i.hi);
        EXPECT_EQ(r.local[c.d_lo], d_lo);
        EXPECT_EQ(r.local[c.d_hi], d_hi);
        EXPECT_EQ(r.local[c.e_lo], e_lo);
        EXPECT_EQ(r.local[c.e_hi], e_hi);
      }
      accepted += results.size();
    }
    EXPECT_EQ(accepted != 0, vm_accepts);
  }
}

TEST(RiscvTablesProbe, ZeroInitAddressLiesInItsRange) {
  const ZeroInitCols c = make_columns<ZeroInitCols>();
  const ZeroInitTable table{{{kMemorySpace, 0x80000, 0x80010}, {kReadOnlySpace, 0x80100, 0x80110}}};
  const size_t s0 = static_cast<size_t>(table.selector(0)), s1 = static_cast<size_t>(table.selector(1));
  const std::vector<Fp> addresses = {fp(0x7ffff),   fp(0x80000), fp(0x8000f), fp(0x80010), fp(0x800ff),
                                     fp(0x80100),   fp(0x8010f), fp(0x80110), fp(0x80000) - fp(1u << 29),
                                     fp(0x8000f) + fp(1u << 29), -fp(1)};
  size_t accepted = 0;
  for (const Fp& addr : addresses) {
    std::vector<Fp> local(static_cast<size_t>(table.info().main_width)), next(local.size());
    local[c.is_real] = Fp::one();
    local[c.addr] = addr;
    // For each range, the limbs that satisfy its two decompositions for a few high limbs.
    std::vector<Fp> e0, e1, f0, f1;
    for (const ZeroRange& z : table.ranges) {
      const Fp d = addr - fp(z.begin), g = fp(z.end - 1) - addr;
      const std::vector<Fp> highs = {fp(0), fp(0x2000), fp(d.to_u32() >> 16), fp(g.to_u32() >> 16), fp(8).inverse()};
      for (const Fp& h : highs) {
        e1.push_back(h);
        f1.push_back(h);
        e0.push_back(d - fp(1u << 16) * h);
        f0.push_back(g - fp(1u << 16) * h);
      }
    }
    const auto results = probe(table, {local, next, {}, false, false},
                               {{false, static_cast<int>(s0), {fp(0), fp(1)}},
                                {false, static_cast<int>(s1), {fp(0), fp(1)}},
                                {false, c.e0, e0}, {false, c.e1, e1}, {false, c.f0, f0}, {false, c.f1, f1}});
    for (const air::ProbeResult& r : results) {
      const ZeroRange& z = table.ranges[r.local[s0] == Fp::one() ? 0 : 1];
      EXPECT_EQ(r.local[s0] + r.local[s1], Fp::one());
      EXPECT_GE(addr.to_u32(), z.begin);
      EXPECT_LT(addr.to_u32(), z.end);
    }
    accepted += results.empty() ? 0 : 1;
  }
  EXPECT_EQ(accepted, 4u);  // the four addresses inside a range
}

// Tape: only an offset that is a multiple of 4 has a (q, a_hi) decomposition, and it is unique,
// including one that wraps modulo 2^32 (rs1 + imm >= 2^32: the carry c1 takes it).
TEST(RiscvTablesProbe, TapeOffsetIsAlignedAndUnique) {
  const TapeCols c = make_columns<TapeCols>();
  for (const int32_t imm : {0, 8}) {
    for (const uint32_t rs1 : {0x100u, 0x104u, 0xfffcu, 0x101u, 0x102u, 0x103u, 0xfffffffcu, 0xfffffffeu}) {
      const uint32_t offset = rs1 + static_cast<uint32_t>(imm);
      std::vector<Fp> row = core_row(c, 0x10000, imm);
      row[c.is_rin] = Fp::one();
      row[c.core.rd_w] = Fp::zero();  // the result is not what this probes
      settle(row, c.rs1, kSlotRs1);
      settle(row, c.tape, kSlotMemory);
      row[c.rs1.prev_lo] = fp(rs1 & 0xffff);
      row[c.rs1.prev_hi] = fp(rs1 >> 16);
      const uint32_t q = (offset & 0xffff) >> 2;
      std::vector<Fp> q_candidates = candidates({q, q + 1, q + 16384});
      q_candidates.push_back(fp(offset & 0xffff) * fp(4).inverse());  // what a misaligned forgery needs
      const uint32_t hi = offset >> 16, unwrapped = static_cast<uint32_t>((uint64_t{rs1} + static_cast<uint32_t>(imm)) >> 16);
      const std::vector<air::ProbeCell> cells = {{false, c.q, q_candidates},
                                                 {false, c.a_hi, candidates({hi, hi + 1, unwrapped})},
                                                 {false, c.c0, candidates({0, 1})},
                                                 {false, c.c1, candidates({0, 1})}};
      const auto results = probe(TapeTable{}, {row, std::vector<Fp>(kWidth<TapeCols>), {}, false, false}, cells);
      if (offset % 4 != 0) {
        EXPECT_TRUE(results.empty()) << std::hex << offset;
      } else {
        ASSERT_EQ(results.size(), 1u) << std::hex << offset;
        EXPECT_EQ(results[0].local[c.q], fp(q));
        EXPECT_EQ(results[0].local[c.a_hi], fp(hi));
      }
    }
  }
}

// The tape tables: a second row may not repeat (or go below) the address of the row before it; a
// public input word that is not the statement's starts at zero; an output word starts at zero.
TEST(RiscvTablesProbe, TapeWordsAreUniqueAndStartAsTheyMust) {
  const TapeWordsCols c = make_columns<TapeWordsCols>();
  const PrivateLengthCols l = make_columns<PrivateWordsCols>().len;
  for (const TapeKind kind : {TapeKind::kPublicInput, TapeKind::kPrivateInput, TapeKind::kOutput}) {
    const TapeWordsTable table{kind};
    const size_t width = static_cast<size_t>(table.info().main_width);
    std::vector<Fp> local(width), next(width);
    local[c.is_real] = next[c.is_real] = Fp::one();
    local[c.addr] = fp(0x10);
    local[c.e0] = fp(0x10);
    std::vector<Fp> addresses;
    for (uint32_t a = 0; a < 0x20; ++a) addresses.push_back(fp(a));
    addresses.push_back(fp(0x10) - fp(1u << 30));  // a wrap below by the gap's whole range
    std::vector<Fp> gap_hi = candidates({0, 1, 1u << 13});
    for (uint32_t k = 0; k < 4; ++k) gap_hi.push_back(fp(k) * fp(4).inverse());
    const auto erased = air::make_table(table);
    const auto results = air::probe_assignments(
        *erased, air::analyze_table(table), {local, next, {}, false, false},
        {{true, c.addr, addresses}, {false, c.g0, candidates({0, 1, 2, 15})}, {false, c.g1, gap_hi}}, kLookupsHold);
    ASSERT_FALSE(results.empty());
    for (const air::ProbeResult& r : results) EXPECT_GT(r.next[c.addr].to_u32(), 0x10u);

    // The initial value of a row that is not io: free (range-checked) only for the private input,
    // and there only below its length (word 3 of a 20-byte input; the next row is word 4).
    std::vector<Fp> row(width), below(width);
    row[c.is_real] = Fp::one();
    row[c.addr] = fp(3);
    row[c.e0] = fp(3);
    if (kind == TapeKind::kPrivateInput) {
      below[c.is_real] = Fp::one();
      below[c.addr] = below[c.e0] = fp(4);
      row[l.len_q] = below[l.len_q] = fp(5);
    }
    const auto inits = air::probe_assignments(*erased, air::analyze_table(table), {row, below, {}, false, false},
                                              {{false, c.init_lo, candidates({0, 1, 0xffff})}}, kLookupsHold);
    if (kind == TapeKind::kPrivateInput) {
      EXPECT_EQ(inits.size(), 3u);  // 0, 1 and 0xffff; every p - k fails the range check
    } else {
      ASSERT_EQ(inits.size(), 1u);
      EXPECT_EQ(inits[0].local[c.init_lo], Fp::zero());
    }
  }
}

// Word 0 of the private input: the carried length (⌊L/4⌋, L mod 4) and row 0's limb bounds have one
// assignment for every L up to 2^30 (vm::kMaxInputBytesLimit) and none past it. The carried cells
// are the same on both rows of the window, as the cyclic carry constraints make them on every row.
TEST(RiscvTablesProbe, PrivateInputLengthIsExactAndAtMost2To30) {
  const PrivateWordsCols pc = make_columns<PrivateWordsCols>();
  const TapeWordsCols& c = pc.words;
  const PrivateLengthCols& l = pc.len;
  const TapeWordsTable table{TapeKind::kPrivateInput};
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  const size_t width = static_cast<size_t>(table.info().main_width);
  const Fp quarter = fp(4).inverse();
  for (const uint32_t length : {0u, 1u, 7u, 0x10000u, 0x12345u, 0x3fff0000u, (1u << 30) - 1, 1u << 30, (1u << 30) + 1,
                                (1u << 30) + 4, 0x40010000u, 0x7fffffffu, 0xffffffffu}) {
    const uint32_t lo = length & 0xffff, hi = length >> 16;
    std::vector<Fp> e0s, qs, e1s;
    for (uint32_t r = 0; r < 4; ++r) e0s.push_back((fp(lo) - fp(r)) * quarter);  // every solution of lo = 4 e0 + r
    e0s.push_back(fp(lo / 4 + 1));
    for (const Fp& e0 : e0s) qs.push_back(e0 + fp(1u << 14) * fp(hi));
    qs.push_back(fp(length / 4));
    for (uint32_t top = 0; top < 2; ++top) e1s.push_back(fp((1u << 14) - 1 + top) - fp(hi));
    e1s.push_back(fp(0));
    for (std::vector<Fp>* list : {&e0s, &qs, &e1s}) {  // a repeated candidate would count one assignment twice
      std::vector<Fp> unique;
      for (const Fp& v : *list) {
        if (std::find(unique.begin(), unique.end(), v) == unique.end()) unique.push_back(v);
      }
      *list = std::move(unique);
    }
    std::vector<std::array<uint32_t, 2>> found;  // (len_q, L mod 4)
    for (const Fp& e0 : e0s) {
      for (const Fp& e1 : e1s) {
        for (const Fp& q : qs) {
          for (uint32_t rems = 0; rems < 8; ++rems) {
            for (uint32_t top = 0; top < 2; ++top) {
              std::vector<Fp> local(width), next(width);
              local[c.is_real] = next[c.is_real] = Fp::one();
              next[c.addr] = next[c.e0] = fp(1);
              local[c.init_lo] = fp(lo);
              local[c.init_hi] = fp(hi);
              local[c.e0] = e0;
              local[c.e1] = e1;
              local[l.top] = fp(top);
              for (std::vector<Fp>* row : {&local, &next}) {
                (*row)[l.len_q] = q;
                (*row)[l.rem1] = fp(rems & 1);
                (*row)[l.rem2] = fp(rems >> 1 & 1);
                (*row)[l.rem3] = fp(rems >> 2 & 1);
              }
              if (!air::probe_assignments(*erased, analysis, {local, next, {}, true, false}, {}, kLookupsHold).empty()) {
                const uint32_t rem = (rems & 1) + 2 * (rems >> 1 & 1) + 3 * (rems >> 2 & 1);
                found.push_back({q.to_u32(), rem});
              }
            }
          }
        }
      }
    }
    if (length <= (1u << 30)) {
      ASSERT_EQ(found.size(), 1u) << std::hex << length;
      EXPECT_EQ(found[0][0], length / 4) << std::hex << length;
      EXPECT_EQ(found[0][1], length % 4) << std::hex << length;
    } else {
      EXPECT_TRUE(found.empty()) << std::hex << length;
    }
  }
}

// The boundary word (the first row past word ⌊L/4⌋, which holds byte L) keeps only its bytes below
// L; a row past the boundary is zero.
TEST(RiscvTablesProbe, PrivateInputBoundaryWordKeepsItsBytesBelowTheLength) {
  const PrivateWordsCols pc = make_columns<PrivateWordsCols>();
  const TapeWordsCols& c = pc.words;
  const PrivateLengthCols& l = pc.len;
  const TapeWordsTable table{TapeKind::kPrivateInput};
  const size_t width = static_cast<size_t>(table.info().main_width);
  const std::vector<Fp> values = candidates({0, 1, 0xff, 0x100, 0x105, 0xffff});
  for (uint32_t rem = 0; rem < 4; ++rem) {
    for (const bool boundary : {true, false}) {
      std::vector<Fp> local(width), next(width);
      local[c.is_real] = Fp::one();
      local[c.addr] = local[c.e0] = fp(boundary ? 6 : 9);  // 4·5 + rem bytes: word 6 holds byte 20 + rem
      local[l.past] = Fp::one();
      local[l.boundary] = fp(boundary ? 1 : 0);
      for (std::vector<Fp>* row : {&local, &next}) {
        (*row)[l.len_q] = fp(5);
        if (rem != 0) (*row)[rem == 1 ? l.rem1 : rem == 2 ? l.rem2 : l.rem3] = Fp::one();
      }
      const auto results = probe(table, {local, next, {}, false, false},
                                 {{false, c.init_lo, values}, {false, c.init_hi, values}});
      std::vector<uint32_t> words;
      for (const air::ProbeResult& r : results) words.push_back(r.local[c.init_lo].to_u32() | r.local[c.init_hi].to_u32() << 16);
      std::sort(words.begin(), words.end());
      std::vector<uint32_t> expected;
      for (const uint32_t lo : {0u, 1u, 0xffu, 0x100u, 0x105u, 0xffffu}) {
        for (const uint32_t hi : {0u, 1u, 0xffu, 0x100u, 0x105u, 0xffffu}) {
          const uint32_t word = lo | hi << 16;
          const uint32_t kept = boundary && rem != 0 ? (1u << (8 * rem)) - 1 : 0;
          if ((word & ~kept) == 0) expected.push_back(word);
        }
      }
      std::sort(expected.begin(), expected.end());
      EXPECT_EQ(words, expected) << "L mod 4 = " << rem << (boundary ? ", the boundary" : ", past it");
    }
  }
}

}  // namespace
}  // namespace zkrv::riscv_air
