//! Exhausts the heap. First with the fallible `Vec::try_reserve`, which reports the failure to the
//! guest: the number of 8 MiB chunks that fit is the public output (a little-endian u32). Then
//! with an ordinary allocation, which cannot fail quietly: Rust's allocation error handler panics
//! with "memory allocation of 8388608 bytes failed" and the guest exits with code 101, cleanly,
//! without touching memory it does not own.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use zkrv_guest::{io, println};

zkrv_guest::entry!(main);

const CHUNK: usize = 8 << 20;

fn main() {
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut chunk = Vec::new();
        if chunk.try_reserve_exact(CHUNK).is_err() {
            break;
        }
        chunk.push(1); // the memory is really the guest's to write
        chunks.push(chunk);
    }
    println!("{} chunks of {} bytes fit in the heap", chunks.len(), CHUNK);
    io::commit_u32(chunks.len() as u32);
    // Written to and kept opaque, so that the compiler cannot elide the allocation.
    let mut one_more: Vec<u8> = Vec::with_capacity(CHUNK);
    one_more.push(1);
    core::hint::black_box(&one_more);
    println!("unreachable: got {} more bytes", one_more.capacity());
}
