// Dynamic precompiles on the VM side: the descriptors a program declares in its ELF section
// .note.zkrv.precompiles, and the per-program registry that maps each declared index to an
// implementation. The VM only sees implementations through the C ABI of precompiles/sdk; finding,
// verifying and loading packages is the resolver's business (the CLI passes one backed by the
// package store), so vm/ links no package or signing code.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "elf/elf.h"
#include "zkrv/precompile.h"

namespace zkrv::vm {

inline constexpr uint32_t kMaxPrecompiles = 1024;  // index = fn7 << 3 | fn3
inline constexpr uint32_t kDescriptorSize = 136;
inline constexpr uint32_t kDescriptorMagic = 0x44504b5a;  // "ZKPD"

struct PrecompileDescriptor {
  uint32_t index = 0;
  std::string name;
  std::string version_requirement;
  std::optional<std::array<uint8_t, 32>> package_sha256;  // pinned package, if any
};

// Reads and validates every descriptor (format, magic, version, index range, strings, duplicates)
// and returns them sorted by index. Throws LoadError naming the descriptor and what is wrong.
std::vector<PrecompileDescriptor> parse_precompile_descriptors(const elf::ElfImage& image);

struct PrecompileImplementation {
  std::string name;
  std::string version;
  std::array<uint8_t, 32> package_sha256{};
  // The library's entry point, in process or through a sandboxed worker (the resolver decides).
  std::function<int(zkrv_precompile_call*)> eval;
  std::shared_ptr<const void> keep_alive;  // e.g. the dlopen handle or the worker
};

// Finds an implementation for a descriptor, or throws (any std::exception) saying why not.
using PrecompileResolver = std::function<PrecompileImplementation(const PrecompileDescriptor&)>;

// One registry per loaded program; every pass over the program uses the same instance, so the
// indices always mean the same implementations.
class PrecompileRegistry {
 public:
  // Resolves every descriptor before the first instruction runs. Throws LoadError naming the index
  // and name of the first one that cannot be resolved.
  static std::shared_ptr<const PrecompileRegistry> resolve(const std::vector<PrecompileDescriptor>& descriptors,
                                                           const PrecompileResolver& resolver);

  struct Entry {
    PrecompileDescriptor descriptor;
    PrecompileImplementation implementation;
    size_t ordinal;  // position in entries()
  };
  const Entry* find(uint32_t index) const { return index < kMaxPrecompiles ? table_[index] : nullptr; }
  const std::vector<std::unique_ptr<Entry>>& entries() const { return entries_; }

 private:
  std::vector<std::unique_ptr<Entry>> entries_;
  std::array<const Entry*, kMaxPrecompiles> table_{};
};

}  // namespace zkrv::vm
