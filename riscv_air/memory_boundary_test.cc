// The memory-boundary table (segment mode) with the tree-update table, a test table that makes
// memory accesses (consumes initial records, emits final ones) and the machine's Range16 table, on
// a real program image and its memory tree at depth 29: an honest segment proves and verifies
// with root_in / root_out equal to the host tree's roots; the negative catalogue (a forged initial
// or final word, a limb of 2^16 or more, a chunk in no mapped range, a read-only chunk claimed
// writable, a chunk twice, a dropped chunk, padding that emits, the reservation chunk's spare
// words) is named by the checker and rejected by the verifier; generation refusals; an
// under-constraint probe; a mutation sweep; cells per touched chunk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <map>
#include <optional>
#include <vector>

#include "riscv_air/fixed_tables.h"
#include "riscv_air/memory_boundary_generation.h"
#include "stark/air/checker.h"
#include "stark/air/probe.h"
#include "stark/air/symbolic.h"
#include "stark/poseidon2/tree_update_air.h"
#include "stark/prover/prover.h"
#include "stark/testing/toy_cases.h"
#include "stark/verifier/verifier.h"
#include "vm/testing/program.h"

namespace zkrv::riscv_air {
namespace {

namespace air = stark::air;
namespace poseidon2 = stark::poseidon2;
namespace prover = stark::prover;
namespace verifier = stark::verifier;
using ::testing::HasSubstr;
using poseidon2::Digest;
using vm::testing::TestProgram;

constexpr air::BusId kTreeBus = 11;
constexpr int kDepth = kMemoryTreeDepth;
const MemoryBoundaryCols kCols = make_columns<MemoryBoundaryCols>();
enum TableIndex : size_t { kBoundary, kTree, kAccesses, kRange16, kTables };

// One access standing in for the machine's executors: receives the word's previous record and sends
// its new one. Limbs are field elements so that a test can forge them.
struct Access {
  uint32_t space = 0, addr = 0, prev_ts = 0;
  Fp prev_lo, prev_hi;
  uint32_t ts = 0;
  Fp lo, hi;
};

Access access(uint32_t space, uint32_t addr, uint32_t prev_value, uint32_t ts, uint32_t value) {
  return {space, addr, 0, Fp::from_u32(prev_value & 0xFFFF), Fp::from_u32(prev_value >> 16), ts,
          Fp::from_u32(value & 0xFFFF), Fp::from_u32(value >> 16)};
}

struct AccessTable {
  enum : int { kIsReal, kSpace, kAddr, kPrevTs, kPrevLo, kPrevHi, kTs, kLo, kHi, kWidth };
  air::TableInfo info() const {
    return {"accesses", kWidth, 0, 0, {"is_real", "space", "addr", "prev_ts", "prev_lo", "prev_hi", "ts", "lo", "hi"}, {}};
  }
  template <class B>
  void eval(B& b) const {
    const auto real = b.main(kIsReal);
    b.assert_bool("access is_real is a bit", real);
    b.receive(kMemoryBus, {b.main(kSpace), b.main(kAddr), b.main(kPrevTs), b.main(kPrevLo), b.main(kPrevHi)}, real);
    b.send(kMemoryBus, {b.main(kSpace), b.main(kAddr), b.main(kTs), b.main(kLo), b.main(kHi)}, real);
  }
};

size_t reserved() { return stark::testing::toy_reserved_rows(); }

ChunkWords words_of(const Digest& leaf) {
  ChunkWords words{};
  for (size_t w = 0; w < kChunkWords; ++w) words[w] = leaf[2 * w].to_u32() | leaf[2 * w + 1].to_u32() << 16;
  return words;
}

TestProgram segment_program() {
  TestProgram p;
  p.rodata() = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  p.data() = std::vector<uint8_t>(40, 0);
  p.data()[0] = 0x11;
  p.li(5, TestProgram::kData).exit(0);
  return p;
}

// A segment of the program above: the chunks it touched and its accesses, over the tree of the
// program's image.
struct Case {
  ProgramImage program;
  MemoryBoundaryTable table;
  std::optional<MemoryTree> tree_in;
  std::vector<BoundaryChunk> chunks;
  std::vector<Access> accesses;
  Digest root_in{}, root_out{};  // the host tree's, before and after
};

// The tapes of the segment-mode case (with_tapes): a public input, a hint and its salt, and an
// output written before the segment.
const std::vector<uint8_t> kPublicInput = {'z', 'k', 'r', 'v', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
const std::vector<uint8_t> kHint = {0xA0, 0xA1, 0xA2};
const std::vector<uint8_t> kOutputSoFar = {4, 0, 0, 0, 'o', 'u', 't', '!'};
constexpr ChunkWords kSalt = {0x5A17, 0xC0FFEE, 3, 0xFFFFFFFF};

Case make_case(bool with_tapes = false) {
  Case c;
  c.program = program_image(segment_program().image());
  c.table = make_memory_boundary_table({kMemoryBus, kRange16Bus, kTreeBus}, mapped_chunk_ranges(c.program), kDepth,
                                       with_tapes);
  c.tree_in = with_tapes ? MemoryTree::from_image(c.program, kDepth, {kPublicInput, kHint, kSalt, kOutputSoFar})
                         : MemoryTree::from_image(c.program, kDepth);
  c.root_in = c.tree_in->root();
  const auto chunk = [&](uint64_t leaf) -> BoundaryChunk& {
    const ChunkWords old_words = words_of(c.tree_in->tree().leaf(leaf));
    c.chunks.push_back({leaf, old_words, old_words, {}});
    return c.chunks.back();
  };
  // A word's access at ts: it reads or writes `value` (the chunk's new word).
  const auto touch = [&](BoundaryChunk& ch, uint32_t space, uint32_t first_addr, uint32_t w, uint32_t ts, uint32_t value) {
    c.accesses.push_back(access(space, first_addr + w, ch.old_words[w], ts, value));
    ch.new_words[w] = value;
    ch.final_ts[w] = ts;
  };
  constexpr uint32_t kData = TestProgram::kData, kRodata = TestProgram::kRodata;
  {
    BoundaryChunk& ch = chunk(memory_leaf(kDepth, kRodata / kChunkBytes));  // a load of rodata's word 1
    touch(ch, kReadOnlySpace, kRodata / 4, 1, 8, ch.old_words[1]);
  }
  {
    BoundaryChunk& ch = chunk(memory_leaf(kDepth, kData / kChunkBytes));  // a store over the image's 0x11
    touch(ch, kMemorySpace, kData / 4, 0, 12, 0xDEADBEEF);
  }
  {
    BoundaryChunk& ch = chunk(memory_leaf(kDepth, (kData + 0x1F0) / kChunkBytes));  // a store to a zero chunk
    touch(ch, kMemorySpace, (kData + 0x1F0) / 4, 3, 16, 0x12345678);
  }
  {
    BoundaryChunk& ch = chunk(register_leaf(kDepth, 1));  // x5, x6 written
    touch(ch, kRegisterSpace, 4, 1, 7, kData);
    touch(ch, kRegisterSpace, 4, 2, 11, 0xDEADBEEF);
  }
  {
    BoundaryChunk& ch = chunk(register_leaf(kDepth, 0));  // x1 written, x0 read
    touch(ch, kRegisterSpace, 0, 1, 3, 0x10010);
    touch(ch, kRegisterSpace, 0, 0, 4, 0);
  }
  {
    BoundaryChunk& ch = chunk(reservation_leaf(kDepth));  // an LR's reservation on the data word
    touch(ch, kRegisterSpace, 32, 0, 20, kData + 1);
  }
  if (with_tapes) {
    {
      BoundaryChunk& ch = chunk(tape_leaf(kDepth, kPublicInputSpace, 1));  // rin of public input word 5
      touch(ch, kPublicInputSpace, 4, 1, 24, ch.old_words[1]);
    }
    {
      BoundaryChunk& ch = chunk(tape_leaf(kDepth, kPrivateInputSpace, 0));  // hin of the hint's length
      touch(ch, kPrivateInputSpace, 0, 0, 28, ch.old_words[0]);
    }
    {
      BoundaryChunk& ch = chunk(tape_leaf(kDepth, kOutputSpace, 0));  // wou of a new length and a word
      touch(ch, kOutputSpace, 0, 0, 32, 8);
      touch(ch, kOutputSpace, 0, 2, 36, 0x3F3F3F3F);
    }
  }
  MemoryTree after = *c.tree_in;
  std::vector<ChunkChange> changes;
  for (const BoundaryChunk& ch : c.chunks) changes.push_back({ch.leaf, ch.old_words, ch.new_words});
  after.update(changes);
  c.root_out = after.root();
  return c;
}

air::Machine boundary_machine(const MemoryBoundaryTable& table) {
  air::BoundaryFunction boundary = [](std::span<const std::vector<Fp>> public_values) {
    return poseidon2::tree_root_boundary(kTreeBus, public_values, kTree);
  };
  return air::Machine("memory-boundary-test",
                      {air::make_table(table), air::make_table(poseidon2::TreeUpdateTable{kTreeBus, kDepth}),
                       air::make_table(AccessTable{}), air::make_table(Range16Table{})},
                      {{kMemoryBus, "memory"}, {kRange16Bus, "range16"}, {kTreeBus, "tree"}}, boundary);
}

size_t padded(size_t rows) { return std::max<size_t>(2, std::bit_ceil(rows + reserved())); }

air::TableWitness access_witness(std::span<const Access> accesses) {
  air::TableWitness w;
  w.main = stark::Matrix<Fp>(padded(accesses.size()), AccessTable::kWidth);
  for (size_t r = 0; r < accesses.size(); ++r) {
    const Access& a = accesses[r];
    const std::array<Fp, AccessTable::kWidth> row = {Fp::one(), Fp::from_u32(a.space), Fp::from_u32(a.addr),
                                                     Fp::from_u32(a.prev_ts), a.prev_lo, a.prev_hi,
                                                     Fp::from_u32(a.ts), a.lo, a.hi};
    for (int col = 0; col < AccessTable::kWidth; ++col) w.main.at(r, col) = row[col];
  }
  return w;
}

// Range16's counts: every RANGE16 send of the other tables, read back from their own eval.
void fill_range16(const air::Machine& machine, std::vector<air::TableWitness>& w) {
  std::vector<uint32_t> counts(padded(size_t{1} << 16), 0);
  const stark::Matrix<Fp> none;
  for (size_t t = 0; t < kRange16; ++t) {
    const air::TableAnalysis& analysis = machine.analysis(t);
    air::RowEvaluator evaluator(machine.table(t), analysis, none, w[t], reserved());
    for (size_t r = 0; r < evaluator.active_rows(); ++r) {
      const std::vector<Fp>& values = evaluator.evaluate(r).interaction_values;
      size_t offset = 0;
      for (const air::SymbolicInteraction& it : analysis.interactions) {
        const uint32_t x = values[offset + 1].to_u32();
        if (it.bus == kRange16Bus && x < (1u << 16)) counts[x] += values[offset].to_u32();
        offset += 1 + it.tuple.size();
      }
    }
  }
  w[kRange16].main = stark::Matrix<Fp>(counts.size(), 1);
  for (size_t r = 0; r < counts.size(); ++r) w[kRange16].main.at(r, 0) = Fp::from_u32(counts[r]);
}

// The honest witnesses, from memory_boundary_witness.
std::vector<air::TableWitness> honest_witnesses(const Case& c, const air::Machine& machine) {
  MemoryTree tree = *c.tree_in;
  MemoryBoundaryWitness bw = memory_boundary_witness(c.table, tree, c.chunks, reserved());
  std::vector<air::TableWitness> w(kTables);
  w[kBoundary] = std::move(bw.boundary);
  w[kTree] = std::move(bw.tree_update);
  w[kAccesses] = access_witness(c.accesses);
  fill_range16(machine, w);
  return w;
}

Digest limbs_at(const stark::Matrix<Fp>& m, size_t r, const int (&limbs)[kChunkLimbs]) {
  Digest d;
  for (int i = 0; i < kChunkLimbs; ++i) d[static_cast<size_t>(i)] = m.at(r, limbs[i]);
  return d;
}

enum class Roots { kHostTree, kClaimed };

// What a malicious prover does around a forged boundary trace: recomputes the e / f / g limbs so
// that their equations hold in the field, the tree update from the leaves the rows claim (each
// leaf once), and Range16's counts. The public roots are the host tree's (the statement a segment
// must meet) or the ones the forged rows reach.
std::vector<air::TableWitness> forged_witnesses(const Case& c, const air::Machine& machine, stark::Matrix<Fp> boundary,
                                                std::span<const Access> accesses, Roots roots) {
  const auto split = [&](size_t r, int lo, int hi, Fp v) {
    boundary.at(r, lo) = Fp::from_u32(v.to_u32() & 0xFFFF);
    boundary.at(r, hi) = Fp::from_u32(v.to_u32() >> 16);
  };
  std::vector<size_t> real;
  for (size_t r = 0; r + reserved() < boundary.rows(); ++r) {
    if (boundary.at(r, kCols.is_real) == Fp::one()) real.push_back(r);
  }
  for (size_t i = 0; i < real.size(); ++i) {
    const size_t r = real[i];
    for (size_t k = 0; k < c.table.regions.size(); ++k) {
      if (boundary.at(r, c.table.selector(k)) != Fp::one()) continue;
      const Fp leaf = boundary.at(r, kCols.leaf);
      split(r, kCols.e0, kCols.e1, leaf - Fp::from_u32(c.table.regions[k].begin));
      split(r, kCols.f0, kCols.f1, Fp::from_u32(c.table.regions[k].end - 1) - leaf);
    }
    if (i + 1 < real.size() && real[i + 1] == r + 1) split(r, kCols.g0, kCols.g1, boundary.at(r + 1, kCols.leaf) - boundary.at(r, kCols.leaf) - Fp::one());
  }
  poseidon2::SparseTree lie = c.tree_in->tree();
  std::map<uint64_t, poseidon2::LeafChange> changes;
  for (const size_t r : real) {
    const uint64_t leaf = boundary.at(r, kCols.leaf).to_u32();
    if (changes.count(leaf) != 0) continue;
    changes[leaf] = {leaf, limbs_at(boundary, r, kCols.old_limbs), limbs_at(boundary, r, kCols.new_limbs)};
    const Digest now = lie.leaf(leaf);
    if (now != changes[leaf].old_value) {
      const std::vector<poseidon2::LeafChange> claim = {{leaf, now, changes[leaf].old_value}};
      lie.update(claim);
    }
  }
  const Digest claimed_in = lie.root();
  std::vector<poseidon2::LeafChange> list;
  for (const auto& [leaf, change] : changes) list.push_back(change);
  const std::vector<poseidon2::NodeUpdate> updates = lie.update(list);
  const Digest claimed_out = lie.root();
  std::vector<air::TableWitness> w(kTables);
  w[kBoundary].main = std::move(boundary);
  w[kTree] = roots == Roots::kHostTree
                 ? poseidon2::tree_update_witness(updates, kDepth, c.root_in, c.root_out, 1, reserved())
                 : poseidon2::tree_update_witness(updates, kDepth, claimed_in, claimed_out, 1, reserved());
  w[kAccesses] = access_witness(accesses);
  fill_range16(machine, w);
  return w;
}

// The tree of the state make_case's segment leaves, built from scratch: the first data page with
// the two stores, the registers, the reservation, and `tapes` (empty without them).
MemoryTree tree_after_case(const ProgramImage& program, const TreeTapes& tapes) {
  std::array<uint8_t, kStatePageBytes> page{};
  const auto put = [&](uint32_t offset, uint32_t value) {
    for (uint32_t i = 0; i < 4; ++i) page[offset + i] = static_cast<uint8_t>(value >> (8 * i));
  };
  put(0, 0xDEADBEEF);
  put(0x1FC, 0x12345678);
  const std::vector<StatePage> pages = {{TestProgram::kData / kStatePageBytes, page}};
  std::array<uint32_t, 32> registers{};
  registers[1] = 0x10010;
  registers[5] = TestProgram::kData;
  registers[6] = 0xDEADBEEF;
  return MemoryTree::from_state(program, pages, registers, TestProgram::kData + 1, kDepth, tapes);
}

// One proving key per test (setup commits Range16's 2^16 rows).
struct Fixture {
  Fixture() = default;
  explicit Fixture(bool with_tapes) : c(make_case(with_tapes)) {}
  Case c = make_case();
  air::Machine machine = boundary_machine(c.table);
  stark::fri::FriParams params = stark::testing::toy_fri_params();
  prover::ProvingKey pk = prover::setup(params, machine);

  air::MachineCheck check(const std::vector<air::TableWitness>& w) const {
    return air::check_machine(machine, pk.preprocessed, w, 16, reserved());
  }
  stark::Matrix<Fp> honest_boundary() const { return memory_boundary_main(c.table, c.chunks, reserved()); }
  // The row of the chunk at `leaf` in the honest trace.
  size_t row_of(uint64_t leaf) const {
    const stark::Matrix<Fp> m = honest_boundary();
    for (size_t r = 0; r < c.chunks.size(); ++r) {
      if (m.at(r, kCols.leaf).to_u32() == leaf) return r;
    }
    throw std::runtime_error("no row");
  }
  // The checker's report names every one of `expected`, and the proof a malicious prover makes of
  // the witness does not verify.
  void expect_rejected(const std::vector<air::TableWitness>& w, std::initializer_list<const char*> expected) const {
    const air::MachineCheck result = check(w);
    ASSERT_FALSE(result.ok());
    for (const char* e : expected) EXPECT_THAT(result.to_string(machine), HasSubstr(e));
    prover::ProveOptions malicious;
    malicious.check_witness = false;
    malicious.check_final_degree = false;
    const stark::protocol::StarkProof proof = prover::prove(params, machine, pk, w, malicious).proof;
    EXPECT_THROW(verifier::verify(params, machine, pk.vk, proof), verifier::VerifyError);
  }
};

TEST(MemoryBoundary, MappedRangesOfAProgramImage) {
  const ProgramImage program = program_image(segment_program().image());
  const std::vector<ChunkRange> ranges = mapped_chunk_ranges(program);
  const std::vector<ChunkRange> expected = {
      {kReadOnlySpace, TestProgram::kCode / 16, (TestProgram::kCode + 4096) / 16},
      {kReadOnlySpace, TestProgram::kRodata / 16, (TestProgram::kRodata + 4096) / 16},
      {kMemorySpace, TestProgram::kData / 16, (TestProgram::kData + TestProgram::kDataSize) / 16}};
  EXPECT_EQ(ranges, expected);
  const MemoryBoundaryTable table = make_memory_boundary_table({}, ranges);
  ASSERT_EQ(table.regions.size(), 5u);
  EXPECT_EQ(table.regions[3].begin, 1u << 28);  // registers
  EXPECT_EQ(table.regions[3].end, (1u << 28) + 8);
  EXPECT_EQ(table.regions[4].begin, (1u << 28) + 8);  // the reservation, word 0 only
  EXPECT_EQ(table.regions[4].words, 1u);
  EXPECT_EQ(table.region_of(TestProgram::kData / 16 + 5), 2u);
  EXPECT_EQ(table.region_of(0), 5u);  // unmapped
}

TEST(MemoryBoundary, ShapeAndCellsPerTouchedChunk) {
  const Case c = make_case();
  const air::TableAnalysis analysis = air::analyze_table(c.table);
  EXPECT_LE(analysis.max_degree, 3);
  EXPECT_TRUE(analysis.unused_main.empty());
  const air::TableAnalysis tree = air::analyze_table(poseidon2::TreeUpdateTable{kTreeBus, kDepth});
  const int boundary_cells = analysis.info.main_width + analysis.interaction_width();
  const int tree_cells = tree.info.main_width + tree.interaction_width();
  // The tree rows of this case (6 chunks, 4 of them neighbours in the register subtree), of a lone
  // chunk, and of 256 contiguous chunks.
  MemoryTree t = *c.tree_in;
  std::vector<ChunkChange> changes;
  for (const BoundaryChunk& ch : c.chunks) changes.push_back({ch.leaf, ch.old_words, ch.new_words});
  const size_t case_rows = t.update(changes).size();
  std::vector<ChunkChange> contiguous;
  for (uint64_t k = 0; k < 256; ++k) contiguous.push_back({memory_leaf(kDepth, TestProgram::kData / 16 + 0x100 + k), {}, {1, 0, 0, 0}});
  MemoryTree t2 = *c.tree_in;
  const size_t contiguous_rows = t2.update(contiguous).size();
  const auto per_chunk = [&](size_t tree_rows, size_t chunks) {
    return boundary_cells + static_cast<double>(tree_rows) * tree_cells / static_cast<double>(chunks);
  };
  std::printf("memory boundary: %d main + %d LogUp cells a row (%zu regions, %zu interactions); tree update %d cells "
              "a row\n  per touched chunk: this case %.0f (%zu tree rows / %zu chunks), a lone chunk %.0f (29 rows), "
              "256 contiguous chunks %.0f (%zu rows)\n",
              analysis.info.main_width, analysis.interaction_width(), c.table.regions.size(), analysis.interactions.size(),
              tree_cells, per_chunk(case_rows, c.chunks.size()), case_rows, c.chunks.size(), per_chunk(29, 1),
              per_chunk(contiguous_rows, 256), contiguous_rows);
}

TEST(MemoryBoundary, HonestSegmentProvesAndVerifiesWithTheHostTreesRoots) {
  const Fixture f;
  const std::vector<air::TableWitness> w = honest_witnesses(f.c, f.machine);
  EXPECT_EQ(w[kTree].public_values, poseidon2::tree_update_public_values(f.c.root_in, f.c.root_out));
  EXPECT_EQ(f.c.root_in, MemoryTree::from_image(f.c.program).root());
  EXPECT_NE(f.c.root_in, f.c.root_out);
  // root_out is the tree of the state the segment leaves, built from scratch.
  EXPECT_EQ(f.c.root_out, tree_after_case(f.c.program, {}).root());
  const air::MachineCheck result = f.check(w);
  ASSERT_TRUE(result.ok()) << result.to_string(f.machine);
  const prover::ProveResult proof = prover::prove(f.params, f.machine, f.pk, w);
  EXPECT_NO_THROW(verifier::verify(f.params, f.machine, f.pk.vk, proof.proof));
  // The forged-witness path reproduces the honest witness (so the negatives below differ from it only
  // by their forgery).
  const std::vector<air::TableWitness> again = forged_witnesses(f.c, f.machine, f.honest_boundary(), f.c.accesses, Roots::kHostTree);
  EXPECT_TRUE(f.check(again).ok());
}

TEST(MemoryBoundary, TapeChunksProveAndVerifyInSegmentMode) {
  // A read of the public input, of the hint's length and two writes of the output, against the
  // tree that holds the tapes (with output from an earlier segment); root_out is the tree of the
  // state with the new output, built from scratch.
  const Fixture f(true);
  EXPECT_EQ(f.c.table.regions.size(), f.c.table.mapped_regions + 5);
  EXPECT_EQ(f.c.table.region_of(tape_leaf(kDepth, kPrivateInputSpace, 0)), f.c.table.tape_region(kPrivateInputSpace));
  EXPECT_EQ(f.c.table.region_of(salt_leaf(kDepth)), f.c.table.regions.size());  // the salt: no region
  const std::vector<uint8_t> output_after = {8, 0, 0, 0, 'o', 'u', 't', '!', 0x3F, 0x3F, 0x3F, 0x3F};
  EXPECT_EQ(f.c.root_out, tree_after_case(f.c.program, {kPublicInput, kHint, kSalt, output_after}).root());
  const std::vector<air::TableWitness> w = honest_witnesses(f.c, f.machine);
  const air::MachineCheck result = f.check(w);
  ASSERT_TRUE(result.ok()) << result.to_string(f.machine);
  const prover::ProveResult proof = prover::prove(f.params, f.machine, f.pk, w);
  EXPECT_NO_THROW(verifier::verify(f.params, f.machine, f.pk.vk, proof.proof));
}

TEST(MemoryBoundary, ForgedTapeWordsAreRejected) {
  const Fixture f(true);
  // A public input word read as another value: its leaf is not root_in's.
  stark::Matrix<Fp> m = f.honest_boundary();
  const size_t input_row = f.row_of(tape_leaf(kDepth, kPublicInputSpace, 1));
  m.at(input_row, kCols.old_limbs[2]) += Fp::one();
  m.at(input_row, kCols.new_limbs[2]) += Fp::one();
  std::vector<Access> accesses = f.c.accesses;
  ASSERT_EQ(accesses[8].space, kPublicInputSpace);
  accesses[8].prev_lo += Fp::one();
  accesses[8].lo += Fp::one();
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, accesses, Roots::kHostTree), {"(tree): tuple"});
}

TEST(MemoryBoundary, TheSaltAndAnotherTapesChunksHaveNoRegion) {
  // The hint's length chunk moved onto the salt's leaf, keeping the private input's selector:
  // end - 1 - leaf is negative (the salt is past the region), its limbs are not 16-bit.
  const Fixture f(true);
  stark::Matrix<Fp> m = f.honest_boundary();
  const size_t hint_row = f.row_of(tape_leaf(kDepth, kPrivateInputSpace, 0));
  m.at(hint_row, kCols.leaf) = Fp::from_u32(static_cast<uint32_t>(salt_leaf(kDepth)));
  std::vector<Access> accesses = f.c.accesses;
  ASSERT_EQ(accesses[9].space, kPrivateInputSpace);
  accesses[9].addr = static_cast<uint32_t>(4 * (tape_capacity_chunks(kDepth) - 1));
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, accesses, Roots::kClaimed), {"(range16): tuple"});
  // The hint's chunk claimed as the public input's (space 3), so that a rin reads the private value:
  // its leaf is past the public input region's end, so the bound's limbs are not 16-bit.
  m = f.honest_boundary();
  m.at(hint_row, f.c.table.selector(f.c.table.tape_region(kPrivateInputSpace))) = Fp::zero();
  m.at(hint_row, f.c.table.selector(f.c.table.tape_region(kPublicInputSpace))) = Fp::one();
  accesses = f.c.accesses;
  accesses[9].space = kPublicInputSpace;
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, accesses, Roots::kClaimed), {"(range16): tuple"});
}

TEST(MemoryBoundary, ForgedInitialWordIsRejected) {
  // The data chunk's word 2 (not accessed) claimed to start as 5: it must come back unchanged, but
  // its leaf is not the old tree's, so its path misses root_in.
  const Fixture f;
  stark::Matrix<Fp> m = f.honest_boundary();
  const size_t r = f.row_of(TestProgram::kData / 16);
  m.at(r, kCols.old_limbs[4]) = Fp::from_u32(5);
  m.at(r, kCols.new_limbs[4]) = Fp::from_u32(5);
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, f.c.accesses, Roots::kHostTree), {"(tree): tuple"});
}

TEST(MemoryBoundary, ForgedFinalWordIsRejected) {
  // The store's value and the chunk's new word agree with each other, not with root_out.
  const Fixture f;
  stark::Matrix<Fp> m = f.honest_boundary();
  const size_t r = f.row_of(TestProgram::kData / 16);
  m.at(r, kCols.new_limbs[0]) += Fp::one();
  std::vector<Access> accesses = f.c.accesses;
  accesses[1].lo += Fp::one();
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, accesses, Roots::kHostTree), {"(tree): tuple"});
}

TEST(MemoryBoundary, LimbOf2To16OrMoreIsRejected) {
  // 0xDEADBEEF as (0xBEEF + 2^16, 0xDEAD - 1): the same word, another leaf. Even with a root_out
  // made from that leaf, RANGE16 refuses the limb; likewise an old limb.
  const Fixture f;
  stark::Matrix<Fp> m = f.honest_boundary();
  const size_t r = f.row_of(TestProgram::kData / 16);
  m.at(r, kCols.new_limbs[0]) += Fp::from_u32(1u << 16);
  m.at(r, kCols.new_limbs[1]) -= Fp::one();
  std::vector<Access> accesses = f.c.accesses;
  accesses[1].lo += Fp::from_u32(1u << 16);
  accesses[1].hi -= Fp::one();
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, accesses, Roots::kClaimed), {"(range16): tuple (114415)"});
  // The old side: the rodata word 0 (0x04030201) as (0x0201 + 2^16, 0x0403 - 1), untouched.
  m = f.honest_boundary();
  const size_t ro = f.row_of(TestProgram::kRodata / 16);
  for (const auto* limbs : {&kCols.old_limbs, &kCols.new_limbs}) {
    m.at(ro, (*limbs)[0]) += Fp::from_u32(1u << 16);
    m.at(ro, (*limbs)[1]) -= Fp::one();
  }
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, f.c.accesses, Roots::kClaimed), {"(range16): tuple (66049)"});
}

TEST(MemoryBoundary, ChunkInNoMappedRangeIsRejected) {
  // The zero data chunk moved to the first chunk past the data pages (unmapped), keeping the data
  // range's selector: end - 1 - leaf is negative, its limbs are not 16-bit.
  const Fixture f;
  const uint32_t past = (TestProgram::kData + TestProgram::kDataSize) / 16;
  EXPECT_EQ(f.c.table.region_of(past), f.c.table.regions.size());
  stark::Matrix<Fp> m = f.honest_boundary();
  const size_t r = f.row_of((TestProgram::kData + 0x1F0) / 16);
  m.at(r, kCols.leaf) = Fp::from_u32(past);
  std::vector<Access> accesses = f.c.accesses;
  accesses[2].addr = past * 4 + 3;
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, accesses, Roots::kClaimed), {"(range16): tuple"});
}

TEST(MemoryBoundary, ReadOnlyChunkClaimedWritableIsRejected) {
  // The rodata chunk selects the data range (space 1) so that a store may change it.
  const Fixture f;
  stark::Matrix<Fp> m = f.honest_boundary();
  const size_t r = f.row_of(TestProgram::kRodata / 16);
  const size_t rodata = f.c.table.region_of(TestProgram::kRodata / 16), data = f.c.table.region_of(TestProgram::kData / 16);
  ASSERT_EQ(f.c.table.regions[data].space, kMemorySpace);
  m.at(r, f.c.table.selector(rodata)) = Fp::zero();
  m.at(r, f.c.table.selector(data)) = Fp::one();
  m.at(r, kCols.new_limbs[2]) = Fp::from_u32(0x4321);
  std::vector<Access> accesses = f.c.accesses;
  accesses[0].space = kMemorySpace;
  accesses[0].lo = Fp::from_u32(0x4321);
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, accesses, Roots::kClaimed), {"(range16): tuple"});
}

TEST(MemoryBoundary, ChunkTwiceIsRejected) {
  // The data chunk's row twice (the second re-initialising its words for a second chain of
  // accesses): the tree bus sees its leaf sent twice; the ordering limbs of -1 are not 16-bit.
  const Fixture f;
  const stark::Matrix<Fp> honest = f.honest_boundary();
  const size_t r = f.row_of(TestProgram::kData / 16);
  stark::Matrix<Fp> m(honest.rows(), honest.width());
  for (size_t row = 0, from = 0; row < f.c.chunks.size() + 1; ++row, ++from) {
    if (row == r + 1) from = r;
    for (size_t col = 0; col < honest.width(); ++col) m.at(row, col) = honest.at(from, col);
  }
  std::vector<Access> accesses = f.c.accesses;
  accesses.push_back(accesses[1]);
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, accesses, Roots::kClaimed), {"(tree): tuple", "(range16): tuple"});
  // Without refreshing the ordering limbs, the checker names the ordering constraint.
  std::vector<air::TableWitness> w = forged_witnesses(f.c, f.machine, m, accesses, Roots::kClaimed);
  w[kBoundary].main.at(r, kCols.g0) = Fp::zero();
  w[kBoundary].main.at(r, kCols.g1) = Fp::zero();
  EXPECT_THAT(f.check(w).to_string(f.machine), HasSubstr("leaves strictly increase"));
}

TEST(MemoryBoundary, DroppedChunkThatAnAccessUsedIsRejected) {
  // The zero data chunk has no row; its store still consumes an initial record nobody sends.
  const Fixture f;
  std::vector<BoundaryChunk> chunks;
  for (const BoundaryChunk& ch : f.c.chunks) {
    if (ch.leaf != (TestProgram::kData + 0x1F0) / 16) chunks.push_back(ch);
  }
  f.expect_rejected(forged_witnesses(f.c, f.machine, memory_boundary_main(f.c.table, chunks, reserved()), f.c.accesses,
                                     Roots::kClaimed),
                    {"(memory): tuple"});
}

TEST(MemoryBoundary, PaddingThatEmitsIsNamed) {
  const Fixture f;
  const size_t pad = f.c.chunks.size();  // the first padding row
  // A padding row selecting a region (it would send that region's records).
  std::vector<air::TableWitness> w = honest_witnesses(f.c, f.machine);
  w[kBoundary].main.at(pad, f.c.table.selector(0)) = Fp::one();
  f.expect_rejected(w, {"a real row selects one region"});
  // A real row after padding.
  w = honest_witnesses(f.c, f.machine);
  w[kBoundary].main.at(pad + 1, kCols.is_real) = Fp::one();
  f.expect_rejected(w, {"real rows come first"});
}

TEST(MemoryBoundary, ReservationChunksSpareWordsStayZero) {
  // Word 1 of the reservation chunk (no register 33) given a value on both sides: it has no record
  // to check it, so the table refuses it, keeping that leaf what the host tree holds.
  const Fixture f;
  stark::Matrix<Fp> m = f.honest_boundary();
  const size_t r = f.row_of(reservation_leaf(kDepth));
  m.at(r, kCols.old_limbs[2]) = Fp::from_u32(9);
  m.at(r, kCols.new_limbs[2]) = Fp::from_u32(9);
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, f.c.accesses, Roots::kClaimed),
                    {"a word outside the region is zero (old lo)", "a word outside the region is zero (new lo)"});
  m = f.honest_boundary();
  m.at(r, kCols.final_ts[3]) = Fp::from_u32(30);
  f.expect_rejected(forged_witnesses(f.c, f.machine, m, f.c.accesses, Roots::kHostTree),
                    {"a word outside the region has no final ts"});
}

TEST(MemoryBoundary, GenerationRefusesBadChunksAndRanges) {
  const Case c = make_case();
  std::vector<BoundaryChunk> chunks = c.chunks;
  chunks.push_back(c.chunks[1]);
  EXPECT_THAT([&] { memory_boundary_main(c.table, chunks); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("leaf 131072 is given twice")));
  chunks = c.chunks;
  chunks[0].leaf = 0;
  EXPECT_THAT([&] { memory_boundary_main(c.table, chunks); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("leaf 0 (byte address 0x0 if memory) lies in no mapped range")));
  chunks = c.chunks;
  chunks.back().new_words[2] = 1;
  EXPECT_THAT([&] { memory_boundary_main(c.table, chunks); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("word 2 of leaf 268435464 is outside its region's 1 words")));
  // Old words that are not the tree's: the host tree refuses the update and keeps its root.
  MemoryTree tree = *c.tree_in;
  chunks = c.chunks;
  chunks[1].old_words[2] = 7;
  EXPECT_THROW(memory_boundary_witness(c.table, tree, chunks), poseidon2::TreeError);
  EXPECT_EQ(tree.root(), c.root_in);
  MemoryTree shallow = MemoryTree::from_image(ProgramImage{}, 8);
  EXPECT_THAT([&] { memory_boundary_witness(c.table, shallow, c.chunks); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("the tree has depth 8, the table 29")));
  const std::vector<ChunkRange> overlapping = {{kMemorySpace, 0, 10}, {kReadOnlySpace, 5, 20}};
  EXPECT_THAT([&] { make_memory_boundary_table({}, overlapping); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("mapped range 1 (chunks [5, 20))")));
  const std::vector<ChunkRange> registers = {{kRegisterSpace, 0, 10}};
  EXPECT_THAT([&] { make_memory_boundary_table({}, registers); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("mapped range 0 has space 0")));
  const std::vector<ChunkRange> past = {{kMemorySpace, 0, (1u << 28) + 1}};
  EXPECT_THAT([&] { make_memory_boundary_table({}, past); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("past the memory of a tree of depth 29")));
}

// With the rest of a real row honest, its region limbs, its selectors and the reservation chunk's
// spare cells have exactly one value.
// The under-constraint probe on one case: one value for each ordering and bound limb, is_real and
// the selectors of a memory row, and for the reservation chunk's spare words.
void probe_case(bool with_tapes) {
  const Case c = make_case(with_tapes);
  const auto erased = air::make_table(c.table);
  const air::TableAnalysis analysis = air::analyze_table(c.table);
  const stark::Matrix<Fp> m = memory_boundary_main(c.table, c.chunks);
  const auto window_at = [&](size_t r) {
    air::ProbeWindow window;
    window.local.assign(m.row(r).begin(), m.row(r).end());
    window.next.assign(m.row(r + 1).begin(), m.row(r + 1).end());
    return window;
  };
  const auto candidates = [](Fp honest) {
    std::vector<Fp> values;
    for (uint32_t d = 0; d < 6; ++d) {
      values.push_back(honest + Fp::from_u32(d));
      values.push_back(honest - Fp::from_u32(d + 1));
      values.push_back(Fp::from_u32(d));
      values.push_back(-Fp::from_u32(d + 1));
    }
    std::sort(values.begin(), values.end(), [](Fp a, Fp b) { return a.to_u32() < b.to_u32(); });
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
  };
  const air::ProbeWindow window = window_at(1);  // a memory chunk followed by a real row
  for (const int column : {kCols.e0, kCols.e1, kCols.f0, kCols.f1, kCols.g0, kCols.g1, kCols.is_real}) {
    const auto results = air::probe_assignments(*erased, analysis, window, {{false, column, candidates(window.local[column])}});
    ASSERT_EQ(results.size(), 1u) << "column " << column;
    EXPECT_EQ(results[0].local[column], window.local[column]);
  }
  std::vector<air::ProbeCell> selectors;
  for (size_t k = 0; k < c.table.regions.size(); ++k) selectors.push_back({false, c.table.selector(k), {Fp::zero(), Fp::one()}});
  const auto results = air::probe_assignments(*erased, analysis, window, selectors);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].local, window.local);
  // The reservation chunk (the last real row, unless the tapes' chunks follow it): its spare words'
  // cells, and its ordering limbs when no real row follows.
  size_t reservation_row = 0;
  while (m.at(reservation_row, c.table.selector(c.table.reservation_region())) != Fp::one()) ++reservation_row;
  const air::ProbeWindow reservation = window_at(reservation_row);
  std::vector<int> zero_columns = {kCols.old_limbs[3], kCols.new_limbs[6], kCols.final_ts[1]};
  if (reservation_row + 1 == c.chunks.size()) zero_columns.push_back(kCols.g0);
  for (const int column : zero_columns) {
    const auto r = air::probe_assignments(*erased, analysis, reservation, {{false, column, candidates(reservation.local[column])}});
    ASSERT_EQ(r.size(), 1u) << "column " << column;
    EXPECT_EQ(r[0].local[column], Fp::zero());
  }
}

TEST(MemoryBoundary, UnderConstraintProbeFindsOneValuePerCell) {
  probe_case(false);
  SCOPED_TRACE("with the tapes' regions");
  probe_case(true);
}

// Every cell of every real row of the boundary table changed in turn, with and without the tapes'
// regions: no mutant satisfies all constraints and buses (the tree-update table's own sweep is in
// its test).
TEST(MemoryBoundary, MutationOfAnyRealCellIsCaught) {
  size_t mutants = 0, survivors = 0;
  for (const bool with_tapes : {false, true}) {
    const Fixture f(with_tapes);
    const std::vector<air::TableWitness> honest = honest_witnesses(f.c, f.machine);
    for (size_t r = 0; r < f.c.chunks.size(); ++r) {
      for (size_t col = 0; col < honest[kBoundary].main.width(); ++col) {
        std::vector<air::TableWitness> w = honest;
        w[kBoundary].main.at(r, col) += Fp::one();
        ++mutants;
        if (f.check(w).ok()) {
          ++survivors;
          ADD_FAILURE() << (with_tapes ? "with tapes: " : "") << "row " << r << " column " << col << " survives";
        }
      }
    }
  }
  std::printf("memory boundary mutation: %zu mutants, %zu survive\n", mutants, survivors);
}

}  // namespace
}  // namespace zkrv::riscv_air
