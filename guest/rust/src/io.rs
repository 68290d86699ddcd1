//! Tape I/O (docs/abi.md, "Static precompiles: input and output tapes").
//!
//! Public input (`rin`, `zkrv run --input`), private input or hints (`hin`, `--hint`) and the
//! public output (`wou`). Inputs can be read as whole byte slices (copied once into the heap, like
//! the C SDK), as ranges of bytes, or as little-endian words. The output is one byte stream shared
//! with the C symbol `write_output`; word 0 of the tape (the length) is kept current after every
//! write, so the output is well-formed whenever the guest stops.
use alloc::vec::Vec;
use core::cell::UnsafeCell;

use crate::sys::{hin, rin, wou};

struct Once<T>(UnsafeCell<Option<T>>);
// SAFETY: one hart, no interrupts.
unsafe impl<T> Sync for Once<T> {}

impl<T> Once<T> {
    const fn new() -> Self {
        Once(UnsafeCell::new(None))
    }
    fn get_or_init(&'static self, init: impl FnOnce() -> T) -> &'static T {
        // SAFETY: single-threaded, and the value is never replaced once set.
        unsafe {
            let slot = &mut *self.0.get();
            if slot.is_none() {
                *slot = Some(init());
            }
            slot.as_ref().unwrap()
        }
    }
}

fn read_tape(reader: fn(u32) -> u32, dst: &mut [u8], mut offset: usize) {
    let mut done = 0;
    while done < dst.len() {
        let word = reader(4 + (offset & !3) as u32).to_le_bytes();
        let skip = offset & 3;
        let take = (4 - skip).min(dst.len() - done);
        dst[done..done + take].copy_from_slice(&word[skip..skip + take]);
        done += take;
        offset += take;
    }
}

fn copy_tape(reader: fn(u32) -> u32) -> Vec<u8> {
    let mut bytes = alloc::vec![0u8; reader(0) as usize];
    read_tape(reader, &mut bytes, 0);
    bytes
}

static PUBLIC_INPUT: Once<Vec<u8>> = Once::new();
static PRIVATE_INPUT: Once<Vec<u8>> = Once::new();

/// Length of the public input in bytes.
pub fn public_input_len() -> usize {
    rin(0) as usize
}
/// The whole public input (copied into the heap on first call).
pub fn public_input() -> &'static [u8] {
    PUBLIC_INPUT.get_or_init(|| copy_tape(rin))
}
/// Fills `dst` from the public input starting at byte `offset`; bytes past the end read as zero.
pub fn public_input_read(offset: usize, dst: &mut [u8]) {
    read_tape(rin, dst, offset)
}
/// The `index`-th little-endian 32-bit word of the public input (zero past the end).
pub fn public_input_u32(index: usize) -> u32 {
    rin(4 + 4 * index as u32)
}

/// Length of the private input (hints) in bytes.
pub fn private_input_len() -> usize {
    hin(0) as usize
}
/// The whole private input (copied into the heap on first call); the same buffer as `read_input`.
pub fn private_input() -> &'static [u8] {
    PRIVATE_INPUT.get_or_init(|| copy_tape(hin))
}
/// Fills `dst` from the private input starting at byte `offset`; bytes past the end read as zero.
pub fn private_input_read(offset: usize, dst: &mut [u8]) {
    read_tape(hin, dst, offset)
}
/// The `index`-th little-endian 32-bit word of the private input (zero past the end).
pub fn private_input_u32(index: usize) -> u32 {
    hin(4 + 4 * index as u32)
}

struct Output {
    size: usize,
    // The tape cannot be read back: the word holding the incomplete tail is kept here.
    partial_word: u32,
}

struct OutputCell(UnsafeCell<Output>);
// SAFETY: one hart, no interrupts.
unsafe impl Sync for OutputCell {}
static OUTPUT: OutputCell = OutputCell(UnsafeCell::new(Output { size: 0, partial_word: 0 }));

/// Appends `bytes` to the public output.
pub fn commit(bytes: &[u8]) {
    // SAFETY: single-threaded; no reference to OUTPUT outlives this call.
    let output = unsafe { &mut *OUTPUT.0.get() };
    let mut position = output.size;
    let mut rest = bytes;
    while !rest.is_empty() {
        let in_word = position & 3;
        if in_word == 0 && rest.len() >= 4 {
            wou(4 + position as u32, u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]));
            rest = &rest[4..];
            position += 4;
            continue;
        }
        output.partial_word |= u32::from(rest[0]) << (8 * in_word);
        rest = &rest[1..];
        position += 1;
        if position & 3 == 0 {
            wou(4 + (position - 4) as u32, output.partial_word);
            output.partial_word = 0;
        }
    }
    if position & 3 != 0 {
        wou(4 + (position & !3) as u32, output.partial_word);
    }
    output.size = position;
    wou(0, position as u32);
}

/// Appends a little-endian u32 to the public output.
pub fn commit_u32(value: u32) {
    commit(&value.to_le_bytes())
}
/// Appends a little-endian u64 to the public output.
pub fn commit_u64(value: u64) {
    commit(&value.to_le_bytes())
}
/// Bytes of public output written so far.
pub fn output_len() -> usize {
    // SAFETY: single-threaded read.
    unsafe { (*OUTPUT.0.get()).size }
}

/// The Ethereum zkVM standard `read_input` (zkvm_io.h): the private input, copied once.
///
/// # Safety
/// Both pointers must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn read_input(buf_ptr: *mut *const u8, buf_size: *mut usize) {
    let input = private_input();
    *buf_ptr = input.as_ptr();
    *buf_size = input.len();
}

/// The Ethereum zkVM standard `write_output` (zkvm_io.h): appends to the public output.
///
/// # Safety
/// `output` must be valid for reads of `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn write_output(output: *const u8, size: usize) {
    if size > 0 {
        commit(core::slice::from_raw_parts(output, size));
    }
}
