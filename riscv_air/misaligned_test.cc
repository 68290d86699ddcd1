// Misaligned loads and stores (the Misaligned table): every kind at every offset proven and
// verified with the VM's results, loads across pages of either space, the runs the VM faults on
// refused, and the malicious witnesses the verifier rejects (docs/testing.md, "Forgery tests").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>

#include "isa/encode.h"
#include "riscv_air/exit_air.h"
#include "riscv_air/fixed_tables.h"
#include "riscv_air/machine_testing.h"
#include "riscv_air/misaligned_columns.h"
#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "stark/air/checker.h"
#include "vm/testing/program.h"

namespace zkrv::riscv_air {
namespace {

using isa::Op;
using ::testing::HasSubstr;
using testing::debugger_report;
using testing::expect_report_names_only;
using testing::fast_setup;
using testing::image_row;
using testing::refusal_of_run;
using testing::verifier_rejection;
using vm::testing::TestProgram;
namespace enc = isa::encode;

constexpr uint32_t kDataEnd = TestProgram::kData + TestProgram::kDataSize;

size_t reserved(const ProvingSetup& s) { return stark::protocol::reserved_rows(s.params); }

vm::RunResult run_of(const elf::ElfImage& image, vm::Trace* trace = nullptr) {
  vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  vm::Vm vm(image, config);
  return trace ? vm.run_traced({}, trace) : vm.run({});
}

// The image runs to its exit on the VM; its proof states that exit code and verifies, and the
// Misaligned table holds one row per access the VM counted as misaligned.
void expect_proven_as_run(const elf::ElfImage& image, uint64_t misaligned) {
  const vm::RunResult run = run_of(image);
  ASSERT_EQ(run.reason, vm::StopReason::kExit);
  EXPECT_EQ(run.misaligned_accesses, misaligned);
  const ProvingSetup s = fast_setup(image);
  const MachineWitness w = run_witness(s, image, {});
  const stark::Matrix<Fp>& rows = w.tables[kMisalignedTable].main;
  uint64_t real = 0;
  for (size_t r = 0; r < rows.rows(); ++r) real += rows.at(r, make_columns<MisalignedCols>().core.is_real).to_u32();
  EXPECT_EQ(real, misaligned);
  const ProveOutput out = prove(s, image, {});
  EXPECT_EQ(out.statement.exit_code, run.exit_code);
  EXPECT_EQ(verify(out.proof, program_id(s.key)).exit_code, run.exit_code);
}

// Appends `x7` to the exit code's fold: a0 = 2 a0 ^ x7.
void fold(TestProgram& p) { p.emit(enc::op_reg(Op::ADD, 10, 10, 10)).emit(enc::op_reg(Op::XOR, 10, 10, 7)); }

// Every misaligned load at every offset (within a word and across into the next one, negative
// bytes for the sign extension), every misaligned store at every offset into image words and into
// zero memory with both words read back whole after each (the neighbour bytes), an access across
// two writable pages, and the compressed C.LW / C.SW at a misaligned base; everything folds into
// the exit code, which must be the VM's.
TEST(RiscvMisaligned, ProvesEveryKindAtEveryOffset) {
  TestProgram p;
  p.data() = {0x81, 0xf2, 0x83, 0xf4, 0x85, 0x96, 0x07, 0xf8, 0x79, 0x8a, 0x9b, 0xac};
  p.li(5, TestProgram::kData).li(6, 0x9e8d7c6bu).li(10, 0);
  uint64_t misaligned = 0;
  for (const int32_t offset : {1, 3, 5, 7}) {
    for (const Op op : {Op::LH, Op::LHU}) {
      p.emit(enc::load(op, 7, 5, offset));
      fold(p);
      ++misaligned;
    }
  }
  for (const int32_t offset : {1, 2, 3, 5, 6, 7}) {
    p.emit(enc::load(Op::LW, 7, 5, offset));
    fold(p);
    ++misaligned;
  }
  for (const int32_t base : {0, 0x100}) {
    for (const auto& [op, offset] : std::vector<std::pair<Op, int32_t>>{
             {Op::SH, 1}, {Op::SH, 3}, {Op::SW, 1}, {Op::SW, 2}, {Op::SW, 3}}) {
      p.emit(enc::store(op, 6, 5, base + offset));
      ++misaligned;
      for (const int32_t word : {base, base + 4}) {
        p.emit(enc::load(Op::LW, 7, 5, word));
        fold(p);
      }
      p.emit(enc::op_reg(Op::ADD, 6, 6, 10));  // the next store's value
    }
  }
  // Across the boundary of two writable (zero) pages.
  p.li(28, TestProgram::kData + 0x1000);
  p.emit(enc::store(Op::SW, 6, 28, -2)).emit(enc::store(Op::SH, 10, 28, -1));
  misaligned += 2;
  for (const auto& [op, offset] : std::vector<std::pair<Op, int32_t>>{{Op::LW, -3}, {Op::LH, -1}, {Op::LHU, -3}}) {
    p.emit(enc::load(op, 7, 28, offset));
    fold(p);
    ++misaligned;
  }
  for (const int32_t word : {-4, 0}) {
    p.emit(enc::load(Op::LW, 7, 28, word));
    fold(p);
  }
  // c.sw s1, 0(s0) then c.lw s1, 0(s0) with s0 misaligned.
  p.li(8, TestProgram::kData + 0x201).li(9, 0x5a6b7c8du);
  p.emit16(0xc004).emit16(0x4004);
  misaligned += 2;
  p.emit(enc::op_reg(Op::XOR, 10, 10, 9));
  p.li(17, 93).emit(enc::ecall());
  expect_proven_as_run(p.image(), misaligned);
}

// The file bytes of the pages `bordered` puts around the data: a whole page before it, one word
// after it (the rest of that page zero).
const std::array<uint8_t, 0x1000> kBeforePage = [] {
  std::array<uint8_t, 0x1000> b{};
  for (size_t k = 0; k < b.size(); ++k) b[k] = static_cast<uint8_t>(0x80 + k * 7);
  return b;
}();
constexpr std::array<uint8_t, 4> kAfterPage = {0x99, 0x88, 0x77, 0xe6};

// `p`'s image (code RX, data RW) with a 4 KiB page on either side of the data: `before` (if not
// empty) read-only and ending at kData, `after` starting at the data's end with `after_flags`.
elf::ElfImage bordered(const TestProgram& p, std::span<const uint8_t> before, std::span<const uint8_t> after,
                       uint32_t after_flags = elf::kRead) {
  elf::ElfImage img = p.image();
  if (!before.empty()) img.segments.insert(img.segments.begin() + 1, elf::Segment{3, TestProgram::kData - 0x1000, 0x1000, elf::kRead, before});
  img.segments.push_back(elf::Segment{4, kDataEnd, 0x1000, after_flags, after});
  return img;
}

// Loads across a read-only page into writable memory and back out of it: each word in its own
// space. A store across is a fault in the VM (below).
TEST(RiscvMisaligned, ProvesLoadsAcrossReadOnlyAndWritablePages) {
  TestProgram p;
  p.data() = {0x11, 0xa2, 0x33, 0xc4};
  p.li(5, TestProgram::kData).li(6, kDataEnd).li(7, 0x55667788).li(10, 0);
  p.emit(enc::store(Op::SW, 7, 6, -4));
  uint64_t misaligned = 0;
  for (const uint32_t base : {5u, 6u}) {
    for (const auto& [op, offset] : std::vector<std::pair<Op, int32_t>>{
             {Op::LW, -1}, {Op::LW, -2}, {Op::LW, -3}, {Op::LH, -1}, {Op::LHU, -1}}) {
      p.emit(enc::load(op, 7, base, offset));
      fold(p);
      ++misaligned;
    }
  }
  p.li(17, 93).emit(enc::ecall());
  expect_proven_as_run(bordered(p, kBeforePage, kAfterPage), misaligned);
}

// The VM faults on a misaligned store across into a read-only page and on any access across into
// an unmapped one (or past 4 GiB), so those runs do not halt and are refused.
TEST(RiscvMisaligned, RefusesWhatTheVmFaultsOn) {
  TestProgram store;
  store.li(6, kDataEnd).emit(enc::store(Op::SW, 6, 6, -2)).exit(0);
  ASSERT_EQ(run_of(bordered(store, {}, kAfterPage)).fault.kind, vm::FaultKind::kStoreFault);
  EXPECT_THAT(refusal_of_run(bordered(store, {}, kAfterPage)), HasSubstr("the run did not halt"));
  TestProgram load;
  load.li(6, kDataEnd).emit(enc::load(Op::LH, 7, 6, -1)).exit(0);
  ASSERT_EQ(run_of(load.image()).fault.kind, vm::FaultKind::kLoadFault);
  EXPECT_THAT(refusal_of_run(load.image()), HasSubstr("the run did not halt"));
  TestProgram wrap;
  wrap.li(6, 0xfffffffeu).emit(enc::load(Op::LW, 7, 6, 0)).exit(0);
  EXPECT_THAT(refusal_of_run(wrap.image()), HasSubstr("the run did not halt"));
}

// --- Malicious witnesses ----------------------------------------------------------------------

// Three image words at kData (0xf483f281, 0xf8079685, 0xac9b8a79), x5 = kData, x6 = 0xbeef, then
// `insn`, then exit with a0.
TestProgram forgery_program(uint32_t insn) {
  TestProgram p;
  p.data() = {0x81, 0xf2, 0x83, 0xf4, 0x85, 0x96, 0x07, 0xf8, 0x79, 0x8a, 0x9b, 0xac};
  p.li(5, TestProgram::kData).li(6, 0xbeef).li(10, 0);
  p.emit(insn).li(17, 93).emit(enc::ecall());
  return p;
}

// The loaded value a0 changed to `value`: the register's final record and the exit code follow.
void forge_a0(const ProvingSetup& s, MachineWitness& w, uint32_t value) {
  const MisalignedCols c = make_columns<MisalignedCols>();
  w.tables[kMisalignedTable].main.at(0, c.r_lo) = Fp::from_u32(value & 0xffff);
  w.tables[kMisalignedTable].main.at(0, c.r_hi) = Fp::from_u32(value >> 16);
  const ExitCols e = make_columns<ExitCols>();
  w.tables[kExitTable].main.at(0, e.a0.prev_lo) = Fp::from_u32(value & 0xffff);
  w.tables[kExitTable].main.at(0, e.a0.prev_hi) = Fp::from_u32(value >> 16);
  w.tables[kExitTable].public_values = {Fp::from_u32(value & 0xffff), Fp::from_u32(value >> 16)};
  const size_t a0 = image_row(s.program, kRegisterSpace, 10);
  w.tables[kImageTable].main.at(a0, ImageTable::kFinalLo) = Fp::from_u32(value & 0xffff);
  w.tables[kImageTable].main.at(a0, ImageTable::kFinalHi) = Fp::from_u32(value >> 16);
}

// LW at offset 1 claims byte 1 is 0xf3 (it is 0xf2): the value, the register and the exit code
// follow; only the byte pick stands in the way. Proven and rejected: the table's forgery proof.
TEST(RiscvMisalignedForgery, ForgedLoadedBytesAreRejected) {
  const TestProgram p = forgery_program(enc::load(Op::LW, 10, 5, 1));
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  ASSERT_EQ(static_cast<uint32_t>(w.exit_code), 0x85f483f2u);
  const MisalignedCols c = make_columns<MisalignedCols>();
  w.tables[kMisalignedTable].main.at(0, c.v[0]) = Fp::from_u32(0xf3);
  forge_a0(s, w, 0x85f483f3u);
  fill_lookup_counts(s.program, s.machine, w, reserved(s));
  expect_report_names_only(debugger_report(s, w), "constraint the accessed byte is the word's at the offset");
  EXPECT_THAT(verifier_rejection(s, w), HasSubstr("does not verify"));
}

// A store that changes a byte beside the ones it writes: SH at offset 1 clears byte 3 of its word,
// SW at offset 3 byte 3 of the next word; the words' final records follow. Only the byte-by-byte
// rule of the word after stands in the way.
TEST(RiscvMisalignedForgery, AStoreThatChangesANeighbourByteIsRejected) {
  struct Case {
    uint32_t insn;
    int lo, hi;       // the forged word's columns
    uint32_t word;    // its address
    const char* constraint;
  };
  const MisalignedCols c = make_columns<MisalignedCols>();
  for (const Case& k : {Case{enc::store(Op::SH, 6, 5, 1), c.new0_lo, c.new0_hi, TestProgram::kData, "first word after: hi"},
                        Case{enc::store(Op::SW, 6, 5, 3), c.new1_lo, c.new1_hi, TestProgram::kData + 4, "next word after: hi"}}) {
    const TestProgram p = forgery_program(k.insn);
    const ProvingSetup s = fast_setup(p.image());
    MachineWitness w = run_witness(s, p.image(), {});
    stark::Matrix<Fp>& t = w.tables[kMisalignedTable].main;
    const uint32_t forged_hi = t.at(0, k.hi).to_u32() & 0xff;  // byte 3 cleared
    ASSERT_NE(forged_hi, t.at(0, k.hi).to_u32());
    t.at(0, k.hi) = Fp::from_u32(forged_hi);
    const size_t image = image_row(s.program, kMemorySpace, k.word / 4);
    w.tables[kImageTable].main.at(image, ImageTable::kFinalHi) = Fp::from_u32(forged_hi);
    fill_lookup_counts(s.program, s.machine, w, reserved(s));
    // proven and rejected in ForgedLoadedBytesAreRejected
    expect_report_names_only(debugger_report(s, w), std::string("constraint ") + k.constraint);
  }
}

// LH at offset 3 loads 0x85f4, negative: a0 = 0xffff85f4. A row that zero-extends it (rd hi 0) is
// caught by the sign rule; one that also claims the top bit clear needs rest = 0x85, whose double
// is no byte.
TEST(RiscvMisalignedForgery, AWrongSignExtensionIsRejected) {
  const TestProgram p = forgery_program(enc::load(Op::LH, 10, 5, 3));
  const ProvingSetup s = fast_setup(p.image());
  const MisalignedCols c = make_columns<MisalignedCols>();
  {
    MachineWitness w = run_witness(s, p.image(), {});
    ASSERT_EQ(static_cast<uint32_t>(w.exit_code), 0xffff85f4u);
    forge_a0(s, w, 0x85f4);
    fill_lookup_counts(s.program, s.machine, w, reserved(s));
    // proven and rejected in ForgedLoadedBytesAreRejected
    expect_report_names_only(debugger_report(s, w), "constraint LH: rd hi is the sign");
  }
  MachineWitness w = run_witness(s, p.image(), {});
  stark::Matrix<Fp>& t = w.tables[kMisalignedTable].main;
  ASSERT_EQ(t.at(0, c.sign), Fp::one());
  t.at(0, c.sign) = Fp::zero();
  t.at(0, c.rest) = Fp::from_u32(0x85);
  forge_a0(s, w, 0x85f4);
  // The counts stay the honest ones: the forged (2 rest, 0) pair has no ByteXor row to count.
  // Proven and rejected: the BYTE bus's forgery proof.
  expect_report_names_only(debugger_report(s, w), "bus 5 (byte_xor)");
  EXPECT_THAT(verifier_rejection(s, w), HasSubstr("does not verify"));
}

// LW at offset 1 reads its second word from the word after the next (what a row could claim if the
// second address were not the first + 4): its bytes, the value, a0 and the exit code follow, and
// the Image records say the word after the next was accessed and the next one was not. The row
// still names the next word, whose record it does not hold.
TEST(RiscvMisalignedForgery, AnAccessToAnotherSecondWordIsRejected) {
  const TestProgram p = forgery_program(enc::load(Op::LW, 10, 5, 1));
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  const MisalignedCols c = make_columns<MisalignedCols>();
  stark::Matrix<Fp>& t = w.tables[kMisalignedTable].main;
  const uint32_t other = 0xac9b8a79u;
  for (int k = 0; k < 4; ++k) t.at(0, c.m[4 + k]) = Fp::from_u32(other >> (8 * k) & 0xff);
  t.at(0, c.mx[2]) = Fp::from_u32((other ^ other >> 8) & 0xff);
  t.at(0, c.mx[3]) = Fp::from_u32((other >> 16 ^ other >> 24) & 0xff);
  t.at(0, c.mem1.prev_lo) = t.at(0, c.new1_lo) = Fp::from_u32(other & 0xffff);
  t.at(0, c.mem1.prev_hi) = t.at(0, c.new1_hi) = Fp::from_u32(other >> 16);
  t.at(0, c.v[3]) = Fp::from_u32(other & 0xff);
  const uint32_t ts = t.at(0, c.core.ts).to_u32() + kSlotRd;
  forge_a0(s, w, 0x79f483f2u);
  stark::Matrix<Fp>& image = w.tables[kImageTable].main;
  const size_t next = image_row(s.program, kMemorySpace, TestProgram::kData / 4 + 1);
  const size_t after_next = image_row(s.program, kMemorySpace, TestProgram::kData / 4 + 2);
  image.at(next, ImageTable::kFinalTs) = Fp::zero();
  image.at(after_next, ImageTable::kFinalTs) = Fp::from_u32(ts);
  fill_lookup_counts(s.program, s.machine, w, reserved(s));
  // proven and rejected in RiscvMachineForgery.AFailedScThatStoresIsRejected (the MEMORY bus)
  expect_report_names_only(debugger_report(s, w), "bus 3 (memory)");
}

// A misaligned SW across the end of writable memory into a read-only page, which the VM refuses:
// the witness of the same program run with that page writable, generated against this program's
// image with that word's space rewritten, so the row stores to the writable space as a store must.
// Under the real key the word's only record is read-only.
TEST(RiscvMisalignedForgery, AStoreAcrossIntoAReadOnlyPageIsRejected) {
  TestProgram p;
  p.li(6, kDataEnd).li(7, 0x12345678).emit(enc::store(Op::SW, 7, 6, -2)).exit(0);
  const elf::ElfImage writable = bordered(p, {}, kAfterPage, elf::kRead | elf::kWrite);
  const elf::ElfImage read_only = bordered(p, {}, kAfterPage);
  const ProvingSetup s = fast_setup(read_only);
  vm::Trace trace;
  const vm::RunResult result = run_of(writable, &trace);
  ASSERT_EQ(result.reason, vm::StopReason::kExit);
  ProgramImage forged = s.program;
  forged.image[image_row(s.program, kReadOnlySpace, kDataEnd / 4)].space = kMemorySpace;
  MachineWitness w = generate_witness(forged, s.machine, trace.steps, result, {}, {}, {}, reserved(s));
  // proven and rejected in RiscvMachineForgery.AFailedScThatStoresIsRejected (the MEMORY bus)
  expect_report_names_only(debugger_report(s, w), "bus 3 (memory)");
  // The witness is otherwise sound: the writable image's key accepts it.
  EXPECT_EQ(debugger_report(fast_setup(writable), w), "");
  // Naming the word's real (read-only) space instead balances the memory bus; the row's rule that
  // a store writes writable memory stands in the way.
  const MisalignedCols c = make_columns<MisalignedCols>();
  w.tables[kMisalignedTable].main.at(0, c.read_only1) = Fp::one();
  fill_lookup_counts(s.program, s.machine, w, reserved(s));
  // proven and rejected in ForgedLoadedBytesAreRejected
  expect_report_names_only(debugger_report(s, w), "constraint stores write writable memory");
}

}  // namespace
}  // namespace zkrv::riscv_air
