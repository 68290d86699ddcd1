// The memory tree: leaf encoding and layout, the tree of a hand-made image against one built leaf by
// leaf, the tree of a real program image and of a checkpoint a run records against the image's
// tree updated with what the run changed, and refusals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <vector>

#include "isa/encode.h"
#include "riscv_air/buses.h"
#include "riscv_air/memory_tree_checkpoint.h"
#include "stark/air/checker.h"
#include "stark/poseidon2/tree_update_air.h"
#include "vm/testing/program.h"
#include "vm/vm.h"

namespace zkrv::riscv_air {
namespace {

using ::testing::HasSubstr;
using stark::KoalaBear;
using stark::poseidon2::Digest;
using stark::poseidon2::Leaf;
using stark::poseidon2::SparseTree;
using vm::testing::TestProgram;
namespace enc = isa::encode;

TEST(MemoryTree, LeafIsLoAndHiHalvesInWordOrder) {
  const Digest leaf = chunk_leaf({0x12345678, 0xFFFF0000, 1, 0x80000000});
  const std::vector<uint32_t> expected = {0x5678, 0x1234, 0, 0xFFFF, 1, 0, 0, 0x8000};
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(leaf[i].to_u32(), expected[i]) << i;
}

TEST(MemoryTree, LayoutPutsMemoryLeftAndRegistersRight) {
  EXPECT_EQ(memory_leaf(29, (uint64_t{1} << 28) - 1), (uint64_t{1} << 28) - 1);  // the last 16 bytes of memory
  EXPECT_EQ(register_leaf(29, 0), uint64_t{1} << 28);
  EXPECT_EQ(register_leaf(29, 7), (uint64_t{1} << 28) + 7);
  EXPECT_EQ(reservation_leaf(29), (uint64_t{1} << 28) + 8);
  EXPECT_THAT([] { memory_leaf(8, 128); }, ::testing::ThrowsMessage<RefusedError>(
                                               HasSubstr("chunk 128 (byte address 2048) is past the memory of a tree of depth 8")));
  EXPECT_THAT([] { register_leaf(29, 8); }, ::testing::ThrowsMessage<RefusedError>(HasSubstr("register chunk 8")));
}

TEST(MemoryTree, HandMadeImageMatchesItsLeaves) {
  ProgramImage image;
  image.image = {{kRegisterSpace, 2, 0x1000}, {kRegisterSpace, 31, 7}, {kRegisterSpace, kReservationRegister, 0},
                 {kReadOnlySpace, 0, 0xAABBCCDD}, {kReadOnlySpace, 3, 5},  // chunk 0
                 {kMemorySpace, 9, 0},                                      // a zero word: chunk 2 stays default
                 {kMemorySpace, 21, 0x01020304}};                            // chunk 5, word 1
  const MemoryTree tree = MemoryTree::from_image(image, 8);
  const std::vector<Leaf> leaves = {{0, chunk_leaf({0xAABBCCDD, 0, 0, 5})},
                                    {5, chunk_leaf({0, 0x01020304, 0, 0})},
                                    {128, chunk_leaf({0, 0, 0x1000, 0})},
                                    {135, chunk_leaf({0, 0, 0, 7})}};
  EXPECT_EQ(tree.root(), SparseTree(8, leaves).root());
  EXPECT_EQ(tree.chunks(), 4u);
  // A reservation is a leaf of its own.
  image.image[2].value = 0x2001;
  std::vector<Leaf> with_reservation = leaves;
  with_reservation.push_back({136, chunk_leaf({0x2001, 0, 0, 0})});
  EXPECT_EQ(MemoryTree::from_image(image, 8).root(), SparseTree(8, with_reservation).root());
}

TEST(MemoryTree, TapesHaveTheRightHalfsLastThreeSubtrees) {
  // Depth 8: level-3 subtrees of 32 leaves; registers in [128, 160), tapes from 160, 192, 224.
  EXPECT_EQ(tape_capacity_chunks(8), 32u);
  EXPECT_EQ(tape_leaf(8, kPublicInputSpace, 0), 160u);
  EXPECT_EQ(tape_leaf(8, kPrivateInputSpace, 30), 222u);
  EXPECT_EQ(salt_leaf(8), 223u);
  EXPECT_EQ(tape_leaf(8, kOutputSpace, 31), 255u);
  EXPECT_EQ(tape_leaf(kMemoryTreeDepth, kPublicInputSpace, 0), (uint64_t{1} << 28) + (uint64_t{1} << 26));
  EXPECT_EQ(tape_capacity_chunks(kMemoryTreeDepth) * kChunkBytes, uint64_t{1} << 30);
  EXPECT_THAT([] { tape_leaf(8, kPrivateInputSpace, 31); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("chunk 31 (byte offset 496) is past the room of tape space 4")));
  EXPECT_THAT([] { tape_leaf(8, kOutputSpace, 32); }, ::testing::ThrowsMessage<RefusedError>(HasSubstr("(32 chunks)")));
  EXPECT_THAT([] { tape_leaf(8, 2, 0); }, ::testing::ThrowsMessage<RefusedError>(HasSubstr("space 2 is not a tape's")));
  EXPECT_THAT([] { tape_leaf(6, kPublicInputSpace, 0); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("depth 6 has no room for the tapes")));
}

TEST(MemoryTree, TapesAreLengthThenBytesInTheirSubtrees) {
  ProgramImage image;
  image.image = {{kMemorySpace, 4, 0x11223344}};
  const std::vector<uint8_t> input = {1, 2, 3, 4, 5}, hint = {9}, output = {2, 0, 0, 0, 0xAA, 0xBB};
  const ChunkWords salt = {0x1234, 0, 0xFFFF0000, 7};
  const MemoryTree tree = MemoryTree::from_image(image, 8, {input, hint, salt, output});
  const std::vector<Leaf> leaves = {{1, chunk_leaf({0x11223344, 0, 0, 0})},
                                    {160, chunk_leaf({5, 0x04030201, 5, 0})},  // length 5, then the bytes
                                    {192, chunk_leaf({1, 9, 0, 0})},
                                    {223, chunk_leaf(salt)},
                                    {224, chunk_leaf({2, 0xBBAA, 0, 0})}};  // the output as written
  EXPECT_EQ(tree.root(), SparseTree(8, leaves).root());
  EXPECT_EQ(tree.chunks(), 5u);
  // An empty TreeTapes is the tree without tapes.
  EXPECT_EQ(MemoryTree::from_image(image, 8, {}).root(), MemoryTree::from_image(image, 8).root());
}

TEST(MemoryTree, TheVerifiersInitialRootIsTheTreeOfTheImageAndTapes) {
  // The verifier has the image, the public input and the private subtree's digest; the prover has
  // the hint and the salt. Both roots agree, at a test depth and at the machine's.
  ProgramImage image;
  image.image = {{kRegisterSpace, 2, 0x1000}, {kReadOnlySpace, 0, 0xAABBCCDD}, {kMemorySpace, 21, 0x01020304}};
  std::vector<uint8_t> input(40), hint(100);
  for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<uint8_t>(3 * i + 1);
  for (size_t i = 0; i < hint.size(); ++i) hint[i] = static_cast<uint8_t>(7 * i + 2);
  const ChunkWords salt = {0xCAFEF00D, 1, 2, 3};
  for (const int depth : {8, kMemoryTreeDepth}) {
    const Digest private_root = private_input_root(depth, hint, salt);
    EXPECT_EQ(initial_segment_root(image, input, private_root, depth),
              MemoryTree::from_image(image, depth, {input, hint, salt, {}}).root())
        << "depth " << depth;
    EXPECT_EQ(MemoryTree::from_image(image, depth, {input, hint, salt, {}}).tree().node(kTapeSubtreeLevel, 6),
              private_root);
    // Another salt hides the same hint under another digest.
    EXPECT_NE(private_input_root(depth, hint, {0xCAFEF00D, 1, 2, 4}), private_root);
    // The public input is the verifier's: another one gives another root.
    const Digest root = initial_segment_root(image, input, private_root, depth);
    input[0] ^= 1;
    EXPECT_NE(initial_segment_root(image, input, private_root, depth), root);
    input[0] ^= 1;
  }
  // A hint that reaches the salt's chunk does not fit: 31 chunks at depth 8, 4 bytes of length.
  EXPECT_NO_THROW(private_input_root(8, std::vector<uint8_t>(31 * 16 - 4), salt));
  EXPECT_THAT([&] { private_input_root(8, std::vector<uint8_t>(31 * 16 - 3), salt); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("past the room of tape space 4")));
}

TEST(MemoryTree, ACheckpointsTreeInSegmentModeHoldsItsOutputAndTheInputs) {
  ProgramImage image;
  image.image = {{kMemorySpace, 4, 0x11223344}};
  vm::Checkpoint checkpoint;
  checkpoint.registers[5] = 0x55;
  checkpoint.output_tape = {3, 0, 0, 0, 'a', 'b', 'c'};
  const std::vector<uint8_t> input = {1, 2}, hint = {3};
  const ChunkWords salt = {1, 2, 3, 4};
  const MemoryTree tree = memory_tree_at(image, checkpoint, input, hint, salt, 8);
  EXPECT_EQ(tree.tree().leaf(tape_leaf(8, kOutputSpace, 0)), chunk_leaf({3, 0x636261, 0, 0}));
  EXPECT_EQ(tree.tree().leaf(tape_leaf(8, kPublicInputSpace, 0)), chunk_leaf({2, 0x0201, 0, 0}));
  EXPECT_EQ(tree.tree().node(kTapeSubtreeLevel, 6), private_input_root(8, hint, salt));
  EXPECT_EQ(tree.tree().leaf(register_leaf(8, 1)), chunk_leaf({0, 0x55, 0, 0}));  // x4..x7
  // Without the tapes, the same checkpoint's tree is the one before tapes joined it.
  EXPECT_NE(memory_tree_at(image, checkpoint, 8).root(), tree.root());
  EXPECT_EQ(memory_tree_at(image, checkpoint, 8).tree().node(kTapeSubtreeLevel, 7),
            tree.tree().default_digest(kTapeSubtreeLevel));
}

TestProgram stores_program() {
  TestProgram p;
  p.rodata() = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  p.data() = std::vector<uint8_t>(40, 0);
  p.data()[0] = 0x11;
  p.data()[37] = 0x22;
  p.li(5, TestProgram::kData).li(6, 0xDEADBEEF);
  p.emit(enc::store(isa::Op::SW, 6, 5, 0));      // over the image's data word
  p.emit(enc::store(isa::Op::SW, 6, 5, 0x1F0));  // a zero chunk of the image's page
  p.li(7, TestProgram::kData + 0x3000);
  p.emit(enc::store(isa::Op::SW, 6, 7, 4));  // a page the image leaves zero
  p.exit(0);
  return p;
}

// The words of `tree`'s chunk at `leaf`, read back from a map of the state's words.
ChunkWords words_of(const std::map<uint32_t, uint32_t>& words, uint32_t first_word) {
  ChunkWords out{};
  for (uint32_t w = 0; w < kChunkWords; ++w) {
    const auto it = words.find(first_word + w);
    out[w] = it == words.end() ? 0 : it->second;
  }
  return out;
}

TEST(MemoryTree, ProgramImageRootAndACheckpointAgreeWithAnUpdate) {
  const TestProgram p = stores_program();
  const elf::ElfImage elf = p.image();
  const ProgramImage program = program_image(elf);
  MemoryTree tree = MemoryTree::from_image(program);
  // The image's non-zero words, one by one, give the same root.
  std::map<uint64_t, ChunkWords> chunks;
  for (const ImageWord& w : program.image) {
    if (w.space == kMemorySpace || w.space == kReadOnlySpace) chunks[w.addr / 4][w.addr % 4] = w.value;
  }
  std::vector<Leaf> leaves;
  for (const auto& [chunk, words] : chunks) {
    if (words != ChunkWords{}) leaves.push_back({chunk, chunk_leaf(words)});
  }
  EXPECT_EQ(tree.root(), SparseTree(kMemoryTreeDepth, leaves).root());
  EXPECT_GE(tree.chunks(), 3u);  // code, rodata, data

  // The last checkpoint before the exit: the stores are done, registers set.
  vm::VmConfig config;
  config.log_sink = [](int, std::span<const uint8_t>) {};
  vm::Vm vm(elf, config);
  vm::Checkpoint last;
  const vm::RunResult run = vm.run({}, 1, [&](vm::Checkpoint c) { last = std::move(c); });
  ASSERT_EQ(run.reason, vm::StopReason::kExit);
  const MemoryTree at = memory_tree_at(program, last);
  EXPECT_NE(at.root(), tree.root());

  // The same state reached by updating the image's tree with the changed chunks.
  const uint32_t data = TestProgram::kData;
  std::vector<ChunkChange> changes;
  const auto store = [&](uint32_t addr, ChunkWords old_words, ChunkWords new_words) {
    changes.push_back({memory_leaf(kMemoryTreeDepth, addr / kChunkBytes), old_words, new_words});
  };
  store(data, {0x11, 0, 0, 0}, {0xDEADBEEF, 0, 0, 0});
  store(data + 0x1F0, {}, {0xDEADBEEF, 0, 0, 0});
  store(data + 0x3000, {}, {0, 0xDEADBEEF, 0, 0});
  std::map<uint32_t, uint32_t> registers;
  for (uint32_t r = 0; r < 32; ++r) registers[r] = last.registers[r];
  for (uint32_t k = 0; k < 8; ++k) {
    const ChunkWords now = words_of(registers, 4 * k);
    if (now != ChunkWords{}) changes.push_back({register_leaf(kMemoryTreeDepth, k), {}, now});
  }
  const auto updates = tree.update(changes);
  EXPECT_EQ(tree.root(), at.root());
  EXPECT_EQ(updates.front().new_digest, at.root());

  // An LR's reservation open at the cut changes the root.
  vm::Checkpoint reserved = last;
  reserved.reservation_valid = true;
  reserved.reservation = data;
  EXPECT_NE(memory_tree_at(program, reserved).root(), at.root());
}

// The chunks a segment touched, as the boundary table will send them (here without the range
// checks on the limbs that table must make): (2^29 + leaf, side, leaf's 8 elements).
struct ChunkLeafTable {
  static constexpr int kLeafBits = kMemoryTreeDepth;
  enum : int { kIsReal = 0, kBits = 1, kOld = kBits + kLeafBits, kNew = kOld + 8, kWidth = kNew + 8 };
  stark::air::BusId bus = 1;
  stark::air::TableInfo info() const { return {"chunk-leaves", kWidth, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    using Expr = typename B::Expr;
    b.assert_bool("leaf is_real is a bit", b.main(kIsReal));
    Expr node = b.constant(1u << kMemoryTreeDepth);
    for (int k = 0; k < kLeafBits; ++k) {
      b.assert_bool("leaf bit", b.main(kBits + k));
      node = node + b.constant(1u << k) * b.main(kBits + k);
    }
    for (const int side : {0, 1}) {
      const int v = side == 0 ? kOld : kNew;
      b.send(bus,
             {node, b.constant(static_cast<uint32_t>(side)), b.main(v), b.main(v + 1), b.main(v + 2), b.main(v + 3),
              b.main(v + 4), b.main(v + 5), b.main(v + 6), b.main(v + 7)},
             b.main(kIsReal));
    }
  }
};

// The host tree's update witness at full depth, with the chunks a run changed, balances the tree
// bus against the roots of the image and of the checkpoint.
TEST(MemoryTree, UpdateWitnessBalancesTheTreeUpdateTableAtFullDepth) {
  namespace air = stark::air;
  const TestProgram p = stores_program();
  const ProgramImage program = program_image(p.image());
  MemoryTree tree = MemoryTree::from_image(program);
  const Digest root_in = tree.root();
  const uint32_t data = TestProgram::kData;
  const std::vector<ChunkChange> changes = {
      {memory_leaf(kMemoryTreeDepth, data / kChunkBytes), {0x11, 0, 0, 0}, {0xDEADBEEF, 0, 0, 0}},
      {memory_leaf(kMemoryTreeDepth, (data + 0x3000) / kChunkBytes), {}, {0, 0xDEADBEEF, 0, 0}},
      {register_leaf(kMemoryTreeDepth, 1), {}, {0, data, 0xDEADBEEF, 0}},
      {reservation_leaf(kMemoryTreeDepth), {}, {data + 1, 0, 0, 0}}};
  const std::vector<stark::poseidon2::NodeUpdate> updates = tree.update(changes);
  std::printf("memory tree: %zu touched nodes for %zu chunks at depth 29 (%zu cells)\n", updates.size(),
              changes.size(), updates.size() * stark::poseidon2::TreeUpdateColumns::kNumColumns);

  const air::BoundaryFunction boundary = [](std::span<const std::vector<air::Fp>> public_values) {
    return stark::poseidon2::tree_root_boundary(1, public_values, 0);
  };
  const air::Machine machine("memory-tree-test",
                             {air::make_table(stark::poseidon2::TreeUpdateTable{1, kMemoryTreeDepth}),
                              air::make_table(ChunkLeafTable{})},
                             {{1, "tree"}}, boundary);
  std::vector<air::TableWitness> witnesses;
  witnesses.push_back(stark::poseidon2::tree_update_witness(updates, kMemoryTreeDepth, root_in, tree.root()));
  air::TableWitness leaves;
  leaves.main = stark::Matrix<air::Fp>(4, ChunkLeafTable::kWidth);
  for (size_t r = 0; r < changes.size(); ++r) {
    leaves.main.at(r, ChunkLeafTable::kIsReal) = air::Fp::one();
    for (int k = 0; k < ChunkLeafTable::kLeafBits; ++k) {
      leaves.main.at(r, ChunkLeafTable::kBits + k) = air::Fp::from_u32((changes[r].leaf >> k) & 1);
    }
    const Digest old_leaf = chunk_leaf(changes[r].old_words), new_leaf = chunk_leaf(changes[r].new_words);
    for (int i = 0; i < 8; ++i) {
      leaves.main.at(r, ChunkLeafTable::kOld + i) = old_leaf[i];
      leaves.main.at(r, ChunkLeafTable::kNew + i) = new_leaf[i];
    }
  }
  witnesses.push_back(leaves);
  const std::vector<stark::Matrix<air::Fp>> preprocessed(2);
  const air::MachineCheck honest = air::check_machine(machine, preprocessed, witnesses);
  EXPECT_TRUE(honest.ok()) << honest.to_string(machine);
  // The register chunk claimed to start as something else: its path no longer reaches root_in.
  witnesses[1].main.at(2, ChunkLeafTable::kOld + 2) += air::Fp::one();
  EXPECT_FALSE(air::check_machine(machine, preprocessed, witnesses).ok());
}

TEST(MemoryTree, RefusesABadState) {
  const ProgramImage image;
  std::array<uint32_t, 32> registers{};
  registers[0] = 1;
  EXPECT_THAT([&] { MemoryTree::from_state(image, {}, registers, 0, 8); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("x0 holds 1, not 0")));
  registers[0] = 0;
  static const std::array<uint8_t, kStatePageBytes> kZero{};
  const std::vector<StatePage> out_of_order = {{3, kZero}, {2, kZero}};
  EXPECT_THAT([&] { MemoryTree::from_state(image, out_of_order, registers, 0, 8); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("page 1 (number 2) does not follow page number 3")));
  std::array<uint8_t, kStatePageBytes> one{};
  one[0] = 1;
  const std::vector<StatePage> past_memory = {{1, one}};  // bytes 4096.. of a 2 KiB memory
  EXPECT_THAT([&] { MemoryTree::from_state(image, past_memory, registers, 0, 8); },
              ::testing::ThrowsMessage<RefusedError>(HasSubstr("past the memory of a tree of depth 8")));
}

}  // namespace
}  // namespace zkrv::riscv_air
