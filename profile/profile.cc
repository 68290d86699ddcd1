#include "profile/profile.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "isa/isa.h"

namespace zkrv::profile {

namespace {

bool is_link_register(uint8_t r) { return r == 1 || r == 5; }  // ra, t0 (psABI alternate link)

// A halfword or word load or store whose address is no multiple of its width (the VM executes it;
// atomics fault instead). Byte accesses are never misaligned.
bool is_misaligned_access(isa::Op op, uint32_t addr) {
  switch (op) {
    case isa::Op::LH:
    case isa::Op::LHU:
    case isa::Op::SH: return addr % 2 != 0;
    case isa::Op::LW:
    case isa::Op::SW: return addr % 4 != 0;
    default: return false;
  }
}

// C++ (and Rust's legacy) mangled names read as source names; anything else stays as it is.
std::string demangle(const std::string& name) {
  if (!name.starts_with("_Z")) return name;
  int status = 0;
  const std::unique_ptr<char, decltype(&std::free)> out(abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status),
                                                        &std::free);
  return status == 0 && out ? std::string(out.get()) : name;
}

}  // namespace

CallProfiler::CallProfiler(const elf::ElfImage& elf, std::vector<std::string> precompile_names)
    : precompile_names_(std::move(precompile_names)) {
  nodes_.push_back({0, 0, 0});
  unknown_frame_ = frame_named("[unknown]");
  std::vector<const elf::Symbol*> symbols;
  for (const elf::Symbol& s : elf.symbols) {
    if (s.is_function) symbols.push_back(&s);
  }
  std::stable_sort(symbols.begin(), symbols.end(),
                   [](const elf::Symbol* a, const elf::Symbol* b) { return a->value < b->value; });
  for (size_t i = 0; i < symbols.size(); ++i) {
    const elf::Symbol& s = *symbols[i];
    if (!functions_.empty() && functions_.back().start == s.value) continue;  // an alias: the first name wins
    // A function ends at its size, or at the next function when it has none (hand-written
    // assembly often has none) or overlaps it.
    const uint64_t next = i + 1 < symbols.size() ? symbols[i + 1]->value : uint64_t{1} << 32;
    const uint64_t end = s.size > 0 ? std::min<uint64_t>(uint64_t{s.value} + s.size, next) : next;
    if (end <= s.value) continue;
    functions_.push_back(
        {s.value, static_cast<uint32_t>(std::min<uint64_t>(end, 0xFFFFFFFFu)), frame_named(demangle(s.name))});
  }
}

uint32_t CallProfiler::frame_named(const std::string& name) {
  auto [it, inserted] = frame_by_name_.emplace(name, static_cast<uint32_t>(frame_names_.size()));
  if (inserted) frame_names_.push_back(name);
  return it->second;
}

uint32_t CallProfiler::frame_of_pc(uint32_t pc) {
  if (last_ && pc >= last_->start && pc < last_->end) return last_->frame;
  auto it = std::upper_bound(functions_.begin(), functions_.end(), pc,
                             [](uint32_t value, const Function& f) { return value < f.start; });
  if (it == functions_.begin()) return unknown_frame_;
  --it;
  if (pc >= it->end) return unknown_frame_;
  last_ = &*it;
  return it->frame;
}

uint32_t CallProfiler::child(uint32_t node, uint32_t frame) {
  const uint64_t key = uint64_t{node} << 32 | frame;
  auto [it, inserted] = children_.emplace(key, static_cast<uint32_t>(nodes_.size()));
  if (inserted) nodes_.push_back({node, frame, 0});
  return it->second;
}

void CallProfiler::add(std::span<const vm::TraceStep> steps) {
  for (const vm::TraceStep& step : steps) {
    const uint32_t frame = frame_of_pc(step.pc);
    if (entering_ || node_ == 0) {
      call_sites_.push_back(entering_ ? last_pc_ : 0);
      node_ = child(node_, frame);
    } else if (nodes_[node_].frame != frame) {
      node_ = child(nodes_[node_].parent, frame);
    }
    entering_ = false;
    last_pc_ = step.pc;
    const isa::DecodedInsn insn = isa::decode(step.insn);
    const auto op = static_cast<size_t>(insn.op);
    const uint64_t weight = misaligned_weight_ && is_misaligned_access(insn.op, step.mem_addr) ? *misaligned_weight_
                            : op < op_weights_.size()                                        ? op_weights_[op]
                                                                                              : 1;
    if (insn.op == isa::Op::PRECOMPILE) {
      const auto index = static_cast<size_t>(insn.imm);
      const std::string name = index < precompile_names_.size() && !precompile_names_[index].empty()
                                   ? precompile_names_[index]
                                   : fmt::format("#{}", index);
      nodes_[child(node_, frame_named("[precompile " + name + "]"))].weight += weight;
      continue;
    }
    nodes_[node_].weight += weight;
    const bool jump = insn.op == isa::Op::JAL || insn.op == isa::Op::JALR;
    if (jump && is_link_register(insn.rd)) {
      entering_ = true;
    } else if (insn.op == isa::Op::JALR && insn.rd == 0 && is_link_register(insn.rs1) && node_ != 0) {
      node_ = nodes_[node_].parent;
      call_sites_.pop_back();
    }
  }
}

std::vector<CallProfiler::BacktraceFrame> CallProfiler::backtrace_at(uint32_t pc) {
  const uint32_t frame = frame_of_pc(pc);
  std::vector<BacktraceFrame> out;
  uint32_t node = node_;
  size_t depth = call_sites_.size();  // of `node`
  uint32_t at = last_pc_;
  if (entering_ || node == 0) {
    out.push_back({frame_names_[frame], pc});
  } else if (nodes_[node].frame != frame) {
    out.push_back({frame_names_[frame], pc});  // replaces the top frame, as a step would
    node = nodes_[node].parent;
    --depth;
    at = depth < call_sites_.size() ? call_sites_[depth] : 0;
  } else {
    at = pc;
  }
  for (; node != 0; node = nodes_[node].parent) {
    out.push_back({frame_names_[nodes_[node].frame], at});
    --depth;
    at = call_sites_[depth];
  }
  return out;
}

Profile CallProfiler::finish() const {
  Profile out;
  out.frame_names = frame_names_;
  for (size_t n = 1; n < nodes_.size(); ++n) {
    if (nodes_[n].weight == 0) continue;
    Stack stack;
    for (uint32_t at = static_cast<uint32_t>(n); at != 0; at = nodes_[at].parent) stack.frames.push_back(nodes_[at].frame);
    std::reverse(stack.frames.begin(), stack.frames.end());
    stack.weight = nodes_[n].weight;
    out.total += stack.weight;
    out.stacks.push_back(std::move(stack));
  }
  return out;
}

std::string to_folded(const Profile& profile) {
  std::vector<std::string> lines;
  for (const Stack& stack : profile.stacks) {
    std::string line;
    for (uint32_t f : stack.frames) {
      if (!line.empty()) line += ';';
      line += profile.frame_names[f];
    }
    lines.push_back(fmt::format("{} {}\n", line, stack.weight));
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& line : lines) out += line;
  return out;
}

std::string to_speedscope(const Profile& profile, std::string_view name) {
  nlohmann::json frames = nlohmann::json::array();
  for (const std::string& frame : profile.frame_names) frames.push_back({{"name", frame}});
  nlohmann::json samples = nlohmann::json::array();
  nlohmann::json weights = nlohmann::json::array();
  for (const Stack& stack : profile.stacks) {
    samples.push_back(stack.frames);
    weights.push_back(stack.weight);
  }
  const nlohmann::json file = {
      {"$schema", "https://www.speedscope.app/file-format-schema.json"},
      {"exporter", "zkrv"},
      {"name", name},
      {"activeProfileIndex", 0},
      {"shared", {{"frames", frames}}},
      {"profiles",
       {{{"type", "sampled"},
         {"name", name},
         {"unit", "none"},
         {"startValue", 0},
         {"endValue", profile.total},
         {"samples", samples},
         {"weights", weights}}}}};
  return file.dump() + "\n";
}

namespace {

// The stacks merged into a tree of frames, for drawing.
struct TreeNode {
  uint32_t frame = 0;
  uint64_t weight = 0;  // this node and everything below it
  std::vector<size_t> children;
};

std::string escape_xml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string to_svg(const Profile& profile, std::string_view title) {
  std::vector<TreeNode> tree(1);
  for (const Stack& stack : profile.stacks) {
    size_t at = 0;
    tree[0].weight += stack.weight;
    for (uint32_t frame : stack.frames) {
      size_t next = 0;
      for (size_t c : tree[at].children) {
        if (tree[c].frame == frame) next = c;
      }
      if (next == 0) {
        next = tree.size();
        tree.push_back({frame, 0, {}});
        tree[at].children.push_back(next);
      }
      tree[next].weight += stack.weight;
      at = next;
    }
  }
  constexpr double kWidth = 1200, kRowHeight = 17, kTop = 40;
  int depth = 0;
  struct Placed {
    size_t node;
    double x;
    int level;
  };
  std::vector<Placed> placed;
  std::vector<Placed> pending = {{0, 0, 0}};
  const double scale = tree[0].weight > 0 ? kWidth / static_cast<double>(tree[0].weight) : 0;
  while (!pending.empty()) {
    const Placed p = pending.back();
    pending.pop_back();
    if (p.node != 0) placed.push_back(p);
    depth = std::max(depth, p.level);
    std::vector<size_t> children = tree[p.node].children;
    std::sort(children.begin(), children.end(), [&](size_t a, size_t b) {
      return profile.frame_names[tree[a].frame] < profile.frame_names[tree[b].frame];
    });
    double x = p.x;
    for (size_t c : children) {
      pending.push_back({c, x, p.level + 1});
      x += static_cast<double>(tree[c].weight) * scale;
    }
  }
  const double height = kTop + kRowHeight * (depth + 1);
  std::string out = fmt::format(
      "<?xml version=\"1.0\" standalone=\"no\"?>\n"
      "<svg version=\"1.1\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" xmlns=\"http://www.w3.org/2000/svg\" "
      "font-family=\"monospace\" font-size=\"12\">\n"
      "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#f8f8f8\"/>\n"
      "<text x=\"{2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">{3} ({4} instructions)</text>\n",
      kWidth, height, kWidth / 2, escape_xml(title), profile.total);
  for (const Placed& p : placed) {
    const TreeNode& n = tree[p.node];
    const double w = static_cast<double>(n.weight) * scale;
    if (w < 0.3) continue;  // narrower than a pixel's third: invisible anyway
    const std::string& name = profile.frame_names[n.frame];
    // Flame colours from the name, so a function keeps its colour between graphs.
    const size_t hash = std::hash<std::string>{}(name);
    const int red = 205 + static_cast<int>(hash % 50), green = 80 + static_cast<int>((hash >> 8) % 130);
    const double y = height - kRowHeight * p.level;
    const double percent = 100.0 * static_cast<double>(n.weight) / static_cast<double>(tree[0].weight);
    out += fmt::format(
        "<g><title>{} ({} instructions, {:.2f}%)</title><rect x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" "
        "height=\"{}\" fill=\"rgb({},{},55)\" rx=\"2\"/>",
        escape_xml(name), n.weight, percent, p.x, y, w, kRowHeight - 1, red, green);
    const size_t fits = static_cast<size_t>(w / 7.2);  // characters of 12 px monospace
    if (fits >= 3) {
      const std::string label = name.size() <= fits ? name : name.substr(0, fits - 2) + "..";
      out += fmt::format("<text x=\"{:.2f}\" y=\"{:.1f}\">{}</text>", p.x + 3, y + 12, escape_xml(label));
    }
    out += "</g>\n";
  }
  out += "</svg>\n";
  return out;
}

vm::RunResult run_profiled(vm::Vm& vm, const vm::Inputs& inputs, CallProfiler& profiler) {
  vm::Trace trace;
  trace.segment_steps = uint64_t{1} << 20;
  trace.on_segment = [&](const vm::Trace& t) { profiler.add(t.steps); };
  return vm.run_traced(inputs, &trace);
}

}  // namespace zkrv::profile
