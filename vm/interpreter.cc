// The interpreter loop: direct-threaded dispatch (computed goto) over a cache of decoded
// instructions. Why it is written by hand: it is the VM's hot path, and a decode-once cache with one
// indirect jump per instruction is what makes exact instruction counting cheap (libriscv's approach).
// The semantics are not here: each handler includes its instruction's file from isa/insns/.
//
// Counting is exact: `remaining` is decremented once per instruction before it runs, and a
// faulting instruction is given back, so `retired` is always the number of completed instructions.
#include <fmt/format.h>

#include <cstring>

#include "vm/machine.h"

namespace zkrv::vm {

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

void Machine::execute() {
  if (trace_) {
    execute_loop<true>();
  } else {
    execute_loop<false>();
  }
}

// kTrace adds the pass-2 recording to every handler; with kTrace false every recording statement
// is discarded at compile time, so pass 1 pays nothing for it.
template <bool kTrace>
void Machine::execute_loop() {
  // Two handlers per instruction, for the 4-byte and the compressed form, so the step to the next
  // slot is a constant rather than a load on the critical path.
  // Handlers are named by their offset from L_NOT_DECODED, which each decoded slot stores: dispatch
  // is then one load and an indirect jump, and a zeroed (undecoded) slot lands on the decoder.
  static const int32_t kHandlers[] = {
      static_cast<int32_t>(static_cast<char*>(&&L_NOT_DECODED) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ILLEGAL_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ILLEGAL_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LUI_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LUI_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AUIPC_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AUIPC_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_JAL_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_JAL_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_JALR_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_JALR_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BEQ_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BEQ_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BNE_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BNE_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BLT_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BLT_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BGE_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BGE_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BLTU_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BLTU_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BGEU_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_BGEU_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LB_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LB_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LH_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LH_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LW_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LW_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LBU_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LBU_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LHU_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LHU_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SB_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SB_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SH_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SH_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SW_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SW_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ADDI_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ADDI_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLTI_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLTI_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLTIU_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLTIU_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_XORI_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_XORI_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ORI_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ORI_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ANDI_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ANDI_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLLI_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLLI_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SRLI_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SRLI_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SRAI_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SRAI_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ADD_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ADD_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SUB_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SUB_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLL_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLL_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLT_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLT_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLTU_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SLTU_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_XOR_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_XOR_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SRL_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SRL_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SRA_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SRA_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_OR_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_OR_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AND_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AND_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_MUL_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_MUL_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_MULH_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_MULH_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_MULHSU_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_MULHSU_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_MULHU_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_MULHU_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_DIV_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_DIV_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_DIVU_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_DIVU_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_REM_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_REM_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_REMU_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_REMU_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_FENCE_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_FENCE_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_FENCE_I_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_FENCE_I_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ECALL_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_ECALL_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LR_W_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_LR_W_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SC_W_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_SC_W_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOSWAP_W_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOSWAP_W_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOADD_W_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOADD_W_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOXOR_W_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOXOR_W_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOAND_W_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOAND_W_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOOR_W_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOOR_W_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOMIN_W_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOMIN_W_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOMAX_W_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOMAX_W_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOMINU_W_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOMINU_W_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOMAXU_W_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_AMOMAXU_W_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_RIN_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_RIN_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_HIN_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_HIN_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_WOU_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_WOU_2) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_PRECOMPILE_4) - static_cast<char*>(&&L_NOT_DECODED)),
      static_cast<int32_t>(static_cast<char*>(&&L_PRECOMPILE_2) - static_cast<char*>(&&L_NOT_DECODED)),
  };
  static_assert(sizeof(kHandlers) / sizeof(kHandlers[0]) == 2 * static_cast<size_t>(isa::Op::kCount) + 1);

  char* const handler_base = static_cast<char*>(&&L_NOT_DECODED);
  uint32_t* const x = x_;
  uint8_t* const mem = memory.base();
  const uint8_t* const perm = memory.permissions();
  Slot* const slots = slots_;
  const uint32_t exec_lo = exec_lo_;
  const uint32_t exec_span = exec_span_;
  const uint64_t budget = config_.max_cycles;
  uint64_t remaining = budget;
  uint32_t fault_addr = 0;
  Slot* s;
  TraceStep* step = &scratch_step_;  // the record of the instruction being executed (pass 2)

#define RETIRED() (budget - remaining)
#define PC (exec_lo + static_cast<uint32_t>(s - slots) * 2u)
#define SYNC_PC() (pc_ = PC, retired_ = RETIRED())
#define RS1 x[s->rs1]
#define RS2 x[s->rs2]
#define IMM s->imm
#define IMM_U static_cast<uint32_t>(s->imm)
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
#define BRANCH_IF(cond)           \
  do {                            \
    if (cond) JUMP(PC + IMM_U);   \
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
    std::memcpy(mem + store_addr_, &store_value_, sizeof(T));  \
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
#define AMO_LOAD(a) ({ AMO_CHECK(a); LOAD_U32(a); })
#define AMO_STORE(a, v) STORE_U32(a, v)
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
  } while (0)
#define PRECOMPILE(index, a, b)                                                         \
  ({                                                                                    \
    SYNC_PC();                                                                          \
    uint32_t precompile_rd_ = 0;                                                        \
    if (call_precompile((index), (a), (b), &precompile_rd_) != Stop::kContinue) goto stopped_in_instruction; \
    precompile_rd_;                                                                     \
  })
#define ILLEGAL_INSTRUCTION() goto illegal_instruction

  {
    const uint32_t entry_offset = pc_ - exec_lo;
    if (entry_offset >= exec_span) {
      fault(FaultKind::kFetchFault, pc_, pc_, "the entry point is not in executable memory");
      return;
    }
    s = slots + entry_offset / 2;
  }
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

  L_ILLEGAL_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/illegal.h"
  }
  NEXT(2);
  L_ILLEGAL_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/illegal.h"
  }
  NEXT(1);
  L_LUI_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/lui.h"
  }
  NEXT(2);
  L_LUI_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/lui.h"
  }
  NEXT(1);
  L_AUIPC_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/auipc.h"
  }
  NEXT(2);
  L_AUIPC_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/auipc.h"
  }
  NEXT(1);
  L_JAL_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/jal.h"
  }
  NEXT(2);
  L_JAL_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/jal.h"
  }
  NEXT(1);
  L_JALR_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/jalr.h"
  }
  NEXT(2);
  L_JALR_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/jalr.h"
  }
  NEXT(1);
  L_BEQ_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/beq.h"
  }
  NEXT(2);
  L_BEQ_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/beq.h"
  }
  NEXT(1);
  L_BNE_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/bne.h"
  }
  NEXT(2);
  L_BNE_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/bne.h"
  }
  NEXT(1);
  L_BLT_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/blt.h"
  }
  NEXT(2);
  L_BLT_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/blt.h"
  }
  NEXT(1);
  L_BGE_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/bge.h"
  }
  NEXT(2);
  L_BGE_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/bge.h"
  }
  NEXT(1);
  L_BLTU_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/bltu.h"
  }
  NEXT(2);
  L_BLTU_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/bltu.h"
  }
  NEXT(1);
  L_BGEU_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/bgeu.h"
  }
  NEXT(2);
  L_BGEU_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/bgeu.h"
  }
  NEXT(1);
  L_LB_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/lb.h"
  }
  NEXT(2);
  L_LB_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/lb.h"
  }
  NEXT(1);
  L_LH_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/lh.h"
  }
  NEXT(2);
  L_LH_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/lh.h"
  }
  NEXT(1);
  L_LW_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/lw.h"
  }
  NEXT(2);
  L_LW_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/lw.h"
  }
  NEXT(1);
  L_LBU_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/lbu.h"
  }
  NEXT(2);
  L_LBU_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/lbu.h"
  }
  NEXT(1);
  L_LHU_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/lhu.h"
  }
  NEXT(2);
  L_LHU_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/lhu.h"
  }
  NEXT(1);
  L_SB_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/sb.h"
  }
  NEXT(2);
  L_SB_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/sb.h"
  }
  NEXT(1);
  L_SH_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/sh.h"
  }
  NEXT(2);
  L_SH_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/sh.h"
  }
  NEXT(1);
  L_SW_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/sw.h"
  }
  NEXT(2);
  L_SW_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/sw.h"
  }
  NEXT(1);
  L_ADDI_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/addi.h"
  }
  NEXT(2);
  L_ADDI_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/addi.h"
  }
  NEXT(1);
  L_SLTI_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/slti.h"
  }
  NEXT(2);
  L_SLTI_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/slti.h"
  }
  NEXT(1);
  L_SLTIU_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/sltiu.h"
  }
  NEXT(2);
  L_SLTIU_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/sltiu.h"
  }
  NEXT(1);
  L_XORI_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/xori.h"
  }
  NEXT(2);
  L_XORI_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/xori.h"
  }
  NEXT(1);
  L_ORI_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/ori.h"
  }
  NEXT(2);
  L_ORI_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/ori.h"
  }
  NEXT(1);
  L_ANDI_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/andi.h"
  }
  NEXT(2);
  L_ANDI_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/andi.h"
  }
  NEXT(1);
  L_SLLI_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/slli.h"
  }
  NEXT(2);
  L_SLLI_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/slli.h"
  }
  NEXT(1);
  L_SRLI_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/srli.h"
  }
  NEXT(2);
  L_SRLI_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/srli.h"
  }
  NEXT(1);
  L_SRAI_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/srai.h"
  }
  NEXT(2);
  L_SRAI_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/srai.h"
  }
  NEXT(1);
  L_ADD_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/add.h"
  }
  NEXT(2);
  L_ADD_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/add.h"
  }
  NEXT(1);
  L_SUB_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/sub.h"
  }
  NEXT(2);
  L_SUB_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/sub.h"
  }
  NEXT(1);
  L_SLL_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/sll.h"
  }
  NEXT(2);
  L_SLL_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/sll.h"
  }
  NEXT(1);
  L_SLT_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/slt.h"
  }
  NEXT(2);
  L_SLT_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/slt.h"
  }
  NEXT(1);
  L_SLTU_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/sltu.h"
  }
  NEXT(2);
  L_SLTU_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/sltu.h"
  }
  NEXT(1);
  L_XOR_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/xor.h"
  }
  NEXT(2);
  L_XOR_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/xor.h"
  }
  NEXT(1);
  L_SRL_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/srl.h"
  }
  NEXT(2);
  L_SRL_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/srl.h"
  }
  NEXT(1);
  L_SRA_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/sra.h"
  }
  NEXT(2);
  L_SRA_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/sra.h"
  }
  NEXT(1);
  L_OR_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/or.h"
  }
  NEXT(2);
  L_OR_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/or.h"
  }
  NEXT(1);
  L_AND_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/and.h"
  }
  NEXT(2);
  L_AND_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/and.h"
  }
  NEXT(1);
  L_MUL_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/mul.h"
  }
  NEXT(2);
  L_MUL_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/mul.h"
  }
  NEXT(1);
  L_MULH_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/mulh.h"
  }
  NEXT(2);
  L_MULH_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/mulh.h"
  }
  NEXT(1);
  L_MULHSU_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/mulhsu.h"
  }
  NEXT(2);
  L_MULHSU_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/mulhsu.h"
  }
  NEXT(1);
  L_MULHU_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/mulhu.h"
  }
  NEXT(2);
  L_MULHU_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/mulhu.h"
  }
  NEXT(1);
  L_DIV_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/div.h"
  }
  NEXT(2);
  L_DIV_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/div.h"
  }
  NEXT(1);
  L_DIVU_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/divu.h"
  }
  NEXT(2);
  L_DIVU_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/divu.h"
  }
  NEXT(1);
  L_REM_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/rem.h"
  }
  NEXT(2);
  L_REM_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/rem.h"
  }
  NEXT(1);
  L_REMU_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/remu.h"
  }
  NEXT(2);
  L_REMU_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/remu.h"
  }
  NEXT(1);
  L_FENCE_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/fence.h"
  }
  NEXT(2);
  L_FENCE_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/fence.h"
  }
  NEXT(1);
  L_FENCE_I_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/fence_i.h"
  }
  NEXT(2);
  L_FENCE_I_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/fence_i.h"
  }
  NEXT(1);
  L_ECALL_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/ecall.h"
  }
  NEXT(2);
  L_ECALL_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/ecall.h"
  }
  NEXT(1);
  L_LR_W_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/lr_w.h"
  }
  NEXT(2);
  L_LR_W_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/lr_w.h"
  }
  NEXT(1);
  L_SC_W_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/sc_w.h"
  }
  NEXT(2);
  L_SC_W_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/sc_w.h"
  }
  NEXT(1);
  L_AMOSWAP_W_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/amoswap_w.h"
  }
  NEXT(2);
  L_AMOSWAP_W_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/amoswap_w.h"
  }
  NEXT(1);
  L_AMOADD_W_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/amoadd_w.h"
  }
  NEXT(2);
  L_AMOADD_W_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/amoadd_w.h"
  }
  NEXT(1);
  L_AMOXOR_W_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/amoxor_w.h"
  }
  NEXT(2);
  L_AMOXOR_W_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/amoxor_w.h"
  }
  NEXT(1);
  L_AMOAND_W_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/amoand_w.h"
  }
  NEXT(2);
  L_AMOAND_W_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/amoand_w.h"
  }
  NEXT(1);
  L_AMOOR_W_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/amoor_w.h"
  }
  NEXT(2);
  L_AMOOR_W_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/amoor_w.h"
  }
  NEXT(1);
  L_AMOMIN_W_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/amomin_w.h"
  }
  NEXT(2);
  L_AMOMIN_W_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/amomin_w.h"
  }
  NEXT(1);
  L_AMOMAX_W_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/amomax_w.h"
  }
  NEXT(2);
  L_AMOMAX_W_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/amomax_w.h"
  }
  NEXT(1);
  L_AMOMINU_W_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/amominu_w.h"
  }
  NEXT(2);
  L_AMOMINU_W_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/amominu_w.h"
  }
  NEXT(1);
  L_AMOMAXU_W_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/amomaxu_w.h"
  }
  NEXT(2);
  L_AMOMAXU_W_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/amomaxu_w.h"
  }
  NEXT(1);
  L_RIN_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/rin.h"
  }
  NEXT(2);
  L_RIN_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/rin.h"
  }
  NEXT(1);
  L_HIN_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/hin.h"
  }
  NEXT(2);
  L_HIN_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/hin.h"
  }
  NEXT(1);
  L_WOU_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/wou.h"
  }
  NEXT(2);
  L_WOU_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/wou.h"
  }
  NEXT(1);
  L_PRECOMPILE_4: {
    [[maybe_unused]] constexpr uint32_t kLength = 4;
#include "isa/insns/precompile.h"
  }
  NEXT(2);
  L_PRECOMPILE_2: {
    [[maybe_unused]] constexpr uint32_t kLength = 2;
#include "isa/insns/precompile.h"
  }
  NEXT(1);

  // Exits from the loop. Each stores the state the caller reads.
exited:
  retired_ = RETIRED();
  return;
cycle_limit:
  pc_ = PC;
  retired_ = RETIRED();
  fault(FaultKind::kCycleLimit, pc_, 0,
        "the run reached its limit of " + std::to_string(budget) + " instructions (--max-cycles)");
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

#define FAULT_EXIT(label, kind, message)   \
  label:                                   \
  pc_ = PC;                                \
  retired_ = RETIRED() - 1;                \
  if constexpr (kTrace) drop_step(retired_); \
  fault(kind, pc_, fault_addr, message);   \
  return;

  FAULT_EXIT(load_fault, FaultKind::kLoadFault, access_fault_message(fault_addr, kPermRead))
  FAULT_EXIT(store_fault, FaultKind::kStoreFault, access_fault_message(fault_addr, kPermWrite))
  FAULT_EXIT(misaligned_atomic, FaultKind::kMisalignedAtomic,
             fmt::format("atomic access to address 0x{:x} is not 4-byte aligned", fault_addr))
  FAULT_EXIT(misaligned_tape_read, FaultKind::kMisalignedTapeOffset,
             fmt::format("input tape offset 0x{:x} is not a multiple of 4", fault_addr))
  FAULT_EXIT(illegal_instruction, FaultKind::kIllegalInstruction, "not an instruction of guest ABI v1")
}

template void Machine::execute_loop<false>();
template void Machine::execute_loop<true>();

}  // namespace zkrv::vm
