// Guest memory: the 32-bit address space as one host reservation, with per-page permissions.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace zkrv::vm {

enum Permission : uint8_t { kPermExec = 1, kPermWrite = 2, kPermRead = 4 };  // = ELF PF_X, PF_W, PF_R

// The whole 4 GiB guest address space is reserved once (MAP_NORESERVE): the host materialises a page
// only when the guest touches it, so a large heap costs nothing until used, and an access is one
// permission-byte check plus a plain host load or store. Permissions are kept per 4 KiB page.
class GuestMemory {
 public:
  static constexpr uint32_t kPageBits = 12;
  static constexpr uint32_t kPageSize = 1u << kPageBits;
  static constexpr uint32_t kNumPages = 1u << (32 - kPageBits);

  GuestMemory();
  ~GuestMemory();
  GuestMemory(const GuestMemory&) = delete;
  GuestMemory& operator=(const GuestMemory&) = delete;

  // Maps [vaddr, vaddr + memsz) page by page with `perms` and copies `bytes` to vaddr (the rest is
  // zero). The ELF loader has already validated ranges and permissions.
  void map(uint32_t vaddr, uint32_t memsz, uint8_t perms, std::span<const uint8_t> bytes);

  uint8_t* base() { return base_; }
  const uint8_t* base() const { return base_; }
  const uint8_t* permissions() const { return perms_.get(); }
  uint8_t page_permissions(uint32_t addr) const { return perms_[addr >> kPageBits]; }

  // True when every byte of [addr, addr + size) may be accessed with `need` (size <= kPageSize).
  bool accessible(uint32_t addr, uint32_t size, uint8_t need) const;
  // True when every byte of [addr, addr + size) may be accessed with `need`, for any size (a range
  // that runs past 4 GiB is not). Costs one check per page, before any host work sized by `size`.
  bool range_allows(uint32_t addr, uint64_t size, uint8_t need) const;
  // Copies guest bytes out after checking every page; false if any byte is not readable.
  bool read(uint32_t addr, uint32_t size, uint8_t* out) const;
  // Copies bytes in after checking that every page is writable; writes nothing otherwise.
  bool write(uint32_t addr, uint32_t size, const uint8_t* data);

  uint64_t mapped_pages() const { return mapped_pages_; }
  // [first page, end page) of each map() call, in call order (ranges may overlap).
  const std::vector<std::pair<uint32_t, uint32_t>>& mapped_ranges() const { return ranges_; }
  // Mapped pages that the host has materialised (the guest wrote or read them), from mincore(2).
  uint64_t resident_pages() const;
  // Their page numbers, ascending (each page once).
  std::vector<uint32_t> resident_page_numbers() const;
  // SHA-256 over (page number, contents) of every mapped page that is not all zero: equal digests
  // mean equal memory, whichever pages were touched.
  std::array<uint8_t, 32> digest() const;

 private:
  template <typename Fn>
  void for_each_resident_page(Fn&& fn) const;

  uint8_t* base_ = nullptr;
  std::unique_ptr<uint8_t[]> perms_;
  uint64_t mapped_pages_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> ranges_;  // [first page, end page) of each map() call
};

}  // namespace zkrv::vm
