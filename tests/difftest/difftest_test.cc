// Unit tests of the differential tester's parts: the compressed encoders against zkrv's decoder,
// the ELF writer against zkrv's loader, the generator's guarantees and the comparison's messages.
// (The comparisons with qemu itself are the CTest cases labelled `difftest`.)
#include <gtest/gtest.h>

#include <set>

#include "base/little_endian.h"
#include "elf/elf.h"
#include "isa/isa.h"
#include "tests/difftest/compressed.h"
#include "tests/difftest/elf_writer.h"
#include "tests/difftest/generator.h"
#include "tests/difftest/runner.h"

namespace zkrv::difftest {
namespace {

using isa::Op;

struct Expected {
  uint16_t bits;
  Op op;
  uint8_t rd, rs1, rs2;
  int32_t imm;
};

TEST(CompressedEncoders, DecodeToTheIntendedInstruction) {
  const Expected cases[] = {
      {c::addi(5, -32), Op::ADDI, 5, 5, 0, -32},
      {c::li(31, 31), Op::ADDI, 31, 0, 0, 31},
      {c::lui(7, -1), Op::LUI, 7, 0, 0, static_cast<int32_t>(0xfffff000)},
      {c::lui(7, 17), Op::LUI, 7, 0, 0, 17 << 12},
      {c::slli(3, 31), Op::SLLI, 3, 3, 0, 31},
      {c::srli(9, 1), Op::SRLI, 9, 9, 0, 1},
      {c::srai(15, 17), Op::SRAI, 15, 15, 0, 17},
      {c::andi(10, -20), Op::ANDI, 10, 10, 0, -20},
      {c::sub(11, 8), Op::SUB, 11, 11, 8, 0},
      {c::xor_(12, 13), Op::XOR, 12, 12, 13, 0},
      {c::or_(14, 15), Op::OR, 14, 14, 15, 0},
      {c::and_(9, 10), Op::AND, 9, 9, 10, 0},
      {c::mv(20, 21), Op::ADD, 20, 0, 21, 0},
      {c::add(22, 2), Op::ADD, 22, 22, 2, 0},
      {c::jr(6), Op::JALR, 0, 6, 0, 0},
      {c::jalr(1), Op::JALR, 1, 1, 0, 0},
      {c::lw(13, 8, 124), Op::LW, 13, 8, 0, 124},
      {c::sw(9, 15, 68), Op::SW, 0, 15, 9, 68},
      {c::lwsp(25, 252), Op::LW, 25, 2, 0, 252},
      {c::swsp(0, 132), Op::SW, 0, 2, 0, 132},
      {c::addi16sp(-512), Op::ADDI, 2, 2, 0, -512},
      {c::addi16sp(496), Op::ADDI, 2, 2, 0, 496},
      {c::addi4spn(10, 1020), Op::ADDI, 10, 2, 0, 1020},
      {c::addi4spn(15, 4), Op::ADDI, 15, 2, 0, 4},
      {c::j(-2048), Op::JAL, 0, 0, 0, -2048},
      {c::j(2046), Op::JAL, 0, 0, 0, 2046},
      {c::jal(0x2aa), Op::JAL, 1, 0, 0, 0x2aa},
      {c::beqz(8, -256), Op::BEQ, 0, 8, 0, -256},
      {c::bnez(15, 254), Op::BNE, 0, 15, 0, 254},
      {c::bnez(12, 0x56), Op::BNE, 0, 12, 0, 0x56},
  };
  for (const Expected& e : cases) {
    SCOPED_TRACE(testing::Message() << "bits 0x" << std::hex << e.bits);
    const isa::DecodedInsn insn = isa::decode_compressed(e.bits);
    EXPECT_EQ(insn.op, e.op);
    EXPECT_EQ(insn.rd, e.rd);
    EXPECT_EQ(insn.rs1, e.rs1);
    EXPECT_EQ(insn.rs2, e.rs2);
    EXPECT_EQ(insn.imm, e.imm);
  }
  EXPECT_EQ(isa::decode_compressed(c::nop()).op, Op::ADDI);
}

TEST(ElfWriter, ProducesWhatTheZkrvLoaderAccepts) {
  const std::vector<uint8_t> code = {0x13, 0, 0, 0, 0x73, 0, 0, 0};
  const std::vector<uint8_t> file =
      write_elf(0x10004, {{0x10000, 8, 5, code}, {0x200000, 0x3000, 6, std::vector<uint8_t>(100, 0xab)}});
  const elf::ElfImage image = elf::parse(file);
  EXPECT_EQ(image.entry, 0x10004u);
  ASSERT_EQ(image.segments.size(), 2u);
  EXPECT_EQ(image.segments[0].vaddr, 0x10000u);
  EXPECT_EQ(image.segments[0].flags, elf::kRead | elf::kExec);
  EXPECT_EQ(std::vector<uint8_t>(image.segments[0].file_bytes.begin(), image.segments[0].file_bytes.end()), code);
  EXPECT_EQ(image.segments[1].memsz, 0x3000u);
  EXPECT_EQ(image.segments[1].flags, elf::kRead | elf::kWrite);
  EXPECT_EQ(image.segments[1].file_bytes.size(), 100u);
  EXPECT_EQ(image.segments[1].file_bytes[99], 0xab);
}

TEST(ElfWriter, RejectsAnUnalignedSegment) {
  EXPECT_THROW(write_elf(0x10000, {{0x10010, 4, 5, {0, 0, 0, 0}}}), std::invalid_argument);
}

// Every instruction of the stream decodes, and none is one qemu does not know or that the streams
// promise to avoid (custom opcodes, ecall outside the epilogue).
TEST(Generator, EmitsOnlyPortableInstructions) {
  size_t backward_branches = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const RandomProgram program = generate(seed, 500);
    EXPECT_GE(program.body_instructions, 500u);
    const std::vector<uint8_t> code = assemble(program);
    std::set<Op> seen;
    size_t at = 0, ecalls = 0;
    while (at < code.size()) {
      uint32_t word = base::load_le16(&code[at]);
      if (!isa::is_compressed(word)) word = base::load_le32(&code[at]);
      const isa::DecodedInsn insn = isa::decode(word);
      ASSERT_NE(insn.op, Op::ILLEGAL) << "seed " << seed << " at 0x" << std::hex << kCodeBase + at;
      EXPECT_TRUE(insn.op != Op::RIN && insn.op != Op::HIN && insn.op != Op::WOU && insn.op != Op::PRECOMPILE);
      if (insn.op == Op::ECALL) ++ecalls;
      if (insn.op == Op::BLT && insn.imm < 0) ++backward_branches;  // loop tails
      seen.insert(insn.op);
      at += insn.length;
    }
    EXPECT_EQ(ecalls, 3u) << "two writes and the exit, all in the epilogue";
    EXPECT_TRUE(seen.count(Op::JAL) && seen.count(Op::LW) && seen.count(Op::SW)) << "seed " << seed;
  }
  EXPECT_GT(backward_branches, 20u);
}

TEST(Generator, IsDeterministicInTheSeed) {
  EXPECT_EQ(assemble(generate(42, 300)), assemble(generate(42, 300)));
  EXPECT_EQ(generate(42, 300).data, generate(42, 300).data);
  EXPECT_NE(assemble(generate(42, 300)), assemble(generate(43, 300)));
}

TEST(Generator, DroppedUnitsShrinkTheCodeAndTheProgramStillRuns) {
  const RandomProgram program = generate(5, 300);
  std::vector<bool> keep(program.units.size(), false);
  const std::vector<uint8_t> small = assemble(program, keep);
  EXPECT_LT(small.size(), assemble(program).size());
  const Execution run = run_zkrv(build_elf(small, program.data), 1u << 20);
  ASSERT_EQ(run.status, Execution::Status::kExited) << run.detail;
  EXPECT_EQ(run.stdout_bytes.size(), kOutputSize);
  // Only the pointers remain: sp and s0 as set up, the data area as initialised.
  EXPECT_EQ(run.stdout_bytes.substr(kDumpSize), std::string(program.data.begin(), program.data.end()));
  EXPECT_EQ(static_cast<uint8_t>(run.stdout_bytes[2 * 4 + 1]), static_cast<uint8_t>(kStackPointer >> 8));
}

TEST(Generator, RandomProgramsRunToTheEpilogueOnZkrv) {
  for (uint64_t seed = 100; seed < 110; ++seed) {
    const RandomProgram program = generate(seed, 1000);
    const Execution run = run_zkrv(build_elf(assemble(program), program.data), 1u << 20);
    ASSERT_EQ(run.status, Execution::Status::kExited) << "seed " << seed << ": " << run.detail;
    EXPECT_EQ(run.stdout_bytes.size(), kOutputSize);
    EXPECT_LE(run.instructions, 5 * (program.body_instructions + 200)) << "loops run at most 5 rounds";
  }
}

Execution exited(int32_t code, std::string out) {
  Execution e;
  e.status = Execution::Status::kExited;
  e.exit_code = code;
  e.stdout_bytes = std::move(out);
  return e;
}

TEST(Compare, NamesTheFirstDifferingRegisterOrDataByte) {
  std::string dump(kOutputSize, '\0');
  Execution qemu = exited(7, dump);
  EXPECT_EQ(compare(qemu, exited(7, dump), OutputKind::kRegisterDump), "");
  EXPECT_EQ(compare(qemu, exited(0x107, dump), OutputKind::kRegisterDump), "") << "qemu sees only the low byte";

  std::string other = dump;
  other[5 * 4 + 3] = '\x80';
  EXPECT_EQ(compare(qemu, exited(7, other), OutputKind::kRegisterDump),
            "first difference: register x5 (t0): qemu 0x00000000, zkrv 0x80000000");
  other = dump;
  other[kDumpSize + 0x1001] = '\x01';
  EXPECT_EQ(compare(qemu, exited(7, other), OutputKind::kRegisterDump),
            "first difference: data byte at 0x00101001: qemu 0x00, zkrv 0x01");
  EXPECT_EQ(compare(qemu, exited(6, dump), OutputKind::kRegisterDump), "exit code: qemu 7, zkrv 6 (low byte 6)");
}

TEST(Compare, ReportsTextLinesFaultsAndLengths) {
  EXPECT_EQ(compare(exited(0, "a\nbcd\n"), exited(0, "a\nbxd\n"), OutputKind::kText),
            "first difference at stdout byte 3 (line 2):\n  qemu: bcd\n  zkrv: bxd");
  EXPECT_EQ(compare(exited(0, "abc"), exited(0, "ab"), OutputKind::kText),
            "stdout length differs: qemu 3 bytes, zkrv 2 bytes; one is a prefix of the other (first 2 bytes equal)");
  Execution fault;
  fault.status = Execution::Status::kFaulted;
  fault.detail = "load-fault at pc 0x10000";
  EXPECT_EQ(compare(exited(0, ""), fault, OutputKind::kText),
            "qemu exited 0, 0 bytes on stdout; zkrv faulted: load-fault at pc 0x10000");
}

TEST(Runner, ReportsAMissingQemuAsAnError) {
  const Execution e = run_qemu("/nonexistent/qemu-riscv32", "/nonexistent.elf", 1000);
  EXPECT_EQ(e.status, Execution::Status::kError);
  EXPECT_NE(e.detail.find("cannot start /nonexistent/qemu-riscv32"), std::string::npos) << e.detail;
}

}  // namespace
}  // namespace zkrv::difftest
