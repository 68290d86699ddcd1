// The ecalls of ABI v1 besides exit proven (write, the cycle regions, the cycle count), the buffers
// they read proven readable exactly when the VM finds them so, and the malicious witnesses the
// verifier must reject (a wrong return value, a wrong call number, a call the VM faults on).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "isa/encode.h"
#include "riscv_air/ecall_air.h"
#include "riscv_air/exit_air.h"
#include "riscv_air/fixed_tables.h"
#include "riscv_air/generation.h"
#include "riscv_air/machine_testing.h"
#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "stark/air/checker.h"
#include "vm/trace.h"
#include "vm/testing/program.h"

namespace zkrv::riscv_air {
namespace {

using isa::Op;
using ::testing::HasSubstr;
using testing::debugger_report;
using testing::fast_setup;
using testing::verifier_rejection;
using vm::testing::TestProgram;
namespace enc = isa::encode;

// Every result folds into x20, which the program exits with.
TEST(RiscvMachineEcalls, ProvesWriteRegionsAndCycleCount) {
  TestProgram p;
  p.data() = {'h', 'e', 'l', 'l', 'o', 'r', 'g', 'n'};
  const auto fold = [&p] { p.emit(enc::op_reg(Op::XOR, 20, 20, 10)).emit(enc::op_imm(Op::SLLI, 20, 20, 1)); };
  for (const uint32_t fd : {1u, 2u, 3u, 0u, 0x10001u, 0x10002u, 0xffffffffu}) {
    p.li(10, fd).li(11, TestProgram::kData).li(12, 5).ecall(64);  // write: 5 or -9
    fold();
  }
  p.li(10, TestProgram::kData + 5).li(11, 3).ecall(0x5A4B0001);  // region "rgn"
  fold();
  p.ecall(0x5A4B0003);  // the cycle count: a0 and a1
  fold();
  p.emit(enc::op_reg(Op::XOR, 20, 20, 11));
  p.li(10, TestProgram::kData + 5).li(11, 3).ecall(0x5A4B0002);
  fold();
  p.ecall(0x5A4B0003);
  fold();
  p.exit_with(20);
  const elf::ElfImage image = p.image();
  const TestProgram::Outcome run = p.run();
  ASSERT_EQ(run.result.reason, vm::StopReason::kExit) << run.fault_message;
  ASSERT_EQ(run.stdout_log, "hello");
  ASSERT_EQ(run.stderr_log, "hello");
  const ProvingSetup s = fast_setup(image);
  const ProveOutput out = prove(s, image, {});
  EXPECT_EQ(out.statement.exit_code, run.result.exit_code);
  EXPECT_EQ(verify(out.proof, program_id(s.key)).exit_code, run.result.exit_code);
}

// The buffer checks' layout: code [0x10000, 0x11000), data [0x200000, 0x210000) and an R segment
// right after it [0x210000, 0x212000) (one readable interval: adjacent segments merge, whatever
// their permissions), a one-page gap, [0x213000, 0x214000), and the last page [0xfffff000, 2^32).
constexpr uint32_t kDataEnd = TestProgram::kData + TestProgram::kDataSize;
constexpr uint32_t kMergedEnd = kDataEnd + 0x2000;
constexpr uint32_t kAfterGap = kMergedEnd + 0x1000;
constexpr uint32_t kLastPage = 0xfffff000u;

elf::ElfImage buffer_image(const TestProgram& p) {
  elf::ElfImage image = p.image();
  image.segments.push_back({3, kDataEnd, 0x2000, elf::kRead, {}});
  image.segments.push_back({4, kAfterGap, 0x1000, elf::kRead, {}});
  image.segments.push_back({5, kLastPage, 0x1000, elf::kRead, {}});
  return image;
}

TEST(RiscvMachineEcalls, ReadableIntervalsAreTheMaximalRunsOfMappedPages) {
  TestProgram p;
  p.exit(0);
  const ProgramImage program = program_image(buffer_image(p));
  const std::vector<ReadableInterval> expected = {{TestProgram::kCode, TestProgram::kCode + 0x1000},
                                                  {TestProgram::kData, kMergedEnd},
                                                  {kAfterGap, kAfterGap + 0x1000},
                                                  {kLastPage, uint64_t{1} << 32}};
  EXPECT_EQ(program.readable, expected);
}

struct BufferCall {
  uint32_t number;    // 64 (write to fd 1) or a region call
  uint32_t ptr, len;  // write: a1, a2; region: a0, a1
  const char* what;
};

// The VM accepts each of these; one proof covers them all.
const BufferCall kAccepted[] = {
    {64, TestProgram::kData, 1, "the first readable byte"},
    {64, kMergedEnd - 1, 1, "the last byte before the gap"},
    {64, kDataEnd - 0x100, 0x200, "across two adjacent segments"},
    {64, TestProgram::kData, kMergedEnd - TestProgram::kData, "a whole interval"},
    {64, TestProgram::kCode, 4, "executable memory"},
    {64, 0xfffffff0u, 16, "up to 2^32"},
    {64, 0, 0, "length 0 in the null guard"},
    {64, kMergedEnd, 0, "length 0 in the gap"},
    {64, 0xffffffffu, 0, "length 0 at the top"},
    {0x5A4B0001, kMergedEnd - 64, 64, "a 64-byte name at the end"},
    {0x5A4B0002, 0x100, 0, "an empty name in the null guard (ignored: not open)"},
    {0x5A4B0001, kLastPage, 3, "a name in the last page"},
};

// The VM faults on each of these.
const BufferCall kFaulting[] = {
    {64, kMergedEnd - 1, 2, "one byte past the end of readable memory"},
    {64, 0xfff0, 0x20, "from the null guard"},
    {64, 0, 1, "at address 0"},
    {64, 0xfffffff0u, 0x20, "wrapping past 2^32"},
    {64, kMergedEnd - 0x10, 0x1020, "spanning the gap"},
    {0x5A4B0001, TestProgram::kData, 65, "a 65-byte name"},
    {0x5A4B0002, kMergedEnd, 1, "a name in the gap"},
};

// Loads a call's pointer and length into its registers with li, or from the private input (words
// 1 and 2) with hin, then makes the call.
void emit_call(TestProgram& p, const BufferCall& call, bool from_hint) {
  const uint32_t ptr_reg = call.number == 64 ? 11 : 10, len_reg = ptr_reg + 1;
  if (from_hint) {
    p.emit(enc::hin(ptr_reg, 0, 4)).emit(enc::hin(len_reg, 0, 8));
  } else {
    p.li(ptr_reg, call.ptr).li(len_reg, call.len);
  }
  if (call.number == 64) p.li(10, 1);
  p.ecall(call.number);
}

TEST(RiscvMachineEcalls, BuffersTheVmAcceptsAreProven) {
  TestProgram p;
  for (const BufferCall& call : kAccepted) emit_call(p, call, false);
  p.exit(0);
  const elf::ElfImage image = buffer_image(p);
  vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  vm::Vm vm(image, config);
  const vm::RunResult run = vm.run({});
  ASSERT_EQ(run.reason, vm::StopReason::kExit) << vm.describe(run.fault);
  const ProvingSetup s = fast_setup(image);
  const ProveOutput out = prove(s, image, {});
  EXPECT_EQ(verify(out.proof, program_id(s.key)).exit_code, 0);
  // Each checked call looked its interval up once: the empty ones and the ignored end are not checked.
  const Matrix<Fp> counts = run_witness(s, image, {}).tables[kReadableTable].main;
  EXPECT_EQ(counts.at(0, 0), Fp::from_u32(1));  // code
  EXPECT_EQ(counts.at(1, 0), Fp::from_u32(5));  // data and the segment after it
  EXPECT_EQ(counts.at(2, 0), Fp::zero());
  EXPECT_EQ(counts.at(3, 0), Fp::from_u32(2));  // the last page
}

// A run that calls with the hinted (ptr, len), as a prover claiming the call returned would have it:
// the trace of an honest run with an accepted buffer, the hin steps' values replaced by the call's.
// Its witness is generated against the program with one more readable interval, [ptr, ptr + len)
// itself, so only the Ecall row's interval is not the program's.
MachineWitness forged_witness(const ProvingSetup& s, const elf::ElfImage& image, const BufferCall& call) {
  const auto hint = [](uint32_t ptr, uint32_t len) {
    std::vector<uint8_t> bytes(8);
    for (int k = 0; k < 4; ++k) {
      bytes[k] = static_cast<uint8_t>(ptr >> (8 * k));
      bytes[4 + k] = static_cast<uint8_t>(len >> (8 * k));
    }
    return bytes;
  };
  vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  vm::Vm vm(image, config);
  vm::Trace trace;
  const vm::RunResult result = vm.run_traced({{}, hint(TestProgram::kData, 1)}, &trace);
  EXPECT_EQ(result.reason, vm::StopReason::kExit);
  std::vector<vm::TraceStep> steps(trace.steps.begin(), trace.steps.end());
  const uint32_t values[] = {call.ptr, call.len};
  size_t hins = 0;
  for (vm::TraceStep& t : steps) {
    if ((t.insn & 0x7f) == 0x2b) {  // hin: ptr, then len
      t.rd_value = t.mem_before = t.mem_after = values[hins++];
    } else if (t.insn == enc::ecall() && hins == 2 && call.number == 64) {
      t.rd_value = call.len;  // write returns the length
      hins = 3;
    }
  }
  EXPECT_EQ(hins, call.number == 64 ? 3u : 2u);
  ProgramImage program = s.program;
  program.readable.push_back({call.ptr, uint64_t{call.ptr} + std::max<uint32_t>(call.len, 1)});
  MachineWitness w = generate_witness(program, s.machine, steps, result, {}, {}, hint(call.ptr, call.len),
                                      stark::protocol::reserved_rows(s.params));
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  return w;
}

// The program that takes (ptr, len) from its hint and makes the call, and the forged witness of it.
struct Forgery {
  ProvingSetup setup;
  MachineWitness witness;
};

Forgery forge_call(const BufferCall& call) {
  TestProgram hinted;
  emit_call(hinted, call, true);
  hinted.exit(0);
  const elf::ElfImage image = buffer_image(hinted);
  ProvingSetup setup = fast_setup(image);
  MachineWitness witness = forged_witness(setup, image, call);
  return {std::move(setup), std::move(witness)};
}

// Re-fills the Ecall row's interval with the program's interval that holds ptr, or the nearest one
// below it: d and e are then what the limb equations force, and the one that is negative is no
// longer on RANGE16.
void claim_nearest_interval(const ProvingSetup& s, MachineWitness& w, const BufferCall& call) {
  const EcallCols c = make_columns<EcallCols>();
  Matrix<Fp>& ecall = w.tables[kEcallTable].main;
  const ReadableInterval* best = &s.program.readable.front();
  for (const ReadableInterval& i : s.program.readable) {
    if (i.lo <= call.ptr) best = &i;
  }
  const auto set = [&ecall](int col, Fp v) { ecall.at(0, col) = v; };
  // v = lo + 2^16 hi with lo in [0, 2^16), hi negative when v is.
  const auto limbs = [&set](int64_t v, int lo, int hi) {
    const int64_t l = ((v % 65536) + 65536) % 65536, h = (v - l) / 65536;
    set(lo, Fp::from_u32(static_cast<uint32_t>(l)));
    set(hi, h >= 0 ? Fp::from_u32(static_cast<uint32_t>(h)) : -Fp::from_u32(static_cast<uint32_t>(-h)));
    return static_cast<uint32_t>(l);
  };
  const int64_t d = int64_t{call.ptr} - best->lo, e = static_cast<int64_t>(best->hi) - call.ptr - call.len;
  set(c.checked, Fp::one());
  set(c.inv_len, Fp::from_u32((call.len & 0xffff) + (call.len >> 16)).inverse());
  set(c.lo_lo, Fp::from_u32(best->lo & 0xffff));
  set(c.lo_hi, Fp::from_u32(best->lo >> 16));
  set(c.hi_lo, Fp::from_u32(static_cast<uint32_t>(best->hi & 0xffff)));
  set(c.hi_hi, Fp::from_u32(static_cast<uint32_t>(best->hi >> 16)));
  const uint32_t d_lo = limbs(d, c.d_lo, c.d_hi), e_lo = limbs(e, c.e_lo, c.e_hi);
  set(c.c0, Fp::from_u32(((best->lo & 0xffff) + d_lo) >> 16));
  set(c.k0, Fp::from_u32(((call.ptr & 0xffff) + (call.len & 0xffff) + e_lo) >> 16));
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
}

// Each call the VM faults on: its run faults; a witness claiming it returned, with every record
// consistent, breaks the buffer check however the Ecall row's new columns are filled (proven and
// rejected in AWritePastReadableMemoryIsRejected).
TEST(RiscvMachineEcallForgery, ABufferTheVmFaultsOnIsRejected) {
  for (const BufferCall& call : kFaulting) {
    SCOPED_TRACE(call.what);
    TestProgram direct;
    emit_call(direct, call, false);
    direct.exit(0);
    vm::VmConfig config;
    config.log_sink = [](int, std::span<const uint8_t>) {};
    const elf::ElfImage direct_image = buffer_image(direct);
    vm::Vm vm(direct_image, config);
    const vm::RunResult run = vm.run({});
    ASSERT_EQ(run.reason, vm::StopReason::kFault);
    EXPECT_EQ(run.fault.kind, vm::FaultKind::kBadSyscallArgument);

    Forgery f = forge_call(call);
    const ProvingSetup& s = f.setup;
    MachineWitness& w = f.witness;
    const EcallCols c = make_columns<EcallCols>();
    ASSERT_EQ(w.tables[kEcallTable].main.at(0, c.checked), Fp::one());
    const bool overlong = call.number != 64 && call.len > 64;
    // An unreadable buffer: the interval claimed is not the program's. The over-long name is
    // readable, and 64 - len is not on RANGE16.
    std::string report = debugger_report(s, w);
    EXPECT_EQ(report.find("(readable)") != std::string::npos, !overlong);
    EXPECT_EQ(report.find("(range16)") != std::string::npos, overlong);
    EXPECT_THAT(report, ::testing::Not(HasSubstr("constraint")));
    // The program's nearest interval: ptr - lo or hi - ptr - len is negative.
    claim_nearest_interval(s, w, call);
    report = debugger_report(s, w);
    EXPECT_THAT(report, HasSubstr("(range16)"));
    EXPECT_THAT(report, ::testing::Not(HasSubstr("(readable)")));
    EXPECT_THAT(report, ::testing::Not(HasSubstr("constraint")));
    // Not checked at all.
    Matrix<Fp>& ecall = w.tables[kEcallTable].main;
    for (const int col : {c.checked, c.inv_len, c.lo_lo, c.lo_hi, c.hi_lo, c.hi_hi, c.d_lo, c.d_hi, c.c0, c.e_lo,
                          c.e_hi, c.k0}) {
      ecall.at(0, col) = Fp::zero();
    }
    fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
    report = debugger_report(s, w);
    EXPECT_THAT(report, HasSubstr("an unchecked buffer has length 0"));
    if (overlong) {
      EXPECT_THAT(report, HasSubstr("(range16)"));
    }
  }
}

// The same forgery proven: write(1, ptr, 2) from the last readable byte, claimed through the
// program's interval, whose e is then -1.
TEST(RiscvMachineEcallForgery, AWritePastReadableMemoryIsRejected) {
  const BufferCall call = kFaulting[0];
  Forgery f = forge_call(call);
  const ProvingSetup& s = f.setup;
  MachineWitness& w = f.witness;
  claim_nearest_interval(s, w, call);
  ASSERT_THAT(debugger_report(s, w), HasSubstr("(range16)"));
  EXPECT_THAT(verifier_rejection(s, w), HasSubstr("does not verify"));
}

// a0 after the ecall flows straight to the exit: the forgery edits the exit's read of it, its
// public values and a0's final record, so only the ecall row's own constraints stand in the way.
void forge_exit_code(MachineWitness& w, uint32_t code) {
  const ExitCols e = make_columns<ExitCols>();
  w.tables[kExitTable].main.at(0, e.a0.prev_lo) = Fp::from_u32(code & 0xffff);
  w.tables[kExitTable].main.at(0, e.a0.prev_hi) = Fp::from_u32(code >> 16);
  w.tables[kExitTable].public_values = {Fp::from_u32(code & 0xffff), Fp::from_u32(code >> 16)};
  w.tables[kImageTable].main.at(10, ImageTable::kFinalLo) = Fp::from_u32(code & 0xffff);
  w.tables[kImageTable].main.at(10, ImageTable::kFinalHi) = Fp::from_u32(code >> 16);
  w.exit_code = static_cast<int32_t>(code);
}

// write(3, buf, 5) returns -9; the forgery claims fd 3 is a standard stream, so a0 = 5.
TEST(RiscvMachineEcallForgery, AWrongReturnValueIsRejected) {
  TestProgram p;
  p.li(10, 3).li(11, TestProgram::kData).li(12, 5).ecall(64);
  p.ecall(93);  // exits with a0 = -9
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  ASSERT_EQ(w.exit_code, -9);
  ASSERT_EQ(debugger_report(s, w), "");  // the honest witness: the rejection below is the forgery's
  const EcallCols c = make_columns<EcallCols>();
  stark::Matrix<Fp>& ecall = w.tables[kEcallTable].main;
  ASSERT_EQ(ecall.at(0, c.is_write_other), Fp::one());
  ecall.at(0, c.is_write_other) = Fp::zero();
  ecall.at(0, c.is_write_std) = Fp::one();
  ecall.at(0, c.t) = ecall.at(0, c.inv_lo) = ecall.at(0, c.inv_hi) = Fp::zero();
  // A write to fd 1 reads its buffer: a1 read after li wrote it (its final record moves on), and
  // the buffer checked against the program's interval that holds it.
  Matrix<Fp>& image = w.tables[kImageTable].main;
  const uint32_t ts = ecall.at(0, c.core.ts).to_u32();
  ecall.at(0, c.y.prev_ts) = image.at(11, ImageTable::kFinalTs);
  ecall.at(0, c.y.prev_lo) = image.at(11, ImageTable::kFinalLo);
  ecall.at(0, c.y.prev_hi) = image.at(11, ImageTable::kFinalHi);
  ecall.at(0, c.y.d0) = Fp::from_u32(ts + kSlotMemory - image.at(11, ImageTable::kFinalTs).to_u32() - 1);
  image.at(11, ImageTable::kFinalTs) = Fp::from_u32(ts + kSlotMemory);
  claim_nearest_interval(s, w, {64, TestProgram::kData, 5, "the honest buffer"});
  forge_exit_code(w, 5);
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  const std::string report = debugger_report(s, w);
  EXPECT_THAT(report, HasSubstr("write to fd 1 or 2: fd lo is 1 or 2"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("bus")));
  EXPECT_THAT(verifier_rejection(s, w), HasSubstr("does not verify"));
}

// zkrv_region_begin (a0 = 0) proven as zkrv_cycle_count (a0 = the step index): every record is
// consistent with the claim (a1 written at the ecall), only a7's number is not the claimed call's.
TEST(RiscvMachineEcallForgery, AWrongCallNumberIsRejected) {
  TestProgram p;
  p.ecall(0x5A4B0001);  // region with a0 = a1 = 0: the empty name
  p.ecall(93);          // exits with a0 = 0
  const ProvingSetup s = fast_setup(p.image());
  MachineWitness w = run_witness(s, p.image(), {});
  ASSERT_EQ(w.exit_code, 0);
  const EcallCols c = make_columns<EcallCols>();
  stark::Matrix<Fp>& ecall = w.tables[kEcallTable].main;
  ASSERT_EQ(ecall.at(0, c.is_region_begin), Fp::one());
  const uint32_t ts = ecall.at(0, c.core.ts).to_u32();
  const uint32_t index = ts / kTsPerStep - 1;
  ecall.at(0, c.is_region_begin) = Fp::zero();
  ecall.at(0, c.is_cycle_count) = Fp::one();
  ecall.at(0, c.cnt_lo) = Fp::from_u32(index);
  ecall.at(0, c.x.d0) = Fp::from_u32(ts + kSlotRs2 - 1);  // a1's initial record, at ts 0
  w.tables[kImageTable].main.at(11, ImageTable::kFinalTs) = Fp::from_u32(ts + kSlotRs2);
  forge_exit_code(w, index);
  fill_lookup_counts(s.program, s.machine, w, stark::protocol::reserved_rows(s.params));
  const std::string report = debugger_report(s, w);
  EXPECT_THAT(report, HasSubstr("a7 lo is the call's"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("bus")));  // proven and rejected in AWrongReturnValueIsRejected
}

}  // namespace
}  // namespace zkrv::riscv_air
