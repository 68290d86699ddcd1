// DebugSession: run() one instruction at a time, through the interpreter's pass 2 so that the step
// reports the memory it accessed (the trace record's address) without a second copy of any semantics.
#include <cstdint>
#include <cstring>

#include "isa/isa.h"
#include "vm/machine.h"
#include "vm/vm.h"

namespace zkrv::vm {
namespace {

uint32_t access_size(isa::Op op) {
  switch (op) {
    case isa::Op::LB: case isa::Op::LBU: case isa::Op::SB: return 1;
    case isa::Op::LH: case isa::Op::LHU: case isa::Op::SH: return 2;
    default: return 4;
  }
}

}  // namespace

DebugSession::DebugSession(Machine& machine) : machine_(machine) {}
DebugSession::~DebugSession() = default;

std::unique_ptr<DebugSession> Vm::debug(const Inputs& inputs) {
  auto session = std::make_unique<DebugSession>(*machine_);
  machine_->start(inputs, &session->trace_);
  return session;
}

bool DebugSession::step() {
  accesses_.clear();
  if (halted_) return false;
  trace_.steps.clear();
  trace_.precompile_accesses.clear();
  trace_.precompile_bytes.clear();
  if (machine_.execute(1)) {
    halted_ = true;
    result_ = machine_.finish();
  }
  if (!trace_.steps.empty()) {
    const TraceStep& record = trace_.steps.back();
    const isa::DecodedInsn insn = isa::decode(record.insn);
    const isa::Format format = isa::format(insn.op);
    const bool tape = insn.op == isa::Op::RIN || insn.op == isa::Op::HIN || insn.op == isa::Op::WOU;
    if (!tape && (format == isa::Format::kLoad || format == isa::Format::kLr)) {
      accesses_.push_back({record.mem_addr, access_size(insn.op), true, false});
    } else if (!tape && format == isa::Format::kStore) {
      accesses_.push_back({record.mem_addr, access_size(insn.op), false, true});
    } else if (format == isa::Format::kAmo) {
      accesses_.push_back({record.mem_addr, 4, insn.op != isa::Op::SC_W, true});
    }
  }
  for (const PrecompileAccess& a : trace_.precompile_accesses) {
    accesses_.push_back({a.addr, a.length, !a.write, a.write});
  }
  return !halted_;
}

void DebugSession::resume() {
  accesses_.clear();
  if (halted_) return;
  trace_.steps.clear();
  trace_.count = 0;  // keep no steps: nothing watches them any more
  machine_.execute(UINT64_MAX);
  halted_ = true;
  result_ = machine_.finish();
}

uint64_t DebugSession::instructions() const { return machine_.retired(); }
uint32_t DebugSession::pc() const { return machine_.pc(); }

bool DebugSession::set_pc(uint32_t pc) {
  if (pc & 1) return false;
  machine_.set_pc(pc);
  return true;
}

uint32_t DebugSession::reg(unsigned i) const { return i < 32 ? machine_.reg(i) : 0; }
void DebugSession::set_reg(unsigned i, uint32_t value) {
  if (i < 32) machine_.set_reg(i, value);
}

bool DebugSession::mapped(uint32_t addr, size_t size) const {
  if (size == 0) return true;
  if (uint64_t{addr} + size > (uint64_t{1} << 32)) return false;
  const uint32_t last = static_cast<uint32_t>(addr + (size - 1));
  for (uint64_t page = addr >> GuestMemory::kPageBits; page <= (last >> GuestMemory::kPageBits); ++page) {
    if (machine_.memory.page_permissions(static_cast<uint32_t>(page << GuestMemory::kPageBits)) == 0) return false;
  }
  return true;
}

bool DebugSession::read_memory(uint32_t addr, std::span<uint8_t> out) const {
  if (!mapped(addr, out.size())) return false;
  if (!out.empty()) std::memcpy(out.data(), machine_.memory.base() + addr, out.size());
  return true;
}

bool DebugSession::write_memory(uint32_t addr, std::span<const uint8_t> bytes) {
  if (!mapped(addr, bytes.size())) return false;
  if (bytes.empty()) return true;
  std::memcpy(machine_.memory.base() + addr, bytes.data(), bytes.size());
  machine_.invalidate_code(addr, static_cast<uint32_t>(bytes.size()));
  return true;
}

}  // namespace zkrv::vm
