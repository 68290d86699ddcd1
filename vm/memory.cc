#include "vm/memory.h"

#include <openssl/evp.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <vector>

namespace zkrv::vm {
namespace {
// One spare page past 4 GiB, so that a host access of up to 8 bytes at the top address never leaves
// the reservation even before its permission check has run.
constexpr size_t kReservation = (size_t{1} << 32) + GuestMemory::kPageSize;
}  // namespace

GuestMemory::GuestMemory() : perms_(new uint8_t[kNumPages]()) {
  void* p = mmap(nullptr, kReservation, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  base_ = static_cast<uint8_t*>(p);
}

GuestMemory::~GuestMemory() { munmap(base_, kReservation); }

void GuestMemory::map(uint32_t vaddr, uint32_t memsz, uint8_t perms, std::span<const uint8_t> bytes) {
  if (memsz == 0) return;
  const uint64_t first = vaddr >> kPageBits;
  const uint64_t last = (uint64_t{vaddr} + memsz - 1) >> kPageBits;
  for (uint64_t page = first; page <= last; ++page) {
    if (perms_[page] == 0) ++mapped_pages_;
    perms_[page] = perms;
  }
  ranges_.emplace_back(static_cast<uint32_t>(first), static_cast<uint32_t>(last + 1));
  if (!bytes.empty()) std::memcpy(base_ + vaddr, bytes.data(), bytes.size());
}

bool GuestMemory::accessible(uint32_t addr, uint32_t size, uint8_t need) const {
  const uint32_t last = addr + size - 1;  // wraps past 4 GiB into the null guard, which is unmapped
  return (perms_[addr >> kPageBits] & need) == need && (perms_[last >> kPageBits] & need) == need &&
         last >= addr;
}

bool GuestMemory::range_allows(uint32_t addr, uint64_t size, uint8_t need) const {
  if (size == 0) return true;
  const uint64_t last = uint64_t{addr} + size - 1;
  if (last > 0xffffffffu) return false;
  for (uint64_t page = addr >> kPageBits; page <= last >> kPageBits; ++page) {
    if ((perms_[page] & need) != need) return false;
  }
  return true;
}

bool GuestMemory::read(uint32_t addr, uint32_t size, uint8_t* out) const {
  uint64_t done = 0;
  while (done < size) {
    const uint64_t a = uint64_t{addr} + done;
    if (a > 0xffffffffu || !(perms_[a >> kPageBits] & kPermRead)) return false;
    const uint64_t chunk = std::min<uint64_t>(size - done, kPageSize - (a & (kPageSize - 1)));
    std::memcpy(out + done, base_ + a, chunk);
    done += chunk;
  }
  return true;
}

bool GuestMemory::write(uint32_t addr, uint32_t size, const uint8_t* data) {
  if (size == 0) return true;
  const uint64_t last = uint64_t{addr} + size - 1;
  if (last > 0xffffffffu) return false;
  for (uint64_t page = addr >> kPageBits; page <= last >> kPageBits; ++page) {
    if (!(perms_[page] & kPermWrite)) return false;
  }
  std::memcpy(base_ + addr, data, size);
  return true;
}

template <typename Fn>
void GuestMemory::for_each_resident_page(Fn&& fn) const {
  // Segments may share pages: visit each page once, in address order.
  std::vector<std::pair<uint32_t, uint32_t>> ranges = ranges_;
  std::sort(ranges.begin(), ranges.end());
  std::vector<unsigned char> status;
  uint32_t next = 0;
  for (auto [begin, end] : ranges) {
    begin = std::max(begin, next);
    if (begin >= end) continue;
    next = end;
    status.assign(end - begin, 0);
    if (mincore(base_ + (size_t{begin} << kPageBits), size_t{end - begin} << kPageBits, status.data()) != 0) {
      status.assign(end - begin, 1);  // cannot tell: treat every page as resident
    }
    for (uint32_t i = 0; i < end - begin; ++i) {
      if (status[i] & 1) fn(begin + i);
    }
  }
}

uint64_t GuestMemory::resident_pages() const {
  uint64_t resident = 0;
  for_each_resident_page([&](uint32_t) { ++resident; });
  return resident;
}

std::vector<uint32_t> GuestMemory::resident_page_numbers() const {
  std::vector<uint32_t> pages;
  for_each_resident_page([&](uint32_t page) { pages.push_back(page); });
  return pages;
}

std::array<uint8_t, 32> GuestMemory::digest() const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  static const uint8_t kZero[kPageSize] = {};
  // A page the host never materialised reads as zero, so only resident pages can contribute.
  for_each_resident_page([&](uint32_t page) {
    const uint8_t* bytes = base_ + (size_t{page} << kPageBits);
    if (std::memcmp(bytes, kZero, kPageSize) == 0) return;
    const uint8_t header[4] = {static_cast<uint8_t>(page), static_cast<uint8_t>(page >> 8),
                               static_cast<uint8_t>(page >> 16), static_cast<uint8_t>(page >> 24)};
    EVP_DigestUpdate(ctx, header, sizeof header);
    EVP_DigestUpdate(ctx, bytes, kPageSize);
  });
  std::array<uint8_t, 32> out{};
  EVP_DigestFinal_ex(ctx, out.data(), nullptr);
  EVP_MD_CTX_free(ctx);
  return out;
}

}  // namespace zkrv::vm
