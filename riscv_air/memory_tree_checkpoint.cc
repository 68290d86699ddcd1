#include "riscv_air/memory_tree_checkpoint.h"

#include <vector>

namespace zkrv::riscv_air {

static_assert(vm::kCheckpointPageSize == kStatePageBytes);

MemoryTree memory_tree_at(const ProgramImage& program, const vm::Checkpoint& checkpoint, int depth) {
  std::vector<StatePage> pages;
  pages.reserve(checkpoint.pages.size());
  for (const vm::Checkpoint::Page& page : checkpoint.pages) {
    if (!page.bytes) throw RefusedError("memory tree: checkpoint page " + std::to_string(page.number) + " has no bytes");
    pages.push_back({page.number, std::span<const uint8_t, kStatePageBytes>(*page.bytes)});
  }
  const uint32_t reservation = checkpoint.reservation_valid ? checkpoint.reservation + 1 : 0;
  return MemoryTree::from_state(program, pages, checkpoint.registers, reservation, depth);
}

}  // namespace zkrv::riscv_air
