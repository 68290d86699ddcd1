// The contract between the instruction semantics in isa/insns/ and whoever executes them.
//
// Each file isa/insns/<op>.h (<op> is the ZKRV_ISA_OPS name in lower case: ADD -> add.h, FENCE_I ->
// fence_i.h) is a sequence of C++ statements, included at the point where one instruction executes.
// It may use the names below and nothing else of its executor: ordinary C++ (casts, locals,
// INT32_MIN) besides. An executor defines the primitives, then includes this header, which checks
// that every primitive is there and defines the derived names in terms of them, so that all
// executors agree on those. Executors today: the VM's interpreter (vm/interpreter.cc); the machine
// AIR's witness generator is meant to be the second one, reading the same files.
//
// Operands (values of the instruction being executed; reading them has no effect):
//   RS1, RS2        uint32_t: the source registers' values, read before anything is written
//   IMM             int32_t: the sign-extended immediate (for PRECOMPILE: its index fn7 << 3 | fn3)
//   IMM_U           uint32_t: IMM's bits (derived)
//   PC              uint32_t: this instruction's address
//   LEN             uint32_t: its length in bytes, 4, or 2 for a compressed form; a compile-time
//                   constant in the interpreter, which has one handler per length
//
// Effects. Names marked "ends" do not return when they take effect: control leaves the instruction
// (to its target, or to a fault, or out of the run), so a file writes them last on their path.
//   WRITE_RD(v)             rd = v; at most once per path; ignored when rd is x0
//   JUMP(target)            ends: the next instruction is at target (a fetch fault if not executable)
//   BRANCH_IF(cond)         ends when cond holds: JUMP(PC + IMM_U) (derived)
//   LOAD_U8/U16/U32(a)      the zero-extended value at guest address a; ends with a load fault
//   STORE_U8/U16/U32(a, v)  stores the low bits of v at a; ends with a store fault
//                           (plain loads and stores may be misaligned: Zicclsm)
//   AMO_CHECK(a)            ends with a misaligned-atomic fault unless a is 4-byte aligned
//   AMO_LOAD(a)             AMO_CHECK(a), then LOAD_U32(a) (derived)
//   AMO_STORE(a, v)         STORE_U32(a, v), for an address AMO_CHECK has accepted (derived)
//   RESERVE(a)              sets the load reservation to a
//   RESERVED(a)             bool: whether the reservation is set and is a
//   CLEAR_RESERVATION()     clears it
//   TAPE_READ_PUBLIC(o)     the word at byte offset o of the public input tape, 0 past its end;
//   TAPE_READ_PRIVATE(o)    the same on the private one; both end with a fault unless o % 4 == 0
//   TAPE_WRITE(o, v)        writes word v at byte offset o of the output tape; may end with a fault
//   ECALL()                 the system call in a7 (docs/abi.md); may end the run or fault
//   PRECOMPILE(i, a, b)     uint32_t: the result of dynamic precompile i on a, b; may end with a fault
//   ILLEGAL_INSTRUCTION()   ends with an illegal-instruction fault
//
// Value-producing names may be GNU statement expressions (the interpreter's are), so they can only
// be used where a statement expression may appear: in expressions, not in constant expressions.
#pragma once

#if !defined(RS1) || !defined(RS2) || !defined(IMM) || !defined(PC) || !defined(LEN)
#error "isa/insn_contract.h: define RS1, RS2, IMM, PC and LEN before including it"
#endif
#if !defined(WRITE_RD) || !defined(JUMP)
#error "isa/insn_contract.h: define WRITE_RD and JUMP before including it"
#endif
#if !defined(LOAD_U8) || !defined(LOAD_U16) || !defined(LOAD_U32) || !defined(STORE_U8) || \
    !defined(STORE_U16) || !defined(STORE_U32)
#error "isa/insn_contract.h: define LOAD_U8/U16/U32 and STORE_U8/U16/U32 before including it"
#endif
#if !defined(AMO_CHECK) || !defined(RESERVE) || !defined(RESERVED) || !defined(CLEAR_RESERVATION)
#error "isa/insn_contract.h: define AMO_CHECK, RESERVE, RESERVED and CLEAR_RESERVATION before including it"
#endif
#if !defined(TAPE_READ_PUBLIC) || !defined(TAPE_READ_PRIVATE) || !defined(TAPE_WRITE) || !defined(ECALL) || \
    !defined(PRECOMPILE) || !defined(ILLEGAL_INSTRUCTION)
#error "isa/insn_contract.h: define TAPE_READ_PUBLIC/PRIVATE, TAPE_WRITE, ECALL, PRECOMPILE and ILLEGAL_INSTRUCTION before including it"
#endif

#define IMM_U static_cast<uint32_t>(IMM)
#define BRANCH_IF(cond)        \
  do {                         \
    if (cond) JUMP(PC + IMM_U); \
  } while (0)
#define AMO_LOAD(a)  \
  ({                 \
    AMO_CHECK(a);    \
    LOAD_U32(a);     \
  })
#define AMO_STORE(a, v) STORE_U32(a, v)
