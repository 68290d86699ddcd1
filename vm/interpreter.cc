// The interpreter loop: direct-threaded dispatch (computed goto) over a cache of decoded
// instructions. Why it is written this way: it is the VM's hot path, and a decode-once cache with one
// indirect jump per instruction is what makes exact instruction counting cheap (libriscv's approach).
// The semantics are not here: each handler includes its instruction's file from isa/insns/, written
// against the names of isa/insn_contract.h, which this file defines for the interpreter. The
// handlers themselves are stamped from ZKRV_ISA_OPS: vm/gen_handlers.cc writes them to the
// generated vm/handlers.inc (a macro cannot emit #include), and the dispatch table is generated
// from the same list, each entry checked against its op's name, so adding an op touches only the
// list and its semantics file.
//
// Counting is exact: `remaining` is decremented once per instruction before it runs, and a
// faulting instruction is given back, so `retired` is always the number of completed instructions.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>

#include "vm/machine.h"

namespace zkrv::vm {

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

// The contract's primitives for the interpreter. They expand inside execute_loop, on its locals:
// x (registers), mem and perm (guest memory), s (the current slot), remaining, budget and start (the
// count; start is what had retired before this call: a debugger runs the loop a step at a time),
// fault_addr, step (the pass-2 record) and the constants kTrace and kLength.
#define RETIRED() (start + budget - remaining)
#define PC (exec_lo + static_cast<uint32_t>(s - slots) * 2u)
#define SYNC_PC() (pc_ = PC, retired_ = RETIRED())
#define RS1 x[s->rs1]
#define RS2 x[s->rs2]
#define IMM s->imm
#define LEN kLength
#define WRITE_RD(v)                                               \
  do {                                                            \
    x[s->rd] = (v);                                               \
    if constexpr (kTrace) step->rd_value = s->rd == 32 ? 0 : x[s->rd]; \
  } while (0)
#define TRACE_ACCESS(addr, before, after)         \
  do {                                            \
    if constexpr (kTrace) {                       \
      step->mem_addr = (addr);                    \
      step->mem_before = static_cast<uint32_t>(before); \
      step->mem_after = static_cast<uint32_t>(after);   \
    }                                             \
  } while (0)

#define DISPATCH()                                  \
  do {                                              \
    if (UNLIKELY(remaining == 0)) goto cycle_limit; \
    --remaining;                                    \
    if constexpr (kTrace) step = begin_step(PC, s->raw, RETIRED() - 1, x[s->rs1], x[s->rs2]); \
    goto* static_cast<void*>(handler_base + s->handler); \
  } while (0)
#define NEXT(halfwords)  \
  do {                   \
    s += (halfwords);    \
    DISPATCH();          \
  } while (0)
#define JUMP(target)                                   \
  do {                                                 \
    const uint32_t jump_offset_ = (target) - exec_lo;  \
    if (UNLIKELY(jump_offset_ >= exec_span)) {         \
      fault_addr = (target);                           \
      goto jump_out_of_code;                           \
    }                                                  \
    s = slots + (jump_offset_ >> 1);                   \
    DISPATCH();                                        \
  } while (0)

// Loads and stores: one permission byte and an alignment test on the fast path; misaligned and
// page-crossing accesses take the slow path, which also counts them.
#define ACCESS_OK(addr, size, need)                                                        \
  ((LIKELY(((addr) & ((size) - 1)) == 0) && LIKELY(perm[(addr) >> GuestMemory::kPageBits] & (need))) || \
   slow_access((addr), (size), (need)))
#define LOAD_AS(T, address)                                   \
  ({                                                          \
    const uint32_t load_addr_ = (address);                    \
    if (UNLIKELY(!ACCESS_OK(load_addr_, sizeof(T), kPermRead))) { \
      fault_addr = load_addr_;                                \
      goto load_fault;                                        \
    }                                                         \
    T load_value_;                                            \
    std::memcpy(&load_value_, mem + load_addr_, sizeof(T));   \
    TRACE_ACCESS(load_addr_, load_value_, load_value_);       \
    load_value_;                                              \
  })
#define STORE_AS(T, address, value)                            \
  do {                                                         \
    const uint32_t store_addr_ = (address);                    \
    if (UNLIKELY(!ACCESS_OK(store_addr_, sizeof(T), kPermWrite))) { \
      fault_addr = store_addr_;                                \
      goto store_fault;                                        \
    }                                                          \
    const T store_value_ = (value);                            \
    if constexpr (kTrace) {                                    \
      T store_before_;                                         \
      std::memcpy(&store_before_, mem + store_addr_, sizeof(T)); \
      TRACE_ACCESS(store_addr_, store_before_, store_value_);  \
    }                                                          \
    MARK_DIRTY(store_addr_, sizeof(T));                        \
    std::memcpy(mem + store_addr_, &store_value_, sizeof(T));  \
  } while (0)
// Checkpoints: the pages written since the last one (both pages of an access that crosses into the
// next). Pass 1 without checkpoints (kRun) compiles this away; kRunTracked marks every store, and a
// resumed pass 2 marks when its machine tracks.
#define MARK_DIRTY(address, size)                                                 \
  do {                                                                            \
    if constexpr (kTracked || kTrace) {                                           \
      if (kTracked || dirty_map) {                                                \
        dirty_map[(address) >> GuestMemory::kPageBits] = 1;                       \
        dirty_map[((address) + (size) - 1) >> GuestMemory::kPageBits] = 1;        \
      }                                                                           \
    }                                                                             \
  } while (0)
#define LOAD_U8(a) LOAD_AS(uint8_t, a)
#define LOAD_U16(a) LOAD_AS(uint16_t, a)
#define LOAD_U32(a) LOAD_AS(uint32_t, a)
#define STORE_U8(a, v) STORE_AS(uint8_t, a, v)
#define STORE_U16(a, v) STORE_AS(uint16_t, a, v)
#define STORE_U32(a, v) STORE_AS(uint32_t, a, v)

// Atomics must be aligned (Zicclsm covers plain loads and stores only).
#define AMO_CHECK(a)              \
  do {                            \
    if (UNLIKELY((a) & 3)) {      \
      fault_addr = (a);           \
      goto misaligned_atomic;     \
    }                             \
  } while (0)
#define RESERVE(a) (reservation_valid_ = true, reservation_ = (a))
#define RESERVED(a) (reservation_valid_ && reservation_ == (a))
#define CLEAR_RESERVATION() (reservation_valid_ = false)

#define TAPE_READ(tape, offset)                                         \
  ({                                                                    \
    const uint32_t tape_offset_ = (offset);                             \
    if (UNLIKELY(tape_offset_ & 3)) {                                   \
      fault_addr = tape_offset_;                                        \
      goto misaligned_tape_read;                                        \
    }                                                                   \
    uint32_t tape_word_ = 0;                                            \
    if (tape_offset_ < (tape).size()) std::memcpy(&tape_word_, (tape).data() + tape_offset_, 4); \
    TRACE_ACCESS(tape_offset_, tape_word_, tape_word_);                 \
    tape_word_;                                                         \
  })
#define TAPE_READ_PUBLIC(offset) TAPE_READ(public_tape_, offset)
#define TAPE_READ_PRIVATE(offset) TAPE_READ(private_tape_, offset)
#define TAPE_WRITE(offset, value)                                      \
  do {                                                                 \
    SYNC_PC();                                                         \
    if constexpr (kTrace) {                                            \
      const uint32_t tape_offset_ = (offset);                          \
      uint32_t tape_before_ = 0;                                       \
      if (tape_offset_ + uint64_t{4} <= output_tape_.size()) std::memcpy(&tape_before_, output_tape_.data() + tape_offset_, 4); \
      TRACE_ACCESS(tape_offset_, tape_before_, (value));               \
    }                                                                  \
    if (UNLIKELY(tape_write((offset), (value)) != Stop::kContinue)) goto stopped_in_instruction; \
  } while (0)
#define ECALL()                                                  \
  do {                                                           \
    SYNC_PC();                                                   \
    const Stop ecall_stop_ = ecall(RETIRED() - 1);               \
    if (ecall_stop_ == Stop::kExit) goto exited;                 \
    if (UNLIKELY(ecall_stop_ == Stop::kFault)) goto stopped_in_instruction; \
    if constexpr (kTrace) step->rd_value = x[10]; /* a0 after the call (docs/trace.md) */ \
  } while (0)
#define PRECOMPILE(index, a, b)                                                         \
  ({                                                                                    \
    SYNC_PC();                                                                          \
    uint32_t precompile_rd_ = 0;                                                        \
    if (call_precompile((index), (a), (b), &precompile_rd_) != Stop::kContinue) goto stopped_in_instruction; \
    precompile_rd_;                                                                     \
  })
#define ILLEGAL_INSTRUCTION() goto illegal_instruction

#include "isa/insn_contract.h"

// One handler: the semantics of op `name` for its form of `length` bytes, followed by the dispatch of
// the next slot (a constant step, so no load on the critical path). vm/handlers.inc holds, for every
// op X in ZKRV_ISA_OPS and length n in 4, 2:
//   ZKRV_HANDLER_BEGIN(X, n)
//   #include "isa/insns/x.h"
//   ZKRV_HANDLER_END(n)
// In the kProbe instantiation a handler only names itself, for dispatch_probe().
#define ZKRV_HANDLER_BEGIN(name, length)                  \
  L_##name##_##length : {                                 \
    [[maybe_unused]] constexpr uint32_t kLength = length; \
    if constexpr (kProbe) {                               \
      probed_ = {isa::Op::name, length};                  \
      return;                                             \
    }
#define ZKRV_HANDLER_END(length) \
  }                              \
  NEXT((length) / 2);

// Handlers are named by their offset from L_NOT_DECODED, which each decoded slot stores: dispatch
// is then one load and an indirect jump, and a zeroed (undecoded) slot lands on the decoder. The
// table is generated from ZKRV_ISA_OPS, op by op, next to the key each entry must have
// (kHandlerKeys), so that it stays a constant (label differences are link-time constants) and
// the static_assert below proves every entry sits where slot_op() looks for that op's name.
#define ZKRV_HANDLER_OFFSET(label) \
  static_cast<int32_t>(static_cast<char*>(&&label) - static_cast<char*>(&&L_NOT_DECODED))
#define ZKRV_HANDLER_ENTRIES(name, mnemonic, format) ZKRV_HANDLER_OFFSET(L_##name##_4), ZKRV_HANDLER_OFFSET(L_##name##_2),
#define ZKRV_HANDLER_KEYS(name, mnemonic, format) slot_op(isa::Op::name, 4), slot_op(isa::Op::name, 2),

namespace {

constexpr std::array<uint8_t, kSlotOps> kHandlerKeys = {0, ZKRV_ISA_OPS(ZKRV_HANDLER_KEYS)};

constexpr bool handler_keys_in_place() {
  for (size_t i = 0; i < kSlotOps; ++i) {
    if (kHandlerKeys[i] != i) return false;
  }
  return true;
}
static_assert(handler_keys_in_place(), "entry i of the dispatch table must be the handler of slot_op i");

}  // namespace

// The exits for a fault raised by the instruction being executed, which does not retire.
#define FAULT_EXIT(label, kind, message)     \
  label:                                     \
  pc_ = PC;                                  \
  retired_ = RETIRED() - 1;                  \
  if constexpr (kTrace) drop_step(retired_); \
  fault(kind, pc_, fault_addr, message);     \
  return;

bool Machine::execute(uint64_t steps) {
  paused_ = false;
  const uint64_t budget = std::min(steps, config_.max_cycles - std::min(retired_, config_.max_cycles));
  if (trace_) {
    execute_loop<Mode::kTrace>(budget);
  } else if (dirty_) {
    execute_loop<Mode::kRunTracked>(budget);
  } else {
    execute_loop<Mode::kRun>(budget);
  }
  return !paused_;
}

Machine::HandlerId Machine::dispatch_probe(isa::Op op, uint32_t length) {
  Slot* const slot = slots_;  // the slot of exec_lo_, restored afterwards
  const Slot saved_slot = *slot;
  const uint32_t saved_pc = pc_;
  *slot = Slot{};
  slot->op = slot_op(op, length);
  pc_ = exec_lo_;
  probed_ = {};
  execute_loop<Mode::kProbe>(1);
  *slot = saved_slot;
  pc_ = saved_pc;
  return probed_;
}

// kTrace adds the pass-2 recording to every handler; with kTrace false every recording statement
// is discarded at compile time, so pass 1 pays nothing for it. kRunTracked is pass 1 with
// checkpoints (stores mark their pages); kProbe is dispatch_probe()'s.
template <Machine::Mode kMode>
void Machine::execute_loop(const uint64_t budget) {
  constexpr bool kTrace = kMode == Mode::kTrace;
  constexpr bool kProbe = kMode == Mode::kProbe;
  constexpr bool kTracked = kMode == Mode::kRunTracked;
  // Entry slot_op(Op::X, n) is handler L_X_n, for every X of ZKRV_ISA_OPS in whatever order.
  static const int32_t kHandlers[kSlotOps] = {0, ZKRV_ISA_OPS(ZKRV_HANDLER_ENTRIES)};

  char* const handler_base = static_cast<char*>(&&L_NOT_DECODED);
  uint32_t* const x = x_;
  uint8_t* const mem = memory.base();
  const uint8_t* const perm = memory.permissions();
  [[maybe_unused]] uint8_t* const dirty_map = dirty_.get();
  Slot* const slots = slots_;
  const uint32_t exec_lo = exec_lo_;
  const uint32_t exec_span = exec_span_;
  const uint64_t start = retired_;
  uint64_t remaining = budget;
  uint32_t fault_addr = 0;
  Slot* s;
  TraceStep* step = &scratch_step_;  // the record of the instruction being executed (pass 2)

  {
    const uint32_t entry_offset = pc_ - exec_lo;
    if (entry_offset >= exec_span) {
      fault(FaultKind::kFetchFault, pc_, pc_, "the entry point is not in executable memory");
      return;
    }
    s = slots + entry_offset / 2;
  }
  if constexpr (kProbe) s->handler = kHandlers[s->op];  // dispatch_probe() put an op in the slot
  DISPATCH();

  L_NOT_DECODED: {
    const uint32_t pc = PC;
    if (UNLIKELY(s >= slots + exec_span / 2 || !decode_into(s, pc))) {
      fault_addr = pc;
      goto fetch_fault;
    }
    if constexpr (kTrace) {  // the dispatch read an empty slot
      step->insn = s->raw;
      step->rs1_value = x[s->rs1];
      step->rs2_value = x[s->rs2];
    }
    s->handler = kHandlers[s->op];
    goto* static_cast<void*>(handler_base + s->handler);  // already counted by the dispatch that brought us here
  }

  // The handlers: two per op of ZKRV_ISA_OPS, stamped by ZKRV_HANDLER_BEGIN/END around its semantics.
#include "vm/handlers.inc"

  // Exits from the loop. Each stores the state the caller reads.
exited:
  retired_ = RETIRED();
  return;
cycle_limit:
  pc_ = PC;
  retired_ = RETIRED();
  if (retired_ < config_.max_cycles) {  // a debugger's step budget ran out, not the run's
    paused_ = true;
    return;
  }
  fault(FaultKind::kCycleLimit, pc_, 0,
        "the run reached its limit of " + std::to_string(config_.max_cycles) + " instructions (--max-cycles)");
  return;
stopped_in_instruction:  // ecall or tape write faulted: the instruction did not retire
  retired_ = RETIRED() - 1;
  if constexpr (kTrace) drop_step(retired_);
  return;
jump_out_of_code:
  // The jump itself completed; the fault is the fetch at its target.
  pc_ = fault_addr;
  retired_ = RETIRED();
  fault(FaultKind::kFetchFault, fault_addr, fault_addr, "no executable memory at the jump target");
  return;
fetch_fault:
  pc_ = fault_addr;
  retired_ = RETIRED() - 1;
  if constexpr (kTrace) drop_step(retired_);
  fault(FaultKind::kFetchFault, fault_addr, fault_addr, "no executable memory at this address");
  return;
  FAULT_EXIT(load_fault, FaultKind::kLoadFault, access_fault_message(fault_addr, kPermRead))
  FAULT_EXIT(store_fault, FaultKind::kStoreFault, access_fault_message(fault_addr, kPermWrite))
  FAULT_EXIT(misaligned_atomic, FaultKind::kMisalignedAtomic,
             fmt::format("atomic access to address 0x{:x} is not 4-byte aligned", fault_addr))
  FAULT_EXIT(misaligned_tape_read, FaultKind::kMisalignedTapeOffset,
             fmt::format("input tape offset 0x{:x} is not a multiple of 4", fault_addr))
  FAULT_EXIT(illegal_instruction, FaultKind::kIllegalInstruction, "not an instruction of guest ABI v1")
}

template void Machine::execute_loop<Machine::Mode::kRun>(uint64_t);
template void Machine::execute_loop<Machine::Mode::kTrace>(uint64_t);
template void Machine::execute_loop<Machine::Mode::kRunTracked>(uint64_t);
template void Machine::execute_loop<Machine::Mode::kProbe>(uint64_t);

}  // namespace zkrv::vm
