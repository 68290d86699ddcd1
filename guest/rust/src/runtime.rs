//! `_start`, exit, the panic handler and cycle regions.
use core::arch::global_asm;
use core::fmt::Write;

// The ABI note (docs/abi.md, "Versioning"); the SDK linker script keeps it.
#[no_mangle]
#[used]
#[link_section = ".note.zkrv.abi"]
static __zkrv_abi_note: u32 = 1;

// The VM starts here with every register zero. Like the C SDK's crt0: gp without relaxation (the
// assembler would otherwise address gp relative to itself), sp at the top of the SDK stack, tp at
// the TLS template. Rust guests have no constructors to run.
global_asm!(
    ".section .text.init, \"ax\", @progbits",
    ".globl _start",
    ".type _start, @function",
    "_start:",
    ".option push",
    ".option norelax",
    "la gp, __global_pointer$",
    ".option pop",
    "la sp, __stack_top",
    "la tp, __tls_base",
    "call {start}",
    ".size _start, . - _start",
    start = sym rust_start,
);

extern "C" {
    // Defined by `entry!` in the guest.
    fn __zkrv_rust_main() -> i32;
}

extern "C" fn rust_start() -> ! {
    // SAFETY: `entry!` defines the symbol with this signature.
    let code = unsafe { __zkrv_rust_main() };
    exit(code)
}

/// Ends the run at once with `code` (0 = success).
pub fn exit(code: i32) -> ! {
    crate::sys::exit(code)
}

/// Counts the instructions retired while `f` runs into the region `name` (at most 64 bytes;
/// regions nest and may repeat).
pub fn cycle_region<R>(name: &str, f: impl FnOnce() -> R) -> R {
    assert!(name.len() <= crate::sys::REGION_NAME_MAX, "region name longer than 64 bytes: {name}");
    crate::sys::region(crate::sys::SYS_REGION_BEGIN, name);
    let result = f();
    crate::sys::region(crate::sys::SYS_REGION_END, name);
    result
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let mut log = crate::log::Log::stderr();
    match info.location() {
        Some(location) => {
            let _ = write!(log, "guest panicked at {}:{}:{}:\n{}\n", location.file(), location.line(),
                           location.column(), info.message());
        }
        None => {
            let _ = write!(log, "guest panicked:\n{}\n", info.message());
        }
    }
    exit(crate::EXIT_PANIC)
}
