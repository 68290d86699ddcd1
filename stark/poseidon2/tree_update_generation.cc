// Witness generation for the tree-update table (tree_update_air.h), plus its names and boundary.
#include <algorithm>
#include <bit>
#include <string>
#include <unordered_map>

#include "stark/poseidon2/tree_update_air.h"

namespace zkrv::stark::poseidon2 {

namespace internal {

namespace {

// Keyed by the address of the Poseidon2 name (full_round_name / partial_round_name hand out
// strings that live for the whole process), so a lookup costs no string hashing.
struct HashNames {
  std::unordered_map<const char*, std::array<std::string, 2>> prefixed;
  std::array<std::string, kMaxTreeDepth> node_bits;
  HashNames() {
    const auto add = [this](const std::string& name) {
      prefixed[name.c_str()] = {"old hash: " + name, "new hash: " + name};
    };
    for (size_t r = 0; r < 2 * kHalfFullRounds; ++r) {
      for (size_t i = 0; i < kWidth; ++i) add(full_round_name(r, i));
    }
    for (size_t r = 0; r < kPartialRounds; ++r) add(partial_round_name(r));
    for (size_t k = 0; k < node_bits.size(); ++k) node_bits[k] = "node bit " + std::to_string(k) + " is a bit";
  }
};

const HashNames& hash_names() {
  static const HashNames kNames;
  return kNames;
}

}  // namespace

const char* hash_constraint_name(const char* poseidon2_name, bool new_side) {
  const auto& prefixed = hash_names().prefixed;
  const auto it = prefixed.find(poseidon2_name);
  if (it == prefixed.end()) {
    throw air::AirError(std::string("tree update: internal: unknown Poseidon2 constraint ") + poseidon2_name);
  }
  return it->second[new_side ? 1 : 0].c_str();
}

const std::string& node_bit_name(size_t k) { return hash_names().node_bits.at(k); }

}  // namespace internal

air::TableInfo TreeUpdateTable::info() const {
  std::vector<std::string> names(Columns::kNumColumns);
  names[Columns::kIsReal] = "is_real";
  for (size_t k = 0; k < static_cast<size_t>(kMaxTreeDepth); ++k) names[Columns::node_bit(k)] = "node_bit" + std::to_string(k);
  names[Columns::kNodeInverse] = "node_inverse";
  names[Columns::kLeftTouched] = "left_touched";
  names[Columns::kRightTouched] = "right_touched";
  const air::TableInfo hash = Poseidon2Table{}.info();
  for (int c = 0; c < Poseidon2Columns::kNumColumns; ++c) {
    names[Columns::kOldHashStart + c] = "old." + hash.main_names[c];
    names[Columns::kNewHashStart + c] = "new." + hash.main_names[c];
  }
  return {"tree-update", Columns::kNumColumns, 0, kNumPublicValues, std::move(names), {}};
}

std::vector<air::BoundaryInteraction> tree_root_boundary(air::BusId bus, std::span<const std::vector<air::Fp>> public_values,
                                                         size_t table) {
  if (table >= public_values.size() || public_values[table].size() != TreeUpdateTable::kNumPublicValues) return {};
  const std::vector<air::Fp>& roots = public_values[table];
  std::vector<air::BoundaryInteraction> messages;
  for (size_t side = 0; side < 2; ++side) {
    air::BoundaryInteraction m;
    m.bus = bus;
    m.direction = air::Direction::kReceive;
    m.tuple = {air::Fp::one(), air::Fp::from_u32(static_cast<uint32_t>(side))};
    m.tuple.insert(m.tuple.end(), roots.begin() + side * kDigestWidth, roots.begin() + (side + 1) * kDigestWidth);
    messages.push_back(std::move(m));
  }
  return messages;
}

std::vector<air::Fp> tree_update_public_values(const Digest& root_in, const Digest& root_out) {
  std::vector<air::Fp> values(root_in.begin(), root_in.end());
  values.insert(values.end(), root_out.begin(), root_out.end());
  return values;
}

namespace {

void fill_node_row(const NodeUpdate& u, std::span<KoalaBear> row) {
  using Columns = TreeUpdateColumns;
  const uint64_t node = (uint64_t{1} << u.level) + u.index;
  row[Columns::kIsReal] = KoalaBear::one();
  for (size_t k = 0; k < static_cast<size_t>(kMaxTreeDepth); ++k) {
    row[Columns::node_bit(k)] = KoalaBear::from_u32(static_cast<uint32_t>((node >> k) & 1));
  }
  row[Columns::kNodeInverse] = KoalaBear::from_u32(static_cast<uint32_t>(node)).inverse();
  row[Columns::kLeftTouched] = KoalaBear::from_u32(u.left_touched ? 1 : 0);
  row[Columns::kRightTouched] = KoalaBear::from_u32(u.right_touched ? 1 : 0);
  for (const bool new_side : {false, true}) {
    State input{};
    const Digest& left = new_side ? u.new_left : u.old_left;
    const Digest& right = new_side ? u.new_right : u.old_right;
    std::copy(left.begin(), left.end(), input.begin());
    std::copy(right.begin(), right.end(), input.begin() + kDigestWidth);
    const int start = new_side ? Columns::kNewHashStart : Columns::kOldHashStart;
    fill_row(input, row.subspan(static_cast<size_t>(start), Poseidon2Columns::kNumColumns));
  }
}

}  // namespace

air::TableWitness tree_update_witness(std::span<const NodeUpdate> updates, int depth, const Digest& root_in,
                                      const Digest& root_out, int min_log_rows, size_t reserved_rows) {
  if (min_log_rows < 0 || min_log_rows > 24) {
    throw air::AirError("tree_update_witness: min_log_rows " + std::to_string(min_log_rows) + " is outside [0, 24]");
  }
  if (depth < 1 || depth > kMaxTreeDepth) {
    throw air::AirError("tree_update_witness: depth " + std::to_string(depth) + " is outside [1, " +
                        std::to_string(kMaxTreeDepth) + "]");
  }
  for (size_t r = 0; r < updates.size(); ++r) {
    if (updates[r].level < 0 || updates[r].level >= depth || updates[r].index >> updates[r].level != 0) {
      throw air::AirError("tree_update_witness: update " + std::to_string(r) + " names node (level " +
                          std::to_string(updates[r].level) + ", index " + std::to_string(updates[r].index) +
                          "), outside the inner nodes of a tree of depth " + std::to_string(depth));
    }
  }
  const size_t rows = std::max(std::bit_ceil(std::max<size_t>(updates.size() + reserved_rows, 1)), size_t{1} << min_log_rows);
  air::TableWitness witness;
  witness.main = Matrix<KoalaBear>(rows, TreeUpdateColumns::kNumColumns);
  witness.public_values = tree_update_public_values(root_in, root_out);
  for (size_t r = 0; r < updates.size(); ++r) fill_node_row(updates[r], witness.main.row(r));
  // Padding: flags and node 0, both permutations of the zero state.
  std::vector<KoalaBear> padding(TreeUpdateColumns::kNumColumns);
  fill_row(State{}, std::span(padding).subspan(TreeUpdateColumns::kOldHashStart, Poseidon2Columns::kNumColumns));
  fill_row(State{}, std::span(padding).subspan(TreeUpdateColumns::kNewHashStart, Poseidon2Columns::kNumColumns));
  for (size_t r = updates.size(); r < rows; ++r) std::copy(padding.begin(), padding.end(), witness.main.row(r).begin());
  return witness;
}

}  // namespace zkrv::stark::poseidon2
