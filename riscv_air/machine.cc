#include "riscv_air/machine.h"

#include "riscv_air/add_sub_air.h"
#include "riscv_air/atomic_air.h"
#include "riscv_air/bitwise_air.h"
#include "riscv_air/div_air.h"
#include "riscv_air/branch_air.h"
#include "riscv_air/exit_air.h"
#include "riscv_air/fixed_tables.h"
#include "riscv_air/jump_air.h"
#include "riscv_air/load_store_air.h"
#include "riscv_air/lt_air.h"
#include "riscv_air/mul_air.h"
#include "riscv_air/shift_air.h"
#include "riscv_air/zero_init_air.h"

namespace zkrv::riscv_air {

namespace air = stark::air;

namespace {

air::Machine assemble(const MachineShape& shape, std::shared_ptr<const std::vector<ProgramRow>> rows,
                      std::shared_ptr<const std::vector<ImageWord>> words) {
  std::vector<std::shared_ptr<const air::Table>> tables(kNumTables);
  tables[kProgramTable] = air::make_table(ProgramTable{std::move(rows)});
  tables[kRange16Table] = air::make_table(Range16Table{});
  tables[kByteXorTable] = air::make_table(ByteXorTable{});
  tables[kImageTable] = air::make_table(ImageTable{std::move(words)});
  tables[kZeroInitTable] = air::make_table(ZeroInitTable{shape.zero_ranges});
  tables[kExitTable] = air::make_table(ExitTable{});
  tables[kAddSubTable] = air::make_table(AddSubTable{});
  tables[kJumpTable] = air::make_table(JumpTable{});
  tables[kBranchTable] = air::make_table(BranchTable{});
  tables[kLoadStoreTable] = air::make_table(LoadStoreTable{});
  tables[kBitwiseTable] = air::make_table(BitwiseTable{});
  tables[kLtTable] = air::make_table(LtTable{});
  tables[kShiftTable] = air::make_table(ShiftTable{});
  tables[kMulTable] = air::make_table(MulTable{});
  tables[kAtomicTable] = air::make_table(AtomicTable{});
  tables[kDivTable] = air::make_table(DivTable{});
  const uint32_t entry = shape.entry;
  air::BoundaryFunction boundary = [entry](std::span<const std::vector<Fp>> public_values) {
    std::vector<air::BoundaryInteraction> out;
    out.push_back({kStateBus, air::Direction::kSend, {Fp::from_u32(entry), Fp::from_u32(kTsPerStep)}, Fp::one()});
    if (public_values.size() > kExitTable && public_values[kExitTable].size() == 2) {
      out.push_back({kExitBus, air::Direction::kReceive, public_values[kExitTable], Fp::one()});
    }
    return out;
  };
  return air::Machine("riscv",
                      std::move(tables),
                      {{kStateBus, "state"},
                       {kProgramBus, "program"},
                       {kMemoryBus, "memory"},
                       {kRange16Bus, "range16"},
                       {kByteBus, "byte_xor"},
                       {kExitBus, "exit"}},
                      std::move(boundary));
}

}  // namespace

air::Machine make_machine(const ProgramImage& program) {
  return assemble({program.entry, program.zero_start_word, program.zero_ranges},
                  std::make_shared<const std::vector<ProgramRow>>(program.program),
                  std::make_shared<const std::vector<ImageWord>>(program.image));
}

air::Machine make_machine(const MachineShape& shape) { return assemble(shape, nullptr, nullptr); }

}  // namespace zkrv::riscv_air
