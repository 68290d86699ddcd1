// The memory tree that chains segments (continuations, docs/proof-system.md "The memory tree"): a
// Poseidon2 sparse Merkle tree (stark/poseidon2/sparse_tree.h) over a machine state, memory and
// registers, whose root a segment's statement carries in and out.
//
// Leaves are 16-byte chunks: 4 little-endian words as 8 field elements (lo16, hi16 of each word,
// in word order), a leaf being its own digest (the depth is fixed, so a position binds). With
// depth D (kMemoryTreeDepth = 29 for the machine, smaller in tests), the left subtree holds memory:
// chunk c (byte address / 16) is leaf c, for the 2^(D-1) chunks of the address space. The right
// subtree starts with the registers, x0..x31 four to a chunk (leaves 2^(D-1) .. 2^(D-1) + 7), then
// the LR/SC reservation record (riscv_air/buses.h kReservationRegister: 0 for none, a + 1 for a
// reservation on a) as word 0 of leaf 2^(D-1) + 8; every other leaf is zero.
//
// Built here from a program image (the tree of the initial state, whose root the verifying key will
// hold) or from a state (the image overlaid with changed pages and registers, as a vm Checkpoint
// records them; memory_tree_checkpoint.h). update() is the host side of the tree-update table.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "riscv_air/program.h"
#include "stark/poseidon2/sparse_tree.h"

namespace zkrv::riscv_air {

inline constexpr int kMemoryTreeDepth = 29;
inline constexpr uint32_t kChunkBytes = 16;
inline constexpr uint32_t kChunkWords = kChunkBytes / 4;
inline constexpr uint32_t kStatePageBytes = 4096;  // vm::Memory::kPageSize, the unit a checkpoint records

using ChunkWords = std::array<uint32_t, kChunkWords>;

// The leaf of 4 words: (lo16, hi16) of each, in word order.
stark::poseidon2::Digest chunk_leaf(const ChunkWords& words);

// Leaf indices in a tree of `depth`. memory_leaf throws RefusedError for a chunk past the left
// subtree (only at a depth below 29: at 29 every 32-bit address has its chunk).
uint64_t memory_leaf(int depth, uint64_t chunk);
uint64_t register_leaf(int depth, uint32_t register_chunk);  // chunk of x(4k) .. x(4k + 3), k < 8
uint64_t reservation_leaf(int depth);

// The tapes, in segment mode (docs/proof-system.md, "Segments: the plan the wiring follows"): the
// right half's level-3 subtrees hold, after the registers' (subtree 4), the public input (5), the
// private input (6) and the public output (7), each tape's chunk c (its bytes [16 c, 16 c + 16), word
// 0 the length) at leaf c of its subtree. The private input's last chunk is the salt, which no
// access reaches, so that the private subtree's digest hides the hint.
inline constexpr int kTapeSubtreeLevel = 3;
// Chunks of one tape's subtree: 2^(depth - 3) (2^26 at depth 29: 2^30 bytes).
uint64_t tape_capacity_chunks(int depth);
// The chunks a tape may use: the capacity, less the salt's chunk for the private input. Throws
// RefusedError for a space that is not a tape's.
uint64_t tape_usable_chunks(int depth, uint32_t space);
// The leaf of chunk `chunk` of the tape in memory space `space` (3 public input, 4 private input,
// 5 public output). Throws RefusedError for another space, a chunk past the subtree, the salt's
// chunk, or a depth below 7 (the registers' subtree needs 9 leaves).
uint64_t tape_leaf(int depth, uint32_t space, uint64_t chunk);
uint64_t salt_leaf(int depth);

struct TreeTapes {
  std::span<const uint8_t> public_input;   // the payloads: word 0 (the length) is added here
  std::span<const uint8_t> private_input;
  ChunkWords salt{};                       // random; any words (8 limbs of 16 bits: 128 bits)
  std::span<const uint8_t> output_tape;    // as written, word 0 included (a vm Checkpoint's output_tape)
};

// The digest of the private input's subtree (the hint and the salt), which the run's proof carries
// as the one part of the first segment's root the verifier cannot compute. Throws RefusedError for
// a hint that does not fit before the salt.
stark::poseidon2::Digest private_input_root(int depth, std::span<const uint8_t> private_input, const ChunkWords& salt);
// The root a run's first segment starts from, as the verifier computes it: the program's initial
// image (memory, registers), the public input, the private subtree's digest and an empty output.
// Equal to MemoryTree::from_image(program, depth, tapes).root() for tapes whose private root it is.
stark::poseidon2::Digest initial_segment_root(const ProgramImage& program, std::span<const uint8_t> public_input,
                                              const stark::poseidon2::Digest& private_root,
                                              int depth = kMemoryTreeDepth);

// A page of a state that differs from the image (a checkpoint's page: number = address >> 12).
struct StatePage {
  uint32_t number = 0;
  std::span<const uint8_t, kStatePageBytes> bytes;
};

struct ChunkChange {
  uint64_t leaf = 0;
  ChunkWords old_words{}, new_words{};
};

class MemoryTree {
 public:
  // The initial state: the image's words (registers and the reservation from its register-space
  // words, memory from its memory and read-only words; words past the image are zero).
  // With `tapes`, the tree of segment mode.
  static MemoryTree from_image(const ProgramImage& program, int depth = kMemoryTreeDepth, const TreeTapes& tapes = {});
  // The image with `pages` (ascending, distinct) replacing whole pages, and these registers (x0
  // must be 0) and reservation record. Throws RefusedError for pages out of order or x0 not 0.
  static MemoryTree from_state(const ProgramImage& program, std::span<const StatePage> pages,
                               const std::array<uint32_t, 32>& registers, uint32_t reservation_record,
                               int depth = kMemoryTreeDepth, const TreeTapes& tapes = {});

  int depth() const { return tree_.depth(); }
  stark::poseidon2::Digest root() const { return tree_.root(); }
  const stark::poseidon2::SparseTree& tree() const { return tree_; }
  // Non-zero chunks the tree was built with.
  size_t chunks() const { return chunks_; }

  // Applies the changes; returns the tree-update table's witness (SparseTree::update). Throws
  // stark::poseidon2::TreeError when a change's old words are not the leaf's.
  std::vector<stark::poseidon2::NodeUpdate> update(std::span<const ChunkChange> changes);

 private:
  MemoryTree(int depth, std::span<const stark::poseidon2::Leaf> leaves, size_t chunks)
      : tree_(depth, leaves), chunks_(chunks) {}

  stark::poseidon2::SparseTree tree_;
  size_t chunks_ = 0;
};

}  // namespace zkrv::riscv_air
