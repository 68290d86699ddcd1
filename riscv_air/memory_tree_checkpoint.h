// The memory tree (memory_tree.h) of a vm Checkpoint: the state a segment starts from. Apart from
// memory_tree.h because it reads vm types (zkrv_riscv_air_witness links vm; zkrv_riscv_air does not).
#pragma once

#include "riscv_air/memory_tree.h"
#include "vm/checkpoint.h"

namespace zkrv::riscv_air {

// The program's image with the checkpoint's pages, registers and reservation (0 for none, a + 1 for
// a reservation on a, as the Atomic table records it).
MemoryTree memory_tree_at(const ProgramImage& program, const vm::Checkpoint& checkpoint,
                          int depth = kMemoryTreeDepth);
// The same in segment mode: with the tapes (the run's inputs, the salt, and the output the
// checkpoint holds as written so far).
MemoryTree memory_tree_at(const ProgramImage& program, const vm::Checkpoint& checkpoint,
                          std::span<const uint8_t> public_input, std::span<const uint8_t> private_input,
                          const ChunkWords& salt, int depth = kMemoryTreeDepth);

}  // namespace zkrv::riscv_air
