#include "riscv_air/memory_tree_checkpoint.h"

#include <vector>

namespace zkrv::riscv_air {

static_assert(vm::kCheckpointPageSize == kStatePageBytes);

namespace {

MemoryTree tree_at(const ProgramImage& program, const vm::Checkpoint& checkpoint, const TreeTapes& tapes, int depth) {
  std::vector<StatePage> pages;
  pages.reserve(checkpoint.pages.size());
  for (const vm::Checkpoint::Page& page : checkpoint.pages) {
    if (!page.bytes) throw RefusedError("memory tree: checkpoint page " + std::to_string(page.number) + " has no bytes");
    pages.push_back({page.number, std::span<const uint8_t, kStatePageBytes>(*page.bytes)});
  }
  const uint32_t reservation = checkpoint.reservation_valid ? checkpoint.reservation + 1 : 0;
  return MemoryTree::from_state(program, pages, checkpoint.registers, reservation, depth, tapes);
}

}  // namespace

MemoryTree memory_tree_at(const ProgramImage& program, const vm::Checkpoint& checkpoint, int depth) {
  return tree_at(program, checkpoint, {}, depth);
}

MemoryTree memory_tree_at(const ProgramImage& program, const vm::Checkpoint& checkpoint,
                          std::span<const uint8_t> public_input, std::span<const uint8_t> private_input,
                          const ChunkWords& salt, int depth) {
  return tree_at(program, checkpoint, {public_input, private_input, salt, checkpoint.output_tape}, depth);
}

}  // namespace zkrv::riscv_air
