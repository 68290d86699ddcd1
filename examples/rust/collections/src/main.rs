//! Word frequencies of the public input text with Vec, BTreeMap, String and format!.
//! Public output: one "word=count" line per distinct word, in sorted order.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use zkrv_guest::{io, println};

zkrv_guest::entry!(main);

fn main() -> i32 {
    let Ok(text) = core::str::from_utf8(io::public_input()) else {
        zkrv_guest::eprintln!("input is not UTF-8");
        return 2;
    };
    let counts = zkrv_guest::cycle_region("count", || {
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for word in text.split_whitespace() {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
        counts
    });
    let lines: Vec<String> = counts.iter().map(|(word, count)| format!("{word}={count}\n")).collect();
    for line in &lines {
        io::commit(line.as_bytes());
    }
    println!("{} distinct words", counts.len());
    0
}
