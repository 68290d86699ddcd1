// Checkpoints: recorded by pass 1 between two steps, restored into a fresh machine of the same
// program (vm/checkpoint.h, docs/trace.md "Checkpoints").
#include "vm/checkpoint.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string_view>
#include <unordered_set>

#include "base/little_endian.h"
#include "vm/machine.h"
#include "vm/precompiles.h"
#include "vm/vm.h"

namespace zkrv::vm {

static_assert(kCheckpointPageSize == GuestMemory::kPageSize);

namespace {

constexpr std::string_view kCheckpointMagic = "zkrvckpt";

class Writer {
 public:
  explicit Writer(uint64_t size) { bytes_.reserve(size); }
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u32(uint32_t v) { put(v); }
  void u64(uint64_t v) { put(v); }
  void raw(const uint8_t* p, size_t n) { bytes_.insert(bytes_.end(), p, p + n); }
  void string(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    raw(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  template <typename T>
  void put(T v) {
    uint8_t b[sizeof v];
    base::store_le(b, v);
    raw(b, sizeof v);
  }
  std::vector<uint8_t> bytes_;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  [[noreturn]] void refuse(const std::string& why) const {
    throw LoadError(fmt::format("checkpoint file, byte {}: {}", offset_, why));
  }
  size_t left() const { return bytes_.size() - offset_; }
  const uint8_t* take(size_t n, const char* what) {
    if (n > left()) refuse(fmt::format("{} needs {} bytes, {} are left", what, n, left()));
    const uint8_t* p = bytes_.data() + offset_;
    offset_ += n;
    return p;
  }
  uint8_t u8(const char* what) { return *take(1, what); }
  uint32_t u32(const char* what) { return base::load_le32(take(4, what)); }
  uint64_t u64(const char* what) { return base::load_le64(take(8, what)); }
  // A count of items of at least `item_bytes` each: refused before anything is sized by it when
  // the bytes left cannot hold that many, so no allocation outgrows the input.
  uint32_t count(const char* what, size_t item_bytes, size_t limit) {
    const uint32_t n = u32(what);
    if (n > limit) refuse(fmt::format("{} is {}, more than {}", what, n, limit));
    if (uint64_t{n} * item_bytes > left()) {
      refuse(fmt::format("{} is {}, but the {} bytes left hold at most {}", what, n, left(), left() / item_bytes));
    }
    return n;
  }
  std::string string(const char* what) {
    const uint32_t n = count(what, 1, kMaxCheckpointString);
    const uint8_t* p = take(n, what);
    return std::string(reinterpret_cast<const char*>(p), n);
  }
  size_t offset() const { return offset_; }

 private:
  std::span<const uint8_t> bytes_;
  size_t offset_ = 0;
};

}  // namespace

uint64_t Checkpoint::size_bytes() const {
  // Header (magic, version); step, pc, registers, reservation (flag and address), misaligned
  // count; then each list with a 4-byte length in front.
  uint64_t bytes = kCheckpointMagic.size() + 4 + 8 + 4 + 32 * 4 + 1 + 4 + 8;
  bytes += 4 + output_tape.size();
  bytes += 4;
  for (const Region& r : regions) bytes += 4 + r.name.size() + 8;
  bytes += 4 + open_regions.size() * (4 + 8);
  bytes += 8 + 4 + first_ignored_region_call.size();
  bytes += 4 + precompile_calls.size() * 8;
  bytes += 4 + pages.size() * (4 + uint64_t{kCheckpointPageSize});
  return bytes;
}

std::vector<uint8_t> encode_checkpoint(const Checkpoint& c) {
  Writer w(c.size_bytes());
  w.raw(reinterpret_cast<const uint8_t*>(kCheckpointMagic.data()), kCheckpointMagic.size());
  w.u32(kCheckpointFormatVersion);
  w.u64(c.step);
  w.u32(c.pc);
  for (const uint32_t r : c.registers) w.u32(r);
  w.u8(c.reservation_valid ? 1 : 0);
  w.u32(c.reservation);
  w.u64(c.misaligned_accesses);
  w.u32(static_cast<uint32_t>(c.output_tape.size()));
  w.raw(c.output_tape.data(), c.output_tape.size());
  w.u32(static_cast<uint32_t>(c.regions.size()));
  for (const Checkpoint::Region& r : c.regions) {
    w.string(r.name);
    w.u64(r.total);
  }
  w.u32(static_cast<uint32_t>(c.open_regions.size()));
  for (const Checkpoint::OpenRegion& r : c.open_regions) {
    w.u32(r.index);
    w.u64(r.start);
  }
  w.u64(c.ignored_region_calls);
  w.string(c.first_ignored_region_call);
  w.u32(static_cast<uint32_t>(c.precompile_calls.size()));
  for (const uint64_t n : c.precompile_calls) w.u64(n);
  w.u32(static_cast<uint32_t>(c.pages.size()));
  for (const Checkpoint::Page& p : c.pages) {
    w.u32(p.number);
    w.raw(p.bytes->data(), p.bytes->size());
  }
  return w.take();
}

Checkpoint decode_checkpoint(std::span<const uint8_t> bytes) {
  Reader r(bytes);
  Checkpoint c;
  const uint8_t* magic = r.take(kCheckpointMagic.size(), "the magic");
  if (std::memcmp(magic, kCheckpointMagic.data(), kCheckpointMagic.size()) != 0) {
    throw LoadError("checkpoint file, byte 0: not a checkpoint (no \"zkrvckpt\" magic)");
  }
  if (const uint32_t version = r.u32("the version"); version != kCheckpointFormatVersion) {
    r.refuse(fmt::format("format version {}; this zkrv reads version {}", version, kCheckpointFormatVersion));
  }
  c.step = r.u64("the step");
  c.pc = r.u32("the pc");
  for (uint32_t& reg : c.registers) reg = r.u32("a register");
  const uint8_t valid = r.u8("the reservation flag");
  if (valid > 1) r.refuse(fmt::format("the reservation flag is {}, not 0 or 1", valid));
  c.reservation_valid = valid == 1;
  c.reservation = r.u32("the reservation");
  c.misaligned_accesses = r.u64("the misaligned-access count");

  const uint32_t tape = r.count("the output tape's length", 1, UINT32_MAX);
  const uint8_t* tape_bytes = r.take(tape, "the output tape");
  c.output_tape.assign(tape_bytes, tape_bytes + tape);

  const uint32_t regions = r.count("the number of regions", 4 + 8, kMaxRegions);
  c.regions.reserve(regions);
  for (uint32_t i = 0; i < regions; ++i) {
    Checkpoint::Region region;
    region.name = r.string("a region's name");
    region.total = r.u64("a region's total");
    c.regions.push_back(std::move(region));
  }
  const uint32_t open = r.count("the number of open regions", 4 + 8, kMaxOpenRegions);
  c.open_regions.reserve(open);
  for (uint32_t i = 0; i < open; ++i) {
    Checkpoint::OpenRegion region;
    region.index = r.u32("an open region's index");
    region.start = r.u64("an open region's start");
    c.open_regions.push_back(region);
  }
  c.ignored_region_calls = r.u64("the ignored region calls");
  c.first_ignored_region_call = r.string("the first ignored region call");

  const uint32_t precompiles = r.count("the number of precompile counters", 8, kMaxPrecompiles);
  c.precompile_calls.resize(precompiles);
  for (uint64_t& n : c.precompile_calls) n = r.u64("a precompile counter");

  const uint32_t pages = r.count("the number of pages", 4 + kCheckpointPageSize, GuestMemory::kNumPages);
  c.pages.reserve(pages);
  for (uint32_t i = 0; i < pages; ++i) {
    const uint32_t number = r.u32("a page's number");
    auto page = std::make_shared<PageBytes>();
    std::memcpy(page->data(), r.take(kCheckpointPageSize, "a page's bytes"), kCheckpointPageSize);
    c.pages.push_back({number, std::move(page)});
  }
  if (r.left() != 0) r.refuse(fmt::format("{} bytes follow the checkpoint", r.left()));
  check_checkpoint_shape(c, "checkpoint file");
  return c;
}

void check_checkpoint_shape(const Checkpoint& c, std::string_view where) {
  auto refuse = [where](const std::string& why) { throw LoadError(fmt::format("{}: {}", where, why)); };
  if (c.registers[0] != 0) refuse(fmt::format("register x0 holds 0x{:x}, not 0", c.registers[0]));
  if (c.pc & 1) refuse(fmt::format("pc 0x{:x} is not 2-byte aligned", c.pc));
  if (c.output_tape.size() % 4 != 0) {
    refuse(fmt::format("the output tape's length {} is not whole words", c.output_tape.size()));
  }
  if (c.regions.size() > kMaxRegions || c.open_regions.size() > kMaxOpenRegions) {
    refuse(fmt::format("{} regions, {} open: more than a run can have ({}, {})", c.regions.size(), c.open_regions.size(),
                       kMaxRegions, kMaxOpenRegions));
  }
  std::unordered_set<std::string_view> names;
  for (const Checkpoint::Region& r : c.regions) {
    if (r.name.size() > kMaxCheckpointString) {
      refuse(fmt::format("a region's name is {} bytes, more than {}", r.name.size(), kMaxCheckpointString));
    }
    if (!names.insert(r.name).second) refuse(fmt::format("region \"{}\" is listed twice", r.name));
  }
  for (const Checkpoint::OpenRegion& r : c.open_regions) {
    if (r.index >= c.regions.size() || r.start > c.step) {
      refuse(fmt::format("open region {} (opened at step {}) is not a region before step {}", r.index, r.start, c.step));
    }
  }
  if (c.first_ignored_region_call.size() > kMaxCheckpointString) {
    refuse(fmt::format("the first ignored region call is {} bytes, more than {}", c.first_ignored_region_call.size(),
                       kMaxCheckpointString));
  }
  if (c.precompile_calls.size() > kMaxPrecompiles) {
    refuse(fmt::format("{} precompile counters, more than {}", c.precompile_calls.size(), kMaxPrecompiles));
  }
  for (size_t i = 0; i < c.pages.size(); ++i) {
    const Checkpoint::Page& p = c.pages[i];
    if (p.number >= GuestMemory::kNumPages) refuse(fmt::format("page 0x{:x} is past the address space", p.number));
    if (i > 0 && p.number <= c.pages[i - 1].number) {
      refuse(fmt::format("page 0x{:x} follows page 0x{:x}: pages are in ascending order", p.number, c.pages[i - 1].number));
    }
    if (!p.bytes) refuse(fmt::format("page 0x{:x} has no bytes", p.number));
  }
}

void Machine::initial_page(uint32_t page, uint8_t* out) const {
  // What GuestMemory::map() left there: zeros, then each segment's file bytes in program order.
  std::memset(out, 0, GuestMemory::kPageSize);
  const uint64_t lo = uint64_t{page} << GuestMemory::kPageBits;
  const uint64_t hi = lo + GuestMemory::kPageSize;
  for (const elf::Segment& seg : image_.segments) {
    const uint64_t begin = std::max<uint64_t>(lo, seg.vaddr);
    const uint64_t end = std::min<uint64_t>(hi, uint64_t{seg.vaddr} + seg.file_bytes.size());
    if (begin < end) std::memcpy(out + (begin - lo), seg.file_bytes.data() + (begin - seg.vaddr), end - begin);
  }
}

void Machine::track_writes() {
  if (!dirty_) dirty_ = std::make_unique<uint8_t[]>(GuestMemory::kNumPages);  // zeroed
}

Checkpoint Machine::checkpoint() {
  Checkpoint c;
  c.step = retired_;
  c.pc = pc_;
  for (unsigned i = 1; i < 32; ++i) c.registers[i] = x_[i];
  c.reservation_valid = reservation_valid_;
  c.reservation = reservation_;
  c.misaligned_accesses = misaligned_;
  c.output_tape = output_tape_;
  c.regions.reserve(regions_.size());
  for (const Region& r : regions_) c.regions.push_back({r.name, r.total});
  for (const OpenRegion& r : open_regions_) c.open_regions.push_back({static_cast<uint32_t>(r.index), r.start});
  c.ignored_region_calls = result_.ignored_region_calls;
  c.first_ignored_region_call = result_.first_ignored_region_call;
  c.precompile_calls = precompile_calls_;

  // The pages to look at: those written since the last checkpoint when this machine tracks writes
  // (a scan of one byte per mapped page), else every page the host materialised (mincore), which
  // is every page that can differ from the image. The last checkpoint's pages too: unwritten, they
  // are shared as they are.
  std::vector<uint32_t> candidates;
  if (dirty_) {
    for (const auto& [first, end] : memory.mapped_ranges()) {
      for (uint32_t page = first; page < end; ++page) {
        if (dirty_[page]) candidates.push_back(page);
      }
    }
  } else {
    candidates = memory.resident_page_numbers();
  }
  for (const Checkpoint::Page& p : checkpoint_pages_) candidates.push_back(p.number);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  PageBytes initial;
  size_t previous = 0;
  for (const uint32_t page : candidates) {
    const uint8_t* now = memory.base() + (size_t{page} << GuestMemory::kPageBits);
    while (previous < checkpoint_pages_.size() && checkpoint_pages_[previous].number < page) ++previous;
    const bool had = previous < checkpoint_pages_.size() && checkpoint_pages_[previous].number == page;
    const bool written = !dirty_ || dirty_[page];
    if (had && (!written || std::memcmp(now, checkpoint_pages_[previous].bytes->data(), GuestMemory::kPageSize) == 0)) {
      c.pages.push_back(checkpoint_pages_[previous]);
      continue;
    }
    initial_page(page, initial.data());
    if (std::memcmp(now, initial.data(), GuestMemory::kPageSize) == 0) continue;
    auto copy = std::make_shared<PageBytes>();
    std::memcpy(copy->data(), now, GuestMemory::kPageSize);
    c.pages.push_back({page, std::move(copy)});
  }
  if (dirty_) {
    for (const uint32_t page : candidates) dirty_[page] = 0;
  }
  checkpoint_pages_ = c.pages;
  return c;
}

void Machine::restore(const Checkpoint& from) {
  check_checkpoint_shape(from, "checkpoint");
  // What depends on this program and its run's limits.
  auto refuse = [](const std::string& why) { throw LoadError("checkpoint: " + why); };
  if (from.step > config_.max_cycles) {
    refuse(fmt::format("step {} is past the run's limit of {} instructions", from.step, config_.max_cycles));
  }
  if (from.output_tape.size() > uint64_t{config_.max_output_bytes} + 4) {
    refuse(fmt::format("the output tape of {} bytes is past the maximum output of {} bytes", from.output_tape.size(),
                       config_.max_output_bytes));
  }
  if (from.precompile_calls.size() != precompile_calls_.size()) {
    refuse(fmt::format("{} precompile counters for a program that declares {} precompiles", from.precompile_calls.size(),
                       precompile_calls_.size()));
  }
  for (const Checkpoint::Page& p : from.pages) {
    if (!(memory.page_permissions(p.number << GuestMemory::kPageBits) & kPermWrite)) {
      refuse(fmt::format("page 0x{:x} is not writable memory of this program", p.number));
    }
  }

  regions_.clear();
  region_index_.clear();
  for (const Checkpoint::Region& r : from.regions) {  // names are distinct (check_checkpoint_shape)
    region_index_.emplace(r.name, regions_.size());
    regions_.push_back({r.name, r.total});
  }
  open_regions_.clear();
  for (const Checkpoint::OpenRegion& r : from.open_regions) open_regions_.push_back({r.index, r.start});

  retired_ = from.step;
  pc_ = from.pc;
  for (unsigned i = 1; i < 32; ++i) x_[i] = from.registers[i];
  reservation_valid_ = from.reservation_valid;
  reservation_ = from.reservation;
  misaligned_ = from.misaligned_accesses;
  output_tape_ = from.output_tape;
  result_.ignored_region_calls = from.ignored_region_calls;
  result_.first_ignored_region_call = from.first_ignored_region_call;
  precompile_calls_ = from.precompile_calls;
  for (const Checkpoint::Page& p : from.pages) {
    std::memcpy(memory.base() + (size_t{p.number} << GuestMemory::kPageBits), p.bytes->data(), GuestMemory::kPageSize);
  }
  checkpoint_pages_ = from.pages;
  track_writes();  // so that checkpoint() after the segment looks at the pages it wrote
}

RunResult Machine::run_checkpointed(const Inputs& inputs, uint64_t every,
                                    const std::function<void(Checkpoint)>& on_checkpoint) {
  if (every == 0) throw LoadError("checkpoints every 0 steps: the interval must be at least 1");
  start(inputs, nullptr);
  track_writes();
  const auto start_time = std::chrono::steady_clock::now();
  // The interpreter loop compiled with stores marking their pages (kRunTracked), paused every
  // `every` steps; run() uses the loop without the marks, so a run without checkpoints pays nothing.
  do {
    on_checkpoint(checkpoint());
  } while (!execute(every));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  RunResult result = finish();
  result.seconds = seconds;
  return result;
}

RunResult Vm::run(const Inputs& inputs, uint64_t checkpoint_steps, const std::function<void(Checkpoint)>& on_checkpoint) {
  return machine_->run_checkpointed(inputs, checkpoint_steps, on_checkpoint);
}

std::optional<RunResult> Vm::run_segment(const Checkpoint& from, const Inputs& inputs, uint64_t steps, Trace* trace) {
  // Pages the checkpoint does not list are taken to hold the program image: true only of a fresh machine.
  if (machine_->started()) throw LoadError("checkpoint: this Vm has already run; resume in a fresh one");
  machine_->start(inputs, trace);
  machine_->restore(from);
  const auto start_time = std::chrono::steady_clock::now();
  if (!machine_->execute(steps)) {
    if (trace && trace->segment_steps) trace->flush();
    return std::nullopt;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  RunResult result = machine_->finish();
  result.seconds = seconds;
  return result;
}

Checkpoint Vm::checkpoint() { return machine_->checkpoint(); }

}  // namespace zkrv::vm
