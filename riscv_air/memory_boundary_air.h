// The memory-boundary table in segment mode (docs/proof-system.md, "The memory tree"): one row per
// chunk of the memory tree that a segment touches. It replaces Image and ZeroInit for a segment:
// where those send a word's initial record from the image, this table takes the chunk's words from
// the tree of root_in and hands the tree-update table (stark/poseidon2/tree_update_air.h) the
// chunk's new words, from which root_out follows. In Image's slot of the segment machine (machine.h, make_segment_machine).
//
// A real row, for the chunk at leaf index `leaf`, in the region its selector picks:
//   MEMORY   sends    (space, addr_w, 0, old lo_w, old hi_w)          per word w of the region's words
//            receives (space, addr_w, final_ts_w, new lo_w, new hi_w) likewise
//   TREE     sends    (2^D + leaf, 0, old limbs), (2^D + leaf, 1, new limbs)
//   RANGE16  sends    all 16 limbs, and the limbs of the region and ordering checks
// with multiplicity is_real (MEMORY: the selectors of the regions that have word w; the ordering
// limbs: is_real of this row and the next). A padding row selects no region and emits nothing. addr_w =
// 4 (leaf - base) + w. The regions are constants of the eval (the program key will commit to
// them): the program's mapped memory, one region per maximal run of chunks in one space (1
// writable, 2 read-only; base 0, so addr_w is the word address), so that a chunk takes its pages'
// space and an unmapped chunk has no row; the registers (space 0, leaves 2^(D-1) + [0, 8), base
// 2^(D-1), so addr_w is the register number); the reservation (space 0, the one leaf 2^(D-1) + 8,
// word 0 only: addr 32 = kReservationRegister). The reservation chunk's words 1..3 name no record
// (registers 33..35 do not exist): they send and receive nothing, and their limbs and final ts
// are constrained zero, as the host tree holds them, so that leaf stays what the tree says.
//
// Soundness: a word's initial record is the old tree's word because the leaf sent on TREE (whose
// limbs the record carries) must be the old tree's leaf at that position (the tree-update
// table's argument; the limbs' range checks stop an inverted compression from supplying a leaf,
// 2^-120 per attempt), and the position is 2^D + leaf with leaf inside a region (so below 2^D).
// No chunk appears twice: the tree-update table receives each leaf at most once per side (its
// parent row is unique), so a second sender of a leaf unbalances TREE. That argument is the one
// relied on; the strictly increasing leaves are a second, local check that names the duplicate. A
// chunk an access uses but no row covers leaves the access's initial record unmatched on MEMORY.
// Every word of a covered chunk gets its initial record and must return a final one, so the new
// limbs are exactly the final values (an untouched word returns its own initial record).
#pragma once

#include <span>
#include <vector>

#include "riscv_air/buses.h"
#include "riscv_air/memory_boundary_columns.h"
#include "riscv_air/program.h"
#include "stark/air/air.h"

namespace zkrv::riscv_air {

// Chunks [begin, end) of the memory tree's left subtree, all in one space (kMemorySpace or
// kReadOnlySpace): a mapped range.
struct ChunkRange {
  uint32_t space = 0;
  uint32_t begin = 0, end = 0;
  bool operator==(const ChunkRange&) const = default;
};

// The program's mapped memory in chunks: the image's words below Z and the zero ranges above it,
// adjacent runs of one space merged, in address order. The VM maps whole pages, so every run is
// whole chunks; throws RefusedError for one that is not.
std::vector<ChunkRange> mapped_chunk_ranges(const ProgramImage& program);

// Leaves [begin, end) of the tree whose words are addresses 4 (leaf - base) + w of `space`, for
// w < words.
struct BoundaryRegion {
  uint32_t space = 0;
  uint32_t begin = 0, end = 0;
  uint32_t base = 0;
  uint32_t words = kChunkWords;
};

// At most this many mapped ranges (each is a selector column).
inline constexpr size_t kMaxMappedChunkRanges = 32;

struct MemoryBoundaryBuses {
  stark::air::BusId memory = kMemoryBus;
  stark::air::BusId range16 = kRange16Bus;
  stark::air::BusId tree = 0;  // the tree-update table's bus
};

struct MemoryBoundaryTable {
  MemoryBoundaryBuses buses;
  int depth = kMemoryTreeDepth;
  // The mapped ranges, then the registers, then the reservation, then (with_tapes) the public
  // input, the private input and the output (make_memory_boundary_table).
  std::vector<BoundaryRegion> regions;
  size_t mapped_regions = 0;

  int selector(size_t k) const { return kWidth<MemoryBoundaryCols> + static_cast<int>(k); }
  size_t register_region() const { return mapped_regions; }
  size_t reservation_region() const { return mapped_regions + 1; }
  bool has_tape_regions() const { return regions.size() > mapped_regions + 2; }
  // The region of a tape's space (kPublicInputSpace, kPrivateInputSpace, kOutputSpace).
  size_t tape_region(uint32_t space) const { return mapped_regions + 2 + (space - kPublicInputSpace); }
  // The region holding `leaf`, or regions.size() for none.
  size_t region_of(uint64_t leaf) const;

  stark::air::TableInfo info() const;

  template <class B>
  void eval(B& b) const {
    const MemoryBoundaryCols c = make_columns<MemoryBoundaryCols>();
    using Expr = typename B::Expr;
    const Expr real = b.main(c.is_real), next_real = b.main_next(c.is_real);
    const Expr one = b.constant(1), two16 = b.constant(1u << 16), eight = b.constant(8);
    b.assert_bool("is_real is a bit", real);
    b.assert_zero_last("the last row is padding", real);
    b.assert_zero_transition("real rows come first", next_real * (one - real));

    // The selected region's constants are the selectors' weighted sums (all 0 on padding). A
    // word's multiplicity is the sum of the selectors of regions that have that word.
    Expr selected = b.constant(0), begin = b.constant(0), end = b.constant(0), base = b.constant(0),
         space = b.constant(0);
    std::vector<Expr> word_real(kChunkWords, b.constant(0)), word_absent(kChunkWords, b.constant(0));
    for (size_t k = 0; k < regions.size(); ++k) {
      const BoundaryRegion& region = regions[k];
      const Expr s = b.main(selector(k));
      b.assert_bool("a region selector is a bit", s);
      selected = selected + s;
      begin = begin + s * b.constant(region.begin);
      end = end + s * b.constant(region.end);
      base = base + s * b.constant(region.base);
      space = space + s * b.constant(region.space);
      for (uint32_t w = 0; w < kChunkWords; ++w) {
        if (w < region.words) {
          word_real[w] = word_real[w] + s;
        } else {
          word_absent[w] = word_absent[w] + s;
        }
      }
    }
    b.assert_zero("a real row selects one region", selected - real);

    const Expr leaf = b.main(c.leaf);
    b.assert_zero("leaf - begin = e0 + 2^16 e1", real * (leaf - begin - b.main(c.e0) - two16 * b.main(c.e1)));
    b.send(buses.range16, {b.main(c.e0)}, real);
    b.send(buses.range16, {eight * b.main(c.e1)}, real);
    b.assert_zero("end - 1 - leaf = f0 + 2^16 f1", real * (end - one - leaf - b.main(c.f0) - two16 * b.main(c.f1)));
    b.send(buses.range16, {b.main(c.f0)}, real);
    b.send(buses.range16, {eight * b.main(c.f1)}, real);
    const Expr both = real * next_real;
    // Not gated by the transition selector: the last row is padding, so `both` is 0 there.
    b.assert_zero("leaves strictly increase", both * (b.main_next(c.leaf) - leaf - one - b.main(c.g0) - two16 * b.main(c.g1)));
    // Without a real next row the ordering limbs are unused: zero, so that they are not free cells.
    b.assert_zero_transition("g0 is zero before a padding row", (one - next_real) * b.main(c.g0));
    b.assert_zero_transition("g1 is zero before a padding row", (one - next_real) * b.main(c.g1));
    b.send(buses.range16, {b.main(c.g0)}, both);
    b.send(buses.range16, {eight * b.main(c.g1)}, both);

    // Every limb, old and new, is 16-bit: the memory tree's leaves are unhashed (tree_update_air.h).
    for (int i = 0; i < kChunkLimbs; ++i) {
      b.send(buses.range16, {b.main(c.old_limbs[i])}, real);
      b.send(buses.range16, {b.main(c.new_limbs[i])}, real);
    }
    for (uint32_t w = 0; w < kChunkWords; ++w) {
      const int lo = static_cast<int>(2 * w), hi = lo + 1;
      // A word the region does not have (the reservation chunk's words 1..3) is zero on both
      // sides and has no final record.
      b.assert_zero("a word outside the region is zero (old lo)", word_absent[w] * b.main(c.old_limbs[lo]));
      b.assert_zero("a word outside the region is zero (old hi)", word_absent[w] * b.main(c.old_limbs[hi]));
      b.assert_zero("a word outside the region is zero (new lo)", word_absent[w] * b.main(c.new_limbs[lo]));
      b.assert_zero("a word outside the region is zero (new hi)", word_absent[w] * b.main(c.new_limbs[hi]));
      b.assert_zero("a word outside the region has no final ts", word_absent[w] * b.main(c.final_ts[w]));
      const Expr addr = b.constant(4) * (leaf - base) + b.constant(w);
      b.send(buses.memory, {space, addr, b.constant(0), b.main(c.old_limbs[lo]), b.main(c.old_limbs[hi])},
             word_real[w]);
      b.receive(buses.memory,
                {space, addr, b.main(c.final_ts[w]), b.main(c.new_limbs[lo]), b.main(c.new_limbs[hi])}, word_real[w]);
    }

    const Expr node = b.constant(1u << depth) + leaf;
    for (const bool new_side : {false, true}) {
      const int* limbs = new_side ? c.new_limbs : c.old_limbs;
      b.send(buses.tree,
             {node, b.constant(new_side ? 1 : 0), b.main(limbs[0]), b.main(limbs[1]), b.main(limbs[2]),
              b.main(limbs[3]), b.main(limbs[4]), b.main(limbs[5]), b.main(limbs[6]), b.main(limbs[7])},
             real);
    }
  }
};

// The table for a tree of `depth` over `mapped` (mapped_chunk_ranges' order: ascending, disjoint,
// inside the left subtree, at most kMaxMappedChunkRanges). Throws RefusedError naming the range
// otherwise. With `with_tapes` (segment mode with the tapes in the tree, memory_tree.h), three
// more regions hold the tapes' chunks, word w of a chunk at the tape's word address 4 (leaf -
// base) + w: the public input, the private input up to its salt (which no row may take), the
// output; base is each tape subtree's first leaf.
MemoryBoundaryTable make_memory_boundary_table(const MemoryBoundaryBuses& buses, std::span<const ChunkRange> mapped,
                                               int depth = kMemoryTreeDepth, bool with_tapes = false);

}  // namespace zkrv::riscv_air
