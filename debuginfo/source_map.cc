#include "debuginfo/source_map.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <memory>
#include <unordered_map>

namespace zkrv::debuginfo {

struct SourceMap::Debug {
  // libelf's elf_memory takes a mutable buffer; it only reads it with ELF_C_READ, but a copy
  // keeps the caller's bytes const without relying on that, and lives as long as the handles.
  std::vector<char> bytes;
  std::unique_ptr<Elf, decltype(&elf_end)> elf{nullptr, &elf_end};
  std::unique_ptr<Dwarf, decltype(&dwarf_end)> dwarf{nullptr, &dwarf_end};
};

SourceMap::~SourceMap() = default;

namespace {

// Bounds on the walk of inlined_at: DWARF is untrusted input.
constexpr int kMaxScopeDepth = 64;
constexpr int kMaxSiblings = 1 << 16;

// Whether a namespace or class holds a function whose ranges hold pc (one level: what compilers
// nest there).
bool scope_holds(Dwarf_Die scope, uint32_t pc) {
  Dwarf_Die child;
  if (dwarf_child(&scope, &child) != 0) return false;
  for (int siblings = 0; siblings < kMaxSiblings; ++siblings) {
    if (dwarf_haspc(&child, pc) > 0) return true;
    if (dwarf_siblingof(&child, &child) != 0) break;
  }
  return false;
}

}  // namespace

SourceMap::SourceMap(std::span<const uint8_t> elf_file) : debug_(std::make_unique<Debug>()) {
  if (elf_version(EV_CURRENT) == EV_NONE) return;
  debug_->bytes.assign(elf_file.begin(), elf_file.end());
  debug_->elf.reset(elf_memory(debug_->bytes.data(), debug_->bytes.size()));
  Elf* elf = debug_->elf.get();
  if (!elf) return;
  // The linker leaves the line rows of discarded sections (--gc-sections) at address 0 or a
  // tombstone: keep only rows inside executable segments.
  std::vector<std::pair<uint64_t, uint64_t>> code;
  size_t num_headers = 0;
  if (elf_getphdrnum(elf, &num_headers) != 0) return;
  for (size_t i = 0; i < num_headers; ++i) {
    GElf_Phdr header;
    if (gelf_getphdr(elf, static_cast<int>(i), &header) != nullptr && header.p_type == PT_LOAD &&
        (header.p_flags & PF_X) != 0) {
      code.emplace_back(header.p_vaddr, header.p_vaddr + header.p_memsz);
    }
  }
  auto in_code = [&](Dwarf_Addr addr) {
    return std::any_of(code.begin(), code.end(), [&](const auto& range) {
      return addr >= range.first && addr <= range.second;  // <=: a sequence's end may be the segment's end
    });
  };
  debug_->dwarf.reset(dwarf_begin_elf(elf, DWARF_C_READ, nullptr));
  Dwarf* dwarf = debug_->dwarf.get();
  if (!dwarf) return;
  std::unordered_map<std::string, uint32_t> file_index;
  Dwarf_Off offset = 0, next = 0;
  size_t header_size = 0;
  while (dwarf_nextcu(dwarf, offset, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die cu;
    Dwarf_Lines* lines = nullptr;
    size_t count = 0;
    if (dwarf_offdie(dwarf, offset + header_size, &cu) != nullptr &&
        dwarf_getsrclines(&cu, &lines, &count) == 0) {
      for (size_t i = 0; i < count; ++i) {
        Dwarf_Line* line = dwarf_onesrcline(lines, i);
        Dwarf_Addr addr = 0;
        int number = 0;
        bool end = false;
        if (line == nullptr || dwarf_lineaddr(line, &addr) != 0 || dwarf_lineno(line, &number) != 0 ||
            dwarf_lineendsequence(line, &end) != 0 || addr > 0xFFFFFFFFu || !in_code(addr)) {
          continue;
        }
        const char* file = dwarf_linesrc(line, nullptr, nullptr);
        const std::string name = file ? file : "?";
        auto [it, inserted] = file_index.emplace(name, static_cast<uint32_t>(files_.size()));
        if (inserted) files_.push_back(name);
        rows_.push_back({static_cast<uint32_t>(addr), it->second, number, end});
      }
    }
    offset = next;
  }
  // Within one address, an end of sequence sorts first: a following sequence may start there.
  std::stable_sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
    return a.addr != b.addr ? a.addr < b.addr : a.end_sequence > b.end_sequence;
  });
}

std::optional<SourceLine> SourceMap::line_at(uint32_t pc) const {
  auto it = std::upper_bound(rows_.begin(), rows_.end(), pc, [](uint32_t value, const Row& r) { return value < r.addr; });
  if (it == rows_.begin()) return std::nullopt;
  --it;
  if (it->end_sequence || it->line <= 0) return std::nullopt;
  return SourceLine{files_[it->file], it->line};
}

std::vector<std::string> SourceMap::inlined_at(uint32_t pc) const {
  std::vector<std::string> out;
  if (!debug_->dwarf || rows_.empty()) return out;
  // The compilation unit whose ranges hold pc (clang emits no .debug_aranges, which
  // dwarf_addrdie would need).
  Dwarf_Die cu;
  bool found = false;
  Dwarf_Off offset = 0, next = 0;
  size_t header_size = 0;
  while (!found && dwarf_nextcu(debug_->dwarf.get(), offset, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
    found = dwarf_offdie(debug_->dwarf.get(), offset + header_size, &cu) != nullptr && dwarf_haspc(&cu, pc) > 0;
    offset = next;
  }
  if (!found) return out;
  // Walk down the DIEs whose ranges hold pc (through namespaces and classes, which have none),
  // collecting the inlined copies on the way: libdw's dwarf_getscopes turns to the abstract
  // definition after the innermost inlined copy and would miss the outer ones.
  std::vector<std::string> outer_first;
  Dwarf_Die parent = cu;
  for (int depth = 0; depth < kMaxScopeDepth; ++depth) {
    Dwarf_Die child;
    if (dwarf_child(&parent, &child) != 0) break;
    bool descended = false;
    for (int siblings = 0; siblings < kMaxSiblings && !descended; ++siblings) {
      const int tag = dwarf_tag(&child);
      const bool container = tag == DW_TAG_namespace || tag == DW_TAG_class_type || tag == DW_TAG_structure_type;
      if (container ? scope_holds(child, pc) : dwarf_haspc(&child, pc) > 0) {
        if (tag == DW_TAG_inlined_subroutine) {
          // The name is on the abstract instance the inlined copy points at.
          Dwarf_Attribute attribute;
          const char* name = nullptr;
          if (dwarf_attr_integrate(&child, DW_AT_name, &attribute) != nullptr) name = dwarf_formstring(&attribute);
          outer_first.emplace_back(name ? name : "?");
        }
        parent = child;
        descended = true;
      } else if (dwarf_siblingof(&child, &child) != 0) {
        break;
      }
    }
    if (!descended) break;
  }
  out.assign(outer_first.rbegin(), outer_first.rend());
  return out;
}

std::string format(const SourceLine& line) {
  std::string file = line.file;
  const size_t last = file.rfind('/');
  if (last != std::string::npos && last > 0) {
    const size_t before = file.rfind('/', last - 1);
    if (before != std::string::npos) file = file.substr(before + 1);
  }
  return file + ":" + std::to_string(line.line);
}

}  // namespace zkrv::debuginfo
