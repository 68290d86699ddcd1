//! Runtime for zkrv guests written in Rust (guest ABI v1, docs/abi.md).
//!
//! A guest is a `#![no_std]` `#![no_main]` binary that names its main function with [`entry!`]:
//!
//! ```ignore
//! #![no_std]
//! #![no_main]
//! extern crate alloc;
//! zkrv_guest::entry!(main);
//! fn main() {
//!     let input = zkrv_guest::io::public_input();
//!     zkrv_guest::io::commit(input);
//! }
//! ```
//!
//! The crate supplies everything else a guest needs: `_start`, the panic handler (message and
//! location to fd 2, exit code [`EXIT_PANIC`]), a global allocator on the SDK heap that frees and
//! reuses memory, the tape I/O, the standard `read_input`/`write_output` C symbols, logging macros
//! and cycle regions. Programs link with the SDK linker script `guest/zkrv.ld`, the same layout C
//! guests use.
#![cfg_attr(target_os = "none", no_std)]

#[cfg(target_os = "none")]
extern crate alloc;

pub mod heap;
#[cfg(target_os = "none")]
pub mod io;
#[cfg(target_os = "none")]
pub mod log;
/// Dynamic precompiles: `Descriptor`, the first-party wrappers and hashes (crate
/// `zkrv-guest-precompiles`, linked into a guest only when it uses them).
pub use zkrv_guest_precompiles as precompile;
pub use zkrv_guest_precompiles::precompile;
#[cfg(target_os = "none")]
mod runtime;
#[cfg(target_os = "none")]
pub mod sys;

#[cfg(target_os = "none")]
pub use zkrv_guest_precompiles::{keccak256, keccak_absorb, keccak_f1600, sha256, sha256_compress};
#[cfg(target_os = "none")]
pub use runtime::{cycle_region, exit};

/// Exit code of a guest that panicked (the same code Rust's std uses for a panicking process).
pub const EXIT_PANIC: i32 = 101;

/// What a guest's main may return: `()` (exit code 0) or an `i32` exit code.
pub trait ExitCode {
    fn code(self) -> i32;
}

impl ExitCode for () {
    fn code(self) -> i32 {
        0
    }
}

impl ExitCode for i32 {
    fn code(self) -> i32 {
        self
    }
}

/// Names the guest's main function: `zkrv_guest::entry!(main);`. `main` takes no arguments and
/// returns `()` or an `i32` exit code; returning ends the run with that code.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[no_mangle]
        extern "C" fn __zkrv_rust_main() -> i32 {
            let main: fn() -> _ = $main;
            $crate::ExitCode::code(main())
        }
    };
}
