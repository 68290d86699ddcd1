//! The raw ABI: system calls and the tape instructions (docs/abi.md). Safe wrappers live in
//! [`crate::io`], [`crate::log`] and the crate root.
use core::arch::asm;

pub const SYS_WRITE: u32 = 64;
pub const SYS_EXIT: u32 = 93;
pub const SYS_REGION_BEGIN: u32 = 0x5A4B_0001;
pub const SYS_REGION_END: u32 = 0x5A4B_0002;
pub const SYS_CYCLE_COUNT: u32 = 0x5A4B_0003;

/// Longest region name the VM accepts, in bytes.
pub const REGION_NAME_MAX: usize = 64;

/// `write(fd, bytes)`: fd 1 and 2 go to the host's debug log. Returns the syscall result.
pub fn write(fd: u32, bytes: &[u8]) -> i32 {
    let result: i32;
    // SAFETY: the VM only reads `bytes.len()` bytes at `bytes.as_ptr()`, which the slice owns.
    unsafe {
        asm!("ecall", in("a7") SYS_WRITE, inlateout("a0") fd as i32 => result,
             in("a1") bytes.as_ptr(), in("a2") bytes.len(), options(nostack, readonly));
    }
    result
}

/// Ends the run with `code` at once.
pub fn exit(code: i32) -> ! {
    // SAFETY: exit does not return and touches no guest memory.
    unsafe {
        asm!("ecall", in("a7") SYS_EXIT, in("a0") code, options(noreturn, nostack));
    }
}

pub(crate) fn region(call: u32, name: &str) {
    // SAFETY: the VM reads `name.len()` bytes of the string.
    unsafe {
        asm!("ecall", in("a7") call, inlateout("a0") name.as_ptr() => _, in("a1") name.len(),
             options(nostack, readonly));
    }
}

/// Instructions retired so far.
pub fn cycle_count() -> u64 {
    let low: u32;
    let high: u32;
    // SAFETY: no memory is touched.
    unsafe {
        asm!("ecall", in("a7") SYS_CYCLE_COUNT, lateout("a0") low, lateout("a1") high,
             options(nostack, nomem));
    }
    (u64::from(high) << 32) | u64::from(low)
}

/// `rin`: the little-endian word of the public input tape at byte `offset` (a multiple of 4).
#[inline(always)]
pub fn rin(offset: u32) -> u32 {
    let word: u32;
    // SAFETY: reads the input tape only; a misaligned offset is a VM fault, not UB.
    unsafe { asm!(".insn i 0x2B, 0, {0}, 0({1})", lateout(reg) word, in(reg) offset, options(nostack, nomem)) };
    word
}

/// `hin`: the same from the private input (hint) tape.
#[inline(always)]
pub fn hin(offset: u32) -> u32 {
    let word: u32;
    // SAFETY: as for `rin`.
    unsafe { asm!(".insn i 0x2B, 1, {0}, 0({1})", lateout(reg) word, in(reg) offset, options(nostack, nomem)) };
    word
}

/// `wou`: writes `word` to the public output tape at byte `offset` (a multiple of 4).
#[inline(always)]
pub fn wou(offset: u32, word: u32) {
    // SAFETY: writes the output tape only.
    unsafe { asm!(".insn s 0x5B, 0, {1}, 0({0})", in(reg) offset, in(reg) word, options(nostack)) };
}
