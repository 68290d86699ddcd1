// Circuits as data: one table definition (columns, preprocessed values, constraints as an
// expression DAG, bus interactions) as a canonical, versioned byte string, its strict decoder for
// untrusted bytes, and the digest a manifest or verifying key commits to. The format is documented
// field by field in docs/precompiles.md, "Circuits".
//
// A Circuit is canonical when it is what circuit_of() yields: its nodes are pairwise distinct and
// numbered in the post-order of a depth-first walk from the roots (each constraint's root in
// order, then each interaction's tuple entries and multiplicity; left operand first). Every
// circuit therefore has exactly one encoding, decode(encode(c)) == c, and the decoder refuses any
// other byte string (a second encoding of the same circuit would have another digest).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "stark/air/air.h"
#include "stark/air/symbolic.h"
#include "stark/air/table.h"
#include "stark/field/matrix.h"
#include "stark/hash/digest.h"

namespace zkrv::stark::circuit {

using air::Fp;

inline constexpr char kMagic[8] = {'Z', 'K', 'R', 'V', 'C', 'I', 'R', 'C'};
inline constexpr uint16_t kVersion = 1;

// Limits the decoder enforces before it sizes anything. Generous for a precompile's table
// (Plonky3's keccak-air has 2,632 columns; the Poseidon2 table here ~2,000 nodes) while keeping
// a hostile blob's memory bounded by its own length.
inline constexpr size_t kMaxCircuitBytes = size_t{64} << 20;
inline constexpr uint32_t kMaxMainColumns = 1u << 16;
inline constexpr uint32_t kMaxPreprocessedColumns = 256;
inline constexpr int kMaxPreprocessedLogHeight = 20;
inline constexpr size_t kMaxPreprocessedCells = size_t{1} << 20;
inline constexpr uint32_t kMaxPublicValues = 256;
inline constexpr uint32_t kMaxNodes = 1u << 20;
inline constexpr uint32_t kMaxConstraints = 1u << 16;
inline constexpr uint32_t kMaxInteractions = air::kMaxInteractionsPerTable;
inline constexpr uint32_t kMaxTupleSize = air::kMaxTupleSize;
inline constexpr size_t kMaxNameBytes = 255;

// Node kinds as the format numbers them (fixed here, independent of air::NodeKind's order).
enum class NodeCode : uint8_t {
  kConstant = 0,
  kMain = 1,
  kMainNext = 2,
  kPreprocessed = 3,
  kPreprocessedNext = 4,
  kPublic = 5,
  kIsFirstRow = 6,
  kIsLastRow = 7,
  kIsTransition = 8,
  kAdd = 9,
  kSub = 10,
  kMul = 11,
  kNeg = 12,
};
inline constexpr uint8_t kNumNodeCodes = 13;

struct CircuitNode {
  NodeCode code = NodeCode::kConstant;
  uint32_t value = 0;     // constant (canonical), column or public index
  uint32_t lhs = 0;       // operands (node ids, smaller than this node's): kAdd, kSub, kMul, kNeg (lhs only)
  uint32_t rhs = 0;
  friend bool operator==(const CircuitNode&, const CircuitNode&) = default;
};

struct CircuitConstraint {
  std::string name;
  uint32_t root = 0;
  friend bool operator==(const CircuitConstraint&, const CircuitConstraint&) = default;
};

struct CircuitInteraction {
  air::BusId bus = 0;
  air::Direction direction = air::Direction::kSend;
  uint32_t max_multiplicity = 1;  // air::kUnbounded for a supplier's count
  std::vector<uint32_t> tuple;    // node ids
  uint32_t multiplicity = 0;      // node id
  friend bool operator==(const CircuitInteraction&, const CircuitInteraction&) = default;
};

struct Circuit {
  air::TableInfo info;                 // name, widths, public values, column names (empty or one per column)
  Matrix<Fp> preprocessed;             // 2^k rows x info.preprocessed_width; empty when the width is 0
  std::vector<CircuitNode> nodes;      // canonical order (see above)
  std::vector<CircuitConstraint> constraints;
  std::vector<CircuitInteraction> interactions;
};
bool operator==(const Circuit& a, const Circuit& b);

// A malformed or over-limit circuit; the decoder's message starts with the byte offset of the
// field at fault ("circuit offset 41: node 3 refers to node 7, not before it").
class CircuitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The canonical circuit of a table: runs its eval on the SymbolicBuilder (air::finish_analysis
// checks it as for any table), then shares equal subexpressions, drops nodes no root reads and
// numbers the rest canonically. Throws air::AirError for a table the framework refuses and
// CircuitError for one the format cannot carry (a limit, a name that is not printable ASCII).
Circuit circuit_of(const air::Table& table);

template <class T>
Circuit circuit_of_table(const T& table) {
  return circuit_of(air::TableAdapter<T>(table));
}

// The canonical form of an edited circuit: its nodes in any order in which every operand comes
// before its reader (throws CircuitError otherwise, or for a root that is no node), equal nodes
// shared, unread ones dropped, renumbered in the canonical post-order. For callers that change a
// decoded circuit, such as the RISC-V machine prepending a call's index to a package circuit's
// PRECOMPILE tuple (riscv_air/package_circuit.h).
Circuit canonical_circuit(const Circuit& circuit);

// The encoding of a canonical circuit (throws CircuitError if it is not canonical or over a limit).
std::vector<uint8_t> encode_circuit(const Circuit& circuit);

// encode_circuit(circuit_of(table)): what `zkrv precompile build` will ship for an author's table.
template <class T>
std::vector<uint8_t> encode(const T& table) {
  return encode_circuit(circuit_of_table(table));
}

// Decodes untrusted bytes; throws CircuitError naming the field and its offset. A circuit it
// returns passes air::finish_analysis (degree <= 3 for every constraint and LogUp group, tuple
// sizes, multiplicity bounds) and re-encodes to the same bytes.
Circuit decode_circuit(std::span<const uint8_t> bytes);

// decode_circuit without exceptions, for callers that treat bytes as untrusted input (the fuzzer).
bool accepts_circuit_bytes(std::span<const uint8_t> bytes, std::string* error);

// BLAKE2s-256 of the encoding, personalized "zkrvcirc" (no other zkrv hash uses that domain).
Digest circuit_digest(std::span<const uint8_t> encoded);

// The degree of every node (leaves of columns and selectors 1, constants and public values 0).
std::vector<int> node_degrees(const Circuit& circuit);

}  // namespace zkrv::stark::circuit
