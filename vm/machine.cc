#include "vm/machine.h"

#include <fmt/format.h>
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <new>

#include "base/little_endian.h"

namespace zkrv::vm {
namespace {

constexpr uint32_t kSysWrite = 64;
constexpr uint32_t kSysExit = 93;
constexpr uint32_t kSysExitGroup = 94;
constexpr uint32_t kSysRegionBegin = 0x5A4B0001;
constexpr uint32_t kSysRegionEnd = 0x5A4B0002;
constexpr uint32_t kSysCycleCount = 0x5A4B0003;
constexpr uint32_t kMaxRegionName = 64;
// The debug log is copied out of guest memory in pieces of this size, never in one buffer sized
// by the guest's length argument.
constexpr uint32_t kLogChunk = 64 * 1024;
constexpr uint32_t kEbadf = static_cast<uint32_t>(-9);

enum Reg : unsigned { kA0 = 10, kA1 = 11, kA2 = 12, kA7 = 17 };

std::vector<uint8_t> make_input_tape(const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> tape(4 + ((payload.size() + 3) & ~size_t{3}), 0);
  const uint32_t n = static_cast<uint32_t>(payload.size());
  base::store_le<uint32_t>(tape.data(), n);
  if (!payload.empty()) std::memcpy(tape.data() + 4, payload.data(), payload.size());
  return tape;
}

}  // namespace

const char* fault_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::kIllegalInstruction: return "illegal-instruction";
    case FaultKind::kFetchFault: return "fetch-fault";
    case FaultKind::kLoadFault: return "load-fault";
    case FaultKind::kStoreFault: return "store-fault";
    case FaultKind::kMisalignedAtomic: return "misaligned-atomic";
    case FaultKind::kMisalignedTapeOffset: return "misaligned-tape-offset";
    case FaultKind::kOutputLimit: return "output-limit";
    case FaultKind::kUnknownSyscall: return "unknown-syscall";
    case FaultKind::kBadSyscallArgument: return "bad-syscall-argument";
    case FaultKind::kUnsupportedPrecompile: return "unsupported-precompile";
    case FaultKind::kPrecompileFault: return "precompile-fault";
    case FaultKind::kCycleLimit: return "cycle-limit";
  }
  return "unknown-fault";
}

Machine::Machine(const elf::ElfImage& image, const VmConfig& config) : image_(image), config_(config) {
  if (config.max_output_bytes > kMaxOutputBytesLimit) {
    throw LoadError(fmt::format("the maximum output of {} bytes is more than zkrv allows ({} bytes)",
                                config.max_output_bytes, kMaxOutputBytesLimit));
  }
  if (config.max_input_bytes > kMaxInputBytesLimit) {
    throw LoadError(fmt::format("the maximum input of {} bytes is more than zkrv allows ({} bytes)",
                                config.max_input_bytes, kMaxInputBytesLimit));
  }
  if (image.mapped_size(GuestMemory::kPageSize) > config.load_limits.max_mapped_size) {
    throw LoadError(fmt::format("program maps {} bytes, more than the limit of {} bytes",
                                image.mapped_size(GuestMemory::kPageSize), config.load_limits.max_mapped_size));
  }
  uint64_t lo = UINT64_MAX, hi = 0;
  for (const elf::Segment& seg : image.segments) {
    memory.map(seg.vaddr, seg.memsz, static_cast<uint8_t>(seg.flags), seg.file_bytes);
    if ((seg.flags & elf::kExec) && seg.memsz > 0) {
      lo = std::min<uint64_t>(lo, seg.vaddr & ~(GuestMemory::kPageSize - 1));
      hi = std::max<uint64_t>(hi, (uint64_t{seg.vaddr} + seg.memsz + GuestMemory::kPageSize - 1) &
                                      ~uint64_t{GuestMemory::kPageSize - 1});
    }
  }
  if (lo == UINT64_MAX) throw LoadError("program has no executable segment");
  exec_lo_ = static_cast<uint32_t>(lo);
  // The span may reach exactly 4 GiB only for absurd layouts; cap so the offset fits in 32 bits.
  exec_span_ = static_cast<uint32_t>(std::min<uint64_t>(hi - lo, 0xfffff000u));
  // Two spare slots past the end: a 4-byte instruction in the last halfword steps onto them, and
  // their "not decoded" op sends execution to the fetch check, which faults.
  slots_bytes_ = (size_t{exec_span_} / 2 + 2) * sizeof(Slot);
  void* p = mmap(nullptr, slots_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  slots_ = static_cast<Slot*>(p);
  pc_ = image.entry;
  precompiles_ = config.precompiles ? config.precompiles
                                    : PrecompileRegistry::resolve(parse_precompile_descriptors(image),
                                                                  config.precompile_resolver);
  precompile_calls_.assign(precompiles_->entries().size(), 0);
}

namespace {

// Guest memory as a precompile sees it: every access is checked like the guest's own, and the
// first refused one is remembered for the fault message.
struct PrecompileMemory {
  GuestMemory* memory;
  Trace* trace;    // pass 2 only; accesses are recorded for step `step`
  uint64_t step;
  uint8_t* dirty;  // the machine's written-page map, when it tracks them
  bool failed = false;
  bool failed_write = false;
  uint32_t failed_address = 0;
  uint32_t failed_length = 0;

  int refuse(uint32_t address, uint32_t length, bool write) {
    if (!failed) {
      failed = true;
      failed_write = write;
      failed_address = address;
      failed_length = length;
    }
    return 1;
  }
  void record(uint32_t address, uint32_t length, bool write, const uint8_t* before, const uint8_t* after) {
    if (!trace || !trace->keeps(step)) return;
    trace->precompile_accesses.push_back({step, address, length, write, trace->precompile_bytes.size()});
    trace->precompile_bytes.insert(trace->precompile_bytes.end(), before, before + length);
    if (write) trace->precompile_bytes.insert(trace->precompile_bytes.end(), after, after + length);
  }
  static int read(void* context, uint32_t address, void* out, uint32_t length) {
    auto* self = static_cast<PrecompileMemory*>(context);
    auto* bytes = static_cast<uint8_t*>(out);
    if (!self->memory->read(address, length, bytes)) return self->refuse(address, length, false);
    self->record(address, length, false, bytes, nullptr);
    return 0;
  }
  static int write(void* context, uint32_t address, const void* data, uint32_t length) {
    auto* self = static_cast<PrecompileMemory*>(context);
    // Checked before `before` is sized by the library's length.
    if (!self->memory->range_allows(address, length, kPermWrite)) return self->refuse(address, length, true);
    std::vector<uint8_t> before;
    if (self->trace) {
      before.resize(length);
      if (!self->memory->read(address, length, before.data())) return self->refuse(address, length, true);
    }
    if (!self->memory->write(address, length, static_cast<const uint8_t*>(data))) {
      return self->refuse(address, length, true);
    }
    if (self->dirty && length > 0) {  // write() succeeded, so the range does not wrap
      const uint32_t last = address + (length - 1);
      for (uint64_t page = address >> GuestMemory::kPageBits; page <= last >> GuestMemory::kPageBits; ++page) {
        self->dirty[page] = 1;
      }
    }
    self->record(address, length, true, before.data(), static_cast<const uint8_t*>(data));
    return 0;
  }
};

}  // namespace

Machine::Stop Machine::call_precompile(uint32_t index, uint32_t rs1, uint32_t rs2, uint32_t* rd) {
  const PrecompileRegistry::Entry* entry = precompiles_->find(index);
  if (!entry) {
    return fault(FaultKind::kUnsupportedPrecompile, pc_, index,
                 fmt::format("custom-0 precompile #{}: the program declares no precompile with this index", index));
  }
  PrecompileMemory bridge{&memory, trace_, retired_ - 1, dirty_.get()};  // retired_ counts the current step
  const zkrv_guest_memory guest_memory{&bridge, &PrecompileMemory::read, &PrecompileMemory::write};
  zkrv_precompile_call call{};
  call.abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
  call.struct_size = sizeof(call);
  call.kind = ZKRV_CALL_EVAL;
  call.rs1 = rs1;
  call.rs2 = rs2;
  call.memory = &guest_memory;
  const int status = entry->implementation.eval(&call);
  call.error[sizeof(call.error) - 1] = 0;
  const std::string who = fmt::format("precompile #{} ({} {})", index, entry->implementation.name, entry->implementation.version);
  if (bridge.failed) {  // even if the library ignored the refusal
    return fault(FaultKind::kPrecompileFault, pc_, bridge.failed_address,
                 fmt::format("{}: {} of {} bytes at 0x{:x} is not allowed ({})", who, bridge.failed_write ? "write" : "read",
                             bridge.failed_length, bridge.failed_address,
                             access_fault_message(bridge.failed_address, bridge.failed_write ? kPermWrite : kPermRead)));
  }
  switch (status) {
    case ZKRV_PRECOMPILE_OK:
      *rd = call.rd;
      ++precompile_calls_[entry->ordinal];
      return Stop::kContinue;
    case ZKRV_PRECOMPILE_FAULT:
      return fault(FaultKind::kPrecompileFault, pc_, index, fmt::format("{}: {}", who, call.error));
    case ZKRV_PRECOMPILE_BAD_ABI:
      return fault(FaultKind::kPrecompileFault, pc_, index,
                   fmt::format("{}: the library does not speak precompile ABI version {}", who, ZKRV_PRECOMPILE_ABI_VERSION));
    default:
      return fault(FaultKind::kPrecompileFault, pc_, index, fmt::format("{}: unknown status {}", who, status));
  }
}

Machine::~Machine() { munmap(slots_, slots_bytes_); }

uint8_t Machine::fetch(uint32_t pc, uint32_t* bits) const {
  if (!memory.accessible(pc, 2, kPermExec)) return 0;
  const uint16_t low = base::load_le16(memory.base() + pc);
  *bits = low;
  if (isa::is_compressed(low) || !memory.accessible(pc, 4, kPermExec)) return 2;
  *bits = base::load_le32(memory.base() + pc);
  return 4;
}

bool Machine::decode_into(Slot* slot, uint32_t pc) {
  uint32_t bits = 0;
  const uint8_t fetched = fetch(pc, &bits);
  if (fetched == 0 || (fetched == 2 && !isa::is_compressed(bits))) return false;
  const isa::DecodedInsn d = isa::decode(bits);
  slot->op = slot_op(d.op, d.length);
  slot->rd = d.rd == 0 ? 32 : d.rd;
  slot->rs1 = d.rs1;
  slot->rs2 = d.rs2;
  slot->imm = d.imm;
  slot->raw = d.raw;
  return true;
}

bool Machine::slow_access(uint32_t addr, uint32_t size, uint8_t need) {
  if (!memory.accessible(addr, size, need)) return false;
  if (addr & (size - 1)) ++misaligned_;
  return true;
}

Machine::Stop Machine::fault(FaultKind kind, uint32_t pc, uint32_t addr, std::string detail) {
  result_.reason = StopReason::kFault;
  Fault& f = result_.fault;
  f.kind = kind;
  f.pc = pc;
  f.addr = addr;
  f.detail = std::move(detail);
  f.raw = 0;
  f.raw_length = fetch(pc, &f.raw);
  return Stop::kFault;
}

std::string Machine::access_fault_message(uint32_t addr, uint8_t need) const {
  const char* verb = need == kPermWrite ? "write" : "read";
  const uint8_t p = memory.page_permissions(addr);
  if (p == 0) return fmt::format("{} of address 0x{:x}, which is not mapped", verb, addr);
  if (!(p & need)) {
    return fmt::format("{} of address 0x{:x}, whose page is {}{}{}", verb, addr, p & kPermRead ? "r" : "-",
                       p & kPermWrite ? "w" : "-", p & kPermExec ? "x" : "-");
  }
  return fmt::format("{} of address 0x{:x} crosses into the next page, which does not allow it", verb, addr);
}

void Machine::log(int fd, std::span<const uint8_t> bytes) {
  if (config_.log_sink) {
    config_.log_sink(fd, bytes);
    return;
  }
  FILE* out = fd == 1 ? stdout : stderr;
  std::fwrite(bytes.data(), 1, bytes.size(), out);
  std::fflush(out);
}

bool Machine::region_name(uint32_t ptr, uint32_t len, std::string* name) {
  if (len > kMaxRegionName) return false;
  name->resize(len);
  return memory.read(ptr, len, reinterpret_cast<uint8_t*>(name->data()));
}

void Machine::ignore_region_call(std::string why) {
  if (result_.ignored_region_calls++ != 0) return;
  // The name is the guest's bytes: kept to one printable line for the host's warning.
  for (char& ch : why) {
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) == 0x7f) ch = '?';
  }
  result_.first_ignored_region_call = fmt::format("pc 0x{:x}: {}", pc_, why);
}

Machine::Stop Machine::ecall(uint64_t retired) {
  const uint32_t number = x_[kA7];
  switch (number) {
    case kSysExit:
    case kSysExitGroup:
      result_.reason = StopReason::kExit;
      result_.exit_code = static_cast<int32_t>(x_[kA0]);
      return Stop::kExit;
    case kSysWrite: {
      const uint32_t fd = x_[kA0], buf = x_[kA1], len = x_[kA2];
      if (fd != 1 && fd != 2) {
        x_[kA0] = kEbadf;
        return Stop::kContinue;
      }
      // Checked before any host work: a length of 4 GiB must cost one permission check per page,
      // not a 4 GiB host buffer.
      if (!memory.range_allows(buf, len, kPermRead)) {
        return fault(FaultKind::kBadSyscallArgument, pc_, buf,
                     fmt::format("write(fd={}, buf=0x{:x}, len={}): the buffer is not readable guest memory", fd, buf, len));
      }
      std::vector<uint8_t> chunk(std::min(len, kLogChunk));
      for (uint32_t done = 0; done < len;) {
        const uint32_t n = std::min(len - done, kLogChunk);
        memory.read(buf + done, n, chunk.data());
        log(static_cast<int>(fd), std::span<const uint8_t>(chunk.data(), n));
        done += n;
      }
      x_[kA0] = len;
      return Stop::kContinue;
    }
    case kSysRegionBegin:
    case kSysRegionEnd: {
      const bool begin = number == kSysRegionBegin;
      const char* call = begin ? "zkrv_region_begin" : "zkrv_region_end";
      std::string name;
      if (!region_name(x_[kA0], x_[kA1], &name)) {
        return fault(FaultKind::kBadSyscallArgument, pc_, x_[kA0],
                     fmt::format("{}: the name at 0x{:x} (length {}) is not readable or longer than {} bytes", call,
                                 x_[kA0], x_[kA1], kMaxRegionName));
      }
      // Past the bounds, or ending a region that is not open, the call is ignored rather than
      // faulting: whether it is depends on the name's bytes, which the proof does not read, so a
      // fault here could not be proven (docs/abi.md, "System calls"). Regions only feed the report.
      if (begin) {
        auto [it, added] = region_index_.try_emplace(name, regions_.size());
        if (added && regions_.size() == kMaxRegions) {
          region_index_.erase(it);
          ignore_region_call(fmt::format("zkrv_region_begin: region \"{}\" would be the run's {}th distinct region; "
                                         "the limit is {}", name, kMaxRegions + 1, kMaxRegions));
        } else if (open_regions_.size() == kMaxOpenRegions) {
          if (added) region_index_.erase(it);
          ignore_region_call(fmt::format("zkrv_region_begin: region \"{}\" would nest {} deep; the limit is {}", name,
                                         kMaxOpenRegions + 1, kMaxOpenRegions));
        } else {
          if (added) regions_.push_back({name, 0});
          open_regions_.push_back({it->second, retired});
        }
      } else {
        // The stack is at most kMaxOpenRegions deep, so this search is bounded.
        auto it = open_regions_.rbegin();
        while (it != open_regions_.rend() && regions_[it->index].name != name) ++it;
        if (it == open_regions_.rend()) {
          ignore_region_call(fmt::format("zkrv_region_end: region \"{}\" is not open", name));
        } else {
          regions_[it->index].total += retired - it->start;
          open_regions_.erase(std::next(it).base());
        }
      }
      x_[kA0] = 0;
      return Stop::kContinue;
    }
    case kSysCycleCount:
      x_[kA0] = static_cast<uint32_t>(retired);
      x_[kA1] = static_cast<uint32_t>(retired >> 32);
      return Stop::kContinue;
    default:
      return fault(FaultKind::kUnknownSyscall, pc_, number, fmt::format("ecall number {} (0x{:x}) in a7", number, number));
  }
}

Machine::Stop Machine::tape_write(uint32_t offset, uint32_t value) {
  if (offset & 3) {
    return fault(FaultKind::kMisalignedTapeOffset, pc_, offset,
                 fmt::format("output tape offset 0x{:x} is not a multiple of 4", offset));
  }
  const uint64_t tape_limit = uint64_t{config_.max_output_bytes} + 4;
  if (offset >= tape_limit) {
    return fault(FaultKind::kOutputLimit, pc_, offset,
                 fmt::format("output tape offset 0x{:x} is beyond the maximum output of {} bytes", offset,
                             config_.max_output_bytes));
  }
  // In 64 bits: offset + 4 wraps to 0 in 32 bits for offset 0xfffffffc, and the store would then
  // land past the end of a tape that was never grown.
  const uint64_t end = uint64_t{offset} + 4;
  if (end > output_tape_.size()) output_tape_.resize(end, 0);
  base::store_le<uint32_t>(output_tape_.data() + offset, value);
  return Stop::kContinue;
}

void Machine::finish_output() {
  uint32_t length = 0;
  if (output_tape_.size() >= 4) length = base::load_le32(output_tape_.data());
  if (length > config_.max_output_bytes) {
    fault(FaultKind::kOutputLimit, pc_, length,
          fmt::format("the output length word says {} bytes, more than the maximum output of {} bytes", length,
                      config_.max_output_bytes));
    return;
  }
  result_.public_output.assign(length, 0);
  if (output_tape_.size() > 4 && length > 0) {
    const size_t available = std::min<size_t>(length, output_tape_.size() - 4);
    std::memcpy(result_.public_output.data(), output_tape_.data() + 4, available);
  }
}

void Machine::drop_step(uint64_t index) {
  if (trace_->keeps(index) && !trace_->steps.empty() && trace_->first_step + trace_->steps.size() == index + 1) {
    trace_->steps.pop_back();
  }
  while (!trace_->precompile_accesses.empty() && trace_->precompile_accesses.back().step == index) {
    trace_->precompile_accesses.pop_back();
  }
}

RunResult Machine::run(const Inputs& inputs, Trace* trace) {
  start(inputs, trace);
  const auto start_time = std::chrono::steady_clock::now();
  execute(config_.max_cycles);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  RunResult result = finish();
  result.seconds = seconds;
  return result;
}

void Machine::start(const Inputs& inputs, Trace* trace) {
  started_ = true;
  trace_ = trace;
  for (const auto* input : {&inputs.public_input, &inputs.private_input}) {
    if (input->size() > config_.max_input_bytes) {
      throw LoadError(fmt::format("{} input is {} bytes, more than the limit of {} bytes",
                                  input == &inputs.public_input ? "public" : "private", input->size(),
                                  config_.max_input_bytes));
    }
  }
  public_tape_ = make_input_tape(inputs.public_input);
  private_tape_ = make_input_tape(inputs.private_input);
}

void Machine::invalidate_code(uint32_t addr, uint32_t size) {
  // A 4-byte instruction that starts 2 bytes before addr also covers it.
  const uint64_t lo = std::max<uint64_t>(addr, uint64_t{exec_lo_} + 2) - 2;
  const uint64_t hi = std::min<uint64_t>(uint64_t{addr} + size, uint64_t{exec_lo_} + exec_span_);
  for (uint64_t a = lo & ~uint64_t{1}; a < hi; a += 2) slots_[(a - exec_lo_) / 2] = Slot{};
}

RunResult Machine::finish() {
  if (trace_ && trace_->segment_steps) trace_->flush();  // the last, partial segment

  for (auto it = open_regions_.rbegin(); it != open_regions_.rend(); ++it) {
    regions_[it->index].total += retired_ - it->start;  // regions still open at exit close there
  }
  open_regions_.clear();
  if (result_.reason == StopReason::kExit) finish_output();
  result_.instructions = retired_;
  for (const Region& r : regions_) result_.regions.emplace_back(r.name, r.total);
  for (size_t i = 0; i < precompile_calls_.size(); ++i) {
    result_.precompile_calls.emplace_back(precompiles_->entries()[i]->implementation.name, precompile_calls_[i]);
  }
  result_.misaligned_accesses = misaligned_;
  result_.pages_touched = memory.resident_pages();
  result_.mapped_pages = memory.mapped_pages();
  for (int i = 0; i < 32; ++i) result_.registers[i] = x_[i];
  result_.registers[0] = 0;
  result_.pc = pc_;
  return result_;
}

Vm::Vm(const elf::ElfImage& image, const VmConfig& config)
    : image_(image), machine_(std::make_unique<Machine>(image, config)) {}
Vm::~Vm() = default;

RunResult Vm::run(const Inputs& inputs) { return machine_->run(inputs); }
RunResult Vm::run_traced(const Inputs& inputs, Trace* trace) { return machine_->run(inputs, trace); }
std::array<uint8_t, 32> Vm::memory_digest() const { return machine_->memory.digest(); }
const GuestMemory& Vm::memory() const { return machine_->memory; }

std::string Vm::describe(const Fault& f) const {
  std::string where = fmt::format("pc 0x{:x}", f.pc);
  const std::string symbol = image_.symbolize(f.pc);
  if (!symbol.empty()) where += fmt::format(" ({})", symbol);
  std::string insn;
  if (f.raw_length == 2) {
    insn = fmt::format(": {} [{:04x}]", isa::disassemble(isa::decode(f.raw), f.pc), f.raw & 0xffff);
  } else if (f.raw_length == 4) {
    insn = fmt::format(": {} [{:08x}]", isa::disassemble(isa::decode(f.raw), f.pc), f.raw);
  }
  std::string message = fmt::format("{} at {}{}", fault_name(f.kind), where, insn);
  if (!f.detail.empty()) message += ": " + f.detail;
  return message;
}

}  // namespace zkrv::vm
