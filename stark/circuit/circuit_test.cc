// The circuit format: existing tables round-trip through bytes with identical symbolic constraints
// and digests, the encoding is canonical, and the decoder refuses each malformed case with a
// message naming what is wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "stark/air/machine.h"
#include "stark/air/mask_bus.h"
#include "stark/air/symbolic.h"
#include "stark/circuit/circuit.h"
#include "stark/circuit/interpreted_table.h"
#include "stark/hash/blake2s.h"
#include "stark/machines/cpu_alu.h"
#include "stark/machines/fibonacci.h"
#include "stark/machines/range_check.h"
#include "stark/poseidon2/poseidon2_air.h"

namespace zkrv::stark::circuit {
namespace {

using ::testing::HasSubstr;

template <class T>
void expect_round_trip(const T& table) {
  const std::vector<uint8_t> bytes = encode(table);
  const Circuit decoded = decode_circuit(bytes);
  EXPECT_EQ(encode_circuit(decoded), bytes) << table.info().name;
  EXPECT_EQ(decoded, circuit_of_table(table));

  const air::TableAnalysis compiled = air::analyze_table(table);
  const InterpretedTable interpreted(decoded);
  const air::TableAnalysis again = air::analyze_table(interpreted);
  EXPECT_EQ(again.describe(), compiled.describe()) << table.info().name;
  EXPECT_EQ(again.max_degree, compiled.max_degree);
  EXPECT_EQ(again.interaction_width(), compiled.interaction_width());
  EXPECT_EQ(again.unused_main, compiled.unused_main);
  EXPECT_EQ(interpreted.preprocessed(), air::make_table(table)->preprocessed());

  // The digest a verifying key commits to (a one-table machine's constraint digest).
  std::vector<air::BusInfo> buses;
  const air::Machine a(table.info().name, {air::make_table(table)}, buses);
  const air::Machine b(table.info().name, {std::make_shared<InterpretedTable>(decoded)}, buses);
  EXPECT_EQ(a.constraint_digest(), b.constraint_digest()) << table.info().name;
  EXPECT_EQ(circuit_digest(bytes), circuit_digest(encode(table)));
}

TEST(Circuit, ExistingTablesRoundTripWithIdenticalConstraintsAndDigest) {
  expect_round_trip(poseidon2::Poseidon2Table{});
  expect_round_trip(machines::FibonacciTable{});
  expect_round_trip(machines::CpuTable{});
  expect_round_trip(machines::AluTable{});
  expect_round_trip(machines::Range16Table{});
  expect_round_trip(machines::Add16Table{});
}

TEST(Circuit, EqualSubexpressionsAreSharedAndUnreadNodesDropped) {
  // The compiled Poseidon2 eval builds each internal round's affine form twice (the S-box input and
  // the constraint) and main_next() leaves an unread range-check leaf: the circuit keeps one of each.
  const air::TableAnalysis analysis = air::analyze_table(poseidon2::Poseidon2Table{});
  const Circuit c = circuit_of_table(poseidon2::Poseidon2Table{});
  EXPECT_LT(c.nodes.size(), analysis.arena.size());
  const std::vector<uint8_t> bytes = encode(poseidon2::Poseidon2Table{});
  std::printf("poseidon2 circuit: %zu nodes (symbolic arena %zu), %zu bytes\n", c.nodes.size(), analysis.arena.size(),
              bytes.size());
}

// Fibonacci with one constraint changed (next b = a + 2b).
struct AlteredFibonacci {
  air::TableInfo info() const { return machines::FibonacciTable{}.info(); }
  template <class B>
  void eval(B& b) const {
    const auto a = b.main(0), x = b.main(1);
    b.assert_zero_first("first a = public[0]", a - b.public_value(0));
    b.assert_zero_first("first b = public[1]", x - b.public_value(1));
    b.assert_zero_transition("next a = b", b.main_next(0) - x);
    b.assert_zero_transition("next b = a + b", b.main_next(1) - (a + x + x));
    b.assert_zero_last("last b = public[2]", x - b.public_value(2));
  }
};

TEST(Circuit, AChangedConstraintChangesTheDigest) {
  const Digest honest = circuit_digest(encode(machines::FibonacciTable{}));
  EXPECT_NE(circuit_digest(encode(AlteredFibonacci{})), honest);
  // Domain-separated: not the plain BLAKE2s of the bytes.
  const std::vector<uint8_t> bytes = encode(machines::FibonacciTable{});
  EXPECT_NE(Blake2s::hash(bytes), honest);
}

// ---- hand-written blobs ----

class Blob {
 public:
  Blob& u8(uint8_t v) {
    bytes.push_back(v);
    return *this;
  }
  Blob& u16(uint16_t v) { return u8(static_cast<uint8_t>(v)).u8(static_cast<uint8_t>(v >> 8)); }
  Blob& u32(uint32_t v) { return u16(static_cast<uint16_t>(v)).u16(static_cast<uint16_t>(v >> 16)); }
  Blob& name(const std::string& s) {
    u8(static_cast<uint8_t>(s.size()));
    bytes.insert(bytes.end(), s.begin(), s.end());
    return *this;
  }
  // Magic, version, name "t", the widths.
  Blob& widths(uint32_t main = 2, uint32_t pre = 0, uint32_t publics = 0, uint16_t version = kVersion) {
    for (char c : kMagic) u8(static_cast<uint8_t>(c));
    return u16(version).name("t").u32(main).u32(pre).u32(publics);
  }
  // widths(), then no column names.
  Blob& header(uint32_t main = 2, uint32_t pre = 0, uint32_t publics = 0, uint16_t version = kVersion) {
    return widths(main, pre, publics, version).u8(0).u8(0);
  }
  std::vector<uint8_t> bytes;
};

constexpr uint8_t kConst = 0, kMainCode = 1, kAdd = 9, kMul = 11;

// main0 * main1 = 0: nodes main0, main1, mul(0, 1); one constraint; no interactions.
Blob valid_blob() {
  Blob b;
  b.header().u32(3).u8(kMainCode).u32(0).u8(kMainCode).u32(1).u8(kMul).u32(0).u32(1);
  b.u32(1).name("c").u32(2);
  b.u32(0);
  return b;
}

std::string decode_error(const std::vector<uint8_t>& bytes) {
  std::string error;
  EXPECT_FALSE(accepts_circuit_bytes(bytes, &error));
  return error;
}

TEST(CircuitDecoder, AcceptsTheHandWrittenBlob) {
  const std::vector<uint8_t> bytes = valid_blob().bytes;
  const Circuit c = decode_circuit(bytes);
  EXPECT_EQ(c.nodes.size(), 3u);
  EXPECT_EQ(encode_circuit(c), bytes);
  EXPECT_EQ(air::analyze_table(InterpretedTable(c)).describe(),
            "table t: main 2, preprocessed 0, public values 0\n  constraint c (degree 2): main[0] * main[1] = 0\n");
}

TEST(CircuitDecoder, RefusesEveryTruncation) {
  for (const std::vector<uint8_t>& bytes :
       {valid_blob().bytes, encode(machines::CpuTable{}), encode(machines::AluTable{})}) {
    for (size_t n = 0; n < bytes.size(); ++n) {
      const std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
      EXPECT_THAT(decode_error(prefix), HasSubstr("truncated")) << "at " << n;
    }
  }
}

TEST(CircuitDecoder, RefusesTrailingBytesWrongVersionAndMagic) {
  std::vector<uint8_t> bytes = valid_blob().bytes;
  bytes.push_back(0);
  EXPECT_THAT(decode_error(bytes), HasSubstr("1 trailing bytes"));
  Blob v2;
  v2.header(2, 0, 0, 2);
  EXPECT_THAT(decode_error(v2.bytes), HasSubstr("offset 8: version 2 (this decoder reads version 1)"));
  bytes = valid_blob().bytes;
  bytes[0] = 'X';
  EXPECT_THAT(decode_error(bytes), HasSubstr("not a zkrv circuit"));
}

TEST(CircuitDecoder, RefusesEachLimitExceededByOne) {
  {
    Blob b;
    b.header(kMaxMainColumns + 1);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("main width 65537 is outside [1, 65536]"));
    Blob zero;
    zero.header(0);
    EXPECT_THAT(decode_error(zero.bytes), HasSubstr("main width 0"));
  }
  {
    Blob b;
    b.header(2, kMaxPreprocessedColumns + 1);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("preprocessed width 257 is over 256"));
  }
  {
    Blob b;
    b.header(2, 0, kMaxPublicValues + 1);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("public value count 257 is over 256"));
  }
  {
    Blob b;
    b.header(2, 1).u8(kMaxPreprocessedLogHeight + 1);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("preprocessed log height 21 is over 20"));
    Blob cells;
    cells.header(2, 2).u8(kMaxPreprocessedLogHeight);
    EXPECT_THAT(decode_error(cells.bytes), HasSubstr("1048576 x 2 preprocessed cells (at most 1048576)"));
  }
  {
    Blob b;
    b.header().u32(kMaxNodes + 1);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("node count 1048577 is outside [0, 1048576]"));
  }
  {
    Blob b;
    b.header().u32(0).u32(kMaxConstraints + 1);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("constraint count 65537 is outside [0, 65536]"));
  }
  {
    Blob b;
    b.header().u32(0).u32(0).u32(kMaxInteractions + 1);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("interaction count 65 is outside [0, 64]"));
  }
  {
    Blob b;
    b.header().u32(1).u8(kMainCode).u32(0).u32(0).u32(1);
    b.u32(1).u8(0).u32(1).u8(kMaxTupleSize + 1);
    for (uint32_t i = 0; i <= kMaxTupleSize + 1; ++i) b.u32(0);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("tuple size 17 is outside [1, 16]"));
  }
  {
    std::vector<uint8_t> huge(kMaxCircuitBytes + 1, 0);
    EXPECT_THAT(decode_error(huge), HasSubstr("offset 0: 67108865 bytes (at most 67108864)"));
  }
}

TEST(CircuitDecoder, RefusesMalformedNodes) {
  {
    Blob b;  // node 1 reads node 2
    b.header().u32(3).u8(kMainCode).u32(0).u8(kAdd).u32(0).u32(2).u8(kMainCode).u32(1);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("node 1: operand refers to node 2, not before it"));
  }
  {
    Blob b;  // a node reading itself
    b.header().u32(2).u8(kMainCode).u32(0).u8(kAdd).u32(1).u32(0);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("node 1: operand refers to node 1"));
  }
  {
    Blob b;  // (m0 * m0) * (m0 * m0)
    b.header().u32(3).u8(kMainCode).u32(0).u8(kMul).u32(0).u32(0).u8(kMul).u32(1).u32(1);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("offset 44: node 2: degree 4 (at most 3)"));
  }
  {
    Blob b;
    b.header().u32(1).u8(kNumNodeCodes);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("node 0: unknown node kind 13"));
  }
  {
    Blob b;
    b.header().u32(1).u8(kConst).u32(air::Fp::kModulus);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("constant 2130706433 is not below p"));
  }
  {
    Blob b;
    b.header().u32(1).u8(kMainCode).u32(2);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("node 0: main column 2 (width 2)"));
  }
  {
    Blob b;  // main0 twice
    b.header().u32(2).u8(kMainCode).u32(0).u8(kMainCode).u32(0);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("node 1 repeats node 0"));
  }
}

TEST(CircuitDecoder, RefusesNonCanonicalNodeOrderAndUnreadNodes) {
  {
    Blob b;  // main1, main0, mul(1, 0): the walk places main0 first
    b.header().u32(3).u8(kMainCode).u32(1).u8(kMainCode).u32(0).u8(kMul).u32(1).u32(0);
    b.u32(1).name("c").u32(2).u32(0);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("node 0 is out of canonical order"));
  }
  {
    Blob b;  // main1 is read by nothing
    b.header().u32(2).u8(kMainCode).u32(0).u8(kMainCode).u32(1);
    b.u32(1).name("c").u32(0).u32(0);
    EXPECT_THAT(decode_error(b.bytes), HasSubstr("node 1 is read by no constraint or interaction"));
  }
}

TEST(CircuitDecoder, RefusesMalformedInteractions) {
  const auto with_interaction = [](uint32_t bus, uint8_t direction, uint32_t max, uint8_t mul_node_code) {
    Blob b;
    // nodes: main0, main1, then the multiplicity (main0 * main1 or main0 * main0 * main1 ...).
    b.header().u32(3).u8(kMainCode).u32(0).u8(kMainCode).u32(1).u8(mul_node_code).u32(0).u32(1);
    b.u32(0).u32(1).u32(bus).u8(direction).u32(max).u8(1).u32(0).u32(2);
    return b.bytes;
  };
  EXPECT_TRUE(accepts_circuit_bytes(with_interaction(5, 1, 1, kAdd), nullptr));
  EXPECT_THAT(decode_error(with_interaction(air::kMaskBus, 0, 1, kAdd)), HasSubstr("not the mask bus"));
  EXPECT_THAT(decode_error(with_interaction(5, 2, 1, kAdd)), HasSubstr("direction 2"));
  EXPECT_THAT(decode_error(with_interaction(5, 0, 0, kAdd)), HasSubstr("max multiplicity 0"));
  EXPECT_TRUE(accepts_circuit_bytes(with_interaction(5, 0, 1, kMul), nullptr));  // h * main0 - main0 * main1: 2

  Blob cubic;  // a tuple entry of degree 3: h * fingerprint is degree 4
  cubic.header().u32(4).u8(kMainCode).u32(0).u8(kMul).u32(0).u32(0).u8(kMul).u32(1).u32(0);
  cubic.u8(kMainCode).u32(1).u32(0).u32(1).u32(5).u8(0).u32(1).u8(1).u32(2).u32(3);
  EXPECT_THAT(decode_error(cubic.bytes), HasSubstr("interaction 0: its LogUp constraint has degree 4"));
}

TEST(CircuitDecoder, RefusesBadNames) {
  Blob b;
  for (char c : kMagic) b.u8(static_cast<uint8_t>(c));
  b.u16(kVersion).name("t\n");
  EXPECT_THAT(decode_error(b.bytes), HasSubstr("table name is not printable ASCII"));
  Blob all_empty;
  all_empty.widths().u8(1).name("").name("");
  EXPECT_THAT(decode_error(all_empty.bytes), HasSubstr("main names are all empty"));
}

TEST(CircuitEncoder, RefusesANonCanonicalOrOutOfRangeCircuitAsDoesInterpretedTable) {
  Circuit c = decode_circuit(valid_blob().bytes);
  std::swap(c.nodes[0], c.nodes[1]);
  c.nodes[2] = {NodeCode::kMul, 0, 1, 0};
  EXPECT_THROW(encode_circuit(c), CircuitError);
  EXPECT_THROW(InterpretedTable{c}, CircuitError);
  Circuit forward = decode_circuit(valid_blob().bytes);
  forward.nodes[2].rhs = 7;  // a node id past the end
  EXPECT_THROW(InterpretedTable{forward}, CircuitError);
}

TEST(CanonicalCircuit, PutsAnEditedCircuitBackInCanonicalOrder) {
  const Circuit c = circuit_of_table(machines::Add16Table{});
  EXPECT_EQ(canonical_circuit(c), c);
  // The edit riscv_air makes: a constant appended and put first in an interaction's tuple, here of
  // the first interaction, with another at its end, appended in the other order than the walk meets
  // them: not canonical as it stands; canonical_circuit renumbers it.
  ASSERT_FALSE(c.interactions.empty());
  Circuit edited = c;
  edited.nodes.push_back({NodeCode::kConstant, 9, 0, 0});
  edited.nodes.push_back({NodeCode::kConstant, 10, 0, 0});
  const auto nine = static_cast<uint32_t>(edited.nodes.size() - 2), ten = nine + 1;
  edited.interactions[0].tuple.insert(edited.interactions[0].tuple.begin(), ten);
  edited.interactions[0].tuple.push_back(nine);
  EXPECT_THROW(encode_circuit(edited), CircuitError);
  const Circuit fixed = canonical_circuit(edited);
  EXPECT_EQ(decode_circuit(encode_circuit(fixed)), fixed);
  ASSERT_EQ(fixed.interactions[0].tuple.size(), c.interactions[0].tuple.size() + 2);
  EXPECT_EQ(fixed.nodes[fixed.interactions[0].tuple[0]], (CircuitNode{NodeCode::kConstant, 10, 0, 0}));
  EXPECT_EQ(fixed.nodes[fixed.interactions[0].tuple.back()], (CircuitNode{NodeCode::kConstant, 9, 0, 0}));
  // An unread node is dropped, a forward reference refused.
  Circuit unread = c;
  unread.nodes.push_back({NodeCode::kConstant, 12345, 0, 0});
  EXPECT_EQ(canonical_circuit(unread), c);
  Circuit forward = c;
  forward.nodes.push_back({NodeCode::kAdd, 0, static_cast<uint32_t>(c.nodes.size() + 1), 0});
  EXPECT_THAT([&] { canonical_circuit(forward); }, ::testing::ThrowsMessage<CircuitError>(HasSubstr("not before it")));
}

}  // namespace
}  // namespace zkrv::stark::circuit
