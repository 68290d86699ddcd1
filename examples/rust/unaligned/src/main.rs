//! The Rust twin of examples/unaligned: packed 7-byte records (tag u8, value u32 LE, weight u16 LE)
//! read at unaligned offsets; the output is each tag with value * weight (u32 LE, wrapping), packed
//! as 5 bytes, then the XOR of all values (u32 LE). tests/rust builds it with
//! `-C target-feature=+unaligned-scalar-mem`, so `from_le_bytes` of a slice and the packed stores
//! compile to single misaligned LW, LHU and SW instructions, which zkrv executes and proves
//! (docs/proof-system.md, "Misaligned accesses"); without it they compile to byte accesses.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use zkrv_guest::{io, println};

zkrv_guest::entry!(main);

const RECORD_BYTES: usize = 7;
const OUTPUT_RECORD_BYTES: usize = 5;

fn main() {
    let input = io::public_input();
    if input.len() % RECORD_BYTES != 0 {
        zkrv_guest::eprintln!("unaligned: {} bytes are not a whole number of {}-byte records", input.len(), RECORD_BYTES);
        zkrv_guest::exit(2);
    }
    let records = input.len() / RECORD_BYTES;
    let mut output: Vec<u8> = Vec::new();
    output.resize(records * OUTPUT_RECORD_BYTES + 4, 0);
    let mut xor_of_values = 0u32;
    for (record, out) in input.chunks_exact(RECORD_BYTES).zip(output.chunks_exact_mut(OUTPUT_RECORD_BYTES)) {
        let value = u32::from_le_bytes(record[1..5].try_into().unwrap());
        let weight = u16::from_le_bytes(record[5..7].try_into().unwrap());
        xor_of_values ^= value;
        out[0] = record[0];
        out[1..5].copy_from_slice(&value.wrapping_mul(u32::from(weight)).to_le_bytes());
    }
    let end = output.len();
    output[end - 4..].copy_from_slice(&xor_of_values.to_le_bytes());
    println!("unaligned: {} records, xor {:08x}", records, xor_of_values);
    io::commit(&output);
}
