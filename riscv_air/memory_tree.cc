#include "riscv_air/memory_tree.h"

#include <algorithm>
#include <string>

#include "base/little_endian.h"
#include "riscv_air/buses.h"

namespace zkrv::riscv_air {

namespace poseidon2 = stark::poseidon2;
using stark::KoalaBear;

poseidon2::Digest chunk_leaf(const ChunkWords& words) {
  poseidon2::Digest leaf;
  for (size_t w = 0; w < kChunkWords; ++w) {
    leaf[2 * w] = KoalaBear::from_u32(words[w] & 0xFFFF);
    leaf[2 * w + 1] = KoalaBear::from_u32(words[w] >> 16);
  }
  return leaf;
}

uint64_t memory_leaf(int depth, uint64_t chunk) {
  if (depth < 2 || depth > poseidon2::kMaxTreeDepth || chunk >> (depth - 1) != 0) {
    throw RefusedError("memory tree: chunk " + std::to_string(chunk) + " (byte address " +
                       std::to_string(chunk * kChunkBytes) + ") is past the memory of a tree of depth " +
                       std::to_string(depth));
  }
  return chunk;
}

uint64_t register_leaf(int depth, uint32_t register_chunk) {
  if (register_chunk >= 32 / kChunkWords) {
    throw RefusedError("memory tree: register chunk " + std::to_string(register_chunk) + " is not in [0, 8)");
  }
  return (uint64_t{1} << (depth - 1)) + register_chunk;
}

uint64_t reservation_leaf(int depth) { return (uint64_t{1} << (depth - 1)) + 32 / kChunkWords; }

uint64_t tape_capacity_chunks(int depth) {
  if (depth < 7 || depth > poseidon2::kMaxTreeDepth) {
    throw RefusedError("memory tree: a tree of depth " + std::to_string(depth) + " has no room for the tapes");
  }
  return uint64_t{1} << (depth - kTapeSubtreeLevel);
}

uint64_t tape_usable_chunks(int depth, uint32_t space) {
  const uint64_t capacity = tape_capacity_chunks(depth);
  if (space < kPublicInputSpace || space > kOutputSpace) {
    throw RefusedError("memory tree: space " + std::to_string(space) + " is not a tape's");
  }
  return space == kPrivateInputSpace ? capacity - 1 : capacity;  // the salt's chunk
}

uint64_t tape_leaf(int depth, uint32_t space, uint64_t chunk) {
  const uint64_t usable = tape_usable_chunks(depth, space);
  if (chunk >= usable) {
    throw RefusedError("memory tree: chunk " + std::to_string(chunk) + " (byte offset " +
                       std::to_string(chunk * kChunkBytes) + ") is past the room of tape space " +
                       std::to_string(space) + " in a tree of depth " + std::to_string(depth) + " (" +
                       std::to_string(usable) + " chunks)");
  }
  // Subtrees 5, 6, 7 of level 3 for spaces 3, 4, 5.
  return (uint64_t{space + 2} << (depth - kTapeSubtreeLevel)) + chunk;
}

uint64_t salt_leaf(int depth) { return (uint64_t{7} << (depth - kTapeSubtreeLevel)) - 1; }

namespace {

bool all_zero(const ChunkWords& words) {
  return std::all_of(words.begin(), words.end(), [](uint32_t w) { return w == 0; });
}

// A tape's non-zero chunks: word 0 `length_word` (when `with_length`), then `bytes`.
void add_tape_chunks(int depth, uint32_t space, std::span<const uint8_t> bytes, bool with_length,
                     std::vector<poseidon2::Leaf>& leaves, size_t& chunks) {
  if (bytes.empty()) return;  // all zero, its length word too: no leaf, and no room needed
  const uint64_t total = bytes.size() + (with_length ? 4 : 0);
  const uint64_t needed = (total + kChunkBytes - 1) / kChunkBytes;
  if (needed > 0) tape_leaf(depth, space, needed - 1);  // refuses a tape that does not fit
  const auto byte_at = [&](uint64_t offset) -> uint8_t {
    if (with_length) {
      if (offset < 4) return static_cast<uint8_t>(uint64_t{bytes.size()} >> (8 * offset));
      offset -= 4;
    }
    return offset < bytes.size() ? bytes[offset] : 0;
  };
  for (uint64_t c = 0; c < needed; ++c) {
    ChunkWords words{};
    for (size_t w = 0; w < kChunkWords; ++w) {
      const uint64_t at = c * kChunkBytes + 4 * w;
      words[w] = uint32_t{byte_at(at)} | uint32_t{byte_at(at + 1)} << 8 | uint32_t{byte_at(at + 2)} << 16 |
                 uint32_t{byte_at(at + 3)} << 24;
    }
    if (all_zero(words)) continue;
    leaves.push_back({tape_leaf(depth, space, c), chunk_leaf(words)});
    ++chunks;
  }
}

std::vector<poseidon2::Leaf> private_leaves(int depth, std::span<const uint8_t> private_input, const ChunkWords& salt,
                                            size_t& chunks) {
  std::vector<poseidon2::Leaf> leaves;
  add_tape_chunks(depth, kPrivateInputSpace, private_input, true, leaves, chunks);
  if (!all_zero(salt)) {  // a zero salt is the default leaf (a tree without tapes has none)
    leaves.push_back({salt_leaf(depth), chunk_leaf(salt)});
    ++chunks;
  }
  return leaves;
}

// The digest of a tape's subtree holding `leaves` (leaf indices of the whole tree): the same leaves
// in a tree of the subtree's own depth, whose root is the subtree's node (default digests depend
// only on the height, so the two agree).
poseidon2::Digest tape_subtree_root(int depth, uint32_t space, std::vector<poseidon2::Leaf> leaves) {
  const uint64_t first = tape_leaf(depth, space, 0);
  for (poseidon2::Leaf& leaf : leaves) leaf.index -= first;
  return poseidon2::SparseTree(depth - kTapeSubtreeLevel, leaves).root();
}

using Chunk = std::pair<uint64_t, ChunkWords>;  // (memory chunk, words), or a leaf index below

// The image's memory chunks in chunk order (the image lists its words in address order, per space;
// a word of either memory space lands in its address's chunk).
std::vector<Chunk> image_chunks(const ProgramImage& program) {
  std::vector<Chunk> chunks;
  for (const ImageWord& word : program.image) {
    if (word.space != kMemorySpace && word.space != kReadOnlySpace) continue;
    const uint64_t chunk = word.addr / kChunkWords;
    if (chunks.empty() || chunks.back().first != chunk) chunks.emplace_back(chunk, ChunkWords{});
    chunks.back().second[word.addr % kChunkWords] = word.value;
  }
  std::sort(chunks.begin(), chunks.end(), [](const Chunk& a, const Chunk& b) { return a.first < b.first; });
  return chunks;
}

}  // namespace

MemoryTree MemoryTree::from_image(const ProgramImage& program, int depth, const TreeTapes& tapes) {
  std::array<uint32_t, 32> registers{};
  uint32_t reservation = 0;
  for (const ImageWord& word : program.image) {
    if (word.space != kRegisterSpace) continue;
    if (word.addr < 32) registers[word.addr] = word.value;
    if (word.addr == kReservationRegister) reservation = word.value;
  }
  return from_state(program, {}, registers, reservation, depth, tapes);
}

poseidon2::Digest private_input_root(int depth, std::span<const uint8_t> private_input, const ChunkWords& salt) {
  size_t chunks = 0;
  return tape_subtree_root(depth, kPrivateInputSpace, private_leaves(depth, private_input, salt, chunks));
}

poseidon2::Digest initial_segment_root(const ProgramImage& program, std::span<const uint8_t> public_input,
                                       const poseidon2::Digest& private_root, int depth) {
  // The image's tree holds memory and registers, and default tape subtrees; the public input's
  // subtree is built alone, then the three level-3 nodes of the right half's tapes are combined.
  const MemoryTree image = MemoryTree::from_image(program, depth);
  size_t chunks = 0;
  std::vector<poseidon2::Leaf> input;
  add_tape_chunks(depth, kPublicInputSpace, public_input, true, input, chunks);
  const poseidon2::Digest input_root = tape_subtree_root(depth, kPublicInputSpace, std::move(input));
  const poseidon2::SparseTree& tree = image.tree();
  const poseidon2::Digest registers_and_input = poseidon2::compress(tree.node(kTapeSubtreeLevel, 4), input_root);
  const poseidon2::Digest private_and_output = poseidon2::compress(private_root, tree.node(kTapeSubtreeLevel, 7));
  return poseidon2::compress(tree.node(1, 0), poseidon2::compress(registers_and_input, private_and_output));
}

MemoryTree MemoryTree::from_state(const ProgramImage& program, std::span<const StatePage> pages,
                                  const std::array<uint32_t, 32>& registers, uint32_t reservation_record, int depth,
                                  const TreeTapes& tapes) {
  if (registers[0] != 0) throw RefusedError("memory tree: x0 holds " + std::to_string(registers[0]) + ", not 0");
  for (size_t p = 1; p < pages.size(); ++p) {
    if (pages[p].number <= pages[p - 1].number) {
      throw RefusedError("memory tree: page " + std::to_string(p) + " (number " + std::to_string(pages[p].number) +
                         ") does not follow page number " + std::to_string(pages[p - 1].number));
    }
  }
  // The image's chunks outside the given pages, merged in order with the pages' chunks.
  constexpr uint64_t kChunksPerPage = kStatePageBytes / kChunkBytes;
  const std::vector<Chunk> image = image_chunks(program);
  std::vector<poseidon2::Leaf> leaves;
  leaves.reserve(image.size() + pages.size() * kChunksPerPage + 9);
  size_t chunks = 0;
  const auto add = [&](uint64_t leaf, const ChunkWords& words) {
    if (all_zero(words)) return;  // the default leaf
    leaves.push_back({leaf, chunk_leaf(words)});
    ++chunks;
  };
  size_t i = 0;
  for (const StatePage& page : pages) {
    const uint64_t first = uint64_t{page.number} * kChunksPerPage;
    for (; i < image.size() && image[i].first < first; ++i) add(memory_leaf(depth, image[i].first), image[i].second);
    for (; i < image.size() && image[i].first < first + kChunksPerPage; ++i) {}  // replaced by the page
    for (uint64_t c = 0; c < kChunksPerPage; ++c) {
      ChunkWords words;
      for (size_t w = 0; w < kChunkWords; ++w) words[w] = base::load_le32(&page.bytes[c * kChunkBytes + 4 * w]);
      add(memory_leaf(depth, first + c), words);
    }
  }
  for (; i < image.size(); ++i) add(memory_leaf(depth, image[i].first), image[i].second);
  for (uint32_t k = 0; k < 32 / kChunkWords; ++k) {
    add(register_leaf(depth, k), {registers[4 * k], registers[4 * k + 1], registers[4 * k + 2], registers[4 * k + 3]});
  }
  add(reservation_leaf(depth), {reservation_record, 0, 0, 0});
  // The tapes (segment mode): an empty TreeTapes with a zero salt adds no leaf, so a tree without
  // tapes is what it was before they joined it.
  add_tape_chunks(depth, kPublicInputSpace, tapes.public_input, true, leaves, chunks);
  for (const poseidon2::Leaf& leaf : private_leaves(depth, tapes.private_input, tapes.salt, chunks)) {
    leaves.push_back(leaf);
  }
  add_tape_chunks(depth, kOutputSpace, tapes.output_tape, false, leaves, chunks);
  return MemoryTree(depth, leaves, chunks);
}

std::vector<poseidon2::NodeUpdate> MemoryTree::update(std::span<const ChunkChange> changes) {
  std::vector<poseidon2::LeafChange> leaf_changes;
  leaf_changes.reserve(changes.size());
  for (const ChunkChange& c : changes) leaf_changes.push_back({c.leaf, chunk_leaf(c.old_words), chunk_leaf(c.new_words)});
  return tree_.update(leaf_changes);
}

}  // namespace zkrv::riscv_air
