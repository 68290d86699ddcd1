// Ecall: the system calls of ABI v1 other than exit (docs/abi.md, "System calls"), proven as having
// no effect on the machine but their results in a0 (and a1), and as not faulting:
// - write (a7 = 64): a0 = a2 (the length) when the fd in a0 is 1 or 2, else -9 (EBADF). "fd is 1
//   or 2" is decided on a0's limbs (hi = 0, (lo - 1)(lo - 2) = 0), never on a0 as one field element
//   (1 + p is not fd 1); the other case proves hi != 0 or (lo - 1)(lo - 2) != 0 with inverses.
// - zkrv_region_begin, zkrv_region_end (a7 = 0x5A4B0001, 0x5A4B0002): a0 = 0; the name's length
//   (a1) is at most 64 (64 - a1 lo on RANGE16, a1 hi = 0).
// - zkrv_cycle_count (a7 = 0x5A4B0003): a0 = the instructions retired before it, which is the step
//   index ts / 4 - 1 (the STATE chain starts at ts 4 and adds 4 per row), below 2^22; a1 = 0.
// The VM faults on a write to fd 1 or 2, or a region call, whose buffer [ptr, ptr + len) is not
// readable (a non-zero len: a buffer of length 0 is never checked). So such a row with len != 0
// (`checked`, len's inverse witnessing len != 0) looks up a readable interval [lo, hi) on READABLE
// and proves lo <= ptr and ptr + len <= hi on 16-bit limbs with carries: lo + d = ptr and
// ptr + len + e = hi with d, e two RANGE16 limbs each. Every limb equation stays below 2^18, so it
// holds in the integers, and hi <= 2^32 rules out a buffer that wraps. The intervals are maximal
// runs of mapped pages, so the buffer lies in one exactly when the VM finds every page of it mapped.
// The debug log and the region counts are not part of the proven result (docs/abi.md), so the bytes
// are never read; the VM ignores region calls whose effect would depend on them (nesting, limits).
#pragma once

#include "isa/isa.h"
#include "riscv_air/gadgets.h"

namespace zkrv::riscv_air {

struct EcallCols {
  CoreCols core;
  AccessCols a7, x, a0;  // x: a2 read (write: len), a1 read (region: len), a1 written (cycle count)
  AccessCols y;          // a1 read (write to fd 1 or 2: ptr); a region's ptr is a0
  int t;                 // (fd lo - 1)(fd lo - 2) (write to another fd)
  int inv_hi, inv_lo;    // fd hi * inv_hi + t * inv_lo = 1 (write to another fd)
  int cnt_lo, cnt_hi;    // the step index (cycle count)
  int is_write_std, is_write_other, is_region_begin, is_region_end, is_cycle_count;
  int checked;                     // a buffer of non-zero length is checked
  int inv_len;                     // (len lo + len hi) * inv_len = 1 when checked
  int lo_lo, lo_hi, hi_lo, hi_hi;  // the readable interval [lo, hi) holding it
  int d_lo, d_hi, c0;              // lo + d = ptr, c0 the lo limb's carry
  int e_lo, e_hi, k0;              // ptr + len + e = hi, k0 the lo limb's carry (0, 1 or 2)
};

inline constexpr uint32_t kSysWrite = 64;
inline constexpr uint32_t kSysZkrvHi = 0x5A4B;  // the high limb of every zkrv_* number
inline constexpr uint32_t kEbadf = 0xfffffff7u;   // -9
inline constexpr uint32_t kMaxRegionName = 64;     // bytes

struct EcallTable {
  stark::air::TableInfo info() const { return {"ecall", kWidth<EcallCols>, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const EcallCols c = make_columns<EcallCols>();
    using E = typename B::Expr;
    const E ws = b.main(c.is_write_std), wo = b.main(c.is_write_other), begin = b.main(c.is_region_begin);
    const E end = b.main(c.is_region_end), count = b.main(c.is_cycle_count);
    const E one = b.constant(1), two16 = b.constant(1u << 16);
    b.assert_bool("is_write_std is a bit", ws);
    b.assert_bool("is_write_other is a bit", wo);
    b.assert_bool("is_region_begin is a bit", begin);
    b.assert_bool("is_region_end is a bit", end);
    b.assert_bool("is_cycle_count is a bit", count);
    const E real = b.main(c.core.is_real);
    eval_core(b, c.core, b.constant(static_cast<uint32_t>(isa::Op::ECALL)) * real, ws + wo + begin + end + count);
    eval_next_state(b, c.core, b.main(c.core.pc) + b.main(c.core.len));
    const E ts = b.main(c.core.ts);

    // The call number in a7.
    eval_register_read(b, c.core, c.a7, b.constant(17), kSlotRs1, real);
    b.assert_zero("a7 lo is the call's",
                  b.main(c.a7.prev_lo) - b.constant(kSysWrite) * (ws + wo) - begin - b.constant(2) * end -
                      b.constant(3) * count);
    b.assert_zero("a7 hi is the call's", b.main(c.a7.prev_hi) - b.constant(kSysZkrvHi) * (begin + end + count));

    // write: a2 read; region: a1 read; cycle count: a1 written (0, the high word of a count below 2^22).
    const E writes = ws + wo, region = begin + end, reads = writes + region;
    eval_access(b, c.x, b.constant(kRegisterSpace), b.constant(12) * writes + b.constant(11) * (region + count),
                ts + b.constant(kSlotRs2), reads * b.main(c.x.prev_lo), reads * b.main(c.x.prev_hi),
                reads + count);
    eval_read(b, c.y, b.constant(kRegisterSpace), b.constant(11), ts + b.constant(kSlotMemory), ws);

    // The buffer a write to fd 1 or 2 or a region call reads: [ptr, ptr + len) readable, or len = 0.
    const E len_lo = b.main(c.x.prev_lo), len_hi = b.main(c.x.prev_hi);
    const E ptr_lo = ws * b.main(c.y.prev_lo) + region * b.main(c.a0.prev_lo);
    const E ptr_hi = ws * b.main(c.y.prev_hi) + region * b.main(c.a0.prev_hi);
    const E checked = b.main(c.checked), c0 = b.main(c.c0), k0 = b.main(c.k0);
    b.assert_bool("checked is a bit", checked);
    b.assert_zero("only a write to fd 1 or 2 or a region checks a buffer", checked * (one - ws - region));
    b.assert_zero("an unchecked buffer has length 0: lo", (ws + region - checked) * len_lo);
    b.assert_zero("an unchecked buffer has length 0: hi", (ws + region - checked) * len_hi);
    b.assert_zero("a checked buffer's length is not 0", checked * ((len_lo + len_hi) * b.main(c.inv_len) - one));
    b.assert_bool("c0 is a bit", c0);
    b.assert_zero("k0 is 0, 1 or 2", k0 * (k0 - one) * (k0 - b.constant(2)));
    b.assert_zero("lo + d = ptr: lo limb", checked * (b.main(c.lo_lo) + b.main(c.d_lo) - ptr_lo - two16 * c0));
    b.assert_zero("lo + d = ptr: hi limb", checked * (b.main(c.lo_hi) + b.main(c.d_hi) + c0 - ptr_hi));
    b.assert_zero("ptr + len + e = hi: lo limb",
                  checked * (ptr_lo + len_lo + b.main(c.e_lo) - b.main(c.hi_lo) - two16 * k0));
    b.assert_zero("ptr + len + e = hi: hi limb", checked * (ptr_hi + len_hi + b.main(c.e_hi) + k0 - b.main(c.hi_hi)));
    b.send(kRange16Bus, {b.main(c.d_lo)}, checked);
    b.send(kRange16Bus, {b.main(c.d_hi)}, checked);
    b.send(kRange16Bus, {b.main(c.e_lo)}, checked);
    b.send(kRange16Bus, {b.main(c.e_hi)}, checked);
    b.send(kReadableBus, {b.main(c.lo_lo), b.main(c.lo_hi), b.main(c.hi_lo), b.main(c.hi_hi)}, checked);
    b.assert_zero("a region name is at most 64 bytes: len hi is 0", region * len_hi);
    b.send(kRange16Bus, {b.constant(kMaxRegionName) - len_lo}, region);

    // The fd (a0 before the call) and the result (a0 after it).
    const E fd_lo = b.main(c.a0.prev_lo), fd_hi = b.main(c.a0.prev_hi);
    const E fd_poly = (fd_lo - one) * (fd_lo - b.constant(2));
    b.assert_zero("write to fd 1 or 2: fd hi is zero", ws * fd_hi);
    b.assert_zero("write to fd 1 or 2: fd lo is 1 or 2", ws * fd_poly);
    b.assert_zero("write to another fd: t", wo * (b.main(c.t) - fd_poly));
    b.assert_zero("write to another fd: fd is not 1 or 2",
                  wo * (fd_hi * b.main(c.inv_hi) + b.main(c.t) * b.main(c.inv_lo) - one));
    const E cnt_lo = b.main(c.cnt_lo), cnt_hi = b.main(c.cnt_hi);
    b.assert_zero("cycle count: ts = 4 (count + 1)",
                  count * (b.constant(4) * (cnt_lo + two16 * cnt_hi) + b.constant(4) - ts));
    b.send(kRange16Bus, {cnt_lo}, count);
    b.send(kRange16Bus, {b.constant(1u << 10) * cnt_hi}, count);
    const E result_lo = ws * b.main(c.x.prev_lo) + wo * b.constant(kEbadf & 0xffff) + count * cnt_lo;
    const E result_hi = ws * b.main(c.x.prev_hi) + wo * b.constant(kEbadf >> 16) + count * cnt_hi;
    eval_access(b, c.a0, b.constant(kRegisterSpace), b.constant(10), ts + b.constant(kSlotRd), result_lo, result_hi,
                real);
  }
};

}  // namespace zkrv::riscv_air
