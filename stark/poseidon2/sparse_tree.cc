#include "stark/poseidon2/sparse_tree.h"

#include <algorithm>
#include <string>

namespace zkrv::stark::poseidon2 {

namespace {

std::string digest_text(const Digest& d) {
  std::string out = "[";
  for (size_t i = 0; i < d.size(); ++i) out += (i ? ", " : "") + std::to_string(d[i].to_u32());
  return out + "]";
}

bool by_index(const std::pair<uint64_t, Digest>& a, const std::pair<uint64_t, Digest>& b) { return a.first < b.first; }

// Replaces or inserts every entry of `changed` (sorted, distinct) into `level` (sorted, distinct).
void merge_into(std::vector<std::pair<uint64_t, Digest>>& level, const std::vector<std::pair<uint64_t, Digest>>& changed) {
  std::vector<std::pair<uint64_t, Digest>> merged;
  merged.reserve(level.size() + changed.size());
  size_t a = 0, c = 0;
  while (a < level.size() || c < changed.size()) {
    if (c == changed.size() || (a < level.size() && level[a].first < changed[c].first)) {
      merged.push_back(level[a++]);
    } else {
      if (a < level.size() && level[a].first == changed[c].first) ++a;  // the new value replaces it
      merged.push_back(changed[c++]);
    }
  }
  level = std::move(merged);
}

}  // namespace

SparseTree::SparseTree(int depth) : depth_(depth) {
  if (depth < 1 || depth > kMaxTreeDepth) {
    throw TreeError("sparse tree: depth " + std::to_string(depth) + " is outside [1, " + std::to_string(kMaxTreeDepth) +
                    "]");
  }
  defaults_.resize(static_cast<size_t>(depth) + 1);
  for (int level = depth - 1; level >= 0; --level) {
    defaults_[level] = compress(defaults_[level + 1], defaults_[level + 1]);
  }
  levels_.resize(static_cast<size_t>(depth) + 1);
}

SparseTree::SparseTree(int depth, std::span<const Leaf> leaves) : SparseTree(depth) {
  Level& bottom = levels_[depth_];
  bottom.reserve(leaves.size());
  for (const Leaf& leaf : leaves) {
    check_index(leaf.index, "leaf");
    bottom.emplace_back(leaf.index, leaf.value);
  }
  std::sort(bottom.begin(), bottom.end(), by_index);
  for (size_t k = 1; k < bottom.size(); ++k) {
    if (bottom[k].first == bottom[k - 1].first) {
      throw TreeError("sparse tree: leaf " + std::to_string(bottom[k].first) + " is given twice");
    }
  }
  // Level by level, the parents of the stored nodes, all compressed in one batch.
  std::vector<Digest> children;
  std::vector<Digest> parents;
  for (int level = depth_ - 1; level >= 0; --level) {
    const Level& below = levels_[level + 1];
    const Digest& fallback = defaults_[level + 1];
    Level& here = levels_[level];
    children.clear();
    for (size_t k = 0; k < below.size();) {
      const uint64_t parent = below[k].first >> 1;
      const bool has_left = (below[k].first & 1) == 0;
      const Digest& left = has_left ? below[k].second : fallback;
      const size_t right_at = has_left ? k + 1 : k;
      const bool has_right = right_at < below.size() && below[right_at].first == 2 * parent + 1;
      children.push_back(left);
      children.push_back(has_right ? below[right_at].second : fallback);
      here.emplace_back(parent, Digest{});
      k = has_right ? right_at + 1 : right_at;
    }
    parents.resize(here.size());
    compress_batch(children, parents);
    for (size_t p = 0; p < here.size(); ++p) here[p].second = parents[p];
  }
}

void SparseTree::check_index(uint64_t index, const char* what) const {
  if (index >> depth_ != 0) {
    throw TreeError(std::string("sparse tree: ") + what + " index " + std::to_string(index) + " is outside a tree of " +
                    std::to_string(uint64_t{1} << depth_) + " leaves (depth " + std::to_string(depth_) + ")");
  }
}

const Digest* SparseTree::find(int level, uint64_t index) const {
  const Level& nodes = levels_.at(static_cast<size_t>(level));
  const auto it = std::lower_bound(nodes.begin(), nodes.end(), std::pair<uint64_t, Digest>{index, Digest{}}, by_index);
  return it != nodes.end() && it->first == index ? &it->second : nullptr;
}

Digest SparseTree::root() const { return node(0, 0); }

Digest SparseTree::leaf(uint64_t index) const {
  check_index(index, "leaf");
  return node(depth_, index);
}

Digest SparseTree::node(int level, uint64_t index) const {
  if (level < 0 || level > depth_ || index >> level != 0) {
    throw TreeError("sparse tree: no node at level " + std::to_string(level) + " index " + std::to_string(index) +
                    " (depth " + std::to_string(depth_) + ")");
  }
  const Digest* stored = find(level, index);
  return stored ? *stored : defaults_[level];
}

size_t SparseTree::stored_nodes() const {
  size_t total = 0;
  for (const Level& level : levels_) total += level.size();
  return total;
}

std::vector<NodeUpdate> SparseTree::update(std::span<const LeafChange> changes) {
  // Check everything before changing anything.
  Level changed;
  changed.reserve(changes.size());
  for (const LeafChange& change : changes) {
    check_index(change.index, "changed leaf");
    const Digest current = node(depth_, change.index);
    if (current != change.old_value) {
      throw TreeError("sparse tree: leaf " + std::to_string(change.index) + " holds " + digest_text(current) +
                      ", not the change's old value " + digest_text(change.old_value));
    }
    changed.emplace_back(change.index, change.new_value);
  }
  std::sort(changed.begin(), changed.end(), by_index);
  for (size_t k = 1; k < changed.size(); ++k) {
    if (changed[k].first == changed[k - 1].first) {
      throw TreeError("sparse tree: leaf " + std::to_string(changed[k].first) + " is changed twice in one update");
    }
  }

  // Bottom up: the parents of the changed nodes of the level below, with their new digests.
  std::vector<Level> new_levels(static_cast<size_t>(depth_) + 1);
  std::vector<std::vector<NodeUpdate>> updates(static_cast<size_t>(depth_));
  new_levels[depth_] = std::move(changed);
  std::vector<Digest> children;
  std::vector<Digest> parents;
  for (int level = depth_ - 1; level >= 0; --level) {
    const Level& below = new_levels[level + 1];
    std::vector<NodeUpdate>& here = updates[level];
    children.clear();
    for (size_t k = 0; k < below.size();) {
      NodeUpdate u;
      u.level = level;
      u.index = below[k].first >> 1;
      u.left_touched = (below[k].first & 1) == 0;
      const size_t right_at = u.left_touched ? k + 1 : k;
      u.right_touched = right_at < below.size() && below[right_at].first == 2 * u.index + 1;
      u.old_left = node(level + 1, 2 * u.index);
      u.old_right = node(level + 1, 2 * u.index + 1);
      u.new_left = u.left_touched ? below[k].second : u.old_left;
      u.new_right = u.right_touched ? below[right_at].second : u.old_right;
      u.old_digest = node(level, u.index);
      children.push_back(u.new_left);
      children.push_back(u.new_right);
      here.push_back(u);
      k = u.right_touched ? right_at + 1 : right_at;
    }
    parents.resize(here.size());
    compress_batch(children, parents);
    Level& level_new = new_levels[level];
    level_new.reserve(here.size());
    for (size_t p = 0; p < here.size(); ++p) {
      here[p].new_digest = parents[p];
      level_new.emplace_back(here[p].index, parents[p]);
    }
  }
  for (int level = 0; level <= depth_; ++level) merge_into(levels_[level], new_levels[level]);

  std::vector<NodeUpdate> result;
  for (const std::vector<NodeUpdate>& level : updates) result.insert(result.end(), level.begin(), level.end());
  return result;
}

}  // namespace zkrv::stark::poseidon2
