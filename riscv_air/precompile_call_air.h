// Precompile calls (docs/proof-system.md, "Precompile calls"): the PrecompileCall table, one row
// per custom-0 step, and the PrecompileMemory table, one row per guest word a call reads and
// writes back.
//
// PrecompileCall: the row's state and instruction as every executor's (the index is the
// instruction's immediate), reads rs1 (slot 0) and rs2 (slot 1), writes rd (slot 3) with the result
// the callee states, range-checks rd's limbs itself (the callee's circuit may be a third party's),
// sends (index, ts, rs1, rs2, rd) on PRECOMPILE and the successor (pc + len, ts + 4). Slots 2 and 3
// of the memory space are left to the callee's words.
//
// PrecompileMemory: receives a word's read (ts + 2, addr, before) and its write (ts + 3, addr,
// after) from the callee's table on PRECOMPILE_WORD and makes one access of the writable space
// (kMemorySpace) at ts + 2 that consumes the record holding `before` and leaves `after`, whose limbs
// it range-checks (as rd's: the machine's invariant, not the callee's circuit's); or, with
// `read` set, receives a word the call only reads (ts + 2, addr, before) on PRECOMPILE_READ and
// makes one access at ts + 2 that leaves the word as it was, in the writable or (read_only set) the
// read-only space: the word's initial record was made in exactly one of them, so naming the other
// finds no record. Only a read may name the read-only space, so no call writes a read-only word.
// A word address with no record in the space named (unmapped, read-only for a write, at or above
// 2^30: a buffer that runs past the end of the address space) unbalances MEMORY; distinct words of
// one call are distinct addresses, so each has its own record chain and one access per call
// suffices. Two accesses of one call to one word (a precompile whose buffers overlap) would both
// sit at ts + 2, and the second cannot come after the first's record: such a call cannot prove.
#pragma once

#include "isa/isa.h"
#include "riscv_air/gadgets.h"

namespace zkrv::riscv_air {

struct PrecompileCallCols {
  CoreCols core;
  AccessCols rs1, rs2, rd;
  int rd_lo, rd_hi;  // the callee's result
};

struct PrecompileCallTable {
  stark::air::TableInfo info() const { return {"precompile_call", kWidth<PrecompileCallCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const PrecompileCallCols c = make_columns<PrecompileCallCols>();
    const auto real = b.main(c.core.is_real);
    eval_core(b, c.core, b.constant(static_cast<uint32_t>(isa::Op::PRECOMPILE)) * real, real);
    eval_register_read(b, c.core, c.rs1, b.main(c.core.rs1), kSlotRs1, real);
    eval_register_read(b, c.core, c.rs2, b.main(c.core.rs2), kSlotRs2, real);
    eval_register_write(b, c.core, c.rd, b.main(c.rd_lo), b.main(c.rd_hi));
    // The callee's circuit may be a third party's: the machine keeps its own invariant (every
    // register holds two limbs below 2^16) rather than trust that circuit to range-check rd.
    b.send(kRange16Bus, {b.main(c.rd_lo)}, real);
    b.send(kRange16Bus, {b.main(c.rd_hi)}, real);
    b.send(kPrecompileBus,
           {b.main(c.core.imm), b.main(c.core.ts), b.main(c.rs1.prev_lo), b.main(c.rs1.prev_hi), b.main(c.rs2.prev_lo),
            b.main(c.rs2.prev_hi), b.main(c.rd_lo), b.main(c.rd_hi)},
           real);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
  }
};

struct PrecompileMemoryCols {
  int is_real, ts, addr;  // ts: the call's ts + 2
  AccessCols a;           // a.prev_lo, a.prev_hi: the word before the call
  int after_lo, after_hi;
  int read;       // the word came on PRECOMPILE_READ: the call leaves it
  int read_only;  // the read names the read-only space
};

struct PrecompileMemoryTable {
  stark::air::TableInfo info() const { return {"precompile_memory", kWidth<PrecompileMemoryCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const PrecompileMemoryCols c = make_columns<PrecompileMemoryCols>();
    const auto real = b.main(c.is_real), read = b.main(c.read), read_only = b.main(c.read_only);
    b.assert_bool("is_real is a bit", real);
    b.assert_bool("read is a bit", read);
    b.assert_bool("read_only is a bit", read_only);
    b.assert_zero("only a read names the read-only space", read_only * (b.constant(1) - read));
    b.assert_zero("a read leaves the word: lo", read * (b.main(c.after_lo) - b.main(c.a.prev_lo)));
    b.assert_zero("a read leaves the word: hi", read * (b.main(c.after_hi) - b.main(c.a.prev_hi)));
    const auto ts = b.main(c.ts), addr = b.main(c.addr);
    const auto written = real * (b.constant(1) - read);
    b.receive(kPrecompileWordBus, {ts, addr, b.main(c.a.prev_lo), b.main(c.a.prev_hi)}, written);
    b.receive(kPrecompileWordBus, {ts + b.constant(1), addr, b.main(c.after_lo), b.main(c.after_hi)}, written);
    b.receive(kPrecompileReadBus, {ts, addr, b.main(c.a.prev_lo), b.main(c.a.prev_hi)}, real * read);
    // As rd on the call row: a written word's limbs come from the callee's circuit, perhaps a third
    // party's, so the machine range-checks them itself (a read's after is its before, a record's).
    b.send(kRange16Bus, {b.main(c.after_lo)}, written);
    b.send(kRange16Bus, {b.main(c.after_hi)}, written);
    static_assert(kReadOnlySpace == kMemorySpace + 1);
    eval_access(b, c.a, b.constant(kMemorySpace) + read_only, addr, ts, b.main(c.after_lo), b.main(c.after_hi), real);
  }
};

}  // namespace zkrv::riscv_air
