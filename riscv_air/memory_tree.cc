#include "riscv_air/memory_tree.h"

#include <algorithm>
#include <string>

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

namespace {

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

bool all_zero(const ChunkWords& words) {
  return std::all_of(words.begin(), words.end(), [](uint32_t w) { return w == 0; });
}

}  // namespace

MemoryTree MemoryTree::from_image(const ProgramImage& program, int depth) {
  std::array<uint32_t, 32> registers{};
  uint32_t reservation = 0;
  for (const ImageWord& word : program.image) {
    if (word.space != kRegisterSpace) continue;
    if (word.addr < 32) registers[word.addr] = word.value;
    if (word.addr == kReservationRegister) reservation = word.value;
  }
  return from_state(program, {}, registers, reservation, depth);
}

MemoryTree MemoryTree::from_state(const ProgramImage& program, std::span<const StatePage> pages,
                                  const std::array<uint32_t, 32>& registers, uint32_t reservation_record, int depth) {
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
      for (size_t w = 0; w < kChunkWords; ++w) {
        const size_t at = c * kChunkBytes + 4 * w;
        words[w] = uint32_t{page.bytes[at]} | uint32_t{page.bytes[at + 1]} << 8 | uint32_t{page.bytes[at + 2]} << 16 |
                   uint32_t{page.bytes[at + 3]} << 24;
      }
      add(memory_leaf(depth, first + c), words);
    }
  }
  for (; i < image.size(); ++i) add(memory_leaf(depth, image[i].first), image[i].second);
  for (uint32_t k = 0; k < 32 / kChunkWords; ++k) {
    add(register_leaf(depth, k), {registers[4 * k], registers[4 * k + 1], registers[4 * k + 2], registers[4 * k + 3]});
  }
  add(reservation_leaf(depth), {reservation_record, 0, 0, 0});
  return MemoryTree(depth, leaves, chunks);
}

std::vector<poseidon2::NodeUpdate> MemoryTree::update(std::span<const ChunkChange> changes) {
  std::vector<poseidon2::LeafChange> leaf_changes;
  leaf_changes.reserve(changes.size());
  for (const ChunkChange& c : changes) leaf_changes.push_back({c.leaf, chunk_leaf(c.old_words), chunk_leaf(c.new_words)});
  return tree_.update(leaf_changes);
}

}  // namespace zkrv::riscv_air
