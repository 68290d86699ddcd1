//! Panics on purpose: the run must end with exit code 101 and the message on stderr.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;

zkrv_guest::entry!(main);

fn main() {
    let values: Vec<u32> = (1..=3).collect();
    zkrv_guest::io::commit(b"before");
    let index = values.len() + zkrv_guest::io::public_input_len();
    panic!("index {} out of range for {} values", index, values.len());
}
