//! The Rust half of a twin pair: tests/rust/twin.c computes the same function in C, and the test
//! checks that both produce the same public output for the same input.
//! Public output: FNV-1a-32 of the public input (little-endian u32), then the input bytes sorted.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use zkrv_guest::io;

zkrv_guest::entry!(main);

fn fnv1a32(data: &[u8]) -> u32 {
    data.iter().fold(0x811c_9dc5u32, |hash, byte| (hash ^ *byte as u32).wrapping_mul(0x0100_0193))
}

fn main() {
    let input = io::public_input();
    io::commit(&fnv1a32(input).to_le_bytes());
    let mut sorted: Vec<u8> = input.to_vec();
    sorted.sort_unstable();
    io::commit(&sorted);
}
