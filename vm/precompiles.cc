#include "vm/precompiles.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "base/little_endian.h"
#include "vm/load_error.h"

namespace zkrv::vm {
namespace {

// A NUL-padded string field: printable ASCII, then only NULs.
std::optional<std::string> padded_string(const uint8_t* p, size_t size) {
  size_t length = 0;
  while (length < size && p[length] != 0) {
    if (p[length] < 0x20 || p[length] > 0x7e) return std::nullopt;
    ++length;
  }
  if (length == size) return std::nullopt;  // no terminating NUL
  for (size_t i = length; i < size; ++i) {
    if (p[i] != 0) return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(p), length);
}

}  // namespace

std::vector<PrecompileDescriptor> parse_precompile_descriptors(const elf::ElfImage& image) {
  std::vector<PrecompileDescriptor> out;
  const elf::Section* section = image.find_section(".note.zkrv.precompiles");
  if (!section) return out;
  const auto bytes = section->bytes;
  if (bytes.size() % kDescriptorSize != 0) {
    throw LoadError(fmt::format(".note.zkrv.precompiles is {} bytes, not a multiple of the {}-byte descriptor",
                                bytes.size(), kDescriptorSize));
  }
  std::vector<std::pair<PrecompileDescriptor, size_t>> seen;  // descriptor, position
  for (size_t pos = 0; pos < bytes.size() / kDescriptorSize; ++pos) {
    const uint8_t* d = bytes.data() + pos * kDescriptorSize;
    const auto bad = [&](const std::string& what) {
      return LoadError(fmt::format("precompile descriptor #{} (offset 0x{:x} in .note.zkrv.precompiles): {}", pos,
                                   pos * kDescriptorSize, what));
    };
    if (base::load_le32(d) != kDescriptorMagic) throw bad(fmt::format("bad magic 0x{:08x}", base::load_le32(d)));
    if (base::load_le16(d + 4) != 1) throw bad(fmt::format("format version {} is not supported (this VM reads 1)", base::load_le16(d + 4)));
    PrecompileDescriptor desc;
    desc.index = base::load_le16(d + 6);
    if (desc.index >= kMaxPrecompiles) throw bad(fmt::format("index {} is out of range (0..1023)", desc.index));
    const auto name = padded_string(d + 8, 64);
    if (!name || name->empty()) throw bad(fmt::format("index {}: the name is empty, not NUL-terminated or not printable", desc.index));
    desc.name = *name;
    const auto requirement = padded_string(d + 72, 32);
    if (!requirement || requirement->empty()) {
      throw bad(fmt::format("index {} ({}): the version requirement is empty, not NUL-terminated or not printable", desc.index, desc.name));
    }
    desc.version_requirement = *requirement;
    std::array<uint8_t, 32> digest;
    std::memcpy(digest.data(), d + 104, 32);
    if (std::any_of(digest.begin(), digest.end(), [](uint8_t b) { return b != 0; })) desc.package_sha256 = digest;

    bool duplicate = false;
    for (const auto& [other, other_pos] : seen) {
      if (other.index != desc.index) continue;
      // The same declaration in several translation units is one declaration.
      if (other.name == desc.name && other.version_requirement == desc.version_requirement &&
          other.package_sha256 == desc.package_sha256) {
        duplicate = true;
        break;
      }
      throw bad(fmt::format("index {} is declared twice: \"{}\" {} (descriptor #{}) and \"{}\" {}", desc.index,
                            other.name, other.version_requirement, other_pos, desc.name, desc.version_requirement));
    }
    if (!duplicate) seen.emplace_back(desc, pos);
  }
  for (auto& [desc, pos] : seen) out.push_back(std::move(desc));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  return out;
}

std::shared_ptr<const PrecompileRegistry> PrecompileRegistry::resolve(const std::vector<PrecompileDescriptor>& descriptors,
                                                                     const PrecompileResolver& resolver) {
  auto registry = std::make_shared<PrecompileRegistry>();
  for (const PrecompileDescriptor& d : descriptors) {
    if (!resolver) {
      throw LoadError(fmt::format("precompile {} (\"{}\" {}): no precompile packages are available to this run",
                                  d.index, d.name, d.version_requirement));
    }
    PrecompileImplementation impl;
    try {
      impl = resolver(d);
    } catch (const std::exception& e) {
      throw LoadError(fmt::format("precompile {} (\"{}\" {}): {}", d.index, d.name, d.version_requirement, e.what()));
    }
    if (!impl.eval) {
      throw LoadError(fmt::format("precompile {} (\"{}\" {}): the resolver returned no implementation", d.index, d.name,
                                  d.version_requirement));
    }
    auto entry = std::make_unique<Entry>(Entry{d, std::move(impl), registry->entries_.size()});
    registry->table_[d.index] = entry.get();
    registry->entries_.push_back(std::move(entry));
  }
  return registry;
}

}  // namespace zkrv::vm
