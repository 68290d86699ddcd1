// Segment mode (continuations, docs/proof-system.md "Segments"): a run cut at pass 1's
// checkpoints, each segment proven on its own with the memory-boundary and tree-update tables in
// place of Image and ZeroInit, verified against its statement, and the statements chained into
// the run (check_segment_chain), and as a run-proof file (verify_run, prove_run). Negatives: forged public values of the statement, a proof
// verified against another segment's statement, a middle segment that claims to halt; the
// refusals of what segment mode does not prove yet; in a run-proof file, reordered, dropped,
// duplicated and foreign segments, a truncated chain, another private root, program or image.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "isa/encode.h"
#include "riscv_air/machine_testing.h"
#include "riscv_air/memory_tree_checkpoint.h"
#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "vm/testing/program.h"

namespace zkrv::riscv_air {
namespace {

using isa::Op;
using ::testing::HasSubstr;
using vm::testing::TestProgram;
namespace enc = isa::encode;

constexpr uint64_t kSegmentSteps = 32;
constexpr ChunkWords kSalt = {0x1234, 0xabcd0001, 0x5555aaaa, 0x0badf00d};

// An LR whose reservation stays open across the cuts and the SC that uses it, a store/load loop
// over zero-initialised memory and an image word changed, then exit with the sum (48): three
// segments of at most 32 steps.
TestProgram segment_program() {
  TestProgram p;
  p.data() = {0x07, 0x00, 0x00, 0x00};
  p.li(20, TestProgram::kData + 0x200);
  p.emit(enc::amo(Op::LR_W, 21, 20, 0));
  p.store_load_sum_loop(TestProgram::kData + 0x100, 10);  // x7 = 55
  p.li(12, TestProgram::kData);
  p.emit(enc::load(Op::LW, 13, 12, 0));    // 7 from the image
  p.emit(enc::op_reg(Op::SUB, 7, 7, 13));  // 48
  p.emit(enc::store(Op::SW, 7, 12, 0));    // the image word changes
  p.emit(enc::amo(Op::SC_W, 22, 20, 7));  // succeeds: x22 = 0
  p.emit(enc::op_reg(Op::ADD, 7, 7, 22));
  p.emit(enc::load(Op::LW, 10, 12, 0));
  return p.exit_with(10);
}

// A program's setups and pass 1's checkpoints every kSegmentSteps. The program is kept: its image's
// segments view its bytes.
struct CutRun {
  explicit CutRun(const TestProgram& p)
      : program(p), image(program.image()), setup(testing::fast_setup(image)), segments(segment_setup(setup)) {
    vm::VmConfig config;
    config.log_sink = [](int, std::span<const uint8_t>) {};
    vm::Vm vm(image, config);
    result = vm.run({}, kSegmentSteps, [&](vm::Checkpoint c) { checkpoints.push_back(std::move(c)); });
  }
  CutRun(const CutRun&) = delete;
  TestProgram program;
  elf::ElfImage image;
  ProvingSetup setup;
  SegmentSetup segments;
  std::vector<vm::Checkpoint> checkpoints;
  vm::RunResult result;
};

RunStart run_start(const CutRun& run) {
  return {segment_program_id(run.segments.key), run.setup.program.entry,
          initial_segment_root(run.setup.program, {}, private_input_root(kMemoryTreeDepth, {}, kSalt))};
}

std::string rejection(const SegmentProof& proof, const SegmentKey& key, const SegmentStatement& statement) {
  try {
    verify_segment(proof.stark_proof, key, statement);
  } catch (const RejectedProof& e) {
    return e.what();
  }
  return "";
}

// Proved once for the whole file: three segment proofs are most of its time.
const CutRun& the_run() {
  static const CutRun kRun(segment_program());
  return kRun;
}
const std::vector<SegmentProof>& the_proofs() {
  static const std::vector<SegmentProof> kProofs = [] {
    const CutRun& run = the_run();
    std::vector<SegmentProof> out;
    for (const vm::Checkpoint& c : run.checkpoints) {
      out.push_back(prove_segment(run.setup, run.segments, run.image, {}, c, kSegmentSteps, kSalt));
    }
    return out;
  }();
  return kProofs;
}

// The three segments as a run-proof file, and verify_run's message for a file built from them.
RunProofFile run_file(const std::vector<SegmentProof>& segments) {
  RunProofFile file;
  file.key = the_run().segments.key;
  file.private_root = private_input_root(kMemoryTreeDepth, {}, kSalt);
  file.segments = segments;
  return file;
}
std::string run_rejection(const RunProofFile& file, const stark::Digest& id, const ProgramImage& program) {
  try {
    verify_run(encode_run_proof_file(file), id, program);
  } catch (const RejectedProof& e) {
    return e.what();
  }
  return "accepted";
}

void a_run_proof_file_verifies_and_its_forgeries_are_rejected() {
  const CutRun& run = the_run();
  const std::vector<SegmentProof>& proofs = the_proofs();
  const stark::Digest id = segment_program_id(run.segments.key);
  const ProgramImage& program = run.setup.program;
  const RunStatement statement = verify_run(encode_run_proof_file(run_file(proofs)), id, program);
  EXPECT_EQ(statement.program_id, id);
  EXPECT_EQ(statement.exit_code, 48);
  EXPECT_EQ(statement.steps, run.result.instructions);
  EXPECT_EQ(statement.segment_steps, (std::vector<uint32_t>{32, 32, proofs[2].statement.steps}));

  const auto rejected = [&](const std::vector<SegmentProof>& segments) { return run_rejection(run_file(segments), id, program); };
  EXPECT_THAT(rejected({proofs[1], proofs[0], proofs[2]}), HasSubstr("segment 0: starts at pc"));
  EXPECT_THAT(rejected({proofs[0], proofs[2], proofs[1]}), HasSubstr("segment 1: starts at pc"));
  EXPECT_THAT(rejected({proofs[0], proofs[2]}), HasSubstr("segment 1: starts at pc"));
  EXPECT_THAT(rejected({proofs[1], proofs[2]}), HasSubstr("segment 0: starts at pc"));
  EXPECT_THAT(rejected({proofs[0], proofs[0], proofs[1], proofs[2]}), HasSubstr("segment 1: starts at pc"));
  EXPECT_THAT(rejected({proofs[0], proofs[1], proofs[2], proofs[2]}), HasSubstr("segment 2: halts"));
  EXPECT_THAT(rejected({proofs[0], proofs[1]}), HasSubstr("the last segment does not halt"));
  EXPECT_THAT(rejected({proofs[0]}), HasSubstr("the last segment does not halt"));

  // Another private root: the first segment does not start from the run's initial state.
  RunProofFile other_root = run_file(proofs);
  other_root.private_root[3] += stark::air::Fp::one();
  EXPECT_THAT(run_rejection(other_root, id, program), HasSubstr("initial state"));

  // A segment's proof changed: the chain holds, that segment's STARK does not verify.
  RunProofFile forged = run_file(proofs);
  forged.segments[1].stark_proof[forged.segments[1].stark_proof.size() / 2] ^= 1;
  EXPECT_THAT(run_rejection(forged, id, program), HasSubstr("segment 1:"));

  // Another program: its id is not the one expected, and its image not this one.
  stark::Digest other_id = id;
  other_id[0] ^= 1;
  EXPECT_THAT(run_rejection(run_file(proofs), other_id, program), HasSubstr("another program"));
  ProgramImage moved = program;
  moved.entry += 4;
  EXPECT_THAT(run_rejection(run_file(proofs), id, moved), HasSubstr("entry"));

  // Bytes that are no run-proof file.
  std::vector<uint8_t> bytes = encode_run_proof_file(run_file(proofs));
  bytes.resize(bytes.size() - 1);
  try {
    verify_run(bytes, id, program);
    ADD_FAILURE() << "a truncated run proof was accepted";
  } catch (const RejectedProof& e) {
    EXPECT_THAT(e.what(), HasSubstr("malformed run-proof file"));
  }
}

// A segment of another program, with its own valid proof, in this run's chain: its statement names
// another program id.
void a_segment_of_another_program_is_rejected_in_a_run() {
  TestProgram p;
  p.emit(enc::op_imm(Op::ADDI, 10, 0, 48));
  p.exit_with(10);
  const CutRun other(p);
  EXPECT_EQ(other.checkpoints.size(), 1u);
  const SegmentProof foreign = prove_segment(other.setup, other.segments, other.image, {}, other.checkpoints[0],
                                             kSegmentSteps, kSalt);
  EXPECT_NO_THROW(verify_segment(foreign.stark_proof, other.segments.key, foreign.statement));
  const std::vector<SegmentProof>& proofs = the_proofs();
  const std::string error = run_rejection(run_file({proofs[0], proofs[1], foreign}),
                                          segment_program_id(the_run().segments.key), the_run().setup.program);
  EXPECT_THAT(error, HasSubstr("segment 2: proves program"));
}

// One test proves the three segments (a process per test under ctest: CI time).
TEST(RiscvSegments, ARunCutInThreeProvesVerifiesChainsAndRejectsForgedStatements) {
  const CutRun& run = the_run();
  ASSERT_EQ(run.result.reason, vm::StopReason::kExit);
  ASSERT_EQ(run.result.exit_code, 48);
  ASSERT_EQ(run.checkpoints.size(), 3u) << run.result.instructions << " steps";
  const std::vector<SegmentProof>& proofs = the_proofs();
  std::vector<SegmentStatement> statements;
  for (size_t k = 0; k < proofs.size(); ++k) {
    const SegmentStatement& s = proofs[k].statement;
    EXPECT_NO_THROW(verify_segment(proofs[k].stark_proof, run.segments.key, s)) << "segment " << k;
    EXPECT_EQ(s.pc_in, run.checkpoints[k].pc);
    EXPECT_EQ(s.halted, k + 1 == proofs.size());
    if (k + 1 < proofs.size()) {
      EXPECT_EQ(s.steps, kSegmentSteps);
      EXPECT_EQ(s.pc_out, run.checkpoints[k + 1].pc);
      // The root out is the tree of the state the VM reaches at the next cut.
      EXPECT_EQ(s.root_out, memory_tree_at(run.setup.program, run.checkpoints[k + 1], {}, {}, kSalt).root());
    }
    statements.push_back(s);
  }
  const ChainedRun chained = check_segment_chain(statements, run_start(run));
  EXPECT_EQ(chained.exit_code, 48);
  EXPECT_EQ(chained.steps, run.result.instructions);

  // Rejected: each forged statement, each proof against another segment's statement.
  const SegmentKey& key = run.segments.key;
  const SegmentProof& middle = proofs[1];

  SegmentStatement forged = middle.statement;
  forged.root_in[0] += stark::air::Fp::one();
  EXPECT_THAT(rejection(middle, key, forged), HasSubstr("root_in"));
  forged = middle.statement;
  forged.root_out[7] += stark::air::Fp::one();
  EXPECT_THAT(rejection(middle, key, forged), HasSubstr("root_out"));
  forged = middle.statement;
  forged.pc_out += 4;
  EXPECT_THAT(rejection(middle, key, forged), HasSubstr("pc_out"));
  forged = middle.statement;
  forged.steps -= 1;
  EXPECT_THAT(rejection(middle, key, forged), HasSubstr("steps"));
  forged = middle.statement;
  forged.steps = 0;
  EXPECT_THAT(rejection(middle, key, forged), HasSubstr("no step"));
  forged = middle.statement;
  forged.exit_code = 48;
  EXPECT_THAT(rejection(middle, key, forged), HasSubstr("does not halt"));
  forged = middle.statement;
  forged.pc_in += stark::air::Fp::kModulus;  // the same field element
  EXPECT_THAT(rejection(middle, key, forged), HasSubstr("modulus"));
  forged = proofs[2].statement;
  forged.pc_out = proofs[2].statement.pc_in;  // a halting segment's pc_out is not proven: 0
  EXPECT_THAT(rejection(proofs[2], key, forged), HasSubstr("pc_out"));
  forged = proofs[2].statement;
  forged.exit_code = 7;
  EXPECT_THAT(rejection(proofs[2], key, forged), HasSubstr("exit code"));
  forged = middle.statement;
  forged.program_id[0] ^= 1;
  EXPECT_THAT(rejection(middle, key, forged), HasSubstr("another program"));

  // A key whose mapped ranges are not the program's: the id hashes the shape and the verifying key,
  // whose constraint digest covers the ranges (the boundary table's constants), so it is the
  // same id and the proof does not verify.
  SegmentKey other_ranges = key;
  other_ranges.mapped.back().end -= 1;
  EXPECT_EQ(segment_program_id(other_ranges), segment_program_id(key));
  EXPECT_THAT(rejection(middle, other_ranges, middle.statement), HasSubstr("does not verify"));

  // A segment's proof against another segment's statement.
  EXPECT_THAT(rejection(proofs[0], key, proofs[1].statement), HasSubstr("does not verify"));
  EXPECT_THAT(rejection(proofs[2], key, proofs[1].statement), HasSubstr("does not verify"));

  // A middle segment that claims to halt: its proof says otherwise, and the chain refuses it too.
  forged = middle.statement;
  forged.halted = true;
  EXPECT_THAT(rejection(middle, key, forged), HasSubstr("halted"));
  std::vector<SegmentStatement> chain = {proofs[0].statement, forged, proofs[2].statement};
  EXPECT_THROW(check_segment_chain(chain, run_start(run)), SegmentChainError);

  // The same proofs as a run-proof file (verify_run), here so that ctest proves them once.
  a_run_proof_file_verifies_and_its_forgeries_are_rejected();
  a_segment_of_another_program_is_rejected_in_a_run();
}

// prove_run: the whole run cut and proven, its file verifying to the run's statement; segment
// lengths outside [1, 2^22] refused.
TEST(RiscvSegments, ProveRunProvesAWholeRun) {
  const CutRun& run = the_run();
  std::vector<size_t> told;
  const RunProofOutput out = prove_run(run.setup, run.segments, run.image, {}, 40, {},
                                       [&](size_t k, size_t count) { told.push_back(k * 10 + count); });
  EXPECT_EQ(out.file.segments.size(), 2u);
  EXPECT_EQ(told, (std::vector<size_t>{2, 12}));
  EXPECT_EQ(out.exit_code, 48);
  const RunStatement statement =
      verify_run(encode_run_proof_file(out.file), segment_program_id(run.segments.key), run.setup.program);
  EXPECT_EQ(statement.exit_code, 48);
  EXPECT_EQ(statement.steps, out.steps);
  EXPECT_THROW(prove_run(run.setup, run.segments, run.image, {}, 0), RefusedError);
  EXPECT_THROW(prove_run(run.setup, run.segments, run.image, {}, (uint64_t{1} << 22) + 1), RefusedError);
}

TEST(RiscvSegments, TheSingleProofModeIsUnchanged) {
  // The segment machine is another machine: the program's single-proof key and id are setup's own.
  const CutRun& run = the_run();
  EXPECT_NE(segment_program_id(run.segments.key), program_id(run.setup.key));
  EXPECT_EQ(run.setup.machine.num_tables(), run.segments.machine.num_tables());
  EXPECT_EQ(run.setup.machine.table(kImageTable).info().name, "image");
  EXPECT_EQ(run.segments.machine.table(kMemoryBoundaryTable).info().name, "memory_boundary");
}

TEST(RiscvSegments, AForgedBoundaryWitnessIsRejected) {
  // The honest witness of the middle segment with one of its boundary rows' old limbs changed
  // (an initial word not the tree's): the verifier rejects the proof.
  const CutRun& run = the_run();
  SegmentWitness w = segment_witness(run.setup, run.segments, run.image, {}, run.checkpoints[1], kSegmentSteps, kSalt);
  const MemoryBoundaryCols c = make_columns<MemoryBoundaryCols>();
  stark::air::TableWitness& boundary = w.machine.tables[kMemoryBoundaryTable];
  boundary.main.at(0, static_cast<size_t>(c.old_limbs[0])) += stark::air::Fp::one();
  stark::prover::ProveOptions options;
  options.check_witness = false;
  options.check_final_degree = false;
  const SegmentProof forged = prove_segment_witness(run.setup, run.segments, w, options);
  EXPECT_THAT(rejection(forged, run.segments.key, w.statement), HasSubstr("does not verify"));
  // The checker names the tree bus (the leaf is not the tree's) among what the forgery unbalances.
  const stark::air::Machine machine = make_segment_machine(run.setup.program, &w.statement);
  const std::string report = stark::air::check_machine(machine, run.segments.pk.preprocessed, w.machine.tables, 16,
                                                       stark::protocol::reserved_rows(run.setup.params))
                                 .to_string(machine);
  EXPECT_THAT(report, HasSubstr("memory_tree"));
}

// A halting segment's step count: nothing but the Exit row's timestamp, which the row sends on EXIT
// and the verifier receives as 4 steps, ties it to the run. The last segment's honest witness with
// one step more claimed (the public value and the statement both): the verifier rejects it and
// the checker names the EXIT bus.
TEST(RiscvSegments, AHaltingSegmentsForgedStepCountIsRejected) {
  const CutRun& run = the_run();
  SegmentWitness w = segment_witness(run.setup, run.segments, run.image, {}, run.checkpoints[2], kSegmentSteps, kSalt);
  ASSERT_TRUE(w.statement.halted);
  w.statement.steps += 1;
  w.machine.tables[kMemoryBoundaryTable].public_values = segment_public_values(w.statement);
  stark::prover::ProveOptions options;
  options.check_witness = false;
  options.check_final_degree = false;
  const SegmentProof forged = prove_segment_witness(run.setup, run.segments, w, options);
  EXPECT_THAT(rejection(forged, run.segments.key, w.statement), HasSubstr("does not verify"));
  const stark::air::Machine machine = make_segment_machine(run.setup.program, &w.statement);
  const std::string report = stark::air::check_machine(machine, run.segments.pk.preprocessed, w.machine.tables, 16,
                                                       stark::protocol::reserved_rows(run.setup.params))
                                 .to_string(machine);
  EXPECT_THAT(report, HasSubstr("exit"));
}

// A segment that touches no register and no memory (JAL x0 and FENCE only) still has a boundary
// row (x0..x3's chunk, unchanged), so its tree update is not empty and it proves.
TEST(RiscvSegments, ASegmentThatTouchesNothingProves) {
  TestProgram p;
  p.emit(enc::jal(0, 4));
  p.emit(enc::fence());
  p.emit(enc::jal(0, 4));
  p.exit(3);
  const CutRun run(p);
  ASSERT_EQ(run.result.reason, vm::StopReason::kExit);
  const SegmentProof proof = prove_segment(run.setup, run.segments, run.image, {}, run.checkpoints[0], 3, kSalt);
  EXPECT_EQ(proof.statement.root_in, proof.statement.root_out);
  EXPECT_FALSE(proof.statement.halted);
  EXPECT_NO_THROW(verify_segment(proof.stark_proof, run.segments.key, proof.statement));
}

TEST(RiscvSegments, RefusesWhatSegmentModeDoesNotProveYet) {
  TestProgram p;
  p.emit(enc::rin(5, 0, 0));
  p.exit(0);
  const CutRun run(p);
  try {
    segment_witness(run.setup, run.segments, run.image, {}, run.checkpoints[0], kSegmentSteps, kSalt);
    ADD_FAILURE() << "a rin in segment mode was not refused";
  } catch (const RefusedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("rin"));
    EXPECT_THAT(e.what(), HasSubstr("segment mode"));
  }
}

}  // namespace
}  // namespace zkrv::riscv_air
