#include "stark/circuit/circuit.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "stark/air/mask_bus.h"
#include "stark/hash/blake2s.h"

namespace zkrv::stark::circuit {
namespace {

constexpr uint32_t kNoNode = 0xFFFFFFFFu;

bool is_binary(NodeCode code) { return code == NodeCode::kAdd || code == NodeCode::kSub || code == NodeCode::kMul; }
bool has_operand(NodeCode code) { return is_binary(code) || code == NodeCode::kNeg; }
bool has_value(NodeCode code) {
  return code == NodeCode::kConstant || code == NodeCode::kMain || code == NodeCode::kMainNext ||
         code == NodeCode::kPreprocessed || code == NodeCode::kPreprocessedNext || code == NodeCode::kPublic;
}

NodeCode code_of(air::NodeKind kind) {
  switch (kind) {
    case air::NodeKind::kConstant: return NodeCode::kConstant;
    case air::NodeKind::kMain: return NodeCode::kMain;
    case air::NodeKind::kMainNext: return NodeCode::kMainNext;
    case air::NodeKind::kPreprocessed: return NodeCode::kPreprocessed;
    case air::NodeKind::kPreprocessedNext: return NodeCode::kPreprocessedNext;
    case air::NodeKind::kPublic: return NodeCode::kPublic;
    case air::NodeKind::kIsFirstRow: return NodeCode::kIsFirstRow;
    case air::NodeKind::kIsLastRow: return NodeCode::kIsLastRow;
    case air::NodeKind::kIsTransition: return NodeCode::kIsTransition;
    case air::NodeKind::kAdd: return NodeCode::kAdd;
    case air::NodeKind::kSub: return NodeCode::kSub;
    case air::NodeKind::kMul: return NodeCode::kMul;
    case air::NodeKind::kNeg: return NodeCode::kNeg;
  }
  throw CircuitError("internal: unknown symbolic node kind");
}

struct NodeHash {
  size_t operator()(const CircuitNode& n) const {
    uint64_t h = static_cast<uint64_t>(n.code) * 0x9E3779B97F4A7C15ull;
    h ^= (static_cast<uint64_t>(n.value) + 0x632BE59BD9B4E019ull) * 0xBF58476D1CE4E5B9ull;
    h ^= ((static_cast<uint64_t>(n.lhs) << 32) | n.rhs) * 0x94D049BB133111EBull;
    return static_cast<size_t>(h ^ (h >> 31));
  }
};

// The roots in canonical order: constraints, then each interaction's tuple and multiplicity.
template <class F>
void for_each_root(const std::vector<CircuitConstraint>& constraints,
                   const std::vector<CircuitInteraction>& interactions, const F& visit) {
  for (const CircuitConstraint& c : constraints) visit(c.root);
  for (const CircuitInteraction& it : interactions) {
    for (uint32_t id : it.tuple) visit(id);
    visit(it.multiplicity);
  }
}

bool printable(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

// ---- encoding ----

class Writer {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u16(uint16_t v) {
    for (int i = 0; i < 2; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void name(const std::string& s, const char* what) {
    if (s.size() > kMaxNameBytes || !printable(s)) {
      throw CircuitError(fmt::format("encode: {} \"{}\" is not 0..{} bytes of printable ASCII", what, s, kMaxNameBytes));
    }
    u8(static_cast<uint8_t>(s.size()));
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  }
  void count(size_t n, const char* what) {
    if (n > 0xFFFFFFFFu) throw CircuitError(fmt::format("encode: {} count {} does not fit the format", what, n));
    u32(static_cast<uint32_t>(n));
  }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
};

void write_names(Writer& w, const std::vector<std::string>& names, int width, const char* what) {
  if (names.empty()) {
    w.u8(0);
    return;
  }
  if (names.size() != static_cast<size_t>(width)) {
    throw CircuitError(fmt::format("encode: {} names: {} for {} columns", what, names.size(), width));
  }
  w.u8(1);
  for (const std::string& n : names) w.name(n, what);
}

// ---- decoding ----

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  size_t offset() const { return offset_; }
  size_t remaining() const { return bytes_.size() - offset_; }

  [[noreturn]] void fail(size_t at, const std::string& what) const {
    throw CircuitError(fmt::format("circuit offset {}: {}", at, what));
  }
  void need(size_t n, const char* what) const {
    if (remaining() < n) fail(offset_, fmt::format("truncated: {} needs {} bytes, {} left", what, n, remaining()));
  }
  uint8_t u8(const char* what) {
    need(1, what);
    return bytes_[offset_++];
  }
  uint16_t u16(const char* what) {
    need(2, what);
    const uint16_t v = static_cast<uint16_t>(bytes_[offset_] | (bytes_[offset_ + 1] << 8));
    offset_ += 2;
    return v;
  }
  uint32_t u32(const char* what) {
    need(4, what);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(bytes_[offset_ + i]) << (8 * i);
    offset_ += 4;
    return v;
  }
  std::string name(const std::string& what, bool allow_empty) {
    const size_t at = offset_;
    const uint8_t len = u8(what.c_str());
    if (len == 0 && !allow_empty) fail(at, fmt::format("{} is empty", what));
    need(len, what.c_str());
    std::string s(reinterpret_cast<const char*>(bytes_.data() + offset_), len);
    if (!printable(s)) fail(at + 1, fmt::format("{} is not printable ASCII", what));
    offset_ += len;
    return s;
  }
  // A count in [lo, hi], checked against the limit first and then against the bytes left (each
  // item takes at least min_item_bytes), so that nothing is sized from an unchecked count.
  uint32_t count(const char* what, uint32_t lo, uint32_t hi, size_t min_item_bytes) {
    const size_t at = offset_;
    const uint32_t n = u32(what);
    if (n < lo || n > hi) fail(at, fmt::format("{} {} is outside [{}, {}]", what, n, lo, hi));
    if (static_cast<uint64_t>(n) * min_item_bytes > remaining()) {
      fail(at, fmt::format("truncated: {} {} need at least {} bytes, {} left", what, n,
                           static_cast<uint64_t>(n) * min_item_bytes, remaining()));
    }
    return n;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t offset_ = 0;
};

std::vector<std::string> read_names(Reader& r, uint32_t width, const char* what) {
  const size_t at = r.offset();
  const uint8_t present = r.u8(what);
  if (present > 1) r.fail(at, fmt::format("{} names flag {} (0 or 1)", what, present));
  if (present == 0) return {};
  if (width == 0) r.fail(at, fmt::format("{} names given for no columns", what));
  if (width > r.remaining()) r.fail(at, fmt::format("truncated: {} {} names", what, width));
  std::vector<std::string> names;
  names.reserve(width);
  bool any = false;
  for (uint32_t c = 0; c < width; ++c) {
    names.push_back(r.name(fmt::format("{} column {} name", what, c), true));
    any = any || !names.back().empty();
  }
  // All-empty names are written as "no names": one encoding per table.
  if (!any) r.fail(at, fmt::format("{} names are all empty (write flag 0)", what));
  return names;
}

}  // namespace

std::vector<int> node_degrees(const Circuit& circuit) {
  std::vector<int> degree(circuit.nodes.size(), 0);
  for (size_t i = 0; i < circuit.nodes.size(); ++i) {
    const CircuitNode& n = circuit.nodes[i];
    switch (n.code) {
      case NodeCode::kConstant:
      case NodeCode::kPublic: degree[i] = 0; break;
      case NodeCode::kAdd:
      case NodeCode::kSub: degree[i] = std::max(degree[n.lhs], degree[n.rhs]); break;
      case NodeCode::kMul: degree[i] = degree[n.lhs] + degree[n.rhs]; break;
      case NodeCode::kNeg: degree[i] = degree[n.lhs]; break;
      default: degree[i] = 1; break;
    }
  }
  return degree;
}

Circuit circuit_of(const air::Table& table) {
  Circuit out;
  out.info = table.info();
  air::SymbolicBuilder builder(out.info);
  table.eval(builder);
  const air::TableAnalysis analysis = air::finish_analysis(out.info, builder);

  // Column names: none when all are empty, else one per column (printing treats a missing and an
  // empty name alike).
  const auto normalize = [](std::vector<std::string>& names, int width) {
    names.resize(static_cast<size_t>(width));
    if (std::all_of(names.begin(), names.end(), [](const std::string& s) { return s.empty(); })) names.clear();
  };
  normalize(out.info.main_names, out.info.main_width);
  normalize(out.info.preprocessed_names, out.info.preprocessed_width);
  if (out.info.preprocessed_width > 0) out.preprocessed = table.preprocessed();

  // Post-order walk from the roots, sharing equal nodes: arena id -> canonical id.
  const air::SymbolicArena& arena = analysis.arena;
  std::vector<uint32_t> canonical(arena.size(), kNoNode);
  std::unordered_map<CircuitNode, uint32_t, NodeHash> index;
  std::vector<std::pair<uint32_t, bool>> stack;
  const auto place = [&](uint32_t root) {
    stack.push_back({root, false});
    while (!stack.empty()) {
      auto [id, expanded] = stack.back();
      stack.pop_back();
      if (canonical[id] != kNoNode) continue;
      const air::SymbolicNode& s = arena.node(id);
      const NodeCode code = code_of(s.kind);
      if (!expanded) {
        stack.push_back({id, true});
        // Pushed right first so that the left operand is placed first.
        if (is_binary(code)) stack.push_back({s.rhs, false});
        if (has_operand(code)) stack.push_back({s.lhs, false});
        continue;
      }
      CircuitNode node{code, has_value(code) ? s.value : 0, 0, 0};
      if (has_operand(code)) node.lhs = canonical[s.lhs];
      if (is_binary(code)) node.rhs = canonical[s.rhs];
      const auto [it, inserted] = index.emplace(node, static_cast<uint32_t>(out.nodes.size()));
      if (inserted) out.nodes.push_back(node);
      canonical[id] = it->second;
    }
    return canonical[root];
  };
  for (const air::SymbolicConstraint& c : analysis.constraints) out.constraints.push_back({c.name, place(c.root)});
  for (const air::SymbolicInteraction& s : analysis.interactions) {
    CircuitInteraction it{s.bus, s.direction, s.max_multiplicity, {}, 0};
    for (uint32_t id : s.tuple) it.tuple.push_back(place(id));
    it.multiplicity = place(s.multiplicity);
    out.interactions.push_back(std::move(it));
  }
  return out;
}

Circuit canonical_circuit(const Circuit& circuit) {
  // Every operand must come before its reader, so the walk below cannot loop.
  for (size_t i = 0; i < circuit.nodes.size(); ++i) {
    const CircuitNode& n = circuit.nodes[i];
    if ((has_operand(n.code) && n.lhs >= i) || (is_binary(n.code) && n.rhs >= i)) {
      throw CircuitError(fmt::format("canonical_circuit: node {} reads a node that is not before it", i));
    }
  }
  const auto check_root = [&](uint32_t id) {
    if (id >= circuit.nodes.size()) throw CircuitError(fmt::format("canonical_circuit: root {} is not a node", id));
  };
  Circuit out;
  out.info = circuit.info;
  out.preprocessed = circuit.preprocessed;
  std::vector<uint32_t> canonical(circuit.nodes.size(), kNoNode);
  std::unordered_map<CircuitNode, uint32_t, NodeHash> index;
  std::vector<std::pair<uint32_t, bool>> stack;
  // The same post-order walk as circuit_of's, over the circuit's own nodes.
  const auto place = [&](uint32_t root) {
    check_root(root);
    stack.push_back({root, false});
    while (!stack.empty()) {
      auto [id, expanded] = stack.back();
      stack.pop_back();
      if (canonical[id] != kNoNode) continue;
      const CircuitNode& n = circuit.nodes[id];
      if (!expanded) {
        stack.push_back({id, true});
        if (is_binary(n.code)) stack.push_back({n.rhs, false});
        if (has_operand(n.code)) stack.push_back({n.lhs, false});
        continue;
      }
      CircuitNode node{n.code, has_value(n.code) ? n.value : 0, 0, 0};
      if (has_operand(n.code)) node.lhs = canonical[n.lhs];
      if (is_binary(n.code)) node.rhs = canonical[n.rhs];
      const auto [it, inserted] = index.emplace(node, static_cast<uint32_t>(out.nodes.size()));
      if (inserted) out.nodes.push_back(node);
      canonical[id] = it->second;
    }
    return canonical[root];
  };
  for (const CircuitConstraint& c : circuit.constraints) out.constraints.push_back({c.name, place(c.root)});
  for (const CircuitInteraction& s : circuit.interactions) {
    CircuitInteraction it{s.bus, s.direction, s.max_multiplicity, {}, 0};
    for (uint32_t id : s.tuple) it.tuple.push_back(place(id));
    it.multiplicity = place(s.multiplicity);
    out.interactions.push_back(std::move(it));
  }
  return out;
}

bool operator==(const Circuit& a, const Circuit& b) {
  return a.info.name == b.info.name && a.info.main_width == b.info.main_width &&
         a.info.preprocessed_width == b.info.preprocessed_width &&
         a.info.num_public_values == b.info.num_public_values && a.info.main_names == b.info.main_names &&
         a.info.preprocessed_names == b.info.preprocessed_names && a.preprocessed == b.preprocessed &&
         a.nodes == b.nodes && a.constraints == b.constraints && a.interactions == b.interactions;
}

std::vector<uint8_t> encode_circuit(const Circuit& c) {
  Writer w;
  for (char ch : kMagic) w.u8(static_cast<uint8_t>(ch));
  w.u16(kVersion);
  w.name(c.info.name, "table name");
  if (c.info.main_width < 0 || c.info.preprocessed_width < 0 || c.info.num_public_values < 0) {
    throw CircuitError("encode: negative width or public value count");
  }
  w.u32(static_cast<uint32_t>(c.info.main_width));
  w.u32(static_cast<uint32_t>(c.info.preprocessed_width));
  w.u32(static_cast<uint32_t>(c.info.num_public_values));
  write_names(w, c.info.main_names, c.info.main_width, "main");
  write_names(w, c.info.preprocessed_names, c.info.preprocessed_width, "preprocessed");
  if (c.info.preprocessed_width > 0) {
    const size_t rows = c.preprocessed.rows();
    if (c.preprocessed.width() != static_cast<size_t>(c.info.preprocessed_width) || rows == 0 ||
        (rows & (rows - 1)) != 0) {
      throw CircuitError(fmt::format("encode: preprocessed columns are {} x {}, need 2^k rows x {}", rows,
                                     c.preprocessed.width(), c.info.preprocessed_width));
    }
    w.u8(static_cast<uint8_t>(std::countr_zero(rows)));
    for (const Fp& v : c.preprocessed.values()) w.u32(v.to_u32());
  }
  w.count(c.nodes.size(), "node");
  for (const CircuitNode& n : c.nodes) {
    w.u8(static_cast<uint8_t>(n.code));
    if (has_value(n.code)) w.u32(n.value);
    if (has_operand(n.code)) w.u32(n.lhs);
    if (is_binary(n.code)) w.u32(n.rhs);
  }
  w.count(c.constraints.size(), "constraint");
  for (const CircuitConstraint& k : c.constraints) {
    w.name(k.name, "constraint name");
    w.u32(k.root);
  }
  w.count(c.interactions.size(), "interaction");
  for (const CircuitInteraction& it : c.interactions) {
    w.u32(it.bus);
    w.u8(static_cast<uint8_t>(it.direction));
    w.u32(it.max_multiplicity);
    if (it.tuple.size() > 0xFF) throw CircuitError("encode: tuple too long for the format");
    w.u8(static_cast<uint8_t>(it.tuple.size()));
    for (uint32_t id : it.tuple) w.u32(id);
    w.u32(it.multiplicity);
  }
  std::vector<uint8_t> bytes = w.take();
  // The decoder is the definition of a valid circuit; a circuit that does not come back unchanged
  // was not canonical.
  Circuit back;
  try {
    back = decode_circuit(bytes);
  } catch (const CircuitError& e) {
    throw CircuitError(fmt::format("encode: table {}: {}", c.info.name, e.what()));
  }
  if (!(back == c)) throw CircuitError(fmt::format("encode: table {}: circuit is not in canonical form", c.info.name));
  return bytes;
}

Circuit decode_circuit(std::span<const uint8_t> bytes) {
  Reader r(bytes);
  if (bytes.size() > kMaxCircuitBytes) {
    r.fail(0, fmt::format("{} bytes (at most {})", bytes.size(), kMaxCircuitBytes));
  }
  r.need(sizeof kMagic, "magic");
  if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) r.fail(0, "not a zkrv circuit (magic ZKRVCIRC)");
  for (size_t i = 0; i < sizeof kMagic; ++i) r.u8("magic");
  const size_t version_at = r.offset();
  const uint16_t version = r.u16("version");
  if (version != kVersion) r.fail(version_at, fmt::format("version {} (this decoder reads version {})", version, kVersion));

  Circuit c;
  c.info.name = r.name("table name", false);
  const size_t widths_at = r.offset();
  const uint32_t main_width = r.u32("main width");
  if (main_width < 1 || main_width > kMaxMainColumns) {
    r.fail(widths_at, fmt::format("main width {} is outside [1, {}]", main_width, kMaxMainColumns));
  }
  const uint32_t pre_width = r.u32("preprocessed width");
  if (pre_width > kMaxPreprocessedColumns) {
    r.fail(widths_at + 4, fmt::format("preprocessed width {} is over {}", pre_width, kMaxPreprocessedColumns));
  }
  const uint32_t publics = r.u32("public value count");
  if (publics > kMaxPublicValues) {
    r.fail(widths_at + 8, fmt::format("public value count {} is over {}", publics, kMaxPublicValues));
  }
  c.info.main_width = static_cast<int>(main_width);
  c.info.preprocessed_width = static_cast<int>(pre_width);
  c.info.num_public_values = static_cast<int>(publics);
  c.info.main_names = read_names(r, main_width, "main");
  c.info.preprocessed_names = read_names(r, pre_width, "preprocessed");

  if (pre_width > 0) {
    const size_t at = r.offset();
    const uint8_t log_height = r.u8("preprocessed log height");
    if (log_height > kMaxPreprocessedLogHeight) {
      r.fail(at, fmt::format("preprocessed log height {} is over {}", log_height, kMaxPreprocessedLogHeight));
    }
    const size_t rows = size_t{1} << log_height;
    if (rows * pre_width > kMaxPreprocessedCells) {
      r.fail(at, fmt::format("{} x {} preprocessed cells (at most {})", rows, pre_width, kMaxPreprocessedCells));
    }
    r.need(rows * pre_width * 4, "preprocessed values");
    c.preprocessed = Matrix<Fp>(rows, pre_width);
    for (Fp& v : c.preprocessed.values()) {
      const size_t value_at = r.offset();
      const uint32_t raw = r.u32("preprocessed value");
      if (raw >= Fp::kModulus) r.fail(value_at, fmt::format("preprocessed value {} is not below p", raw));
      v = Fp::from_u32(raw);
    }
  }

  // Nodes: operands strictly before the node, degrees recomputed here, no node twice.
  const uint32_t num_nodes = r.count("node count", 0, kMaxNodes, 1);
  c.nodes.reserve(num_nodes);
  std::vector<size_t> node_offset;
  node_offset.reserve(num_nodes);
  std::vector<int> degree;
  degree.reserve(num_nodes);
  std::unordered_map<CircuitNode, uint32_t, NodeHash> seen;
  seen.reserve(num_nodes);
  for (uint32_t i = 0; i < num_nodes; ++i) {
    const size_t at = r.offset();
    const uint8_t raw = r.u8("node kind");
    if (raw >= kNumNodeCodes) r.fail(at, fmt::format("node {}: unknown node kind {}", i, raw));
    CircuitNode n{static_cast<NodeCode>(raw), 0, 0, 0};
    int d = 1;
    switch (n.code) {
      case NodeCode::kConstant:
        n.value = r.u32("constant");
        if (n.value >= Fp::kModulus) r.fail(at + 1, fmt::format("node {}: constant {} is not below p", i, n.value));
        d = 0;
        break;
      case NodeCode::kMain:
      case NodeCode::kMainNext:
        n.value = r.u32("main column");
        if (n.value >= main_width) r.fail(at + 1, fmt::format("node {}: main column {} (width {})", i, n.value, main_width));
        break;
      case NodeCode::kPreprocessed:
      case NodeCode::kPreprocessedNext:
        n.value = r.u32("preprocessed column");
        if (n.value >= pre_width) {
          r.fail(at + 1, fmt::format("node {}: preprocessed column {} (width {})", i, n.value, pre_width));
        }
        break;
      case NodeCode::kPublic:
        n.value = r.u32("public value index");
        if (n.value >= publics) r.fail(at + 1, fmt::format("node {}: public value {} ({} declared)", i, n.value, publics));
        d = 0;
        break;
      case NodeCode::kIsFirstRow:
      case NodeCode::kIsLastRow:
      case NodeCode::kIsTransition: break;
      case NodeCode::kAdd:
      case NodeCode::kSub:
      case NodeCode::kMul:
      case NodeCode::kNeg: {
        n.lhs = r.u32("operand");
        if (n.lhs >= i) r.fail(at + 1, fmt::format("node {}: operand refers to node {}, not before it", i, n.lhs));
        if (is_binary(n.code)) {
          n.rhs = r.u32("operand");
          if (n.rhs >= i) r.fail(at + 5, fmt::format("node {}: operand refers to node {}, not before it", i, n.rhs));
        }
        d = n.code == NodeCode::kMul ? degree[n.lhs] + degree[n.rhs]
            : n.code == NodeCode::kNeg ? degree[n.lhs]
                                       : std::max(degree[n.lhs], degree[n.rhs]);
        if (d > air::kMaxConstraintDegree) {
          r.fail(at, fmt::format("node {}: degree {} (at most {})", i, d, air::kMaxConstraintDegree));
        }
        break;
      }
    }
    const auto [it, inserted] = seen.emplace(n, i);
    if (!inserted) r.fail(at, fmt::format("node {} repeats node {}", i, it->second));
    c.nodes.push_back(n);
    node_offset.push_back(at);
    degree.push_back(d);
  }

  const uint32_t num_constraints = r.count("constraint count", 0, kMaxConstraints, 5);
  c.constraints.reserve(num_constraints);
  for (uint32_t k = 0; k < num_constraints; ++k) {
    CircuitConstraint constraint;
    constraint.name = r.name(fmt::format("constraint {} name", k), false);
    const size_t at = r.offset();
    constraint.root = r.u32("constraint root");
    if (constraint.root >= num_nodes) {
      r.fail(at, fmt::format("constraint {}: root node {} ({} nodes)", k, constraint.root, num_nodes));
    }
    c.constraints.push_back(std::move(constraint));
  }

  const uint32_t num_interactions = r.count("interaction count", 0, kMaxInteractions, 18);
  c.interactions.reserve(num_interactions);
  for (uint32_t k = 0; k < num_interactions; ++k) {
    CircuitInteraction it;
    const size_t at = r.offset();
    it.bus = r.u32("bus");
    if (it.bus >= Fp::kModulus || it.bus == air::kMaskBus) {
      r.fail(at, fmt::format("interaction {}: bus {} (below p, and not the mask bus {})", k, it.bus, air::kMaskBus));
    }
    const uint8_t direction = r.u8("direction");
    if (direction > 1) r.fail(at + 4, fmt::format("interaction {}: direction {} (0 send, 1 receive)", k, direction));
    it.direction = static_cast<air::Direction>(direction);
    it.max_multiplicity = r.u32("max multiplicity");
    if (it.max_multiplicity == 0) r.fail(at + 5, fmt::format("interaction {}: max multiplicity 0", k));
    const uint8_t size = r.u8("tuple size");
    if (size < 1 || size > kMaxTupleSize) {
      r.fail(at + 9, fmt::format("interaction {}: tuple size {} is outside [1, {}]", k, size, kMaxTupleSize));
    }
    int tuple_degree = 0;
    for (uint8_t e = 0; e <= size; ++e) {
      const size_t id_at = r.offset();
      const uint32_t id = r.u32("interaction node");
      if (id >= num_nodes) r.fail(id_at, fmt::format("interaction {}: node {} ({} nodes)", k, id, num_nodes));
      if (e < size) {
        it.tuple.push_back(id);
        tuple_degree = std::max(tuple_degree, degree[id]);
      } else {
        it.multiplicity = id;
      }
    }
    // The LogUp constraint of the interaction alone (h * fingerprint - m): air::finish_analysis
    // pairs interactions only when the pair stays within the bound.
    const int logup = std::max(1 + tuple_degree, degree[it.multiplicity]);
    if (logup > air::kMaxConstraintDegree) {
      r.fail(at, fmt::format("interaction {}: its LogUp constraint has degree {} (at most {})", k, logup,
                             air::kMaxConstraintDegree));
    }
    c.interactions.push_back(std::move(it));
  }
  if (r.remaining() != 0) r.fail(r.offset(), fmt::format("{} trailing bytes", r.remaining()));

  // Canonical order: the post-order walk from the roots must number the nodes 0, 1, 2, ... and
  // reach every one of them.
  uint32_t next = 0;
  std::vector<bool> placed(num_nodes, false);
  std::vector<std::pair<uint32_t, bool>> stack;
  for_each_root(c.constraints, c.interactions, [&](uint32_t root) {
    stack.push_back({root, false});
    while (!stack.empty()) {
      auto [id, expanded] = stack.back();
      stack.pop_back();
      if (placed[id]) continue;
      const CircuitNode& n = c.nodes[id];
      if (!expanded) {
        stack.push_back({id, true});
        if (is_binary(n.code)) stack.push_back({n.rhs, false});
        if (has_operand(n.code)) stack.push_back({n.lhs, false});
        continue;
      }
      if (id != next) {
        r.fail(node_offset[next], fmt::format("node {} is out of canonical order (the walk from the roots places node {} "
                                              "here)", next, id));
      }
      placed[id] = true;
      ++next;
    }
  });
  if (next != num_nodes) r.fail(node_offset[next], fmt::format("node {} is read by no constraint or interaction", next));
  return c;
}

bool accepts_circuit_bytes(std::span<const uint8_t> bytes, std::string* error) {
  try {
    decode_circuit(bytes);
    return true;
  } catch (const CircuitError& e) {
    if (error != nullptr) *error = e.what();
    return false;
  }
}

Digest circuit_digest(std::span<const uint8_t> encoded) {
  return Blake2s::hash(encoded, Blake2sParams::personalized("zkrvcirc"));
}

}  // namespace zkrv::stark::circuit
